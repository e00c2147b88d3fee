"""风险摸排: the district's enterprises ranked by risk (core.risk, via the read model), with their reasons."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session

from core.risk import GRADES
from server.console.models import EnterpriseRisk, PlanAssignment

PAGE_SIZE: Final = 50


@dataclass(frozen=True)
class RiskFilter:
    grade: str | None = None
    search: str | None = None
    unplanned: bool = False


@dataclass(frozen=True)
class RankedPage:
    rows: list[tuple[int, EnterpriseRisk, bool]]
    """(rank, enterprise, has an active visit assignment)"""
    total: int
    page: int
    pages: int


def ranking(session: Session, *, district_id: int, chosen: RiskFilter, page: int = 1) -> RankedPage:
    where: list[ColumnElement[bool]] = [EnterpriseRisk.district_id == district_id]
    if chosen.grade in GRADES:
        where.append(EnterpriseRisk.grade == chosen.grade)
    if chosen.search:
        where.append(
            or_(
                EnterpriseRisk.name.contains(chosen.search, autoescape=True),
                EnterpriseRisk.uscc.startswith(chosen.search.upper(), autoescape=True),
            )
        )
    planned = (
        select(PlanAssignment.enterprise_id)
        .where(
            PlanAssignment.district_id == district_id,
            PlanAssignment.active.is_(True),
            PlanAssignment.kind == "visit",
        )
        .scalar_subquery()
    )
    if chosen.unplanned:
        where.append(EnterpriseRisk.enterprise_id.not_in(planned))
    total = int(session.scalar(select(func.count()).select_from(EnterpriseRisk).where(*where)) or 0)
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, page), pages)
    offset = (page - 1) * PAGE_SIZE
    rows = session.scalars(
        select(EnterpriseRisk)
        .where(*where)
        .order_by(EnterpriseRisk.score.desc(), EnterpriseRisk.enterprise_id)
        .limit(PAGE_SIZE)
        .offset(offset)
    ).all()
    ids = [row.enterprise_id for row in rows]
    active = set(
        session.scalars(
            select(PlanAssignment.enterprise_id).where(
                PlanAssignment.enterprise_id.in_(ids),
                PlanAssignment.active.is_(True),
                PlanAssignment.kind == "visit",
            )
        )
    )
    ranked = [(offset + index, row, row.enterprise_id in active) for index, row in enumerate(rows, start=1)]
    return RankedPage(rows=ranked, total=total, page=page, pages=pages)
