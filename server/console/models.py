"""The console's own tables: browser sessions, the append-only log of office actions, and the read model.

The read model (``ledger_entry``, ``audit_summary``, ``enterprise_risk``, ``plan_assignment``) is derived from the
record store the sync writes, by :mod:`server.console.projection`, which follows the change feed exactly as a
laptop does (a cursor over ``record.seq``). It exists because the office's questions — every item of the
district, filtered and sorted, counted by state, ranked by risk — need typed, indexed columns that JSON rows
cannot give; it holds nothing that is not in the records, and can be rebuilt from them at any time.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, Date, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from server.models import Base, utcnow


class ConsoleSession(Base):
    """A signed-in browser. The cookie holds a random token; only its SHA-256 is stored here."""

    __tablename__ = "console_session"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    language: Mapped[str] = mapped_column(String(8), default="zh")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[dt.datetime]


class OfficeAction(Base):
    """One action taken in the console (or by the office's tools): who, when, what, on what.

    Append-only: the database itself refuses UPDATE and DELETE on this table (triggers made by the migration).
    ``detail`` never carries workers' personal data: ids, counts, field names and office-owned values only.
    """

    __tablename__ = "office_action"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    username: Mapped[str] = mapped_column(String(80))
    district_id: Mapped[int | None] = mapped_column(ForeignKey("district.id"), index=True)
    action: Mapped[str] = mapped_column(String(60))
    target: Mapped[str] = mapped_column(String(200), default="")
    detail: Mapped[dict[str, Any]] = mapped_column(JSON(), default=dict)


class ProjectionState(Base):
    """One row: how far the read model has followed the change feed, and the day its risk grades are for."""

    __tablename__ = "projection_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    cursor: Mapped[int] = mapped_column(BigInteger, default=0)
    graded_on: Mapped[dt.date | None] = mapped_column(Date)


class LedgerEntry(Base):
    """One finding and its rectification item (1:1), with what the ledger filters and sorts on.

    A row may be partial while its parts arrive in separate pushes: ``module`` is None until the finding came,
    ``item_id`` None until the item came. ``live`` means: finding and audit present, not removed, not deleted,
    audit finished — the rows every figure counts (the same rule as the laptop's ledger and statistics).
    """

    __tablename__ = "ledger_entry"
    __table_args__ = (
        Index("ix_ledger_entry_district_deadline", "district_id", "deadline", "finding_id"),
        Index("ix_ledger_entry_district_visit", "district_id", "visit_date", "finding_id"),
        Index("ix_ledger_entry_district_enterprise_name", "district_id", "enterprise_name", "finding_id"),
        Index("ix_ledger_entry_district_coordinator", "district_id", "coordinator", "finding_id"),
        Index("ix_ledger_entry_district_severity", "district_id", "severity_rank", "finding_id"),
        Index("ix_ledger_entry_district_status", "district_id", "status", "deadline"),
        Index("ix_ledger_entry_district_module", "district_id", "module", "finding_id"),
        Index("ix_ledger_entry_enterprise", "enterprise_id"),
        Index("ix_ledger_entry_audit", "audit_id"),
        Index("ix_ledger_entry_owner", "owner_id", "deadline"),
        Index("ix_ledger_entry_campaign", "campaign_id", "deadline"),
    )

    finding_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    district_id: Mapped[int | None] = mapped_column(Integer)
    audit_id: Mapped[str | None] = mapped_column(String(64))
    owner_id: Mapped[int | None] = mapped_column(Integer)
    coordinator: Mapped[str] = mapped_column(String(100), default="")
    enterprise_id: Mapped[str | None] = mapped_column(String(64))
    enterprise_name: Mapped[str] = mapped_column(String(200), default="")
    campaign_id: Mapped[str | None] = mapped_column(String(64))
    visit_date: Mapped[dt.date | None] = mapped_column(Date)
    module: Mapped[str | None] = mapped_column(String(20))
    severity: Mapped[str | None] = mapped_column(String(4))
    severity_rank: Mapped[int] = mapped_column(Integer, default=0)
    """高 2, 中 1, 低 and anything else 0: the order a sort by severity means."""
    removed: Mapped[bool] = mapped_column(Boolean, default=False)
    audit_finished: Mapped[bool] = mapped_column(Boolean, default=False)
    live: Mapped[bool] = mapped_column(Boolean, default=False)
    item_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    status: Mapped[str | None] = mapped_column(String(20))
    deadline: Mapped[dt.date | None] = mapped_column(Date)
    created_on: Mapped[dt.date | None] = mapped_column(Date)
    verified_on: Mapped[dt.date | None] = mapped_column(Date)
    follow_up_by: Mapped[int | None] = mapped_column(Integer)
    """A coordinator the office reassigned the follow-up (复查) to; None: the item's owner does it."""


class AuditSummary(Base):
    """One visit, as the dashboard and the plans count it."""

    __tablename__ = "audit_summary"
    __table_args__ = (
        Index("ix_audit_summary_district_visit", "district_id", "visit_date"),
        Index("ix_audit_summary_enterprise", "enterprise_id", "visit_date"),
    )

    audit_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    district_id: Mapped[int | None] = mapped_column(Integer)
    enterprise_id: Mapped[str] = mapped_column(String(64))
    enterprise_name: Mapped[str] = mapped_column(String(200), default="")
    owner_id: Mapped[int | None] = mapped_column(Integer)
    campaign_id: Mapped[str | None] = mapped_column(String(64))
    visit_date: Mapped[dt.date | None] = mapped_column(Date)
    finished: Mapped[bool] = mapped_column(Boolean, default=False)


class EnterpriseRisk(Base):
    """Every enterprise of the registry with its risk grade for ``graded_on`` (core.risk) and the reasons."""

    __tablename__ = "enterprise_risk"
    __table_args__ = (
        Index("ix_enterprise_risk_district_score", "district_id", "score", "enterprise_id"),
        Index("ix_enterprise_risk_district_grade", "district_id", "grade"),
        Index("ix_enterprise_risk_district_name", "district_id", "name"),
        Index("ix_enterprise_risk_district_uscc", "district_id", "uscc"),
    )

    enterprise_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    district_id: Mapped[int | None] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(200), default="")
    uscc: Mapped[str] = mapped_column(String(40), default="")
    industry: Mapped[str] = mapped_column(String(100), default="")
    grade: Mapped[str] = mapped_column(String(4), default="低")
    score: Mapped[int] = mapped_column(Integer, default=0)
    factors: Mapped[list[Any]] = mapped_column(JSON(), default=list)
    open_items: Mapped[int] = mapped_column(Integer, default=0)
    overdue_items: Mapped[int] = mapped_column(Integer, default=0)
    last_visit: Mapped[dt.date | None] = mapped_column(Date)
    graded_on: Mapped[dt.date | None] = mapped_column(Date)


class PlanAssignment(Base):
    """One enterprise of a visit plan (or one reassigned follow-up) and the coordinator sent there."""

    __tablename__ = "plan_assignment"
    __table_args__ = (
        Index("ix_plan_assignment_plan", "plan_id"),
        Index("ix_plan_assignment_district", "district_id", "enterprise_id"),
        Index("ix_plan_assignment_assignee", "assignee_id"),
    )

    assignment_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    district_id: Mapped[int | None] = mapped_column(Integer)
    plan_id: Mapped[str] = mapped_column(String(64))
    campaign_id: Mapped[str | None] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(20), default="visit")
    enterprise_id: Mapped[str] = mapped_column(String(64))
    assignee_id: Mapped[int | None] = mapped_column(Integer)
    target_date: Mapped[dt.date | None] = mapped_column(Date)
    assigned_on: Mapped[dt.date | None] = mapped_column(Date)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
