"""The push's look-ups keep to their index whatever PostgreSQL's statistics and plan cache say (issue 12).

psycopg prepares a statement it has run five times, and PostgreSQL may then plan it once for any parameters; before
that, and whenever it judges a custom plan cheaper, it plans for the values at hand from statistics that may predate
the device's latest syncs. Each plan is read back here with ``EXPLAIN ANALYZE`` in both modes:

- a list written as ``IN (SELECT json_array_elements_text(…))`` was joined, under a generic plan, by a filter
  against every applied mutation of the device (400 ms a batch);
- ``device_id = … AND mutation_id = ANY(…)``, planned from statistics gathered before the device's rows existed,
  took the device's rows from the index and compared each with the whole list: 23 ms a batch at 3,000 rows, 380 ms
  at 50,000, growing with every sync. Applied mutations are now found one primary-key probe per id.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import event, insert, select, text
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Session

from app.sync.protocol import Role
from server import admin
from server.bulk import among, applied_results, forget_applied
from server.db import ServerDatabase, open_server_database
from server.models import AppliedMutation, BlobHolder, StoredBlob, utcnow
from tests.sync.conftest import PASSWORD, _reset_postgres

MODES = ("force_custom_plan", "force_generic_plan")


def _nodes(plan: dict[str, Any]) -> list[dict[str, Any]]:
    return [plan, *(node for child in plan.get("Plans", []) for node in _nodes(child))]


def _numbered(statement: str) -> tuple[str, list[str]]:
    """A psycopg statement (``%(name)s`` placeholders) as a PREPARE body (``$1``…), with the names in order."""
    names: list[str] = []

    def number(match: re.Match[str]) -> str:
        names.append(match.group(1))
        return f"${len(names)}"

    return re.sub(r"%\((\w+)\)s", number, statement), names


def _literal(value: object) -> str:
    return "'" + str(value).replace("'", "''") + "'"


def _explained(session: Session, statement: str, parameters: dict[str, Any], mode: str) -> dict[str, Any]:
    """The plan PostgreSQL executes ``statement`` with in ``mode``, with actual rows (run inside a savepoint that
    is rolled back, so a DELETE explained deletes nothing)."""
    prepared, names = _numbered(statement)
    with session.begin_nested() as savepoint:
        session.execute(text(f"SET LOCAL plan_cache_mode = {mode}"))
        session.execute(text(f"PREPARE look_up AS {prepared}"))
        values = ", ".join(_literal(parameters[name]) for name in names)
        explained = session.execute(text(f"EXPLAIN (ANALYZE, FORMAT JSON) EXECUTE look_up({values})"))
        plan: dict[str, Any] = explained.scalar_one()[0]["Plan"]
        session.execute(text("DEALLOCATE look_up"))
        savepoint.rollback()
    return plan


def _executed(db: ServerDatabase, call: Callable[[Session], object]) -> tuple[str, dict[str, Any]]:
    """The statement (and its parameters) that ``call`` sends to the database last."""
    sent: list[tuple[str, dict[str, Any]]] = []

    def grab(_conn: object, _cursor: object, statement: str, parameters: Any, *_: object) -> None:
        sent.append((statement, dict(parameters)))

    event.listen(db.engine, "before_cursor_execute", grab)
    try:
        with db.session() as session:
            call(session)
            session.rollback()
    finally:
        event.remove(db.engine, "before_cursor_execute", grab)
    return sent[-1]


def _applied_rows(device: str, count: int) -> list[dict[str, Any]]:
    return [
        {"device_id": device, "mutation_id": str(uuid.uuid4()), "seq": n, "result": {}, "digest": None}
        for n in range(count)
    ]


@pytest.mark.parametrize("statistics", ["stale", "current"])
@pytest.mark.parametrize("operation", ["look up", "forget"])
def test_applied_mutations_are_found_one_index_probe_per_id_whatever_the_statistics(
    pg_url: str, statistics: str, operation: str
) -> None:
    """A device with 3,000 applied mutations asks about 500 ids, 200 of them applied. ``stale``: the table was
    analysed when only another device had rows (so the planner expects this device to have next to none);
    ``current``: analysed with this device's rows."""
    _reset_postgres(pg_url)
    db = open_server_database(pg_url)
    device = str(uuid.uuid4())
    try:
        mine = _applied_rows(device, 3000)
        with db.session() as session:
            session.execute(insert(AppliedMutation), _applied_rows(str(uuid.uuid4()), 3000))
            if statistics == "stale":
                session.execute(text("ANALYZE applied_mutation"))
            session.execute(insert(AppliedMutation), mine)
            if statistics == "current":
                session.execute(text("ANALYZE applied_mutation"))
        asked = [row["mutation_id"] for row in mine[:200]] + [str(uuid.uuid4()) for _ in range(300)]

        with db.session() as session:
            assert {found[0] for found in applied_results(session, device, asked)} == set(asked[:200])

        def run(session: Session) -> object:
            if operation == "look up":
                return applied_results(session, device, asked)
            forget_applied(session, device, asked)
            return None

        statement, parameters = _executed(db, run)
        for mode in MODES:
            with db.session() as session:
                plan = _explained(session, statement, parameters, mode)
            nodes = _nodes(plan)
            scans = [node for node in nodes if node.get("Relation Name") == "applied_mutation" and "Index Cond" in node]
            assert scans, nodes
            for scan in scans:
                assert "mutation_id" in scan["Index Cond"], (mode, scan)
                assert scan.get("Rows Removed by Filter", 0) == 0, (mode, scan)
            assert not [node for node in nodes if "Join Filter" in node], (mode, nodes)
            assert all(scan["Actual Loops"] == 500 for scan in scans), (mode, scans)  # one probe per id asked
            probes = [node for node in nodes if node["Node Type"] == "Nested Loop"]
            assert [node["Actual Rows"] for node in probes] == [200], (mode, nodes)  # and the 200 applied found
    finally:
        db.close()


def test_forgetting_applied_mutations_takes_back_exactly_those_of_the_device(pg_url: str) -> None:
    _reset_postgres(pg_url)
    db = open_server_database(pg_url)
    device, other = str(uuid.uuid4()), str(uuid.uuid4())
    try:
        mine, theirs = _applied_rows(device, 50), _applied_rows(other, 50)
        theirs[0]["mutation_id"] = mine[0]["mutation_id"]  # the same id from another device is theirs to keep
        with db.session() as session:
            session.execute(insert(AppliedMutation), mine + theirs)
        with db.session() as session:
            forget_applied(session, device, [row["mutation_id"] for row in mine[:10]] + [str(uuid.uuid4())])
        with db.session() as session:
            left = {(row.device_id, row.mutation_id) for row in session.scalars(select(AppliedMutation))}
        assert left == {(row["device_id"], row["mutation_id"]) for row in mine[10:] + theirs}
    finally:
        db.close()


def test_the_held_blob_look_up_uses_the_index_under_a_generic_plan(pg_url: str) -> None:
    """``among`` (``= ANY(array(…))``) serves keys that lead their primary key, as a blob's hash does its holders'."""
    _reset_postgres(pg_url)
    db = open_server_database(pg_url)
    try:
        with db.session() as session:
            admin.add_district(session, "达川区")
            user = admin.add_user(session, username="li", password=PASSWORD, role=Role.COORDINATOR, district="达川区")
            session.flush()
            hashes = [uuid.uuid4().hex * 2 for _ in range(3000)]
            now = utcnow()
            session.execute(
                insert(StoredBlob),
                [{"sha256": sha, "size": 1, "committed": 1, "complete": True, "created_at": now} for sha in hashes],
            )
            session.execute(
                insert(BlobHolder),
                [
                    {"sha256": sha, "user_id": user.id, "district_id": user.district_id, "created_at": now}
                    for sha in hashes
                ],
            )
            session.execute(text("ANALYZE blob_holder"))
            statement = select(BlobHolder.sha256).where(
                BlobHolder.user_id == user.id, among(session, BlobHolder.sha256, hashes[:500])
            )
            compiled = statement.compile(dialect=postgresql.dialect())
            plan = _explained(session, str(compiled), dict(compiled.params), "force_generic_plan")
        nodes = _nodes(plan)
        assert not [node for node in nodes if "Join Filter" in node], nodes
        scans = [node for node in nodes if node.get("Index Name") == "pk_blob_holder"]
        assert scans, nodes
        assert all("sha256" in node["Index Cond"] for node in scans), scans
        assert not [node for node in nodes if node.get("Rows Removed by Filter")], nodes
        assert plan["Actual Rows"] == 500
    finally:
        db.close()
