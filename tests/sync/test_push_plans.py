"""The push's look-ups keep their index under PostgreSQL's generic plans (issue 12).

psycopg prepares a statement it has run five times, and PostgreSQL may then plan it once for any parameters. A
list written as ``IN (SELECT json_array_elements_text(…))`` is then joined by a filter against every applied
mutation of the device — measured: 400 ms per 500-mutation batch once the table had been analysed, where the
index answers in about one. A list written as ``= ANY(array(…))`` stays an index condition whatever the plan.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.dialects import postgresql

from server.bulk import among
from server.db import open_server_database
from server.models import AppliedMutation
from tests.sync.conftest import _reset_postgres


def _nodes(plan: dict[str, Any]) -> list[dict[str, Any]]:
    return [plan, *(node for child in plan.get("Plans", []) for node in _nodes(child))]


def test_the_applied_mutation_look_up_uses_the_index_under_a_generic_plan(pg_url: str) -> None:
    _reset_postgres(pg_url)
    db = open_server_database(pg_url)
    device = str(uuid.uuid4())
    try:
        with db.session() as session:
            rows = [
                {"device_id": device, "mutation_id": str(uuid.uuid4()), "seq": n, "result": {}, "digest": None}
                for n in range(3000)
            ]
            session.execute(AppliedMutation.__table__.insert(), rows)
            session.execute(text("ANALYZE applied_mutation"))
            wanted = [row["mutation_id"] for row in rows[:500]]
            statement = select(AppliedMutation.mutation_id).where(
                AppliedMutation.device_id == device, among(session, AppliedMutation.mutation_id, wanted)
            )
            compiled = statement.compile(dialect=postgresql.dialect())
            names: list[str] = []

            def numbered(match: re.Match[str]) -> str:
                names.append(match.group(1))
                return f"${len(names)}"

            prepared = re.sub(r"%\((\w+)\)s", numbered, str(compiled))
            values = ", ".join("'" + str(compiled.params[name]).replace("'", "''") + "'" for name in names)
            session.execute(text("SET LOCAL plan_cache_mode = force_generic_plan"))
            session.execute(text(f"PREPARE applied_look_up AS {prepared}"))
            explained = session.execute(text(f"EXPLAIN (ANALYZE, FORMAT JSON) EXECUTE applied_look_up({values})"))
            plan = explained.scalar_one()[0]["Plan"]
            session.execute(text("DEALLOCATE applied_look_up"))
        nodes = _nodes(plan)
        assert not [node for node in nodes if "Join Filter" in node], nodes
        scans = [node for node in nodes if node.get("Relation Name") == "applied_mutation"]
        assert scans
        assert all("mutation_id" in node.get("Index Cond", "") for node in scans), scans
        assert plan["Actual Rows"] == 500
    finally:
        db.close()
