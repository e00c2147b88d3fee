"""``POST /blobs``: a batch's whole photos in one request, kept all together or not at all, on both databases."""

from __future__ import annotations

import hashlib
import os
import tracemalloc
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from app.audit.attachments import add_document, add_photo
from app.sync.client import SyncClient
from app.sync.credentials import load_token
from app.sync.outbox import pending_blobs, pending_count
from app.sync.protocol import (
    BLOB_BATCH_BYTES,
    BLOB_CHUNK,
    MAX_BLOB_BATCH,
    MAX_BLOB_BATCH_BYTES,
    ErrorCode,
    blob_batch_body,
)
from app.sync.service import SyncProgress
from server.blobs import DirectoryBlobStorage
from server.models import BlobHolder, BlobUpload, StoredBlob
from tests.security.conftest import Api, api
from tests.sync._helpers import do_sync, finished_audit, first_enterprise
from tests.sync.conftest import District

__all__ = ["api"]

OCTETS = {"Content-Type": "application/octet-stream"}


def _blob(seed: int, size: int = 3000) -> tuple[str, bytes]:
    data = bytes((seed * 31 + n) % 256 for n in range(size))
    return hashlib.sha256(data).hexdigest(), data


def _post(client: httpx.Client, body: bytes) -> httpx.Response:
    return client.post("/blobs", content=body, headers=OCTETS)


def _stored(district: District) -> set[str]:
    with district.db.session() as session:
        return set(session.scalars(select(StoredBlob.sha256)))


def _missing(client: httpx.Client, hashes: list[str]) -> list[dict[str, Any]]:
    return list(client.post("/blobs/missing", json={"hashes": hashes}).json()["missing"])


def _incoming(district: District) -> list[str]:
    return sorted(path.name for path in (district.server.settings.blob_dir / "incoming").iterdir())


def _object(district: District, sha: str) -> Path:
    return district.server.settings.blob_dir / "objects" / sha[:2] / sha[2:]


def test_a_batch_of_whole_blobs_is_kept_in_one_request(district: District, api: Api) -> None:
    li = api("li")
    blobs = [_blob(1), _blob(2, 70_000), _blob(3, 0)]
    answer = _post(li, blob_batch_body(blobs))
    assert answer.status_code == 200, answer.text
    assert answer.json() == {
        "blobs": [{"sha256": sha, "committed": len(data), "complete": True} for sha, data in blobs]
    }
    assert _missing(li, [sha for sha, _ in blobs]) == []
    assert _stored(district) == {sha for sha, _ in blobs}
    for sha, data in blobs:
        assert _object(district, sha).read_bytes() == data
    assert _incoming(district) == [], "every spool file is moved into place or removed"

    again = _post(li, blob_batch_body(blobs))  # a retry after a lost answer: the same state, answered the same
    assert again.json() == answer.json()
    with district.db.session() as session:
        assert len(session.scalars(select(BlobHolder).where(BlobHolder.sha256.in_([s for s, _ in blobs]))).all()) == 3


def test_one_wrong_blob_keeps_none_of_the_batch(district: District, api: Api) -> None:
    li = api("li")
    good, (bad_sha, bad_data) = _blob(4), _blob(5)
    answer = _post(li, blob_batch_body([good, (bad_sha, bad_data[:-1] + b"?")]))
    assert answer.status_code == 422, answer.text
    assert answer.json()["code"] == ErrorCode.BLOB_HASH_MISMATCH
    assert bad_sha[:12] in answer.json()["message"]
    assert _stored(district) == set()
    assert [item["sha256"] for item in _missing(li, [good[0], bad_sha])] == sorted([good[0], bad_sha])
    assert not _object(district, good[0]).exists()
    assert _incoming(district) == []


def test_a_body_that_does_not_add_up_to_its_manifest_is_refused(district: District, api: Api) -> None:
    li = api("li")
    blobs = [_blob(6), _blob(7)]
    body = blob_batch_body(blobs)
    for wrong in (body[:-1], body + b"x", body.split(b"\n")[0], b"no manifest line at all"):
        answer = _post(li, wrong)
        assert answer.status_code == 400, answer.text
        assert answer.json()["code"] == ErrorCode.BAD_REQUEST
    assert _stored(district) == set()
    assert _incoming(district) == []


def test_a_manifest_that_fails_its_model_is_refused_naming_the_field(district: District, api: Api) -> None:
    li = api("li")
    sha, data = _blob(8)
    cases = {
        b'{"blobs": [{"sha256": "' + sha.upper().encode() + b'", "size": 3000}]}\n': "body.blobs.0.sha256",
        b'{"blobs": [{"sha256": "' + sha.encode() + b'", "size": -1}]}\n': "body.blobs.0.size",
        b'{"blobs": []}\n': "body.blobs",
        b'{"blobs": [{"sha256": "'
        + sha.encode()
        + b'", "size": 3000}, {"sha256": "'
        + sha.encode()
        + b'", "size": 3000}]}\n': "blobs：同一附件出现了两次",
    }
    for body, said in cases.items():
        answer = _post(li, body + data)
        assert answer.status_code == 422, (body, answer.text)
        assert answer.json()["code"] == ErrorCode.VALIDATION
        assert said in answer.json()["message"], answer.json()
    many = [_blob(100 + n, 10) for n in range(MAX_BLOB_BATCH + 1)]
    manifest = b'{"blobs": [' + b",".join(b'{"sha256": "%s", "size": 10}' % s.encode() for s, _ in many) + b"]}\n"
    answer = _post(li, manifest + b"".join(d for _, d in many))
    assert answer.status_code == 422
    assert "body.blobs" in answer.json()["message"]
    assert _stored(district) == set()


def test_a_manifest_over_the_byte_cap_is_refused(district: District, api: Api) -> None:
    """The route's own caps (401 before the body, 413 on a declared length) are in security/test_exhaustion.py."""
    li = api("li")
    sha, data = _blob(10, 5000)
    over = (
        b'{"blobs": [{"sha256": "' + sha.encode() + b'", "size": ' + str(MAX_BLOB_BATCH_BYTES + 1).encode() + b"}]}\n"
    )
    answer = _post(li, over + data)
    assert answer.status_code == 422, answer.text
    assert "body.blobs.0.size" in answer.json()["message"]
    assert _stored(district) == set()


def test_a_batch_is_streamed_to_disk_not_held_in_memory(district: District, api: Api) -> None:
    li = api("li")
    blobs = [_blob(20 + n, MAX_BLOB_BATCH_BYTES // 4) for n in range(4)]
    body = blob_batch_body(blobs)
    pieces = [body[start : start + 65536] for start in range(0, len(body), 65536)]
    tracemalloc.start()
    try:
        answer = li.post("/blobs", content=iter(pieces), headers={**OCTETS, "Content-Length": str(len(body))})
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert answer.status_code == 200, answer.text
    assert peak < len(body) // 3, f"peak {peak} bytes while receiving a {len(body)}-byte batch"


def test_a_batch_supersedes_the_callers_own_partial_upload_only(district: District, api: Api) -> None:
    li, chen = api("li"), api("chen")
    sha, data = _blob(30, 10_000)
    for client in (li, chen):
        first = client.put(f"/blobs/{sha}", content=data[:3000], headers={"Content-Range": f"bytes 0-2999/{len(data)}"})
        assert first.json()["committed"] == 3000
    assert _post(li, blob_batch_body([(sha, data)])).json()["blobs"][0]["complete"]
    assert _missing(li, [sha]) == []
    assert _missing(chen, [sha]) == [{"sha256": sha, "committed": 3000}], "another uploader's offset stays"
    with district.db.session() as session:
        uploaders = session.scalars(select(BlobUpload.user_id).where(BlobUpload.sha256 == sha)).all()
    assert len(uploaders) == 1
    assert len([name for name in _incoming(district) if name.startswith(sha)]) == 1, "only chen's partial file"


def test_a_blob_the_server_has_is_only_hashed_and_its_uploader_becomes_a_holder(
    district: District, api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    li, chen = api("li"), api("chen")
    held, new = _blob(40, 50_000), _blob(41)
    assert _post(li, blob_batch_body([held])).status_code == 200
    kept = _object(district, held[0]).stat()
    spooled: list[Path] = []
    real_spool = DirectoryBlobStorage.spool

    def spool(storage: DirectoryBlobStorage) -> Path:
        spooled.append(real_spool(storage))
        return spooled[-1]

    monkeypatch.setattr(DirectoryBlobStorage, "spool", spool)
    wrong = _post(chen, blob_batch_body([(held[0], held[1][:-1] + b"?")]))
    assert wrong.status_code == 422, "holding a blob takes its bytes, not its hash"
    assert wrong.json()["code"] == ErrorCode.BLOB_HASH_MISMATCH
    assert _missing(chen, [held[0]]) == [{"sha256": held[0], "committed": 0}]

    answer = _post(chen, blob_batch_body([held, new]))
    assert answer.status_code == 200, answer.text
    assert [blob["complete"] for blob in answer.json()["blobs"]] == [True, True]
    assert _missing(chen, [held[0], new[0]]) == []
    assert len(spooled) == 1, "only the blob the server lacked was written to a spool file"
    again = _object(district, held[0]).stat()
    assert (again.st_ino, again.st_mtime_ns) == (kept.st_ino, kept.st_mtime_ns)
    assert _object(district, new[0]).read_bytes() == new[1]
    assert _incoming(district) == []


class _Recording(SyncClient):
    """A real client that notes which upload route each blob went by."""

    routes: list[tuple[str, int]]
    questions: list[list[str]]

    def blobs_missing(self, hashes: list[str]) -> Any:
        self.questions.append(list(hashes))
        return super().blobs_missing(hashes)

    def upload_batch(self, blobs: list[tuple[str, bytes]], sent: Any = None) -> Any:
        self.routes.append(("POST /blobs", len(blobs)))
        return super().upload_batch(blobs, sent)

    def upload_chunk(self, sha256: str, start: int, data: bytes, total: int) -> Any:
        self.routes.append(("PUT", total))
        return super().upload_chunk(sha256, start, data, total)


def _recording(
    routes: list[tuple[str, int]], server_protocol: int | None = None, questions: list[list[str]] | None = None
) -> Any:
    def factory(server_url: str, token: str | None) -> SyncClient:
        client = _Recording(server_url, token=token)
        client.routes = routes
        client.questions = [] if questions is None else questions
        if server_protocol is not None:
            real_info = client.info

            def info() -> Any:
                return real_info().model_copy(update={"protocol_version": server_protocol})

            client.info = info  # type: ignore[method-assign]
        return client

    return factory


def test_a_sync_sends_small_photos_together_and_a_big_document_in_chunks(district: District, laptop: Any) -> None:
    ws = laptop("李明")
    do_sync(ws, "li")
    audit_id = finished_audit(ws, first_enterprise(ws), photos=3)
    with ws.db.session() as session:
        big = b"%PDF-1.4\n" + os.urandom(BLOB_BATCH_BYTES + 1000)  # a scanned contract, kept byte for byte
        add_document(session, ws.blobs, audit_id=audit_id, item_id="CONTRACT-03", data=big, original_name="合同.pdf")
    routes: list[tuple[str, int]] = []
    summary = do_sync(ws, "li", client_factory=_recording(routes))
    assert summary.errors == []
    assert summary.blobs_uploaded == 4
    assert ("POST /blobs", 3) in routes
    assert [route for route in routes if route[0] == "PUT"] == [("PUT", len(big))] * -(-len(big) // (256 * 1024))
    with district.db.session() as session:
        assert session.scalar(select(StoredBlob.size).where(StoredBlob.size == len(big))) == len(big)


def test_a_sync_asks_once_which_photos_the_server_lacks_and_uploads_each_once(district: District, laptop: Any) -> None:
    """Batches of four rows put the photos of two audits in several batches; one photo is on the server already
    and one is named by both audits. One question covers them all, asked before the first batch, and the first
    batch's request carries the later batches' photos too."""
    ws = laptop("李明")
    do_sync(ws, "li")
    enterprise = first_enterprise(ws)
    first = finished_audit(ws, enterprise, photos=2, seed=1)
    finished_audit(ws, enterprise, photos=2, seed=2)
    with ws.db.session() as session:
        named = pending_blobs(session)
        shared = ws.blobs.get(named[0])
        add_photo(session, ws.blobs, audit_id=first, item_id=None, data=shared, original_name="again.jpg")
        assert pending_blobs(session) == named  # the same photo twice is one attachment
    on_server = named[1]
    with SyncClient(district.server.url, token=load_token(district.server.url, "li")) as client:
        client.upload_batch([(on_server, ws.blobs.get(on_server))])
    routes: list[tuple[str, int]] = []
    questions: list[list[str]] = []
    summary = do_sync(ws, "li", batch_size=4, client_factory=_recording(routes, questions=questions))
    assert summary.errors == []
    assert questions == [named]
    assert summary.blobs_uploaded == len(named) - 1
    assert routes == [("POST /blobs", len(named) - 1)]
    assert _stored(district) >= set(named)
    with ws.db.session() as session:
        assert pending_count(session) == 0


def test_a_sync_with_a_protocol_1_server_uploads_every_photo_by_put(district: District, laptop: Any) -> None:
    ws = laptop("李明")
    do_sync(ws, "li")
    finished_audit(ws, first_enterprise(ws), photos=3)
    routes: list[tuple[str, int]] = []
    summary = do_sync(ws, "li", client_factory=_recording(routes, server_protocol=1))
    assert summary.errors == []
    assert summary.blobs_uploaded == 3
    assert [route[0] for route in routes] == ["PUT"] * 3


def test_the_progress_moves_while_a_batch_is_being_sent(district: District, laptop: Any) -> None:
    ws = laptop("李明")
    do_sync(ws, "li")
    audit_id = finished_audit(ws, first_enterprise(ws), photos=0)
    documents = [b"%PDF-1.4\n" + os.urandom(300_000) for _ in range(2)]
    with ws.db.session() as session:
        for index, data in enumerate(documents):
            add_document(session, ws.blobs, audit_id=audit_id, item_id=None, data=data, original_name=f"{index}.pdf")
    routes: list[tuple[str, int]] = []
    seen: list[SyncProgress] = []
    summary = do_sync(ws, "li", client_factory=_recording(routes), progress=seen.append)
    assert summary.errors == []
    assert routes == [("POST /blobs", 2)], "both documents in one request"
    uploads = [(event.done, event.total) for event in seen if event.phase == "blobs"]
    total = sum(len(data) for data in documents)
    assert len(uploads) >= total // BLOB_CHUNK, uploads
    assert [done for done, _ in uploads] == sorted(done for done, _ in uploads)
    assert uploads[-1] == (total, total)
    assert summary.bytes_uploaded == total
