"""Sync bookkeeping: the transactional outbox, pull cursors and the conflict log.

Every change to an entity that must reach the server is written to the outbox *in the same transaction* as the
change itself (an ``after_flush`` hook on the laptop's session class), so no service can forget to record a
change and a crash can never separate the two. The outbox row's integer ``seq`` is the per-device mutation
order; ``mutation_id`` is the mutation's own UUID that the server records to apply it exactly once.
"""

from __future__ import annotations

import datetime as dt
import decimal
import enum
from typing import Any

from sqlalchemy import Integer, String, Text, event, insert, inspect
from sqlalchemy.orm import Mapped, Session, UOWTransaction, mapped_column

from app.models.base import Base, UtcDateTime, created_column, id_column, new_id, utcnow

SUPPRESS_OUTBOX = "suppress_outbox"
"""Set ``session.info[SUPPRESS_OUTBOX] = True`` when applying data that came *from* the server."""


class OutboxEntry(Base):
    __tablename__ = "outbox"
    __table_args__ = {"sqlite_autoincrement": True}

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    mutation_id: Mapped[str] = mapped_column(String(36), unique=True)
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(String(64), index=True)
    op: Mapped[str] = mapped_column(String(10))
    payload: Mapped[dict[str, Any]]
    base_version: Mapped[int | None]
    created_at: Mapped[dt.datetime] = created_column()


class SyncCursor(Base):
    """Where the pull feed stopped, per feed name; written in the same transaction as the page it ends."""

    __tablename__ = "sync_cursor"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(String(100))
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=utcnow, onupdate=utcnow)


class ConflictLog(Base):
    """A value that lost a merge. Kept so the user can see it: nothing is silently dropped."""

    __tablename__ = "conflict_log"

    id: Mapped[str] = id_column()
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(String(64), index=True)
    field: Mapped[str] = mapped_column(String(60))
    local_value: Mapped[str | None] = mapped_column(Text)
    server_value: Mapped[str | None] = mapped_column(Text)
    resolution: Mapped[str] = mapped_column(String(200))
    reviewed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    created_at: Mapped[dt.datetime] = created_column()


SYNCED_TABLES = frozenset(
    {
        "enterprise",
        "audit",
        "audit_module",
        "answer",
        "attachment",
        "finding",
        "rectification_item",
        "follow_up",
        "notice",
        "change_history",
        "wage_check",
    }
)


LOCAL_ONLY_COLUMNS: dict[str, frozenset[str]] = {
    # Computed on the laptop from local data; the server computes its own. A change to these alone is no mutation.
    "enterprise": frozenset({"risk_grade", "risk_reasons", "name_initials", "updated_at"}),
}


def _changed_columns(obj: Any) -> set[str]:
    state = inspect(obj)
    return {attr.key for attr in state.mapper.column_attrs if state.attrs[attr.key].history.has_changes()}


def _jsonable(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    return value


def row_payload(obj: Any) -> dict[str, Any]:
    """The entity's columns as JSON values: what a mutation carries."""
    mapper = inspect(obj).mapper
    return {attr.key: _jsonable(getattr(obj, attr.key)) for attr in mapper.column_attrs}


def _from_json(column_type: Any, value: Any) -> Any:
    if value is None:
        return None
    enum_class = getattr(column_type, "enum_class", None)
    if enum_class is not None:
        return enum_class(value)
    try:
        python_type = getattr(
            column_type, "impl_instance", column_type
        ).python_type  # a TypeDecorator's own says object
    except NotImplementedError:
        return value
    if python_type is dt.datetime:
        parsed = dt.datetime.fromisoformat(value)
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)
    if python_type is dt.date:
        return dt.date.fromisoformat(value)
    if python_type is decimal.Decimal:
        return decimal.Decimal(value)
    return value


def from_payload(model: type[Any], data: dict[str, Any]) -> Any:
    """The inverse of :func:`row_payload`: a new ``model`` object from a mutation's (or the server's) JSON."""
    values = {}
    for attr in inspect(model).column_attrs:
        if attr.key in data:
            values[attr.key] = _from_json(attr.columns[0].type, data[attr.key])
    return model(**values)


def _record_mutations(session: Session, _flush: UOWTransaction) -> None:
    if session.info.get(SUPPRESS_OUTBOX):
        return
    rows: list[dict[str, Any]] = []
    for op, objects in (("insert", session.new), ("update", session.dirty), ("delete", session.deleted)):
        for obj in objects:
            table = getattr(obj, "__tablename__", None)
            if table not in SYNCED_TABLES:
                continue
            if op == "update" and not (_changed_columns(obj) - LOCAL_ONLY_COLUMNS.get(table, frozenset())):
                continue
            state = inspect(obj)
            primary_key = "/".join(str(part) for part in state.identity or state.mapper.primary_key_from_instance(obj))
            rows.append(
                {
                    "mutation_id": new_id(),
                    "entity": table,
                    "entity_id": primary_key,
                    "op": op,
                    "payload": {} if op == "delete" else row_payload(obj),
                    "base_version": getattr(obj, "version", None),
                    "created_at": utcnow(),
                }
            )
    if rows:
        session.connection().execute(insert(OutboxEntry), rows)


def install_outbox(session_class: type[Session]) -> None:
    """Record every flushed change of a synced table in the outbox (idempotent)."""
    if not event.contains(session_class, "after_flush", _record_mutations):
        event.listen(session_class, "after_flush", _record_mutations)


__all__ = ["SUPPRESS_OUTBOX", "ConflictLog", "OutboxEntry", "SyncCursor", "install_outbox", "row_payload"]
