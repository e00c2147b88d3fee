"""The scope matrix (issue 12): every route of the OpenAPI document, every role of every district, against every
other district's and owner's objects.

The expectation is written here from the rules as a reader states them (SYNC.md, server/policy.py's docstring),
not computed by the server's own policy code, so a wrong rule in the server shows up as a mismatch. Every route
the server serves must have an entry in ``MATRIX``: a new route without one fails
``test_every_route_has_a_matrix_entry``.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from app.sync.protocol import Role, blob_batch_body
from core.notice_hash import notice_content_hash
from server import admin
from server.app import create_app
from server.config import ServerSettings
from server.feed import put_record
from server.models import District as DistrictRow
from server.models import Record
from tests.security.conftest import Api, mutation, push
from tests.sync.conftest import DISTRICT, OTHER_DISTRICT, PASSWORD, District

OFFICE = {Role.OFFICE, Role.ADMIN}


@dataclass(frozen=True)
class Person:
    name: str
    role: Role
    district: str


PEOPLE = (
    Person("li", Role.COORDINATOR, DISTRICT),
    Person("chen", Role.COORDINATOR, DISTRICT),
    Person("office", Role.OFFICE, DISTRICT),
    Person("admin_a", Role.ADMIN, DISTRICT),
    Person("zhao", Role.COORDINATOR, OTHER_DISTRICT),
    Person("office_b", Role.OFFICE, OTHER_DISTRICT),
    Person("admin_b", Role.ADMIN, OTHER_DISTRICT),
)
OWNERS = ("li", "chen", "zhao")
"""Coordinators whose audits (with an answer, a photo, an item, a signed notice, a proposal) are the targets."""
RETENTION = {DISTRICT: 90, OTHER_DISTRICT: 200}


@dataclass
class Owned:
    owner: Person
    audit_id: str
    answer_id: str
    item_id: str
    notice_id: str
    notice_hash: str
    photo_sha: str
    pending: bytes
    pending_sha: str
    proposal_value: str


@dataclass
class World:
    district: District
    people: dict[str, Person]
    clients: dict[str, httpx.Client]
    owned: list[Owned]
    enterprises: dict[str, str]  # district -> an enterprise id of it
    mismatches: list[str] = field(default_factory=list)

    def check(self, route: str, caller: Person, target: str, expected: bool, observed: bool) -> None:
        if expected != observed:
            verb = "should" if expected else "should not"
            self.mismatches.append(f"{route}: {caller.name} ({caller.role}, {caller.district}) {verb} reach {target}")


def reads_owned(caller: Person, owner: Person) -> bool:
    """Audit data: its owner, and the office and admins of the same district; nobody outside the district."""
    return caller.district == owner.district and (caller.name == owner.name or caller.role in OFFICE)


def office_of(caller: Person, district: str) -> bool:
    return caller.role in OFFICE and caller.district == district


# --- the targets ------------------------------------------------------------------------------------------------


def _owned(client: httpx.Client, owner: Person, enterprise_id: str) -> Owned:
    audit_id, answer_id, item_id, notice_id = (str(uuid.uuid4()) for _ in range(4))
    photo = f"{owner.name}'s photo".encode() * 20
    photo_sha = hashlib.sha256(photo).hexdigest()
    assert client.put(f"/blobs/{photo_sha}", content=photo).json()["complete"]
    pending = f"{owner.name}'s unfinished upload".encode() * 40
    pending_sha = hashlib.sha256(pending).hexdigest()
    half = client.put(
        f"/blobs/{pending_sha}", content=pending[:100], headers={"Content-Range": f"bytes 0-99/{len(pending)}"}
    )
    assert half.json()["committed"] == 100
    notice: dict[str, Any] = {
        "audit_id": audit_id,
        "number": f"体检〔2026〕{owner.name}-001号",
        "status": "signed",
        "content": {"enterprise": {"name": "某公司"}, "problems": [{"position": 1, "description": "未签订合同"}]},
        "issued_on": "2026-11-10",
        "signed_at": "2026-11-10T03:30:00+00:00",
    }
    notice["content_hash"] = notice_content_hash(notice)
    proposal = f"{owner.name}提议的名称"
    results = push(
        client,
        mutation("audit", audit_id, {"enterprise_id": enterprise_id, "status": "finished"}, 1, base_version=1),
        mutation("answer", answer_id, {"audit_id": audit_id, "item_id": "CONTRACT-03", "note": "缺少条款"}, 2),
        mutation("attachment", str(uuid.uuid4()), {"audit_id": audit_id, "sha256": photo_sha, "kind": "photo"}, 3),
        mutation(
            "rectification_item",
            item_id,
            {"audit_id": audit_id, "enterprise_id": enterprise_id, "status": "open", "responsible_person": "赵强"},
            4,
            base_version=1,
        ),
        mutation("notice", notice_id, notice, 5),
        mutation("enterprise", enterprise_id, {"name": proposal}, 6, op="update"),
    )
    assert [r["status"] for r in results] == ["applied"] * 6, results
    return Owned(
        owner,
        audit_id,
        answer_id,
        item_id,
        notice_id,
        notice["content_hash"],
        photo_sha,
        pending,
        pending_sha,
        proposal,
    )


@pytest.fixture
def world(district: District, api: Api) -> World:
    with district.db.session() as session:
        for person in PEOPLE:
            if person.name in ("admin_a", "office_b", "admin_b"):
                admin.add_user(
                    session, username=person.name, password=PASSWORD, role=person.role, district=person.district
                )
        for name, days in RETENTION.items():
            admin.set_retention(session, name, days)
        districts = {d.id: d.name for d in session.scalars(select(DistrictRow))}
        enterprises: dict[str, str] = {}
        for record in session.scalars(select(Record).where(Record.entity == "enterprise").order_by(Record.entity_id)):
            enterprises.setdefault(districts[int(record.district_id or 0)], record.entity_id)
    people = {person.name: person for person in PEOPLE}
    clients = {person.name: api(person.name) for person in PEOPLE}
    owned = [_owned(clients[name], people[name], enterprises[people[name].district]) for name in OWNERS]
    return World(district, people, clients, owned, enterprises)


# --- one probe per route: what the caller got of each target -----------------------------------------------------

Probe = Callable[[World], None]


def _each(world: World) -> list[tuple[Person, httpx.Client]]:
    return [(world.people[name], client) for name, client in world.clients.items()]


def probe_info(world: World) -> None:
    answer = httpx.get(f"{world.district.server.url}/info")
    assert set(answer.json()) == {"protocol_version", "min_client_version", "server_time"}


def probe_sign_in(world: World) -> None:
    url = f"{world.district.server.url}/auth/sign-in"
    devices = {owned.owner.name: owned for owned in world.owned}
    for caller, client in _each(world):
        for owner_name in devices:
            device = world.clients[owner_name].headers["X-Device"]
            answer = httpx.post(url, json={"username": caller.name, "password": PASSWORD, "device_id": device})
            world.check(
                "POST /auth/sign-in (another's device)",
                caller,
                owner_name,
                caller.name == owner_name,
                answer.status_code == 200,
            )
            if answer.status_code == 200:
                world.clients[owner_name].headers["Authorization"] = f"Bearer {answer.json()['token']}"
        assert client.headers["Authorization"]


def probe_push(world: World) -> None:
    for caller, client in _each(world):
        device = client.headers["X-Device"]
        for owned in world.owned:
            answer = mutation("answer", str(uuid.uuid4()), {"audit_id": owned.audit_id, "item_id": "X"}, 10)
            update = mutation(
                "answer",
                owned.answer_id,
                {"audit_id": owned.audit_id, "item_id": "CONTRACT-03", "note": f"{caller.name}改"},
                11,
                op="update",
            )
            results = client.post("/sync/push", json={"device_id": device, "mutations": [answer, update]}).json()
            for result, what in zip(results["results"], ("a new answer in", "an answer of"), strict=True):
                world.check(
                    "POST /sync/push",
                    caller,
                    f"{what} {owned.owner.name}'s audit",
                    caller.name == owned.owner.name,
                    result["status"] == "applied",
                )
                assert result.get("server_fields") is None or caller.name == owned.owner.name
        for name, enterprise_id in world.enterprises.items():
            edit = mutation("enterprise", enterprise_id, {"headcount": 321}, 12, op="update")
            result = client.post("/sync/push", json={"device_id": device, "mutations": [edit]}).json()["results"][0]
            world.check(
                "POST /sync/push",
                caller,
                f"an enterprise of {name}",
                caller.district == name,
                result["status"] == "applied",
            )


def probe_blobs_missing(world: World) -> None:
    for caller, client in _each(world):
        for owned in world.owned:
            missing = client.post("/blobs/missing", json={"hashes": [owned.photo_sha]}).json()["missing"]
            world.check(
                "POST /blobs/missing",
                caller,
                f"{owned.owner.name}'s photo",
                caller.name == owned.owner.name,
                missing == [],
            )


def probe_blob_upload(world: World) -> None:
    """Everyone sends the next chunk of each owner's unfinished upload (and others a chunk with another total):
    only the owner's own request moves the owner's offset."""
    for owned in world.owned:
        owner_client = world.clients[owned.owner.name]
        sha, size = owned.pending_sha, len(owned.pending)
        committed = 100
        others = [(p, c) for p, c in _each(world) if p.name != owned.owner.name]
        for caller, client in [*others, (owned.owner, owner_client)]:
            if caller.name != owned.owner.name:
                client.put(f"/blobs/{sha}", content=b"oops", headers={"Content-Range": "bytes 0-3/4"})
            client.put(
                f"/blobs/{sha}", content=owned.pending[100:200], headers={"Content-Range": f"bytes 100-199/{size}"}
            )
            state = owner_client.post("/blobs/missing", json={"hashes": [sha]}).json()["missing"]
            moved = state != [{"sha256": sha, "committed": committed}]
            world.check(
                "PUT /blobs/{sha256}", caller, f"{owned.owner.name}'s upload", caller.name == owned.owner.name, moved
            )


def probe_blob_batch(world: World) -> None:
    """Everyone sends each owner's unfinished blob in a batch, first with wrong bytes, then whole and right (which
    makes them a holder of their own): only the owner's own batch ends the owner's upload in progress."""
    for owned in world.owned:
        owner_client = world.clients[owned.owner.name]
        sha = owned.pending_sha
        others = [(p, c) for p, c in _each(world) if p.name != owned.owner.name]
        for caller, client in [*others, (owned.owner, owner_client)]:
            before = owner_client.post("/blobs/missing", json={"hashes": [sha]}).json()["missing"]
            headers = {"Content-Type": "application/octet-stream"}
            wrong = blob_batch_body([(sha, owned.pending[::-1])])
            assert client.post("/blobs", content=wrong, headers=headers).status_code == 422
            assert client.post("/blobs", content=blob_batch_body([(sha, owned.pending)]), headers=headers).is_success
            after = owner_client.post("/blobs/missing", json={"hashes": [sha]}).json()["missing"]
            world.check(
                "POST /blobs", caller, f"{owned.owner.name}'s upload", caller.name == owned.owner.name, after != before
            )


def probe_changes(world: World) -> None:
    for caller, client in _each(world):
        rows = client.get("/changes", params={"since": 0, "limit": 5000}).json()["rows"]
        seen = {(row["entity"], row["entity_id"]): row for row in rows}
        for owned in world.owned:
            item = seen.get(("rectification_item", owned.item_id))
            shared = caller.district == owned.owner.district and caller.name != owned.owner.name
            world.check("GET /changes", caller, f"{owned.owner.name}'s item (its status)", shared, item is not None)
            if item is not None:
                assert "responsible_person" not in (item["data"] or {})
            for entity, entity_id in (("audit", owned.audit_id), ("answer", owned.answer_id)):
                world.check(
                    "GET /changes", caller, f"{owned.owner.name}'s {entity}", False, (entity, entity_id) in seen
                )
        for name, enterprise_id in world.enterprises.items():
            world.check(
                "GET /changes",
                caller,
                f"an enterprise of {name}",
                caller.district == name,
                ("enterprise", enterprise_id) in seen,
            )


def probe_policy(world: World) -> None:
    for caller, client in _each(world):
        days = client.get("/device/policy").json()["retention_days"]
        for name, value in RETENTION.items():
            world.check("GET /device/policy", caller, f"the policy of {name}", caller.district == name, days == value)


def probe_audit_records(world: World) -> None:
    for caller, client in _each(world):
        for owned in world.owned:
            answer = client.get(f"/audits/{owned.audit_id}/records")
            world.check(
                "GET /audits/{audit_id}/records",
                caller,
                f"{owned.owner.name}'s audit",
                reads_owned(caller, owned.owner),
                answer.status_code == 200,
            )


def probe_audit_blob(world: World) -> None:
    for caller, client in _each(world):
        for owned in world.owned:
            answer = client.get(f"/audits/{owned.audit_id}/blobs/{owned.photo_sha}")
            world.check(
                "GET /audits/{audit_id}/blobs/{sha256}",
                caller,
                f"{owned.owner.name}'s photo",
                reads_owned(caller, owned.owner),
                answer.status_code == 200,
            )


def probe_record_list(world: World) -> None:
    for caller, client in _each(world):
        audits = {r["entity_id"] for r in client.get("/records/audit", params={"limit": 1000}).json()["records"]}
        companies = {
            r["entity_id"] for r in client.get("/records/enterprise", params={"limit": 1000}).json()["records"]
        }
        for owned in world.owned:
            world.check(
                "GET /records/{entity}",
                caller,
                f"{owned.owner.name}'s audit",
                reads_owned(caller, owned.owner),
                owned.audit_id in audits,
            )
        for name, enterprise_id in world.enterprises.items():
            world.check(
                "GET /records/{entity}",
                caller,
                f"an enterprise of {name}",
                caller.district == name,
                enterprise_id in companies,
            )


def probe_record_get(world: World) -> None:
    for caller, client in _each(world):
        for owned in world.owned:
            for entity, entity_id in (("audit", owned.audit_id), ("notice", owned.notice_id)):
                answer = client.get(f"/records/{entity}/{entity_id}")
                world.check(
                    "GET /records/{entity}/{entity_id}",
                    caller,
                    f"{owned.owner.name}'s {entity}",
                    reads_owned(caller, owned.owner),
                    answer.status_code == 200,
                )
        for name, enterprise_id in world.enterprises.items():
            answer = client.get(f"/records/enterprise/{enterprise_id}")
            world.check(
                "GET /records/{entity}/{entity_id}",
                caller,
                f"an enterprise of {name}",
                caller.district == name,
                answer.status_code == 200,
            )


def probe_enterprise_edit(world: World) -> None:
    for caller, client in _each(world):
        for name, enterprise_id in world.enterprises.items():
            answer = client.patch(f"/enterprises/{enterprise_id}", json={"fields": {"industry": f"{caller.name}改"}})
            world.check(
                "PATCH /enterprises/{entity_id}",
                caller,
                f"an enterprise of {name}",
                office_of(caller, name),
                answer.status_code == 200,
            )


def probe_enterprise_delete(world: World) -> None:
    for caller, client in _each(world):
        for name in (DISTRICT, OTHER_DISTRICT):
            enterprise_id = str(uuid.uuid4())
            with world.district.db.session() as session:
                district_id = admin.get_district(session, name).id
                put_record(
                    session,
                    entity="enterprise",
                    entity_id=enterprise_id,
                    data={"id": enterprise_id, "name": "待删除"},
                    writer="admin",
                    district_id=district_id,
                    natural_key=f"DEL{uuid.uuid4().hex[:15]}".upper(),
                )
            answer = client.delete(f"/enterprises/{enterprise_id}")
            world.check(
                "DELETE /enterprises/{entity_id}",
                caller,
                f"an enterprise of {name}",
                office_of(caller, name),
                answer.status_code == 200,
            )


def probe_conflicts(world: World) -> None:
    for caller, client in _each(world):
        rows = client.get("/conflicts").json()["conflicts"]
        proposed = {row["proposed_value"] for row in rows}
        for owned in world.owned:
            expected = caller.district == owned.owner.district and (
                caller.name == owned.owner.name or caller.role in OFFICE
            )
            world.check(
                "GET /conflicts", caller, f"{owned.owner.name}'s proposal", expected, owned.proposal_value in proposed
            )


def probe_verify(world: World) -> None:
    url = world.district.server.url
    for owned in world.owned:
        sealed = httpx.get(f"{url}/verify/{owned.notice_id}", params={"h": owned.notice_hash}).json()
        assert sealed["valid"] is True  # public by design: the QR code is on the paper the enterprise holds
        for params in ({}, {"h": "0" * 64}):
            told = httpx.get(f"{url}/verify/{owned.notice_id}", params=params).json()
            world.check(
                "GET /verify/{notice_id}",
                world.people["li"],
                f"{owned.owner.name}'s notice without its hash",
                False,
                told["valid"] or any(told.get(k) for k in ("number", "enterprise", "issued_on", "status")),
            )


def probe_template_problem(world: World) -> None:
    """Any signed-in device may report a template version this server published (never one it did not); the report
    lands in the reporter's own district, seen there like a conflict by the reporter and the district's office."""
    digest = hashlib.sha256(b"a published template version").hexdigest()
    entity_id = str(uuid.uuid4())
    with world.district.db.session() as session:
        put_record(
            session,
            entity="template",
            entity_id=entity_id,
            data={"id": entity_id, "module": "CONTRACT", "version": 7, "content_hash": digest, "content": {}},
            writer=admin.ADMIN_WRITER,
            district_id=None,
            natural_key="CONTRACT:7",
        )
    for caller, client in _each(world):
        report = {"module": "CONTRACT", "version": 7, "content_hash": digest, "reason": f"{caller.name}的设备无法使用"}
        answer = client.post("/templates/problems", json=report)
        world.check("POST /templates/problems", caller, "a published version", True, answer.status_code == 200)
        never = client.post("/templates/problems", json={**report, "version": 8})
        world.check("POST /templates/problems", caller, "a version never published", False, never.status_code == 200)
    for caller, client in _each(world):
        seen = {row["proposed_value"] for row in client.get("/conflicts").json()["conflicts"]}
        for reporter in world.people.values():
            world.check(
                "GET /conflicts",
                caller,
                f"{reporter.name}'s template report",
                reads_owned(caller, reporter),
                f"{reporter.name}的设备无法使用" in seen,
            )


MATRIX: dict[tuple[str, str], Probe] = {
    ("GET", "/info"): probe_info,
    ("POST", "/auth/sign-in"): probe_sign_in,
    ("POST", "/sync/push"): probe_push,
    ("POST", "/blobs/missing"): probe_blobs_missing,
    ("PUT", "/blobs/{sha256}"): probe_blob_upload,
    ("POST", "/blobs"): probe_blob_batch,
    ("GET", "/changes"): probe_changes,
    ("GET", "/device/policy"): probe_policy,
    ("GET", "/audits/{audit_id}/records"): probe_audit_records,
    ("GET", "/audits/{audit_id}/blobs/{sha256}"): probe_audit_blob,
    ("GET", "/records/{entity}"): probe_record_list,
    ("GET", "/records/{entity}/{entity_id}"): probe_record_get,
    ("PATCH", "/enterprises/{entity_id}"): probe_enterprise_edit,
    ("DELETE", "/enterprises/{entity_id}"): probe_enterprise_delete,
    ("GET", "/conflicts"): probe_conflicts,
    ("POST", "/templates/problems"): probe_template_problem,
    ("GET", "/verify/{notice_id}"): probe_verify,
}


def test_every_route_has_a_matrix_entry(tmp_path: Path) -> None:
    app = create_app(ServerSettings(database_url=f"sqlite:///{tmp_path / 'server.db'}", blob_dir=tmp_path / "blobs"))
    served = {(method.upper(), path) for path, operations in app.openapi()["paths"].items() for method in operations}
    assert served == set(MATRIX)


def test_every_role_of_every_district_against_every_other_owner(world: World) -> None:
    for probe in MATRIX.values():
        probe(world)
    assert world.mismatches == []
