"""The server's tables: users and devices, the generic record store with its change feed, blobs, and bookkeeping.

Records are stored Kinto-style in one table keyed by ``(entity, entity_id)``: each row carries the district it
belongs to, its owner, an optimistic-concurrency ``version``, the JSON ``data`` the laptop sent (or the office
wrote) and the feed ``seq`` of its last change. A delete keeps the row as a tombstone (``deleted``) until the
horizon passes. One table for every entity keeps the feed, the scope rules and the tombstones in one place; the
entity-specific rules (merge, notices, ownership) live in :mod:`server.push` and :mod:`server.merge`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class UtcDateTime(TypeDecorator[dt.datetime]):
    """Aware UTC in Python on both engines (SQLite keeps naive UTC, PostgreSQL ``timestamptz``)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given where a UTC timestamp is stored")
        value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {dt.datetime: UtcDateTime(), dict[str, Any]: JSON()}


class City(Base):
    """A city (市) whose districts report to it: its users see their districts side by side (区县 → 市 → 省)."""

    __tablename__ = "city"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class District(Base):
    __tablename__ = "district"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    city_id: Mapped[int | None] = mapped_column(ForeignKey("city.id"), index=True)
    retention_days: Mapped[int | None] = mapped_column(Integer)
    """How long a synced, closed audit stays whole on this district's laptops (None: no limit)."""
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class User(Base):
    __tablename__ = "app_user"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    display_name: Mapped[str] = mapped_column(String(100), default="")
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    district_id: Mapped[int | None] = mapped_column(ForeignKey("district.id"))
    """The user's district; None only for a city user (role ``city``), who has ``city_id`` instead."""
    city_id: Mapped[int | None] = mapped_column(ForeignKey("city.id"))
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Device(Base):
    """A laptop registered at its first sign-in. Only the SHA-256 of its token is stored."""

    __tablename__ = "device"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), index=True)
    name: Mapped[str] = mapped_column(String(100), default="")
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[dt.datetime | None]
    last_sync_at: Mapped[dt.datetime | None]
    """When the device last pulled the change feed (shown to the office; updated at most once a minute)."""


class LoginFailure(Base):
    """One failed sign-in, counted per (user name, client address) so the throttle holds across every worker and
    a stranger elsewhere cannot slow down the coordinator's own sign-in (:mod:`server.security`)."""

    __tablename__ = "login_failure"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(80), index=True)
    address: Mapped[str] = mapped_column(String(64), default="")
    at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)


class AppliedMutation(Base):
    """A mutation applied once: the primary key makes a replay a duplicate, and ``result`` is answered again."""

    __tablename__ = "applied_mutation"

    device_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    mutation_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger)
    result: Mapped[dict[str, Any]]
    digest: Mapped[str | None] = mapped_column(String(64))
    """What the mutation said (:func:`server.push.mutation_digest`): a replay with other content is a conflict."""
    applied_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Record(Base):
    """Any synced entity: the generic record store (see the module docstring)."""

    __tablename__ = "record"
    __table_args__ = (
        UniqueConstraint("entity", "natural_key", name="uq_record_entity_natural_key"),
        Index("ix_record_seq", "seq"),
        Index("ix_record_district_entity", "district_id", "entity"),
        Index("ix_record_parent", "parent_id", "entity"),
    )

    entity: Mapped[str] = mapped_column(String(40), primary_key=True)
    entity_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    natural_key: Mapped[str | None] = mapped_column(String(120))
    parent_id: Mapped[str | None] = mapped_column(String(64))
    """The record this one hangs on, copied out of ``data`` so lookups by it use an index: the audit of audit data,
    the enterprise of an audit, a follow-up, a risk indicator or a visit assignment (see ``feed.PARENT_FIELDS``)."""
    district_id: Mapped[int | None] = mapped_column(Integer)
    owner_id: Mapped[int | None] = mapped_column(Integer)
    """The district and the user a record belongs to: ids of ``district`` and ``app_user``, with no foreign key.
    The server sets both from the signed-in caller or from the record's parent, never from what a client sends,
    and it deletes neither districts nor users (a user is disabled). A foreign key would check them anyway, once
    per inserted record: a trigger and a lock on the district's and the user's row (every push of a district locks
    the same district row), a third of PostgreSQL's CPU for inserting a push's records (16,000: 390 → 270 ms)."""
    version: Mapped[int] = mapped_column(Integer, default=1)
    data: Mapped[dict[str, Any] | None] = mapped_column(JSON())
    meta: Mapped[dict[str, Any]] = mapped_column(JSON(), default=dict)
    writer: Mapped[str] = mapped_column(String(80), default="")
    seq: Mapped[int] = mapped_column(BigInteger)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class RecordHistory(Base):
    """Past versions of shared records (enterprises): the base of a three-way per-field merge."""

    __tablename__ = "record_history"

    entity: Mapped[str] = mapped_column(String(40), primary_key=True)
    entity_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    data: Mapped[dict[str, Any]]


class ConflictEntry(Base):
    """A value that lost a merge, or a coordinator's proposed change of an office-owned field."""

    __tablename__ = "conflict_entry"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    district_id: Mapped[int] = mapped_column(ForeignKey("district.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    device_id: Mapped[str | None] = mapped_column(String(64))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(String(64))
    field: Mapped[str] = mapped_column(String(60))
    proposed_value: Mapped[str | None] = mapped_column(Text)
    server_value: Mapped[str | None] = mapped_column(Text)
    resolution: Mapped[str] = mapped_column(String(200))
    is_proposal: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    reviewed_at: Mapped[dt.datetime | None]
    """When the office accepted or rejected the proposal (None: waiting for review)."""
    reviewed_by: Mapped[str | None] = mapped_column(String(80))
    review: Mapped[str | None] = mapped_column(String(20))
    """``accepted`` or ``rejected``."""
    review_reason: Mapped[str | None] = mapped_column(Text)


class StoredBlob(Base):
    """A verified attachment: a row exists only once its SHA-256 matched (``complete``, ``committed == size``).
    Uploads in progress are :class:`BlobUpload` rows, one per uploader."""

    __tablename__ = "blob"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(BigInteger)
    committed: Mapped[int] = mapped_column(BigInteger, default=0)
    complete: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class BlobUpload(Base):
    """One user's resumable upload of a blob: ``committed`` bytes of it are on disk. Belongs to its uploader:
    nobody else's request can move or reset it."""

    __tablename__ = "blob_upload"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), primary_key=True)
    size: Mapped[int] = mapped_column(BigInteger)
    committed: Mapped[int] = mapped_column(BigInteger, default=0)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class BlobHolder(Base):
    """A user who has proven they hold a blob's bytes (they uploaded all of it). Only a holder may attach it to a
    record; a blob is served only for a record whose owner holds it (or to a holder)."""

    __tablename__ = "blob_holder"

    sha256: Mapped[str] = mapped_column(ForeignKey("blob.sha256"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), primary_key=True)
    district_id: Mapped[int] = mapped_column(ForeignKey("district.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class FeedState(Base):
    """One row: the change sequence (``last_seq``) and the tombstone horizon (``purged_seq``).

    The sequence is taken by ``UPDATE … RETURNING`` on this row, whose lock is held until the writing transaction
    commits; so seq order is commit order and a pull can never skip a row that commits late (SYNC.md, property 5).
    """

    __tablename__ = "feed_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_seq: Mapped[int] = mapped_column(BigInteger, default=0)
    purged_seq: Mapped[int] = mapped_column(BigInteger, default=0)
