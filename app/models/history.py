"""The change history: an append-only record of every correction made after a visit was finished.

A reviewer (the district office, an enterprise disputing a notice, an auditor) must be able to see who changed
what, when, on which laptop and why. One row per changed field keeps the old and the new value side by side as
JSON text. Rows are only ever inserted: the database refuses UPDATE and DELETE on this table (triggers in the
migration that creates it), so no code path — UI, CLI, sync, a bug — can rewrite the past.

``audit_id`` is deliberately not a foreign key: the history of an audit must outlive its local copy (a laptop
may drop old synced audits), and it is what proves the audit's story on the server.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, UtcDateTime, id_column, utcnow


class ChangeHistory(Base):
    """One changed field of one entity (``audit``, ``finding``, ``rectification_item``, ``notice``)."""

    __tablename__ = "change_history"

    id: Mapped[str] = id_column()
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(String(36), index=True)
    audit_id: Mapped[str] = mapped_column(String(36), index=True)
    field: Mapped[str] = mapped_column(String(60))
    old_value: Mapped[str | None] = mapped_column(Text)
    """The value before, as JSON text (``null`` for none)."""
    new_value: Mapped[str | None] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text)
    who: Mapped[str] = mapped_column(String(50))
    """The coordinator's name as registered on the laptop that made the change."""
    device_code: Mapped[str] = mapped_column(String(8))
    changed_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=utcnow)
