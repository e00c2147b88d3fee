"""A wage-evidence check of an audit: the enterprise's payroll and attendance checked worker by worker, month by
month (:mod:`app.wage_evidence`).

``evidence_sha256`` names the evidence table in the (encrypted) blob store — every breach with its worker, month,
figure, legal line and shortfall — so a check of 5,000 workers is one row to sync and its table travels like a
photo (resumable, deduplicated). ``summary`` keeps the totals the screens show without opening the table;
``exclusions`` the workers the coordinator left out, each with the reason (also in the change history).
``sources`` names the raw sheets, stored as attachments of kind ``sheet``: they fall under retention with the photos.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, UtcDateTime, created_column, id_column, utcnow


class WageCheck(Base):
    __tablename__ = "wage_check"

    id: Mapped[str] = id_column()
    audit_id: Mapped[str] = mapped_column(ForeignKey("audit.id", ondelete="CASCADE"), index=True)
    settings: Mapped[dict[str, Any]] = mapped_column(default=dict)
    """What the check was run with: minimum-wage region, grade and table hash, pay day, meal break, date."""
    sources: Mapped[list[Any]] = mapped_column(default=list)
    """The sheets read: ``[{"attachment_id", "kind", "name", "rows"}]``."""
    summary: Mapped[dict[str, Any]] = mapped_column(default=dict)
    evidence_sha256: Mapped[str] = mapped_column(ForeignKey("blob.sha256"))
    exclusions: Mapped[dict[str, Any]] = mapped_column(default=dict)
    """Workers left out by key: ``{key: {"name", "reason"}}``."""
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[dt.datetime] = created_column()
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=utcnow, onupdate=utcnow)


class WageSheetProfile(Base):
    """How this enterprise's sheets were read last time (columns, minimum-wage grade, pay day): local only, so
    the next visit starts from the coordinator's own corrections."""

    __tablename__ = "wage_sheet_profile"

    enterprise_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("enterprise.id", ondelete="CASCADE"), primary_key=True
    )
    settings: Mapped[dict[str, Any]] = mapped_column(default=dict)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=utcnow, onupdate=utcnow)
