"""A visit (体检): the modules checked, the inputs observed and the answer to every item."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, UtcDateTime, created_column, id_column, str_enum, utcnow


class AuditStatus(enum.StrEnum):
    IN_PROGRESS = "in_progress"
    FINISHED = "finished"


class AnswerStatus(enum.StrEnum):
    COMPLIANT = "compliant"
    NON_COMPLIANT = "non_compliant"
    NOT_APPLICABLE = "not_applicable"
    NOT_CHECKED = "not_checked"


class Audit(Base):
    """One on-site health check of one enterprise.

    ``inputs`` holds the visit inputs by id (headcount, laid_off, ...) as observed that day; ``enterprise_facts``
    snapshots the registry facts as they stood, so the ledger shows what the coordinator saw even after the
    registry changes. ``version`` increases on every change and is the base for optimistic concurrency in sync.
    """

    __tablename__ = "audit"

    id: Mapped[str] = id_column()
    enterprise_id: Mapped[str] = mapped_column(ForeignKey("enterprise.id"), index=True)
    campaign_id: Mapped[str | None] = mapped_column(ForeignKey("campaign.id"), index=True)
    coordinator_id: Mapped[str] = mapped_column(ForeignKey("coordinator.id"))
    co_coordinators: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[AuditStatus] = mapped_column(str_enum(AuditStatus, "audit_status"), default=AuditStatus.IN_PROGRESS)
    visit_date: Mapped[dt.date]
    inputs: Mapped[dict[str, Any]] = mapped_column(default=dict)
    enterprise_facts: Mapped[dict[str, Any]] = mapped_column(default=dict)
    finished_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    arrived_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    """When the coordinators arrived at the enterprise (what a reviewer asks first)."""
    departed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    people_met: Mapped[list[Any]] = mapped_column(default=list)
    """Who received the visit: ``[{"name": …, "role": …}]`` (the enterprise's people, personal data)."""
    documents_inspected: Mapped[list[Any]] = mapped_column(default=list)
    """The documents looked at on site (花名册, 劳动合同, 工资表 …), as plain text entries."""
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[dt.datetime] = created_column()
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=utcnow, onupdate=utcnow)

    modules: Mapped[list[AuditModule]] = relationship(
        back_populates="audit", order_by="AuditModule.position", cascade="all, delete-orphan"
    )


class AuditModule(Base):
    """A checklist module used by an audit, pinned to the exact template version it started with."""

    __tablename__ = "audit_module"
    __table_args__ = (UniqueConstraint("audit_id", "module"),)

    id: Mapped[str] = id_column()
    audit_id: Mapped[str] = mapped_column(ForeignKey("audit.id", ondelete="CASCADE"), index=True)
    module: Mapped[str] = mapped_column(String(20))
    template_id: Mapped[str] = mapped_column(ForeignKey("template.id"))
    position: Mapped[int]
    suggested: Mapped[bool] = mapped_column(default=True)

    audit: Mapped[Audit] = relationship(back_populates="modules")


class Answer(Base):
    """The coordinator's answer to one item, committed the moment it is given.

    ``source`` is ``user`` or ``rule`` (a computed rule marked it non-compliant from the visit inputs); ``kind``
    copies the item's kind (``check``, ``signal``, ``computed``) so risk grading need not reload the template.
    ``skip_reason`` explains a ``not_checked`` item when the audit is finished.
    """

    __tablename__ = "answer"
    __table_args__ = (UniqueConstraint("audit_id", "item_id"),)

    id: Mapped[str] = id_column()
    audit_id: Mapped[str] = mapped_column(ForeignKey("audit.id", ondelete="CASCADE"), index=True)
    module: Mapped[str] = mapped_column(String(20))
    item_id: Mapped[str] = mapped_column(String(30))
    status: Mapped[AnswerStatus] = mapped_column(str_enum(AnswerStatus, "answer_status"))
    note: Mapped[str] = mapped_column(Text, default="")
    skip_reason: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(10), default="user")
    kind: Mapped[str] = mapped_column(String(10), default="check")
    created_at: Mapped[dt.datetime] = created_column()
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=utcnow, onupdate=utcnow)
