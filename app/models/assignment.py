"""Visit assignments from the district office (走访计划 and reassigned follow-ups), as the change feed brings them.

Written only by pull (never by the user, never sent back): the office decides where coordinators go. Every
assignment of the district is kept, so a coordinator also sees a follow-up the office moved away from them; the
待体检 list shows the signed-in coordinator's own, riskiest first.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, UtcDateTime, utcnow


class VisitAssignment(Base):
    __tablename__ = "visit_assignment"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    plan_name: Mapped[str] = mapped_column(String(100), default="")
    kind: Mapped[str] = mapped_column(String(20), default="visit")
    enterprise_id: Mapped[str] = mapped_column(String(64), index=True)
    enterprise_name: Mapped[str] = mapped_column(String(200), default="")
    uscc: Mapped[str] = mapped_column(String(40), default="")
    assignee: Mapped[str] = mapped_column(String(80), index=True)
    assignee_name: Mapped[str] = mapped_column(String(100), default="")
    target_date: Mapped[dt.date]
    assigned_on: Mapped[dt.date]
    risk_grade: Mapped[str] = mapped_column(String(4), default="")
    risk_score: Mapped[int] = mapped_column(Integer, default=0)
    reasons: Mapped[list[Any]] = mapped_column(JSON(), default=list)
    item_ids: Mapped[list[Any]] = mapped_column(JSON(), default=list)
    status: Mapped[str] = mapped_column(String(20), default="assigned")
    server_seq: Mapped[int] = mapped_column(Integer, default=0)
    received_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=utcnow)


__all__ = ["VisitAssignment"]
