"""Set-based statements for a push batch: one statement for many rows, on either database.

On PostgreSQL a batch's rows travel as one JSON document (one ``json.dumps``, parsed by the server in C) unpacked
by ``json_to_recordset`` in a single ``INSERT … SELECT``: one statement to parse and plan however many rows, and
no per-value quoting on the client. A key list is one JSON parameter too, instead of a thousand bind parameters,
and composite keys stay composite so the primary key's index serves them. SQLite, embedded, has no statement
overhead to speak of: there the same work is an ``executemany`` and an ``IN`` list.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, String, bindparam, cast, column, func, insert, select, text, tuple_
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import InstrumentedAttribute, Session

from server.models import AppliedMutation, Record


def is_postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def _json(value: Any) -> ColumnElement[Any]:
    return cast(bindparam(None, json.dumps(value), type_=String), postgresql.JSON)


def among(session: Session, attribute: InstrumentedAttribute[str], values: Sequence[str]) -> ColumnElement[bool]:
    """``attribute IN values``: one JSON parameter on PostgreSQL."""
    if is_postgres(session):
        return attribute.in_(select(func.json_array_elements_text(_json(list(values)))))
    return attribute.in_(list(values))


def record_keys_among(session: Session, keys: Sequence[tuple[str, str]]) -> ColumnElement[bool]:
    """``(entity, entity_id) IN keys``: one JSON parameter on PostgreSQL, served by the primary key."""
    if is_postgres(session):
        pairs = [{"entity": entity, "entity_id": entity_id} for entity, entity_id in keys]
        table = (
            func.json_to_recordset(_json(pairs))
            .table_valued(column("entity", String), column("entity_id", String))
            .render_derived(with_types=True)
        )
        return tuple_(Record.entity, Record.entity_id).in_(select(table.c.entity, table.c.entity_id))
    return tuple_(Record.entity, Record.entity_id).in_(list(keys))


_RECORD_UPSERT = text(
    """
    INSERT INTO record (entity, entity_id, natural_key, district_id, owner_id, version, data, meta, writer, seq,
                        deleted, updated_at)
    SELECT entity, entity_id, natural_key, district_id, owner_id, version, data, '{}'::json, :writer, seq, deleted,
           :now
    FROM json_to_recordset(CAST(:rows AS json))
         AS batch(entity varchar, entity_id varchar, natural_key varchar, district_id integer, owner_id integer,
                  version integer, data json, seq bigint, deleted boolean)
    ON CONFLICT (entity, entity_id) DO UPDATE SET
        natural_key = excluded.natural_key, district_id = excluded.district_id, owner_id = excluded.owner_id,
        version = excluded.version, data = excluded.data, writer = excluded.writer, seq = excluded.seq,
        deleted = excluded.deleted, updated_at = excluded.updated_at
    """
)

_APPLIED_INSERT = text(
    """
    INSERT INTO applied_mutation (device_id, mutation_id, seq, result, digest, applied_at)
    SELECT :device_id, mutation_id, seq, result, digest, :now
    FROM json_to_recordset(CAST(:rows AS json)) AS batch(mutation_id varchar, seq bigint, result json, digest varchar)
    """
)

_UPDATED = ("natural_key", "district_id", "owner_id", "version", "data", "writer", "seq", "deleted", "updated_at")


def upsert_records(session: Session, rows: list[dict[str, Any]], writer: str, now: dt.datetime) -> None:
    """Insert or replace records (keyed by entity and id) in one statement; ``meta`` is set only on insert."""
    if not rows:
        return
    if is_postgres(session):
        session.execute(_RECORD_UPSERT, {"rows": json.dumps(rows), "writer": writer, "now": now})
        return
    statement = sqlite.insert(Record)
    statement = statement.on_conflict_do_update(
        index_elements=["entity", "entity_id"], set_={name: statement.excluded[name] for name in _UPDATED}
    )
    session.execute(statement, [{**row, "meta": {}, "writer": writer, "updated_at": now} for row in rows])


def insert_applied(session: Session, device_id: str, rows: list[dict[str, Any]], now: dt.datetime) -> None:
    """Record a batch's applied mutations in one statement."""
    if not rows:
        return
    if is_postgres(session):
        session.execute(_APPLIED_INSERT, {"device_id": device_id, "now": now, "rows": json.dumps(rows)})
        return
    session.execute(insert(AppliedMutation), [{**row, "device_id": device_id, "applied_at": now} for row in rows])
