"""The laptop's record of audits whose bulk retention removed: a stub the coordinator can pull back.

Local only (not in ``SYNCED_TABLES``): the server holds the whole audit, and whether this laptop still has the
answers and photos is nobody else's business. The audit row, its findings, items, notices and change history
stay; the row here says what went and when, so the screens can say so and offer to fetch it back. After a
pull-back the row stays with ``restored_at`` set: retention counts the next period from that day.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ColumnElement, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, UtcDateTime


class ArchivedAudit(Base):
    __tablename__ = "archived_audit"

    audit_id: Mapped[str] = mapped_column(String(36), ForeignKey("audit.id", ondelete="CASCADE"), primary_key=True)
    archived_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    retention_days: Mapped[int]
    answers: Mapped[int]
    attachments: Mapped[int]
    blob_hashes: Mapped[list[Any]] = mapped_column(default=list)
    """The files removed with it: a removal cut short by a crash is finished from this list at the next run."""
    restored_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    """Set when the audit was pulled back: it is whole again and stays so for another retention period."""

    @classmethod
    def current(cls) -> ColumnElement[bool]:
        """The rows of audits archived now (not pulled back since)."""
        return cls.restored_at.is_(None)
