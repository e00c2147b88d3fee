"""SYNC.md property 11: every cross-district or other-owner read and write is refused; revoked at once."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from app.sync.protocol import ErrorCode
from server import admin
from server.models import Record
from tests.sync.conftest import PASSWORD, District

_OPEN: list[httpx.Client] = []


@pytest.fixture(autouse=True)
def _close_clients() -> Any:
    yield
    while _OPEN:
        _OPEN.pop().close()


def signed_in(district: District, username: str, device: str | None = None) -> httpx.Client:
    client = httpx.Client(base_url=district.server.url, timeout=30)
    _OPEN.append(client)
    device = device or f"{username}-{uuid.uuid4()}"
    answer = client.post("/auth/sign-in", json={"username": username, "password": PASSWORD, "device_id": device})
    assert answer.status_code == 200, answer.text
    client.headers["Authorization"] = f"Bearer {answer.json()['token']}"
    client.headers["X-Device"] = device
    return client


def push_one(client: httpx.Client, entity: str, entity_id: str, payload: dict[str, Any], **extra: Any) -> Any:
    body = {
        "device_id": client.headers["X-Device"],
        "mutations": [
            {
                "mutation_id": str(uuid.uuid4()),
                "seq": 1,
                "entity": entity,
                "entity_id": entity_id,
                "op": extra.get("op", "insert"),
                "payload": {"id": entity_id, **payload},
                "base_version": extra.get("base_version", 1),
            }
        ],
    }
    return client.post("/sync/push", json=body)


def district_enterprise(district: District, prefix: str) -> str:
    return next(v for k, v in district.enterprises.items() if k.startswith(prefix))


def test_coordinators_cannot_read_or_write_another_districts_data(district: District) -> None:
    zhao = signed_in(district, "zhao")  # 通川区
    ours = district_enterprise(district, "91511703")
    assert zhao.get(f"/records/enterprise/{ours}").status_code == 403
    feed = zhao.get("/changes", params={"since": 0}).json()["rows"]
    assert ours not in {row["entity_id"] for row in feed}
    edit = push_one(zhao, "enterprise", ours, {"headcount": 5}, op="update").json()["results"][0]
    assert (edit["status"], edit["code"]) == ("rejected", ErrorCode.FORBIDDEN)
    audit = push_one(zhao, "audit", str(uuid.uuid4()), {"enterprise_id": ours}).json()["results"][0]
    assert (audit["status"], audit["code"]) == ("rejected", ErrorCode.FORBIDDEN)


def test_a_coordinator_cannot_write_or_read_another_coordinators_audit(district: District) -> None:
    li, chen = signed_in(district, "li"), signed_in(district, "chen")
    audit_id = str(uuid.uuid4())
    ours = district_enterprise(district, "91511703")
    assert push_one(li, "audit", audit_id, {"enterprise_id": ours}).json()["results"][0]["status"] == "applied"
    hijack = push_one(chen, "audit", audit_id, {"enterprise_id": ours}, op="update", base_version=9)
    assert hijack.json()["results"][0]["code"] == ErrorCode.FORBIDDEN
    answer = push_one(chen, "answer", str(uuid.uuid4()), {"audit_id": audit_id, "item_id": "X"})
    assert answer.json()["results"][0]["code"] == ErrorCode.FORBIDDEN
    assert chen.get(f"/records/audit/{audit_id}").status_code == 403
    assert chen.get("/records/audit").json()["records"] == []
    office = signed_in(district, "office")
    assert office.get(f"/records/audit/{audit_id}").status_code == 200
    with district.db.session() as session:
        assert session.get_one(Record, ("audit", audit_id)).version == 1


def test_templates_and_campaigns_cannot_be_pushed_by_a_coordinator(district: District) -> None:
    li = signed_in(district, "li")
    result = push_one(li, "template", str(uuid.uuid4()), {"module": "X"}).json()["results"][0]
    assert (result["status"], result["code"]) == ("rejected", ErrorCode.FORBIDDEN)
    assert li.patch(f"/enterprises/{district_enterprise(district, '91511703')}", json={"fields": {}}).status_code == 403


def test_a_revoked_token_is_refused_at_once(district: District) -> None:
    li = signed_in(district, "li", "li-stolen-laptop")
    assert li.get("/changes").status_code == 200
    with district.db.session() as session:
        admin.revoke_device(session, "li-stolen-laptop")
    refused = li.get("/changes")
    assert refused.status_code == 401
    assert refused.json()["code"] == ErrorCode.TOKEN_REVOKED
    again = li.post("/auth/sign-in", json={"username": "li", "password": PASSWORD, "device_id": "li-stolen-laptop"})
    assert again.status_code == 401


def test_a_disabled_user_is_refused_at_once(district: District) -> None:
    chen = signed_in(district, "chen")
    with district.db.session() as session:
        admin.set_user_disabled(session, "chen")
    assert chen.get("/changes").json()["code"] == ErrorCode.USER_DISABLED
    assert (
        chen.post("/auth/sign-in", json={"username": "chen", "password": PASSWORD, "device_id": "d"}).status_code == 403
    )


def test_sign_in_attempts_are_rate_limited_in_the_database(district: District) -> None:
    client = httpx.Client(base_url=district.server.url)
    _OPEN.append(client)
    for _ in range(5):
        wrong = client.post("/auth/sign-in", json={"username": "li", "password": "wrong", "device_id": "d1"})
        assert wrong.json()["code"] == ErrorCode.BAD_CREDENTIALS
    limited = client.post("/auth/sign-in", json={"username": "li", "password": PASSWORD, "device_id": "d1"})
    assert limited.status_code == 429
    assert limited.json()["code"] == ErrorCode.RATE_LIMITED
    assert client.get("/changes").json()["code"] == ErrorCode.UNAUTHENTICATED
