"""Documents the district office published for every laptop (minimum-wage tables, holiday schedules), as received
at sync.

Local only: they arrive through the change feed (:mod:`app.sync.publications` validates each one at the edge with
the schema in :mod:`core.publications`) and are never pushed. One row per ``(kind, key)`` — the newest version the
office published; an audit that used a table keeps its own copy of the figures it was checked against.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from app.models.base import Base, UtcDateTime, utcnow
from core.publications import HOLIDAY_CALENDAR, holiday_schedule
from core.workdays import HolidaySchedule


class Publication(Base):
    __tablename__ = "publication"
    __table_args__ = (UniqueConstraint("kind", "key"),)

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    """The server's record id."""
    kind: Mapped[str] = mapped_column(String(40))
    key: Mapped[str] = mapped_column(String(80))
    version: Mapped[int]
    content: Mapped[dict[str, Any]] = mapped_column(JSON())
    content_hash: Mapped[str] = mapped_column(String(64))
    received_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=utcnow)


def published(session: Session, kind: str) -> list[Publication]:
    """Every document of ``kind`` this laptop holds, by key."""
    return list(session.scalars(select(Publication).where(Publication.kind == kind).order_by(Publication.key)))


def holiday_schedules(session: Session) -> list[HolidaySchedule]:
    """Every year's schedule the office published, as this laptop keeps them: deadlines count by them."""
    return [holiday_schedule(row.content) for row in published(session, HOLIDAY_CALENDAR)]
