"""The campaign dashboard's figures (总览), for one district, optionally one campaign, optionally one coordinator.

Counting happens in the database (grouped on the read model's indexed columns), and each group goes through the
one definition of an item's state (:func:`core.statistics.item_state`) with its deadline and is added up as
:class:`core.statistics.ItemTotals`, so the dashboard says what the ledger and the district report say for the
same day. The weekly rate is verified over all items that
existed at the end of each week (the same 整改销号率 as the report, taken week by week).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Final

from sqlalchemy import ColumnElement, case, func, select, tuple_
from sqlalchemy.orm import Session

from core.risk import GRADES, HIGH
from core.statistics import ITEM_STATES, ItemState, ItemTotals, item_state
from server.console.checklist_titles import module_titles
from server.console.models import AuditSummary, EnterpriseRisk, LedgerEntry, PlanAssignment
from server.models import User

WEEKS: Final = 12
HIGH_RISK_SHOWN: Final = 10
SEVERITY_ORDER: Final = ("高", "中", "低")


@dataclass(frozen=True)
class CoordinatorProgress:
    user_id: int
    name: str
    audits: int = 0
    enterprises: int = 0
    planned: int = 0
    planned_done: int = 0
    items: ItemTotals = field(default_factory=ItemTotals)


@dataclass(frozen=True)
class WeekPoint:
    week_start: dt.date
    items: int
    verified: int

    @property
    def rate(self) -> float | None:
        return self.verified / self.items if self.items else None


@dataclass(frozen=True)
class Figures:
    today: dt.date
    registry: int
    grades: dict[str, int]
    planned: int
    planned_visited: int
    visited: int
    audits: int
    findings: int
    by_module: list[tuple[str, str, int]]
    by_severity: list[tuple[str, int]]
    items: ItemTotals
    weekly: list[WeekPoint]
    coordinators: list[CoordinatorProgress]
    high_risk: list[EnterpriseRisk]

    @property
    def items_total(self) -> int:
        return self.items.total

    @property
    def verified_rate(self) -> float | None:
        return self.items.verified_rate if self.items.total else None


def totals(counts: Counter[ItemState]) -> ItemTotals:
    return ItemTotals(**{state: counts.get(state, 0) for state in ITEM_STATES})


def _week_start(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def dashboard_figures(
    session: Session,
    *,
    district_id: int,
    today: dt.date,
    campaign: str | None = None,
    own: int | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> Figures:
    """The figures of a district for ``today``; ``since``/``until`` keep the visits of a date range (and what
    they found), ``campaign`` those of one campaign, ``own`` one coordinator's work."""
    entries: list[ColumnElement[bool]] = [LedgerEntry.district_id == district_id, LedgerEntry.live.is_(True)]
    audits_where: list[ColumnElement[bool]] = [
        AuditSummary.district_id == district_id,
        AuditSummary.finished.is_(True),
    ]
    plans_where: list[ColumnElement[bool]] = [
        PlanAssignment.district_id == district_id,
        PlanAssignment.active.is_(True),
        PlanAssignment.kind == "visit",
    ]
    if campaign:
        entries.append(LedgerEntry.campaign_id == campaign)
        audits_where.append(AuditSummary.campaign_id == campaign)
        plans_where.append(PlanAssignment.campaign_id == campaign)
    if since is not None:
        entries.append(LedgerEntry.visit_date >= since)
        audits_where.append(AuditSummary.visit_date >= since)
        plans_where.append(PlanAssignment.assigned_on >= since)
    if until is not None:
        entries.append(LedgerEntry.visit_date <= until)
        audits_where.append(AuditSummary.visit_date <= until)
        plans_where.append(PlanAssignment.assigned_on <= until)
    if own is not None:
        entries.append(LedgerEntry.owner_id == own)
        audits_where.append(AuditSummary.owner_id == own)
        plans_where.append(PlanAssignment.assignee_id == own)

    grades = {grade: 0 for grade in GRADES}
    for grade, number in session.execute(
        select(EnterpriseRisk.grade, func.count())
        .where(EnterpriseRisk.district_id == district_id)
        .group_by(EnterpriseRisk.grade)
    ):
        grades[grade] = grades.get(grade, 0) + int(number)

    audits = 0
    visited_ids: set[str] = set()
    per_owner_audits: Counter[int] = Counter()
    per_owner_enterprises: dict[int, set[str]] = {}
    for owner_id, enterprise_id, number in session.execute(
        select(AuditSummary.owner_id, AuditSummary.enterprise_id, func.count())
        .where(*audits_where)
        .group_by(AuditSummary.owner_id, AuditSummary.enterprise_id)
    ):
        audits += int(number)
        visited_ids.add(enterprise_id)
        if owner_id is not None:
            per_owner_audits[owner_id] += int(number)
            per_owner_enterprises.setdefault(owner_id, set()).add(enterprise_id)

    planned_rows = session.execute(
        select(PlanAssignment.assignee_id, PlanAssignment.enterprise_id, PlanAssignment.assigned_on).where(*plans_where)
    ).all()
    visits_since = _visits_since(session, district_id, sorted({row[1] for row in planned_rows}), campaign)
    planned_ids: set[str] = set()
    planned_done_ids: set[str] = set()
    per_owner_planned: Counter[int] = Counter()
    per_owner_planned_done: Counter[int] = Counter()
    for assignee_id, enterprise_id, assigned_on in planned_rows:
        planned_ids.add(enterprise_id)
        done = any(day >= (assigned_on or dt.date.min) for day in visits_since.get(enterprise_id, ()))
        if done:
            planned_done_ids.add(enterprise_id)
        if assignee_id is not None:
            per_owner_planned[assignee_id] += 1
            per_owner_planned_done[assignee_id] += int(done)

    titles = module_titles(session)
    groups = ledger_groups(session, entries)
    modules: Counter[str] = Counter()
    severities: Counter[str] = Counter()
    for module, severity, number in groups.by_module_severity:
        modules[module or ""] += number
        severities[severity or ""] += number

    items: Counter[ItemState] = Counter()
    per_owner_items: dict[int, Counter[ItemState]] = {}
    for owner_id, status, deadline, number in groups.by_owner_state:
        state = item_state(status or "open", deadline or dt.date.min, today)
        items[state] += number
        if owner_id is not None:
            per_owner_items.setdefault(owner_id, Counter())[state] += number

    weekly = _weekly(groups, today)
    coordinators = _coordinators(
        session,
        district_id,
        own,
        per_owner_audits,
        per_owner_enterprises,
        per_owner_planned,
        per_owner_planned_done,
        per_owner_items,
    )
    high_risk = list(
        session.scalars(
            select(EnterpriseRisk)
            .where(EnterpriseRisk.district_id == district_id, EnterpriseRisk.grade == HIGH)
            .order_by(EnterpriseRisk.score.desc(), EnterpriseRisk.enterprise_id)
            .limit(HIGH_RISK_SHOWN)
        )
    )
    known = [(level, severities.get(level, 0)) for level in SEVERITY_ORDER]
    other = [(level, number) for level, number in sorted(severities.items()) if level not in SEVERITY_ORDER]
    return Figures(
        today=today,
        registry=sum(grades.values()),
        grades=grades,
        planned=len(planned_ids),
        planned_visited=len(planned_done_ids),
        visited=len(visited_ids),
        audits=audits,
        findings=sum(modules.values()),
        by_module=[
            (module, titles.get(module, module), number)
            for module, number in sorted(modules.items(), key=lambda pair: (-pair[1], pair[0]))
        ],
        by_severity=known + other,
        items=totals(items),
        weekly=weekly,
        coordinators=coordinators,
        high_risk=high_risk,
    )


def _visits_since(
    session: Session, district_id: int, enterprise_ids: list[str], campaign: str | None
) -> dict[str, list[dt.date]]:
    found: dict[str, list[dt.date]] = {}
    for start in range(0, len(enterprise_ids), 500):
        part = enterprise_ids[start : start + 500]
        query = select(AuditSummary.enterprise_id, AuditSummary.visit_date).where(
            AuditSummary.district_id == district_id,
            AuditSummary.finished.is_(True),
            AuditSummary.enterprise_id.in_(part),
        )
        for enterprise_id, visit_date in session.execute(query):
            if visit_date is not None:
                found.setdefault(enterprise_id, []).append(visit_date)
    return found


@dataclass
class LedgerGroups:
    """The district's items counted four ways, for the dashboard (see :func:`ledger_groups`)."""

    by_module_severity: list[tuple[str | None, str | None, int]] = field(default_factory=list)
    by_owner_state: list[tuple[int | None, str | None, dt.date | None, int]] = field(default_factory=list)
    by_visit_date: list[tuple[dt.date | None, int]] = field(default_factory=list)
    by_verified_on: list[tuple[dt.date | None, int]] = field(default_factory=list)


def ledger_groups(session: Session, entries: list[ColumnElement[bool]]) -> LedgerGroups:
    """Items by module and severity, by coordinator, status and deadline, by visit date and by verification date.

    On PostgreSQL one scan answers all four (``GROUPING SETS``); elsewhere four grouped queries.
    """
    where = [*entries, LedgerEntry.item_id.is_not(None)]
    verified_on = case((LedgerEntry.status == "verified", LedgerEntry.verified_on), else_=None)
    found = LedgerGroups()
    if session.connection().dialect.name == "postgresql":
        label = verified_on.label("verified_day")
        query = (
            select(
                LedgerEntry.module,
                LedgerEntry.severity,
                LedgerEntry.owner_id,
                LedgerEntry.status,
                LedgerEntry.deadline,
                LedgerEntry.visit_date,
                label,
                func.grouping(LedgerEntry.module),
                func.grouping(LedgerEntry.owner_id),
                func.grouping(LedgerEntry.visit_date),
                func.count(),
            )
            .where(*where)
            .group_by(
                func.grouping_sets(
                    tuple_(LedgerEntry.module, LedgerEntry.severity),
                    tuple_(LedgerEntry.owner_id, LedgerEntry.status, LedgerEntry.deadline),
                    tuple_(LedgerEntry.visit_date),
                    tuple_(label),
                )
            )
        )
        for (
            module,
            severity,
            owner,
            status,
            deadline,
            visit,
            verified,
            g_module,
            g_owner,
            g_visit,
            number,
        ) in session.execute(query):
            if g_module == 0:
                found.by_module_severity.append((module, severity, int(number)))
            elif g_owner == 0:
                found.by_owner_state.append((owner, status, deadline, int(number)))
            elif g_visit == 0:
                found.by_visit_date.append((visit, int(number)))
            else:
                found.by_verified_on.append((verified, int(number)))
        return found
    found.by_module_severity = [
        (module, severity, int(number))
        for module, severity, number in session.execute(
            select(LedgerEntry.module, LedgerEntry.severity, func.count())
            .where(*where)
            .group_by(LedgerEntry.module, LedgerEntry.severity)
        )
    ]
    found.by_owner_state = [
        (owner, status, deadline, int(number))
        for owner, status, deadline, number in session.execute(
            select(LedgerEntry.owner_id, LedgerEntry.status, LedgerEntry.deadline, func.count())
            .where(*where)
            .group_by(LedgerEntry.owner_id, LedgerEntry.status, LedgerEntry.deadline)
        )
    ]
    found.by_visit_date = [
        (day, int(number))
        for day, number in session.execute(
            select(LedgerEntry.visit_date, func.count()).where(*where).group_by(LedgerEntry.visit_date)
        )
    ]
    found.by_verified_on = [
        (day, int(number))
        for day, number in session.execute(select(verified_on, func.count()).where(*where).group_by(verified_on))
    ]
    return found


def _weekly(groups: LedgerGroups, today: dt.date) -> list[WeekPoint]:
    """Items and verified items at the end of each of the last :data:`WEEKS` weeks (cumulative; an item exists from
    the visit that found it, the day its notice was issued)."""
    first = _week_start(today) - dt.timedelta(weeks=WEEKS - 1)
    created: Counter[dt.date] = Counter()
    before_created = 0
    for day, number in groups.by_visit_date:
        if day is None or day < first:
            before_created += number
        else:
            created[_week_start(day)] += number
    verified: Counter[dt.date] = Counter()
    before_verified = 0
    for day, number in groups.by_verified_on:
        if day is None:
            continue
        if day < first:
            before_verified += number
        else:
            verified[_week_start(day)] += number
    points: list[WeekPoint] = []
    total, done = before_created, before_verified
    for index in range(WEEKS):
        week = first + dt.timedelta(weeks=index)
        total += created.get(week, 0)
        done += verified.get(week, 0)
        points.append(WeekPoint(week, total, min(done, total)))
    return points


def _coordinators(
    session: Session,
    district_id: int,
    own: int | None,
    audits: Counter[int],
    enterprises: dict[int, set[str]],
    planned: Counter[int],
    planned_done: Counter[int],
    items: dict[int, Counter[ItemState]],
) -> list[CoordinatorProgress]:
    query: Any = select(User.id, User.display_name, User.username).where(
        User.district_id == district_id, User.role == "coordinator"
    )
    if own is not None:
        query = query.where(User.id == own)
    people = {user_id: display or username for user_id, display, username in session.execute(query)}
    for user_id in set(audits) | set(items) | set(planned):
        people.setdefault(user_id, str(user_id))
    names = {
        user_id: display
        for user_id, display in session.execute(select(User.id, User.display_name).where(User.id.in_(sorted(people))))
    }
    return sorted(
        (
            CoordinatorProgress(
                user_id=user_id,
                name=names.get(user_id) or people[user_id],
                audits=audits.get(user_id, 0),
                enterprises=len(enterprises.get(user_id, ())),
                planned=planned.get(user_id, 0),
                planned_done=planned_done.get(user_id, 0),
                items=totals(items.get(user_id, Counter())),
            )
            for user_id in people
        ),
        key=lambda entry: (-entry.audits, entry.name),
    )


CHART_STATES: Final = (
    ("open", "期限内未报送"),
    ("awaiting", "已报送待复查"),
    ("verified", "已复查销号"),
    ("overdue", "逾期未报送"),
)
"""The chart's four slices: within the deadline without material, material sent and awaiting follow-up (within
or past the deadline), overdue without material, verified — the ItemTotals sums, each item in one slice."""


def _slice(items: ItemTotals, key: str) -> int:
    if key == "open":
        return items.open
    if key == "awaiting":
        return items.awaiting_verification
    if key == "overdue":
        return items.overdue_open
    return items.verified


def chart_data(figures: Figures, translate: Any) -> dict[str, Any]:
    """What console.js draws: plain labels and numbers, already translated (no code, no HTML)."""
    return {
        "modules": {
            "labels": [title for _, title, _ in figures.by_module],
            "values": [number for _, _, number in figures.by_module],
            "name": translate("问题数"),
        },
        "severity": {
            "items": [{"name": translate(level), "value": number} for level, number in figures.by_severity],
        },
        "items": {
            "items": [{"name": translate(label), "value": _slice(figures.items, key)} for key, label in CHART_STATES]
        },
        "weekly": {
            "labels": [point.week_start.isoformat() for point in figures.weekly],
            "values": [None if point.rate is None else round(point.rate * 100, 1) for point in figures.weekly],
            "name": translate("整改销号率（%）"),
        },
        "coordinators": {
            "labels": [entry.name for entry in figures.coordinators],
            "series": [
                {
                    "name": translate(label),
                    "values": [_slice(entry.items, key) for entry in figures.coordinators],
                }
                for key, label in CHART_STATES
            ],
        },
        "grades": {"items": [{"name": translate(grade), "value": figures.grades.get(grade, 0)} for grade in GRADES]},
    }


__all__ = ["CoordinatorProgress", "Figures", "WeekPoint", "chart_data", "dashboard_figures"]
