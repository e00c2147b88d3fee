"""The SYNC.md properties, each as a test (2 and 3 are in test_fault_injection.py, 11 in test_authorisation.py)."""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
import uuid
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select, update

from app.models import Enterprise, OutboxEntry, SyncCursor
from app.sync import pull as pull_module
from app.sync.client import ClientTooOld, SyncClient
from app.sync.protocol import PROTOCOL_HEADER, ChangesPage, ErrorCode
from app.sync.service import sync
from core.notice_hash import notice_content_hash
from server import push as push_module
from server.feed import purge_tombstones
from server.models import AppliedMutation, BlobUpload, Record, StoredBlob, User
from tests.sync._helpers import do_sync, finished_audit, first_enterprise, server_state
from tests.sync.conftest import PASSWORD, District

_OPEN: list[httpx.Client] = []


@pytest.fixture(autouse=True)
def _close_clients() -> Any:
    yield
    while _OPEN:
        _OPEN.pop().close()


def session_for(district: District, username: str, device: str | None = None) -> httpx.Client:
    """An API session signed in as ``username`` (closed at the end of the test)."""
    client = httpx.Client(base_url=district.server.url, timeout=30)
    _OPEN.append(client)
    answer = client.post(
        "/auth/sign-in",
        json={"username": username, "password": PASSWORD, "device_id": device or f"dev-{username}-{uuid.uuid4()}"},
    )
    assert answer.status_code == 200, answer.text
    client.headers["Authorization"] = f"Bearer {answer.json()['token']}"
    client.headers["X-Device"] = answer.json()["device_id"]
    return client


def mutation(entity: str, entity_id: str, payload: dict[str, Any], seq: int = 1, **extra: Any) -> dict[str, Any]:
    return {
        "mutation_id": str(uuid.uuid4()),
        "seq": seq,
        "entity": entity,
        "entity_id": entity_id,
        "op": extra.pop("op", "insert"),
        "payload": {"id": entity_id, **payload},
        **extra,
    }


def push(client: httpx.Client, *mutations: dict[str, Any]) -> list[dict[str, Any]]:
    answer = client.post("/sync/push", json={"device_id": client.headers["X-Device"], "mutations": list(mutations)})
    assert answer.status_code == 200, answer.text
    return list(answer.json()["results"])


def audit_payload(district: District, **fields: Any) -> dict[str, Any]:
    enterprise_id = next(v for k, v in district.enterprises.items() if k.startswith("91511703"))
    return {"enterprise_id": enterprise_id, "status": "in_progress", "visit_date": "2026-11-10", **fields}


def test_1_replaying_a_batch_any_number_of_times_applies_it_once(district: District, laptop: Any) -> None:
    ws = laptop("李明")
    do_sync(ws, "li")
    finished_audit(ws, first_enterprise(ws), photos=1)
    with ws.db.session() as session:
        from app.sync.outbox import next_batch, to_mutation
        from app.sync.service import device_id

        batch = {
            "device_id": device_id(session),
            "mutations": [to_mutation(e).model_dump(mode="json") for e in next_batch(session, 0, 500)],
        }
    do_sync(ws, "li")
    once = server_state(district.db)
    client = SyncClient(district.server.url)
    from app.sync.credentials import load_token

    token = load_token(district.server.url, "li")
    for _ in range(3):
        answer = httpx.post(
            f"{district.server.url}/sync/push", json=batch, headers={"Authorization": f"Bearer {token}"}
        )
        assert {result["status"] for result in answer.json()["results"]} == {"duplicate"}
    assert server_state(district.db) == once
    client.close()


def test_4_a_crash_between_receiving_and_committing_a_page_repulls_it(
    district: District, laptop: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = laptop("李明")
    real_apply = pull_module.apply_page
    calls = {"n": 0}

    def crashing(session: Any, page: ChangesPage, **kwargs: Any) -> int:
        calls["n"] += 1
        if calls["n"] == 2:
            real_apply(session, page, **kwargs)
            raise RuntimeError("power lost before commit")
        return real_apply(session, page, **kwargs)

    monkeypatch.setattr("app.sync.service.apply_page", crashing)
    with pytest.raises(RuntimeError):
        sync(ws, password=PASSWORD, username="li", page_size=2)
    with ws.db.session() as session:
        cursor = int(session.get_one(SyncCursor, "changes").value)
        assert cursor == 2  # the first page only: the second was rolled back with its cursor
    monkeypatch.setattr("app.sync.service.apply_page", real_apply)
    sync(ws, password=PASSWORD, username="li", page_size=2)
    with ws.db.session() as session:
        assert set(session.scalars(select(Enterprise.id))) == set(district.enterprises.values()) - {
            district.enterprises[next(k for k in district.enterprises if k.startswith("91511702"))]
        }


def test_5_concurrent_writers_never_let_a_pull_skip_a_row(district: District) -> None:
    writers = [session_for(district, name) for name in ("li", "chen", "office")]
    reader = session_for(district, "li")
    stop = threading.Event()
    made: list[str] = []
    lock = threading.Lock()

    def write(client: httpx.Client, index: int) -> None:
        for n in range(15):
            entity_id = str(uuid.uuid4())
            uscc = f"W{index}{n:03d}{uuid.uuid4().hex[:10]}"[:18].upper()
            results = push(client, mutation("enterprise", entity_id, {"uscc": uscc, "name": f"并发企业{index}-{n}"}))
            assert results[0]["status"] == "applied"
            with lock:
                made.append(entity_id)

    seen: set[str] = set()
    since = 0

    def read_once() -> None:
        nonlocal since
        page = reader.get("/changes", params={"since": since, "limit": 3}).json()
        seen.update(row["entity_id"] for row in page["rows"])
        since = page["next_since"]

    threads = [threading.Thread(target=write, args=(client, i)) for i, client in enumerate(writers)]
    for thread in threads:
        thread.start()
    while any(thread.is_alive() for thread in threads):
        read_once()
    for thread in threads:
        thread.join()
    for _ in range(100):
        before = since
        read_once()
        if since == before:
            break
    stop.set()
    assert set(made) <= seen
    assert len(made) == 45


def test_6_an_interrupted_upload_resumes_and_a_wrong_hash_is_never_visible(district: District) -> None:
    client = session_for(district, "li")
    data = bytes(range(256)) * 40
    sha = hashlib.sha256(data).hexdigest()
    first = client.put(f"/blobs/{sha}", content=data[:3000], headers={"Content-Range": f"bytes 0-2999/{len(data)}"})
    assert first.json()["committed"] == 3000
    missing = client.post("/blobs/missing", json={"hashes": [sha]}).json()["missing"]
    assert missing == [{"sha256": sha, "committed": 3000}]
    ahead = client.put(f"/blobs/{sha}", content=data[5000:], headers={"Content-Range": f"bytes 5000-10239/{len(data)}"})
    assert ahead.status_code == 409
    assert ahead.json()["code"] == ErrorCode.BLOB_OFFSET
    rest = client.put(f"/blobs/{sha}", content=data[3000:], headers={"Content-Range": f"bytes 3000-10239/{len(data)}"})
    assert rest.json() == {"sha256": sha, "committed": len(data), "complete": True}

    fake = "0" * 64
    wrong = client.put(f"/blobs/{fake}", content=b"not what the hash says")
    assert wrong.status_code == 422
    assert wrong.json()["code"] == ErrorCode.BLOB_HASH_MISMATCH
    with district.db.session() as session:
        assert session.get(StoredBlob, fake) is None
    assert client.post("/blobs/missing", json={"hashes": [fake]}).json()["missing"][0]["committed"] == 0
    assert not (district.server.settings.blob_dir / "objects" / "00").exists()


def test_6_the_whole_blob_after_an_interrupted_upload_replaces_it(district: District) -> None:
    """A laptop that started an upload in chunks and later sends the whole blob at once (its chunk size changed,
    or the blob is small now): the blob is verified and the caller's upload in progress is gone, row and file."""
    client = session_for(district, "li")
    data = bytes(range(256)) * 40
    sha = hashlib.sha256(data).hexdigest()
    first = client.put(f"/blobs/{sha}", content=data[:3000], headers={"Content-Range": f"bytes 0-2999/{len(data)}"})
    assert first.json()["committed"] == 3000
    incoming = district.server.settings.blob_dir / "incoming"
    assert [path.name for path in incoming.iterdir()] == [f"{sha}.{user_id_of(district, 'li')}.part"]

    whole = client.put(f"/blobs/{sha}", content=data)
    assert whole.json() == {"sha256": sha, "committed": len(data), "complete": True}
    with district.db.session() as session:
        assert session.scalars(select(BlobUpload).where(BlobUpload.sha256 == sha)).all() == []
        assert session.get(StoredBlob, sha) is not None
    assert list(incoming.iterdir()) == []
    assert client.post("/blobs/missing", json={"hashes": [sha]}).json()["missing"] == []


def user_id_of(district: District, username: str) -> int:
    with district.db.session() as session:
        return int(session.scalars(select(User.id).where(User.username == username)).one())


def test_7_a_record_referencing_a_missing_blob_is_not_applied(district: District) -> None:
    client = session_for(district, "li")
    audit_id = str(uuid.uuid4())
    push(client, mutation("audit", audit_id, audit_payload(district), base_version=1))
    data = b"photo bytes"
    sha = hashlib.sha256(data).hexdigest()
    attach = mutation("attachment", str(uuid.uuid4()), {"audit_id": audit_id, "sha256": sha, "kind": "photo"}, seq=2)
    assert push(client, attach)[0]["code"] == ErrorCode.BLOB_MISSING
    with district.db.session() as session:
        assert session.get(Record, ("attachment", attach["entity_id"])) is None
    uploaded = client.put(f"/blobs/{sha}", content=data)
    assert uploaded.json()["complete"], uploaded.text
    result = push(client, attach)[0]
    assert result["status"] == "applied", result["message"]


def test_8_a_stale_base_version_is_a_conflict_with_the_servers_version(district: District) -> None:
    laptop_one = session_for(district, "li", "li-laptop-1")
    laptop_two = session_for(district, "li", "li-laptop-2")
    audit_id = str(uuid.uuid4())
    push(laptop_one, mutation("audit", audit_id, audit_payload(district), base_version=1))
    push(laptop_one, mutation("audit", audit_id, audit_payload(district, inputs={"a": 1}), op="update", base_version=2))
    stale = push(laptop_two, mutation("audit", audit_id, audit_payload(district), op="update", base_version=2))[0]
    assert stale["status"] == "conflict"
    assert stale["server_version"] == 2
    assert stale["server_fields"]["inputs"] == {"a": 1}
    newer = push(laptop_two, mutation("audit", audit_id, audit_payload(district), op="update", base_version=3))[0]
    assert newer["status"] == "applied"


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)  # SQLite's writers queue: no such race
def test_8_a_batch_whose_view_changed_before_the_feed_lock_is_decided_again_and_only_that_is_kept(
    district: District, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another device writes an audit a batch looked at, after the look and before the batch takes the feed lock
    (where the batch's applied mutations are already recorded). The batch is decided again on what is there now;
    its first decision is forgotten, so the answer, and a replay's answer, is the second one."""
    laptop_one = session_for(district, "li", "li-laptop-1")
    laptop_two = session_for(district, "li", "li-laptop-2")
    audit_id = str(uuid.uuid4())
    push(laptop_one, mutation("audit", audit_id, audit_payload(district), base_version=1))
    update = mutation("audit", audit_id, audit_payload(district, inputs={"a": 1}), seq=2, op="update", base_version=1)
    real_load, raced = push_module.load, []

    def load_then_race(session: Any, caller: Any, mutations: Any) -> Any:
        batch = real_load(session, caller, mutations)
        if caller.device_id == "li-laptop-1" and not raced:
            raced.append(True)  # laptop two's write commits between laptop one's look and its lock
            other = mutation("audit", audit_id, audit_payload(district, inputs={"b": 2}), op="update", base_version=2)
            assert push(laptop_two, other)[0]["status"] == "applied"
        return batch

    monkeypatch.setattr(push_module, "load", load_then_race)
    answer = push(laptop_one, update)[0]
    assert raced
    assert answer["status"] == "conflict"
    assert answer["server_version"] == 2
    assert answer["server_fields"]["inputs"] == {"b": 2}
    with district.db.session() as session:
        applied = session.scalars(select(AppliedMutation).where(AppliedMutation.mutation_id == update["mutation_id"]))
        assert list(applied) == []  # a conflict is not applied: the first decision left nothing behind
        record = session.get_one(Record, ("audit", audit_id))
        assert (record.version, record.data["inputs"]) == (2, {"b": 2})
    assert push(laptop_one, update)[0]["status"] == "conflict"  # a replay is decided as the batch was


def test_9_a_signed_notice_is_create_only(district: District) -> None:
    client = session_for(district, "li")
    audit_id = str(uuid.uuid4())
    push(client, mutation("audit", audit_id, audit_payload(district), base_version=1))
    notice_id = str(uuid.uuid4())
    signed: dict[str, Any] = {
        "audit_id": audit_id,
        "number": "达川人社体检〔2026〕A3-001号",
        "status": "signed",
        "content": {"problems": [{"position": 1, "description": "未签订书面劳动合同"}]},
        "signed_at": "2026-11-10T03:30:00+00:00",
    }
    signed["content_hash"] = sealed = notice_content_hash(signed)
    assert push(client, mutation("notice", notice_id, signed))[0]["status"] == "applied"
    assert push(client, mutation("notice", notice_id, signed, op="update"))[0]["status"] == "duplicate"
    other = {**signed, "content": {"problems": [{"position": 1, "description": "另一份内容"}]}}
    other["content_hash"] = notice_content_hash(other)
    changed = push(client, mutation("notice", notice_id, other, op="update"))[0]
    assert changed["status"] == "conflict"
    assert changed["code"] == ErrorCode.NOTICE_IMMUTABLE
    with district.db.session() as session:
        assert session.get_one(Record, ("notice", notice_id)).data["content_hash"] == sealed
    verified = httpx.get(f"{district.server.url}/verify/{notice_id}", params={"h": sealed}).json()
    assert verified["valid"]
    assert verified["number"] == signed["number"]
    assert not httpx.get(f"{district.server.url}/verify/{notice_id}", params={"h": other["content_hash"]}).json()[
        "valid"
    ]
    page = httpx.get(f"{district.server.url}/verify/{notice_id}?h={sealed}", headers={"Accept": "text/html"})
    assert "真实有效" in page.text


def test_10_a_cursor_older_than_the_horizon_gets_410_and_a_full_resync_converges(
    district: District, laptop: Any
) -> None:
    ws = laptop("李明")
    do_sync(ws, "li")
    office = session_for(district, "office")
    gone = first_enterprise(ws, "达州川东商贸有限公司")
    office.delete(f"/enterprises/{gone}")
    with district.db.session() as session:
        session.execute(
            update(Record).where(Record.deleted.is_(True)).values(updated_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
        )
    with district.db.session() as session:
        assert purge_tombstones(session) == 1
    office.patch(f"/enterprises/{first_enterprise(ws)}", json={"fields": {"industry": "装备制造"}})
    stale = session_for(district, "li").get("/changes", params={"since": 1})
    assert stale.status_code == 410
    assert stale.json()["code"] == ErrorCode.CURSOR_EXPIRED

    summary = do_sync(ws, "li")

    assert summary.full_resync
    with ws.db.session() as session:
        assert session.get(Enterprise, gone) is None
        assert session.get_one(Enterprise, first_enterprise(ws)).industry == "装备制造"


def test_12_an_old_client_gets_426_and_a_clear_message_and_nothing_is_applied(district: District, laptop: Any) -> None:
    old = httpx.post(
        f"{district.server.url}/sync/push", json={"device_id": "x", "mutations": []}, headers={PROTOCOL_HEADER: "0"}
    )
    assert old.status_code == 426
    assert old.json()["code"] == ErrorCode.CLIENT_TOO_OLD
    ws = laptop("李明")
    do_sync(ws, "li")
    finished_audit(ws, first_enterprise(ws), photos=0)

    def too_old(url: str, token: str | None) -> SyncClient:
        return SyncClient(url, token=token, protocol_version=0)

    with pytest.raises(ClientTooOld, match="请先更新"):
        do_sync(ws, "li", client_factory=too_old)
    with district.db.session() as session:
        assert session.scalar(select(func.count()).select_from(AppliedMutation)) == 0
    with ws.db.session() as session:
        assert session.scalar(select(func.count()).select_from(OutboxEntry)) > 0
