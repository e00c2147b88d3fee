"""The change feed: one monotonically increasing sequence, tombstones, and the horizon past which they go.

Visibility gap (SYNC.md): a transaction that took seq 41 must never commit after one that took 42, or a pull
between the two commits would move its cursor past 41 for good. Taking the sequence is ``UPDATE feed_state …
RETURNING``: the row stays locked until the writing transaction ends, so writers that take a seq are serialised
and seq order is commit order (on SQLite ``BEGIN IMMEDIATE`` already serialises writers). A reader reads the
committed ``last_seq`` first and serves only rows at or below it; everything at or below it has committed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, Protocol

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from app.sync.protocol import MAX_PAGE, ChangeRow, ChangesPage, ErrorCode
from server.errors import ApiError
from server.models import Device, FeedState, Record, User, utcnow
from server.policy import SHARED_ITEM_ENTITY, feed_scope
from server.security import Caller

DEFAULT_HORIZON = dt.timedelta(days=180)
SYNC_NOTE_EVERY = dt.timedelta(minutes=1)


def lock_feed(session: Session) -> None:
    """Take the feed row's lock now (first thing in a write transaction: writers then queue, never interleave)."""
    session.execute(update(FeedState).where(FeedState.id == 1).values(last_seq=FeedState.last_seq))


def next_seq(session: Session) -> int:
    value = session.execute(
        update(FeedState).where(FeedState.id == 1).values(last_seq=FeedState.last_seq + 1).returning(FeedState.last_seq)
    ).scalar_one()
    return int(value)


def touch(session: Session, record: Record, writer: str) -> None:
    """Give ``record`` the next seq: its current state is news for the feed."""
    record.seq = next_seq(session)
    record.writer = writer
    record.updated_at = utcnow()


PARENT_FIELDS: dict[str, str] = {
    "audit": "enterprise_id",
    "follow_up": "enterprise_id",
    "risk_indicator": "enterprise_id",
    "visit_assignment": "enterprise_id",
}
"""Which field of ``data`` names a record's parent; every other entity with an ``audit_id`` hangs on its audit."""


def parent_of(entity: str, data: dict[str, Any] | None) -> str | None:
    """The record ``data`` hangs on (kept in ``record.parent_id``, indexed: an audit's children are read by it)."""
    value = (data or {}).get(PARENT_FIELDS.get(entity, "audit_id"))
    return value[:64] if isinstance(value, str) and value else None


def put_record(
    session: Session,
    *,
    entity: str,
    entity_id: str,
    data: dict[str, Any],
    writer: str,
    district_id: int | None,
    owner_id: int | None = None,
    natural_key: str | None = None,
    version: int | None = None,
) -> Record:
    """Insert or replace a record (undeleting a tombstone) with a new seq."""
    record = session.get(Record, (entity, entity_id))
    if record is None:
        record = Record(entity=entity, entity_id=entity_id, meta={}, version=version or 1, seq=0)
        session.add(record)
    elif version is None:
        record.version += 1
    if version is not None:
        record.version = version
    record.data = data
    record.deleted = False
    record.district_id = district_id
    record.owner_id = owner_id if owner_id is not None else record.owner_id
    record.natural_key = natural_key
    record.parent_id = parent_of(entity, data)
    touch(session, record, writer)
    session.flush()
    return record


def tombstone(session: Session, record: Record, writer: str) -> None:
    record.deleted = True
    record.data = None
    record.natural_key = None
    record.version += 1
    touch(session, record, writer)


def purge_tombstones(session: Session, horizon: dt.timedelta = DEFAULT_HORIZON, now: dt.datetime | None = None) -> int:
    """Forget tombstones older than the horizon; clients whose cursor predates them must resync (410)."""
    cutoff = (now or utcnow()) - horizon
    lock_feed(session)
    old = select(Record.seq).where(Record.deleted.is_(True), Record.updated_at < cutoff)
    newest = session.scalar(select(func.max(old.subquery().c.seq)))
    if newest is None:
        return 0
    result = session.execute(
        delete(Record)
        .where(Record.deleted.is_(True), Record.updated_at < cutoff)
        .execution_options(synchronize_session=False)
    )
    state = session.get_one(FeedState, 1)
    state.purged_seq = max(state.purged_seq, int(newest))
    return int(getattr(result, "rowcount", 0) or 0)


class FeedRecord(Protocol):
    """What a feed row is made of: a stored :class:`Record`, or the columns of it the feed selects."""

    @property
    def seq(self) -> int: ...
    @property
    def entity(self) -> str: ...
    @property
    def entity_id(self) -> str: ...
    @property
    def deleted(self) -> bool: ...
    @property
    def version(self) -> int: ...
    @property
    def data(self) -> dict[str, Any] | None: ...
    @property
    def owner_id(self) -> int | None: ...


FEED_COLUMNS = (
    Record.seq,
    Record.entity,
    Record.entity_id,
    Record.deleted,
    Record.version,
    Record.data,
    Record.owner_id,
)
"""What the feed reads of a record (not the whole ORM object: a page is thousands of rows)."""


def change_row(record: FeedRecord) -> ChangeRow:
    """A feed row from stored values (built without re-validating them: the server wrote them)."""
    return ChangeRow.model_construct(
        seq=record.seq,
        entity=record.entity,
        entity_id=record.entity_id,
        op="delete" if record.deleted else "upsert",
        version=record.version,
        data=None if record.deleted else record.data,
    )


SHARED_ITEM_FIELDS = ("enterprise_id", "audit_id", "requirement", "deadline", "status", "verified_on")
"""What another coordinator's item shows: no responsible person, no phone, no notes (personal data stays home)."""


def _owner_names(session: Session, records: Sequence[FeedRecord]) -> dict[int, str]:
    owners = {r.owner_id for r in records if r.entity == SHARED_ITEM_ENTITY and r.owner_id is not None}
    if not owners:
        return {}
    users = session.execute(select(User.id, User.display_name, User.username).where(User.id.in_(owners)))
    return {user_id: display or username for user_id, display, username in users}


def shared_item_row(record: FeedRecord, names: dict[int, str]) -> ChangeRow:
    """An item of another coordinator, reduced to its status summary and the coordinator's name."""
    row = change_row(record)
    if record.deleted or record.data is None:
        return row
    summary: dict[str, Any] = {name: record.data.get(name) for name in SHARED_ITEM_FIELDS}
    summary["coordinator"] = names.get(record.owner_id, "") if record.owner_id is not None else ""
    return row.model_copy(update={"data": summary})


def note_sync(session: Session, device_id: str, now: dt.datetime | None = None) -> None:
    """Remember when a device last pulled (the office's device list shows it); at most one write a minute."""
    now = now or utcnow()
    session.execute(
        update(Device)
        .where(
            Device.id == device_id,
            (Device.last_sync_at.is_(None)) | (Device.last_sync_at < now - SYNC_NOTE_EVERY),
        )
        .values(last_sync_at=now)
    )


def changes(session: Session, caller: Caller, since: int, limit: int) -> ChangesPage:
    note_sync(session, caller.device_id)
    state = session.execute(select(FeedState.last_seq, FeedState.purged_seq).where(FeedState.id == 1)).one()
    committed, purged = int(state.last_seq), int(state.purged_seq)
    if 0 < since < purged:
        raise ApiError(410, ErrorCode.CURSOR_EXPIRED, "本机数据太久未同步，需要重新下载全部基础数据")
    limit = max(1, min(limit, MAX_PAGE))
    records = session.execute(
        select(*FEED_COLUMNS)
        .where(Record.seq > since, Record.seq <= committed, feed_scope(caller))
        .order_by(Record.seq)
        .limit(limit + 1)
    ).all()
    has_more = len(records) > limit
    page = records[:limit]
    names = _owner_names(session, page)
    rows = [
        shared_item_row(record, names) if record.entity == SHARED_ITEM_ENTITY else change_row(record) for record in page
    ]
    next_since = rows[-1].seq if has_more else max(since, committed)
    return ChangesPage.model_construct(rows=rows, next_since=next_since, has_more=has_more)
