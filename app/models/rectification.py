"""Findings and the rectification items that follow them until verified (整改一条消除一条)."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, UtcDateTime, created_column, id_column, str_enum, utcnow
from core.ledger import progress_text as ledger_progress_text


class ItemStatus(enum.StrEnum):
    """Stored statuses. "Overdue" is not stored: it is open or submitted past the deadline, computed for a day."""

    OPEN = "open"
    SUBMITTED = "submitted"
    VERIFIED = "verified"


class Finding(Base):
    """A problem found on a visit, with its legal basis as cited by the template version used.

    ``description`` is the statement chosen from the template item's ``finding`` by the visit's figures
    (:func:`core.statements.choose_statement`).

    A finding is never deleted once the audit is finished; removing it needs a reason (``removed_reason``).
    """

    __tablename__ = "finding"

    id: Mapped[str] = id_column()
    audit_id: Mapped[str] = mapped_column(ForeignKey("audit.id", ondelete="CASCADE"), index=True)
    module: Mapped[str] = mapped_column(String(20))
    item_id: Mapped[str] = mapped_column(String(30))
    severity: Mapped[str] = mapped_column(String(4))
    title: Mapped[str] = mapped_column(String(200), default="")
    """The checklist item's short name as its template version gave it (summaries name items by it, not by code)."""
    description: Mapped[str] = mapped_column(Text)
    """The statement of what was found, as the notice prints it (经查，你单位……。); the coordinator may edit it
    before the notice is signed (recorded in the change history)."""
    description_en: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")
    """The coordinator's note from the answer: kept in the record and the ledger."""
    note_on_notice: Mapped[bool] = mapped_column(default=False)
    """Print the note on the notice (the coordinator marks it; off by default)."""
    basis: Mapped[list[Any]] = mapped_column(default=list)
    figures: Mapped[list[Any]] = mapped_column(default=list)
    source: Mapped[str] = mapped_column(String(10), default="answer")
    position: Mapped[int] = mapped_column(default=0)
    removed_reason: Mapped[str | None] = mapped_column(Text)
    removed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    created_at: Mapped[dt.datetime] = created_column()

    item: Mapped[RectificationItem | None] = relationship(back_populates="finding", uselist=False)


class FollowUp(Base):
    """A follow-up visit (复查) or a review of documents the enterprise sent, verifying items."""

    __tablename__ = "follow_up"

    id: Mapped[str] = id_column()
    enterprise_id: Mapped[str] = mapped_column(ForeignKey("enterprise.id"), index=True)
    coordinator_id: Mapped[str] = mapped_column(ForeignKey("coordinator.id"))
    visit_date: Mapped[dt.date]
    method: Mapped[str] = mapped_column(String(20), default="on_site")
    note: Mapped[str] = mapped_column(Text, default="")
    evidence_attachment_ids: Mapped[list[Any]] = mapped_column(default=list)
    """Attachments (photos or documents) that show the rectification; with ``evidence_reference``, at least one."""
    evidence_reference: Mapped[str] = mapped_column(Text, default="")
    """A reference to a document seen or received (e.g. "工资发放银行流水 2026年10月，企业盖章")."""
    created_at: Mapped[dt.datetime] = created_column()


class RectificationItem(Base):
    """What the enterprise must do, by when, and who answers for it; tracked open → submitted → verified."""

    __tablename__ = "rectification_item"

    id: Mapped[str] = id_column()
    finding_id: Mapped[str] = mapped_column(ForeignKey("finding.id", ondelete="CASCADE"), unique=True)
    audit_id: Mapped[str] = mapped_column(ForeignKey("audit.id", ondelete="CASCADE"), index=True)
    enterprise_id: Mapped[str] = mapped_column(ForeignKey("enterprise.id"), index=True)
    requirement: Mapped[str] = mapped_column(Text)
    deadline: Mapped[dt.date] = mapped_column(index=True)
    deadline_days: Mapped[int]
    deadline_working_days: Mapped[bool]
    deadline_estimated: Mapped[bool] = mapped_column(default=False)
    responsible_person: Mapped[str] = mapped_column(String(50), default="")
    responsible_phone: Mapped[str] = mapped_column(String(50), default="")
    status: Mapped[ItemStatus] = mapped_column(
        str_enum(ItemStatus, "item_status"),
        default=ItemStatus.OPEN,
        index=True,
    )
    submitted_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    submitted_note: Mapped[str] = mapped_column(Text, default="")
    verified_on: Mapped[dt.date | None]
    verified_by: Mapped[str] = mapped_column(String(50), default="")
    verification_note: Mapped[str] = mapped_column(Text, default="")
    follow_up_id: Mapped[str | None] = mapped_column(ForeignKey("follow_up.id"))
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[dt.datetime] = created_column()
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=utcnow, onupdate=utcnow)

    finding: Mapped[Finding] = relationship(back_populates="item")

    def is_overdue(self, today: dt.date) -> bool:
        return self.status is not ItemStatus.VERIFIED and self.deadline < today

    def progress_text(self, today: dt.date) -> str:
        """整改情况 as the ledger and the screens show it."""
        return progress_text(
            self.status,
            deadline=self.deadline,
            today=today,
            submitted_at=self.submitted_at,
            verified_on=self.verified_on,
            verified_by=self.verified_by,
        )


def progress_text(
    status: ItemStatus,
    *,
    deadline: dt.date,
    today: dt.date,
    submitted_at: dt.datetime | None = None,
    verified_on: dt.date | None = None,
    verified_by: str = "",
) -> str:
    """整改情况 (the one wording, :func:`core.ledger.progress_text`)."""
    return ledger_progress_text(
        status,
        deadline=deadline,
        today=today,
        submitted_at=submitted_at,
        verified_on=verified_on,
        verified_by=verified_by,
    )
