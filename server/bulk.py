"""Set-based statements for a push batch and a batch of blobs: one statement for many rows, on either database.

On PostgreSQL a batch's rows travel as one JSON document unpacked by ``json_to_recordset`` in a single ``INSERT …
SELECT``: one statement to parse and plan however many rows, and no per-value quoting on the client. Each row's data
goes into that document as the JSON text it already is (a payload is serialised once, for its digest and its record
alike), never parsed and encoded again. Keys travel as JSON too (one parameter instead of a thousand; composite keys
stay composite so the primary key's index serves them): psycopg quotes a Python list for an array parameter element
by element in Python, which cost more than the rest of the load, while a JSON text is written in C and unpacked by
PostgreSQL. The statements are built once, so SQLAlchemy compiles them once. SQLite, embedded, has no statement
overhead to speak of: there the same work is an ``executemany`` and an ``IN`` list.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Sequence
from typing import Any

import orjson
from sqlalchemy import (
    JSON,
    ColumnElement,
    Select,
    String,
    Text,
    and_,
    any_,
    bindparam,
    cast,
    column,
    delete,
    exists,
    func,
    insert,
    select,
    text,
    tuple_,
)
from sqlalchemy.dialects import sqlite
from sqlalchemy.orm import InstrumentedAttribute, Session

from server.models import AppliedMutation, BlobHolder, Record, StoredBlob

Key = tuple[str, str]


def _json(value: Any) -> str:
    """A statement parameter as JSON text (every one of them goes through here: written by orjson, in C)."""
    return orjson.dumps(value).decode()


_KEY_PAIRS = (
    func.json_to_recordset(cast(bindparam("keys", type_=String), JSON))
    .table_valued(column("entity", String), column("entity_id", String))
    .render_derived(with_types=True)
)
"""``json_to_recordset(keys) AS (entity, entity_id)``: a batch's record keys as a table, from one JSON parameter."""


def is_postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def among(session: Session, attribute: InstrumentedAttribute[str], values: Sequence[str]) -> ColumnElement[bool]:
    """``attribute IN values``: on PostgreSQL the values are one JSON parameter however many they are.

    For a key that leads its index (a blob's hash among its holders). Next to a condition on a column before it in
    the index, statistics may make the planner read the whole range of that column and compare each row with the
    list (see :func:`applied_results`)."""
    if is_postgres(session):
        listed = func.json_array_elements_text(cast(bindparam(None, _json(list(values)), type_=String), JSON))
        return attribute == any_(func.array(select(listed).scalar_subquery()))
    return attribute.in_(list(values))


def _key_params(keys: Sequence[Key]) -> dict[str, str]:
    return {"keys": _json([{"entity": entity, "entity_id": entity_id} for entity, entity_id in keys])}


@functools.cache
def _load_statement(columns: tuple[Any, ...]) -> Select[Any]:
    pairs = _KEY_PAIRS
    return select(*columns).join_from(
        Record, pairs, and_(Record.entity == pairs.c.entity, Record.entity_id == pairs.c.entity_id)
    )


def load_records(session: Session, columns: tuple[Any, ...], keys: Sequence[Key]) -> Sequence[tuple[Any, ...]]:
    """``columns`` of the records with these ``(entity, entity_id)`` keys, in one statement."""
    if not keys:
        return []
    if is_postgres(session):
        return session.execute(_load_statement(columns), _key_params(keys)).all()
    query = select(*columns).where(tuple_(Record.entity, Record.entity_id).in_(list(keys)))
    return session.execute(query).all()


_CHANGED = select(
    exists().where(
        Record.entity == _KEY_PAIRS.c.entity,
        Record.entity_id == _KEY_PAIRS.c.entity_id,
        Record.seq > bindparam("snapshot"),
    )
)


def any_record_changed(session: Session, keys: Sequence[Key], snapshot: int) -> bool:
    """Whether any record with one of these keys was written after feed sequence number ``snapshot``."""
    if not keys:
        return False
    if is_postgres(session):
        return bool(session.scalar(_CHANGED, {**_key_params(keys), "snapshot": snapshot}))
    query = select(exists().where(tuple_(Record.entity, Record.entity_id).in_(list(keys)), Record.seq > snapshot))
    return bool(session.scalar(query))


def _document(rows: list[dict[str, Any]], name: str) -> str:
    """``rows`` as one JSON array; each row's ``name`` field is a JSON text (or None), put in as it is."""
    return _json([{**row, name: None if row[name] is None else orjson.Fragment(row[name])} for row in rows])


_RECORD_UPSERT = text(
    """
    INSERT INTO record (entity, entity_id, natural_key, parent_id, district_id, owner_id, version, data, meta,
                        writer, seq, deleted, updated_at)
    SELECT entity, entity_id, natural_key, parent_id, district_id, owner_id, version, data, '{}'::json, :writer,
           seq, deleted, :now
    FROM json_to_recordset(CAST(:rows AS json))
         AS batch(entity varchar, entity_id varchar, natural_key varchar, parent_id varchar, district_id integer,
                  owner_id integer, version integer, data json, seq bigint, deleted boolean)
    ON CONFLICT (entity, entity_id) DO UPDATE SET
        natural_key = excluded.natural_key, parent_id = COALESCE(excluded.parent_id, record.parent_id),
        district_id = excluded.district_id, owner_id = excluded.owner_id,
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


def _parsed(rows: list[dict[str, Any]], name: str) -> list[dict[str, Any]]:
    return [{**row, name: None if row[name] is None else json.loads(row[name])} for row in rows]


def upsert_records(session: Session, rows: list[dict[str, Any]], writer: str, now: dt.datetime) -> None:
    """Insert or replace records (keyed by entity and id) in one statement; ``meta`` is set only on insert, and a
    row without a ``parent_id`` (a tombstone) keeps the parent it had.

    Each row's ``data`` is the record's JSON text (or None for a tombstone)."""
    if not rows:
        return
    if is_postgres(session):
        session.execute(_RECORD_UPSERT, {"rows": _document(rows, "data"), "writer": writer, "now": now})
        return
    statement = sqlite.insert(Record)
    statement = statement.on_conflict_do_update(
        index_elements=["entity", "entity_id"],
        set_={
            **{name: statement.excluded[name] for name in _UPDATED},
            # A tombstone carries no data, so no parent: it keeps the one it had (the read model follows it).
            "parent_id": func.coalesce(statement.excluded.parent_id, Record.parent_id),
        },
    )
    values = [{**row, "meta": {}, "writer": writer, "updated_at": now} for row in _parsed(rows, "data")]
    session.execute(statement, values)


def insert_applied(session: Session, device_id: str, rows: list[dict[str, Any]], now: dt.datetime) -> None:
    """Record a batch's applied mutations in one statement; each row's ``result`` is its JSON text."""
    if not rows:
        return
    if is_postgres(session):
        session.execute(_APPLIED_INSERT, {"device_id": device_id, "now": now, "rows": _document(rows, "result")})
        return
    session.execute(
        insert(AppliedMutation), [{**row, "device_id": device_id, "applied_at": now} for row in _parsed(rows, "result")]
    )


_APPLIED_LOOK_UP = text(
    """
    SELECT found.mutation_id, CAST(found.result AS text), found.digest
    FROM json_array_elements_text(CAST(:ids AS json)) AS ids(id)
    CROSS JOIN LATERAL (
        SELECT mutation_id, result, digest FROM applied_mutation
        WHERE device_id = :device_id AND mutation_id = ids.id
        LIMIT 1
    ) AS found
    """
)
_APPLIED_FORGET = text(
    """
    DELETE FROM applied_mutation WHERE ctid = ANY(ARRAY(
        SELECT found.ctid
        FROM json_array_elements_text(CAST(:ids AS json)) AS ids(id)
        CROSS JOIN LATERAL (
            SELECT ctid FROM applied_mutation
            WHERE device_id = :device_id AND mutation_id = ids.id
            LIMIT 1
        ) AS found
    ))
    """
)


def applied_results(session: Session, device_id: str, mutation_ids: Sequence[str]) -> list[tuple[str, str, str | None]]:
    """Of ``mutation_ids``, those the device had applied: each with its result (as the JSON text stored) and digest.

    On PostgreSQL each id is one probe of the primary key (a ``LATERAL`` subquery that ``LIMIT 1`` keeps from
    being flattened into a join), whatever the statistics say. Written as ``mutation_id = ANY(…)`` the planner,
    told by statistics gathered before the device's latest syncs that it has next to no rows, scanned every
    applied mutation of the device and compared each with the whole list: 23 ms a batch at 3,000 rows, 380 ms at
    50,000, growing with every sync."""
    if not mutation_ids:
        return []
    if is_postgres(session):
        found = session.execute(_APPLIED_LOOK_UP, {"device_id": device_id, "ids": _json(list(mutation_ids))})
        return [(mutation_id, result, digest) for mutation_id, result, digest in found]
    query = select(AppliedMutation.mutation_id, cast(AppliedMutation.result, Text), AppliedMutation.digest).where(
        AppliedMutation.device_id == device_id, AppliedMutation.mutation_id.in_(list(mutation_ids))
    )
    return [(mutation_id, result, digest) for mutation_id, result, digest in session.execute(query)]


def forget_applied(session: Session, device_id: str, mutation_ids: Sequence[str]) -> None:
    """Take back applied mutations this transaction recorded (a batch decided again drops its first decisions);
    found as :func:`applied_results` finds them."""
    if not mutation_ids:
        return
    if is_postgres(session):
        session.execute(_APPLIED_FORGET, {"device_id": device_id, "ids": _json(list(mutation_ids))})
        return
    session.execute(
        delete(AppliedMutation).where(
            AppliedMutation.device_id == device_id, AppliedMutation.mutation_id.in_(list(mutation_ids))
        )
    )


_BLOB_INSERT = text(
    """
    INSERT INTO blob (sha256, size, committed, complete, created_at)
    SELECT sha256, size, size, true, :now
    FROM json_to_recordset(CAST(:rows AS json)) AS batch(sha256 varchar, size bigint)
    ON CONFLICT DO NOTHING
    """
)
_HOLDER_INSERT = text(
    """
    INSERT INTO blob_holder (sha256, user_id, district_id, created_at)
    SELECT sha256, :user_id, :district_id, :now
    FROM json_to_recordset(CAST(:rows AS json)) AS batch(sha256 varchar)
    ON CONFLICT DO NOTHING
    """
)
_SQLITE_BLOB_INSERT = sqlite.insert(StoredBlob).on_conflict_do_nothing()
_SQLITE_HOLDER_INSERT = sqlite.insert(BlobHolder).on_conflict_do_nothing()


def hold_blobs(
    session: Session, blobs: Sequence[tuple[str, int]], user_id: int, district_id: int, now: dt.datetime
) -> None:
    """Verified blobs (``(sha256, size)``) exist for everyone, and this user holds them: a ``blob`` and a
    ``blob_holder`` row each, two statements for the lot. A row already there is left as it is (two uploaders may
    finish the same blob at once); the rows go in hash order, so two such transactions wait for each other rather
    than deadlock."""
    if not blobs:
        return
    ordered = sorted(blobs)
    if is_postgres(session):
        rows = _json([{"sha256": sha256, "size": size} for sha256, size in ordered])
        session.execute(_BLOB_INSERT, {"rows": rows, "now": now})
        session.execute(_HOLDER_INSERT, {"rows": rows, "user_id": user_id, "district_id": district_id, "now": now})
        return
    session.execute(
        _SQLITE_BLOB_INSERT,
        [
            {"sha256": sha, "size": size, "committed": size, "complete": True, "created_at": now}
            for sha, size in ordered
        ],
    )
    session.execute(
        _SQLITE_HOLDER_INSERT,
        [{"sha256": sha, "user_id": user_id, "district_id": district_id, "created_at": now} for sha, _ in ordered],
    )
