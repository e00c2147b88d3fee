"""Leaks (issue 12): nothing outside the caller's scope reaches them through a conflict, a blob or an upload."""

from __future__ import annotations

import hashlib
import json
import uuid

from app.sync.protocol import ErrorCode
from tests.security.conftest import Api, mutation, new_audit, push
from tests.sync.conftest import District


def _uscc_of(district: District, prefix: str) -> str:
    return next(code for code in district.enterprises if code.startswith(prefix))


def test_a_conflict_answer_never_carries_another_districts_row(district: District, api: Api) -> None:
    zhao = api("zhao")  # 通川区
    theirs = _uscc_of(district, "91511703")  # a 达川区 enterprise: USCCs are public
    answer = push(zhao, mutation("enterprise", str(uuid.uuid4()), {"uscc": theirs, "name": "通川区某公司"}))[0]
    assert answer["status"] == "conflict"
    assert answer["server_fields"] is None
    assert answer["server_version"] is None
    text = json.dumps(answer, ensure_ascii=False)
    assert "王芳" not in text
    assert "0818" not in text
    assert "三里坪" not in text
    # Within the caller's own district the conflict still shows the server's row, to keep next to the laptop's.
    li = api("li")
    own = push(li, mutation("enterprise", str(uuid.uuid4()), {"uscc": theirs, "name": "重复录入"}))[0]
    assert own["status"] == "conflict"
    assert own["server_fields"]["uscc"] == theirs


def _attachment(audit_id: str, sha: str) -> dict[str, object]:
    return mutation("attachment", str(uuid.uuid4()), {"audit_id": audit_id, "sha256": sha, "kind": "photo"}, seq=2)


def test_naming_someone_elses_blob_reads_nothing(district: District, api: Api) -> None:
    li, chen, zhao, office = api("li"), api("chen"), api("zhao"), api("office")
    photo = b"li's photo of the wage ledger" * 50
    sha = hashlib.sha256(photo).hexdigest()
    assert li.put(f"/blobs/{sha}", content=photo).json()["complete"]
    li_audit = new_audit(li, district)
    assert push(li, _attachment(li_audit, sha))[0]["status"] == "applied"

    for thief, prefix in ((chen, "91511703"), (zhao, "91511702")):
        own_audit = new_audit(thief, district, prefix)
        refused = push(thief, _attachment(own_audit, sha))[0]
        assert (refused["status"], refused["code"]) == ("rejected", ErrorCode.BLOB_MISSING)
        assert thief.get(f"/audits/{own_audit}/blobs/{sha}").status_code == 404
        assert thief.get(f"/audits/{li_audit}/blobs/{sha}").status_code in (403, 404)
        # The server does not even confirm it holds the photo: the thief is asked to upload it.
        assert thief.post("/blobs/missing", json={"hashes": [sha]}).json()["missing"] == [
            {"sha256": sha, "committed": 0}
        ]

    assert li.get(f"/audits/{li_audit}/blobs/{sha}").content == photo
    assert office.get(f"/audits/{li_audit}/blobs/{sha}").content == photo
    # Someone who really has the same bytes proves it by uploading them, and may then attach and read them.
    chen_audit = new_audit(chen, district)
    assert chen.put(f"/blobs/{sha}", content=photo).json() == {"sha256": sha, "committed": len(photo), "complete": True}
    assert push(chen, _attachment(chen_audit, sha))[0]["status"] == "applied"
    assert chen.get(f"/audits/{chen_audit}/blobs/{sha}").content == photo


def test_a_resumable_upload_belongs_to_its_uploader(district: District, api: Api) -> None:
    li, chen = api("li"), api("chen")
    data = bytes(range(256)) * 40
    sha = hashlib.sha256(data).hexdigest()
    size = len(data)
    first = li.put(f"/blobs/{sha}", content=data[:3000], headers={"Content-Range": f"bytes 0-2999/{size}"})
    assert first.json()["committed"] == 3000

    other_total = chen.put(f"/blobs/{sha}", content=b"x" * 10, headers={"Content-Range": "bytes 0-9/10"})
    assert other_total.status_code == 422  # chen's own (wrong) upload, thrown away
    ahead = chen.put(f"/blobs/{sha}", content=data[5000:5010], headers={"Content-Range": f"bytes 5000-5009/{size}"})
    assert ahead.status_code == 409
    assert ahead.headers["Upload-Offset"] == "0"  # chen's offset, not li's

    assert li.post("/blobs/missing", json={"hashes": [sha]}).json()["missing"] == [{"sha256": sha, "committed": 3000}]
    rest = li.put(f"/blobs/{sha}", content=data[3000:], headers={"Content-Range": f"bytes 3000-{size - 1}/{size}"})
    assert rest.json() == {"sha256": sha, "committed": size, "complete": True}
