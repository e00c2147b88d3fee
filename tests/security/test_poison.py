"""Poison (issue 12): input that would break the store for everyone is refused at the edge with a JSON 4xx that
names the field, and a replayed mutation id with other content is a logged conflict, not a silent duplicate."""

from __future__ import annotations

import hashlib
import uuid
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from sqlalchemy import select

from app.sync.protocol import PROTOCOL_HEADER, ErrorCode
from server.models import ConflictEntry, Record
from tests.security.conftest import Api, enterprise_of, mutation, new_audit, push
from tests.sync.conftest import PASSWORD, District

INT64_OVER = 2**63
INT32_OVER = 2**31


def _refused(answer: httpx.Response, field: str, status: int = 422) -> None:
    assert answer.status_code == status, answer.text
    body = answer.json()
    assert body["code"] in (ErrorCode.VALIDATION, ErrorCode.BAD_REQUEST)
    assert field in body["message"], body["message"]


def _raw_push(client: httpx.Client, mutation_json: str) -> httpx.Response:
    body = f'{{"device_id": "{client.headers["X-Device"]}", "mutations": [{mutation_json}]}}'
    return client.post("/sync/push", content=body.encode(), headers={"Content-Type": "application/json"})


@pytest.mark.parametrize("number", ["1e400", "NaN", "-Infinity", "Infinity"])
def test_non_finite_numbers_are_refused_and_the_district_stays_readable(
    district: District, api: Api, number: str
) -> None:
    li, office = api("li"), api("office")
    audit_id = new_audit(li, district)
    answer_id = str(uuid.uuid4())
    poisoned = (
        f'{{"mutation_id": "{uuid.uuid4()}", "seq": 2, "entity": "answer", "entity_id": "{answer_id}", "op": "insert",'
        f' "payload": {{"id": "{answer_id}", "audit_id": "{audit_id}", "inputs": {{"wage": {number}}}}}}}'
    )
    _refused(_raw_push(li, poisoned), "payload.inputs.wage")
    with district.db.session() as session:
        assert session.get(Record, ("answer", answer_id)) is None
    for reader in (li, office):
        assert reader.get(f"/audits/{audit_id}/records").status_code == 200


def test_a_nul_anywhere_in_a_push_is_refused(district: District, api: Api) -> None:
    li = api("li")
    audit_id = new_audit(li, district)
    good = {"audit_id": audit_id, "item_id": "CONTRACT-03", "note": "ok"}
    cases: list[tuple[dict[str, Any], str]] = [
        (mutation("answer", str(uuid.uuid4()), {**good, "note": "a\x00b"}), "payload.note"),
        (mutation("answer", str(uuid.uuid4()), {**good, "bad\x00key": 1}), "payload"),
        (mutation("answer", "a\x00b", good), "entity_id"),
        (mutation("answer", str(uuid.uuid4()), good, mutation_id="m\x00"), "mutation_id"),
        (mutation("answ\x00er", str(uuid.uuid4()), good), "entity"),
    ]
    for bad, field in cases:
        answer = li.post("/sync/push", json={"device_id": li.headers["X-Device"], "mutations": [bad]})
        _refused(answer, field)
    _refused(li.post("/sync/push", json={"device_id": "d\x00", "mutations": []}), "device_id")
    assert li.get(f"/audits/{audit_id}/records").status_code == 200


def test_a_lone_surrogate_anywhere_in_a_push_is_refused(district: District, api: Api) -> None:
    """``"\\ud800"`` is valid JSON but no database can store it as UTF-8 (it was a 500 on both)."""
    li = api("li")
    audit_id = new_audit(li, district)
    answer_id = str(uuid.uuid4())

    def answer(entity_id: str, payload: str, mutation_id: str | None = None) -> str:
        return (
            f'{{"mutation_id": "{mutation_id or uuid.uuid4()}", "seq": 2, "entity": "answer",'
            f' "entity_id": "{entity_id}", "op": "insert", "payload": {{"audit_id": "{audit_id}", {payload}}}}}'
        )

    cases = [
        (answer(answer_id, '"note": "a\\ud800b"'), "payload.note"),
        (answer(answer_id, '"inputs": {"x\\udc00": 1}'), "payload.inputs"),
        (answer("a\\ud800", '"note": "ok"'), "entity_id"),
        (answer(answer_id, '"note": "ok"', mutation_id="m\\udfff"), "mutation_id"),
    ]
    for bad, field in cases:
        _refused(_raw_push(li, bad), field)
    with district.db.session() as session:
        assert session.get(Record, ("answer", answer_id)) is None
    accepted = _raw_push(li, answer(answer_id, '"id": "' + answer_id + '", "note": "中文 ok"'))
    assert accepted.json()["results"][0]["status"] == "applied", accepted.text
    assert li.get(f"/audits/{audit_id}/records").status_code == 200


def test_a_nul_in_sign_in_query_or_path_is_a_4xx(district: District, api: Api) -> None:
    sign_in = httpx.post(
        f"{district.server.url}/auth/sign-in", json={"username": "li\x00", "password": PASSWORD, "device_id": "d"}
    )
    _refused(sign_in, "username")
    office = api("office")
    _refused(office.get("/records/enterprise", params={"after": "a\x00b"}), "after")
    for method, path in (
        ("GET", "/records/en%00terprise"),
        ("GET", "/records/enterprise/a%00b"),
        ("GET", "/audits/a%00b/records"),
        ("GET", f"/audits/a%00b/blobs/{'0' * 64}"),
        ("PATCH", "/enterprises/a%00b"),
        ("DELETE", "/enterprises/a%00b"),
    ):
        answer = office.request(method, path, json={"fields": {}} if method == "PATCH" else None)
        assert 400 <= answer.status_code < 500, (method, path, answer.text)
        assert answer.json()["code"] in (ErrorCode.VALIDATION, ErrorCode.BAD_REQUEST), answer.text
    public = httpx.get(f"{district.server.url}/verify/a%00b", params={"h": "0" * 64})
    _refused(public, "notice_id")
    blob = office.put("/blobs/a%00b", content=b"x")
    assert blob.status_code == 400
    assert blob.json()["code"] == ErrorCode.VALIDATION


def test_integers_beyond_the_columns_are_refused(district: District, api: Api) -> None:
    li, office = api("li"), api("office")
    _refused(li.get("/changes", params={"since": INT64_OVER}), "since")
    _refused(li.get("/changes", params={"since": -1}), "since")
    audit = {"enterprise_id": enterprise_of(district), "status": "in_progress"}
    for extra, field in (
        ({"seq": INT64_OVER}, "seq"),
        ({"base_version": INT32_OVER}, "base_version"),
        ({"base_version": -5}, "base_version"),
    ):
        bad = mutation("audit", str(uuid.uuid4()), audit, **extra)
        _refused(li.post("/sync/push", json={"device_id": li.headers["X-Device"], "mutations": [bad]}), field)
    big = mutation("audit", str(uuid.uuid4()), {**audit, "inputs": {"n": INT64_OVER}})
    _refused(li.post("/sync/push", json={"device_id": li.headers["X-Device"], "mutations": [big]}), "payload.inputs.n")
    edit = office.patch(f"/enterprises/{enterprise_of(district)}", json={"fields": {}, "base_version": INT32_OVER})
    _refused(edit, "base_version")


@pytest.mark.parametrize("header", [b"\xb2", "²".encode(), b"9" * 5000, b"-1", b"1.0", b"", "١".encode()])
def test_a_malformed_protocol_header_is_a_400(district: District, header: bytes) -> None:
    answer = httpx.get(f"{district.server.url}/info", headers={PROTOCOL_HEADER: header})
    assert answer.status_code == 400, answer.text
    assert answer.json()["code"] == ErrorCode.BAD_REQUEST


def test_a_hash_must_be_exactly_64_lowercase_hex(district: District, api: Api) -> None:
    li = api("li")
    data = b"photo"
    sha = hashlib.sha256(data).hexdigest()
    for bad in (sha + "\n", sha.upper(), sha[:-1], sha + "0"):
        assert li.put(f"/blobs/{quote(bad)}", content=data).status_code == 400
        _refused(li.post("/blobs/missing", json={"hashes": [bad]}), "hashes")
        attachment = mutation("attachment", str(uuid.uuid4()), {"sha256": sha}, blobs=[bad])
        _refused(li.post("/sync/push", json={"device_id": li.headers["X-Device"], "mutations": [attachment]}), "blobs")
    with district.db.session() as session:
        from server.models import StoredBlob

        assert session.scalars(select(StoredBlob)).all() == []


def test_an_office_edit_giving_another_enterprises_uscc_is_a_409(district: District, api: Api) -> None:
    office = api("office")
    (first, _), (taken, _) = sorted((k, v) for k, v in district.enterprises.items() if k.startswith("91511703"))[:2]
    first = district.enterprises[first]
    answer = office.patch(f"/enterprises/{first}", json={"fields": {"uscc": taken}})
    assert answer.status_code == 409, answer.text
    assert answer.json()["code"] == ErrorCode.CONFLICT


def test_a_replayed_mutation_id_with_other_content_is_a_logged_conflict(district: District, api: Api) -> None:
    li = api("li")
    audit_id = str(uuid.uuid4())
    first = mutation("audit", audit_id, {"enterprise_id": enterprise_of(district), "status": "in_progress"})
    first["base_version"] = 1
    assert push(li, first)[0]["status"] == "applied"
    assert push(li, first)[0]["status"] == "duplicate"
    changed = {**first, "payload": {**first["payload"], "status": "finished"}}
    answer = push(li, changed)[0]
    assert (answer["status"], answer["code"]) == ("conflict", ErrorCode.CONFLICT)
    with district.db.session() as session:
        assert session.get_one(Record, ("audit", audit_id)).data["status"] == "in_progress"
        logged = session.scalars(select(ConflictEntry).where(ConflictEntry.entity_id == audit_id)).all()
        assert [(row.entity, row.field) for row in logged] == [("audit", "mutation_id")]
