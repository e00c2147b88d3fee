"""Visit plans (走访计划): send coordinators to the riskiest enterprises first, and follow-ups to whoever can go.

A plan is a ``visit_plan`` record and one ``visit_assignment`` record per enterprise, both reference data of the
district: they travel in the change feed, so each laptop receives them at its next sync and shows its own
assignments as a 待体检 list ordered by the risk the office ranked them by (the grade, score and reasons are
copied into the assignment as they stood when the plan was made). An enterprise has at most one active visit
assignment: planning it again moves it to the new plan.

A follow-up (复查) reassigned to another coordinator is a ``visit_assignment`` of kind ``follow_up`` naming the
items; it reaches every laptop of the district the same way (the new coordinator sees it in the 待体检 list, the
item's owner sees who does the follow-up now).

Progress is read back from the visits that arrive: an assignment is done once a finished visit to its enterprise
dated on or after the day it was assigned has synced.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final, Literal

import uuid6
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.sync.protocol import VisitAssignment
from server.console.markers import T
from server.console.models import AuditSummary, EnterpriseRisk, LedgerEntry, PlanAssignment
from server.console.sessions import Viewer
from server.feed import put_record
from server.models import Record, User

MAX_PLAN: Final = 500
ASSIGNED: Final = "assigned"


class PlanRefused(Exception):
    """A plan or reassignment the office must correct (message in Chinese, translated where shown)."""


def writer_of(viewer: Viewer) -> str:
    return f"office:{viewer.username}"[:80]


def new_id() -> str:
    return str(uuid6.uuid7())


def _coordinator(session: Session, district_id: int, user_id: int | None) -> User:
    user = session.get(User, user_id) if user_id is not None else None
    if user is None or user.district_id != district_id or user.role != "coordinator" or user.disabled:
        raise PlanRefused(T("请选择本区在岗的协调员"))
    return user


def create_plan(
    session: Session,
    viewer: Viewer,
    *,
    district_id: int,
    name: str,
    campaign_id: str | None,
    assignee_id: int | None,
    target_date: dt.date | None,
    enterprise_ids: Sequence[str],
    today: dt.date,
) -> str:
    """Assign the chosen enterprises to a coordinator with a target date; returns the plan's id."""
    name = name.strip()[:100]
    if not name:
        raise PlanRefused(T("请填写计划名称"))
    chosen = sorted(set(enterprise_ids))
    if not chosen:
        raise PlanRefused(T("请至少选择一家企业"))
    if len(chosen) > MAX_PLAN:
        raise PlanRefused(T("一次最多安排 500 家企业"))
    if target_date is None or target_date < today:
        raise PlanRefused(T("目标日期不能早于今天"))
    assignee = _coordinator(session, district_id, assignee_id)
    enterprises = {
        row.enterprise_id: row
        for row in session.scalars(
            select(EnterpriseRisk).where(
                EnterpriseRisk.enterprise_id.in_(chosen), EnterpriseRisk.district_id == district_id
            )
        )
    }
    if len(enterprises) != len(chosen):
        raise PlanRefused(T("所选企业不在本区企业名录中"))
    plan_id = new_id()
    writer = writer_of(viewer)
    put_record(
        session,
        entity="visit_plan",
        entity_id=plan_id,
        data={
            "id": plan_id,
            "name": name,
            "campaign_id": campaign_id,
            "created_by": viewer.display_name,
            "created_on": today.isoformat(),
            "target_date": target_date.isoformat(),
        },
        writer=writer,
        district_id=district_id,
    )
    _retire(session, district_id, "visit", chosen, writer)
    for enterprise_id in chosen:
        risk = enterprises[enterprise_id]
        assignment_id = new_id()
        put_record(
            session,
            entity="visit_assignment",
            entity_id=assignment_id,
            data=VisitAssignment(
                id=assignment_id,
                plan_id=plan_id,
                plan_name=name,
                campaign_id=campaign_id,
                kind="visit",
                enterprise_id=enterprise_id,
                enterprise_name=risk.name,
                uscc=risk.uscc,
                assignee_id=assignee.id,
                assignee=assignee.username,
                assignee_name=assignee.display_name or assignee.username,
                target_date=target_date,
                assigned_on=today,
                risk_grade=_grade(risk.grade),
                risk_score=risk.score,
                reasons=_reason_texts(risk.factors),
            ).model_dump(mode="json"),
            writer=writer,
            district_id=district_id,
        )
    return plan_id


def _grade(value: str) -> Literal["高", "中", "低", ""]:
    return value if value in ("高", "中", "低") else ""  # type: ignore[return-value]


def _reason_texts(factors: Any) -> list[str]:
    from core.risk import RiskFactor

    texts = []
    for factor in factors or []:
        if isinstance(factor, dict):
            texts.append(RiskFactor.from_json(factor).text)
    return texts


def _retire(session: Session, district_id: int, kind: str, enterprise_ids: Sequence[str], writer: str) -> None:
    """Active assignments of these enterprises (of ``kind``) end: planning again moves them."""
    active = session.scalars(
        select(PlanAssignment.assignment_id).where(
            PlanAssignment.district_id == district_id,
            PlanAssignment.kind == kind,
            PlanAssignment.active.is_(True),
            PlanAssignment.enterprise_id.in_(list(enterprise_ids)),
        )
    ).all()
    for assignment_id in active:
        _set_status(session, assignment_id, "replaced", writer)


def _set_status(session: Session, assignment_id: str, status: str, writer: str, **changes: Any) -> Record | None:
    record = session.get(Record, ("visit_assignment", assignment_id))
    if record is None or record.deleted or record.data is None:
        return None
    put_record(
        session,
        entity="visit_assignment",
        entity_id=assignment_id,
        data=VisitAssignment.model_validate({**record.data, "status": status, **changes}).model_dump(mode="json"),
        writer=writer,
        district_id=record.district_id,
    )
    session.execute(
        update(PlanAssignment).where(PlanAssignment.assignment_id == assignment_id).values(active=status == ASSIGNED)
    )
    return record


def cancel_assignment(session: Session, viewer: Viewer, *, district_id: int, assignment_id: str) -> None:
    record = session.get(Record, ("visit_assignment", assignment_id))
    if record is None or record.deleted or record.district_id != district_id:
        raise PlanRefused(T("走访任务不存在"))
    if (record.data or {}).get("status") != ASSIGNED:
        raise PlanRefused(T("该走访任务已结束"))
    _set_status(session, assignment_id, "cancelled", writer_of(viewer))


@dataclass(frozen=True)
class AssignmentProgress:
    assignment_id: str
    enterprise_id: str
    enterprise_name: str
    uscc: str
    assignee: str
    kind: str
    target_date: dt.date | None
    assigned_on: dt.date | None
    risk_grade: str
    risk_score: int
    status: str
    visited_on: dt.date | None

    @property
    def done(self) -> bool:
        return self.visited_on is not None


@dataclass(frozen=True)
class PlanSummary:
    plan_id: str
    name: str
    campaign_id: str | None
    created_on: str
    target_date: str
    created_by: str
    assignments: int
    done: int


def _visited(session: Session, enterprise_ids: Sequence[str]) -> dict[str, list[dt.date]]:
    found: dict[str, list[dt.date]] = {}
    ids = sorted(set(enterprise_ids))
    for start in range(0, len(ids), 500):
        for enterprise_id, visit_date in session.execute(
            select(AuditSummary.enterprise_id, AuditSummary.visit_date).where(
                AuditSummary.enterprise_id.in_(ids[start : start + 500]), AuditSummary.finished.is_(True)
            )
        ):
            if visit_date is not None:
                found.setdefault(enterprise_id, []).append(visit_date)
    return found


def _first_visit(visits: dict[str, list[dt.date]], enterprise_id: str, since: dt.date | None) -> dt.date | None:
    days = sorted(day for day in visits.get(enterprise_id, ()) if since is None or day >= since)
    return days[0] if days else None


def assignments(
    session: Session, *, district_id: int, plan_id: str | None = None, assignee_id: int | None = None
) -> list[AssignmentProgress]:
    """The assignments of a plan (or of a coordinator), riskiest first, with what has been done."""
    query = select(Record).where(
        Record.entity == "visit_assignment", Record.district_id == district_id, Record.deleted.is_(False)
    )
    records = [record for record in session.scalars(query) if record.data]
    rows = [
        record
        for record in records
        if (plan_id is None or record.data.get("plan_id") == plan_id)  # type: ignore[union-attr]
        and (assignee_id is None or record.data.get("assignee_id") == assignee_id)  # type: ignore[union-attr]
    ]
    visits = _visited(session, [str((record.data or {}).get("enterprise_id")) for record in rows])
    result = []
    for record in rows:
        data = record.data or {}
        assigned_on = _date(data.get("assigned_on"))
        enterprise_id = str(data.get("enterprise_id") or "")
        result.append(
            AssignmentProgress(
                assignment_id=record.entity_id,
                enterprise_id=enterprise_id,
                enterprise_name=str(data.get("enterprise_name") or ""),
                uscc=str(data.get("uscc") or ""),
                assignee=str(data.get("assignee_name") or data.get("assignee") or ""),
                kind=str(data.get("kind") or "visit"),
                target_date=_date(data.get("target_date")),
                assigned_on=assigned_on,
                risk_grade=str(data.get("risk_grade") or ""),
                risk_score=int(data.get("risk_score") or 0),
                status=str(data.get("status") or ASSIGNED),
                visited_on=_first_visit(visits, enterprise_id, assigned_on),
            )
        )
    return sorted(result, key=lambda row: (row.status != ASSIGNED, -row.risk_score, row.enterprise_name))


def plans(session: Session, *, district_id: int, assignee_id: int | None = None) -> list[PlanSummary]:
    records = session.scalars(
        select(Record).where(
            Record.entity == "visit_plan", Record.district_id == district_id, Record.deleted.is_(False)
        )
    ).all()
    progress = assignments(session, district_id=district_id, assignee_id=assignee_id)
    by_plan: dict[str, list[AssignmentProgress]] = {}
    plan_of = {
        row.entity_id: str((row.data or {}).get("plan_id") or "")
        for row in session.scalars(
            select(Record).where(Record.entity == "visit_assignment", Record.district_id == district_id)
        )
    }
    for row in progress:
        if row.status in (ASSIGNED, "done"):
            by_plan.setdefault(plan_of.get(row.assignment_id, ""), []).append(row)
    summaries = []
    for record in records:
        data = record.data or {}
        rows = by_plan.get(record.entity_id, [])
        if assignee_id is not None and not rows:
            continue
        summaries.append(
            PlanSummary(
                plan_id=record.entity_id,
                name=str(data.get("name") or ""),
                campaign_id=data.get("campaign_id"),
                created_on=str(data.get("created_on") or ""),
                target_date=str(data.get("target_date") or ""),
                created_by=str(data.get("created_by") or ""),
                assignments=len(rows),
                done=sum(1 for row in rows if row.done),
            )
        )
    return sorted(summaries, key=lambda plan: plan.created_on, reverse=True)


def _date(value: Any) -> dt.date | None:
    if isinstance(value, str) and len(value) >= 10:
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def reassign_follow_up(
    session: Session,
    viewer: Viewer,
    *,
    district_id: int,
    item_ids: Sequence[str],
    assignee_id: int | None,
    target_date: dt.date | None,
    today: dt.date,
) -> int:
    """Give the follow-up (复查) of these items to another coordinator; returns how many items moved."""
    chosen = sorted(set(item_ids))
    if not chosen:
        raise PlanRefused(T("请至少选择一项整改事项"))
    if target_date is None or target_date < today:
        raise PlanRefused(T("目标日期不能早于今天"))
    assignee = _coordinator(session, district_id, assignee_id)
    entries = session.scalars(
        select(LedgerEntry).where(
            LedgerEntry.item_id.in_(chosen),
            LedgerEntry.district_id == district_id,
            LedgerEntry.live.is_(True),
            LedgerEntry.status != "verified",
        )
    ).all()
    if len(entries) != len(chosen):
        raise PlanRefused(T("所选整改事项不存在、已销号或不属于本区"))
    writer = writer_of(viewer)
    _release_items(session, district_id, chosen, writer)
    by_enterprise: dict[str, list[LedgerEntry]] = {}
    for entry in entries:
        by_enterprise.setdefault(entry.enterprise_id or "", []).append(entry)
    names = {
        row.enterprise_id: row
        for row in session.scalars(select(EnterpriseRisk).where(EnterpriseRisk.enterprise_id.in_(list(by_enterprise))))
    }
    for enterprise_id, group in sorted(by_enterprise.items()):
        risk = names.get(enterprise_id)
        assignment_id = new_id()
        put_record(
            session,
            entity="visit_assignment",
            entity_id=assignment_id,
            data=VisitAssignment(
                id=assignment_id,
                plan_name="复查改派",
                kind="follow_up",
                enterprise_id=enterprise_id,
                enterprise_name=risk.name if risk else (group[0].enterprise_name or ""),
                uscc=risk.uscc if risk else "",
                assignee_id=assignee.id,
                assignee=assignee.username,
                assignee_name=assignee.display_name or assignee.username,
                target_date=target_date,
                assigned_on=today,
                risk_grade=_grade(risk.grade if risk else ""),
                risk_score=risk.score if risk else 0,
                reasons=_reason_texts(risk.factors) if risk else [],
                item_ids=sorted(entry.item_id or "" for entry in group),
            ).model_dump(mode="json"),
            writer=writer,
            district_id=district_id,
        )
        for entry in group:
            entry.follow_up_by = assignee.id
    return len(entries)


def _release_items(session: Session, district_id: int, item_ids: Sequence[str], writer: str) -> None:
    """Earlier follow-up assignments lose these items (and end when none is left)."""
    moving = set(item_ids)
    for record in session.scalars(
        select(Record).where(
            Record.entity == "visit_assignment", Record.district_id == district_id, Record.deleted.is_(False)
        )
    ):
        data = record.data or {}
        if data.get("kind") != "follow_up" or data.get("status") != ASSIGNED:
            continue
        kept = [item for item in data.get("item_ids") or [] if item not in moving]
        if len(kept) == len(data.get("item_ids") or []):
            continue
        _set_status(session, record.entity_id, ASSIGNED if kept else "replaced", writer, item_ids=kept)
