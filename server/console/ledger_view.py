"""The district ledger (工作台账): every rectification item of the district, filtered, sorted, paged, exported.

Filtering and sorting run on ``ledger_entry`` (typed, indexed columns of the read model); the texts of a row
(problem, legal basis, requirement, responsible person, the enterprise's facts as seen on the visit) are read
from the records themselves, for the rows of one page or streamed for an export, and composed into the
laptop's ledger row (:class:`core.ledger.LedgerRow`), so both print the same columns with the same wording.

Item states follow :func:`core.statistics.item_state` (the ledger's filter folds its two overdue states, as
:func:`core.ledger.status_of` does): :func:`state_condition` says the same thing in SQL for a filter (a test
checks, row by row, that each row's state and the filter agree).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Final, Literal, get_args

from sqlalchemy import ColumnElement, Select, and_, func, literal, or_, select
from sqlalchemy.orm import Session, aliased

from core.ledger import LedgerRow, basis_text, count, fact, joined, progress_text
from core.statistics import item_state
from server.console.models import EnterpriseRisk, LedgerEntry
from server.models import Record

PAGE_SIZE: Final = 50
STREAM_BATCH: Final = 1000

StateFilter = Literal["open", "submitted", "verified", "overdue", "due_soon"]
STATE_FILTERS: Final = get_args(StateFilter)
SortKey = Literal["deadline", "visit_date", "enterprise", "coordinator", "severity", "status", "module"]
SORT_KEYS: Final = get_args(SortKey)
DUE_SOON_DAYS: Final = 7

_SORT_COLUMNS: Final = {
    "deadline": (LedgerEntry.deadline,),
    "visit_date": (LedgerEntry.visit_date,),
    "enterprise": (LedgerEntry.enterprise_name,),
    "coordinator": (LedgerEntry.coordinator,),
    "severity": (LedgerEntry.severity_rank,),
    "status": (LedgerEntry.status, LedgerEntry.deadline),
    "module": (LedgerEntry.module,),
}


@dataclass(frozen=True)
class LedgerFilter:
    campaign: str | None = None
    coordinator: int | None = None
    module: str | None = None
    severity: str | None = None
    state: StateFilter | None = None
    enterprise: str | None = None
    """An enterprise id (links from the enterprise page)."""
    name: str | None = None
    """Part of the enterprise's name."""
    follow_up_by: int | None = None
    """Items whose follow-up is due from this coordinator: their own, unless reassigned, or reassigned to them."""


def state_condition(state: StateFilter, today: dt.date) -> ColumnElement[bool]:
    """The items in ``state`` on ``today`` (see the module docstring for the one definition)."""
    status, deadline = LedgerEntry.status, LedgerEntry.deadline
    if state == "verified":
        return status == "verified"
    if state == "overdue":
        return and_(status != "verified", deadline < today)
    if state == "due_soon":
        return and_(status != "verified", deadline >= today, deadline <= today + dt.timedelta(days=DUE_SOON_DAYS))
    return and_(status == state, deadline >= today)


def conditions(district_id: int, chosen: LedgerFilter, today: dt.date, own: int | None) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = [
        LedgerEntry.district_id == district_id,
        LedgerEntry.live.is_(True),
        LedgerEntry.item_id.is_not(None),
    ]
    if own is not None:
        where.append(or_(LedgerEntry.owner_id == own, LedgerEntry.follow_up_by == own))
    if chosen.campaign:
        where.append(LedgerEntry.campaign_id == chosen.campaign)
    if chosen.coordinator is not None:
        where.append(LedgerEntry.owner_id == chosen.coordinator)
    if chosen.module:
        where.append(LedgerEntry.module == chosen.module)
    if chosen.severity:
        where.append(LedgerEntry.severity == chosen.severity)
    if chosen.state:
        where.append(state_condition(chosen.state, today))
    if chosen.enterprise:
        where.append(LedgerEntry.enterprise_id == chosen.enterprise)
    if chosen.name:
        where.append(LedgerEntry.enterprise_name.contains(chosen.name, autoescape=True))
    if chosen.follow_up_by is not None:
        where.append(
            or_(
                LedgerEntry.follow_up_by == chosen.follow_up_by,
                and_(LedgerEntry.follow_up_by.is_(None), LedgerEntry.owner_id == chosen.follow_up_by),
            )
        )
    return where


def ordering(sort: SortKey, descending: bool) -> list[Any]:
    columns = [*_SORT_COLUMNS[sort], LedgerEntry.finding_id]
    return [column.desc() if descending else column.asc() for column in columns]


@dataclass(frozen=True)
class ConsoleLedgerRow:
    """A ledger row as the console shows it: the laptop's row plus what links and badges need."""

    row: LedgerRow
    enterprise_id: str
    finding_id: str
    owner_id: int | None
    follow_up_by: int | None
    module: str
    severity: str


@dataclass(frozen=True)
class LedgerPage:
    rows: list[ConsoleLedgerRow]
    total: int
    page: int
    pages: int


def _rows_query(where: Sequence[ColumnElement[bool]], order: Sequence[Any]) -> Select[*tuple[Any, ...]]:
    item = aliased(Record, name="item")
    finding = aliased(Record, name="finding")
    audit = aliased(Record, name="audit")
    enterprise = aliased(Record, name="enterprise")
    return (
        select(
            LedgerEntry.finding_id,
            LedgerEntry.item_id,
            LedgerEntry.audit_id,
            LedgerEntry.enterprise_id,
            LedgerEntry.owner_id,
            LedgerEntry.follow_up_by,
            LedgerEntry.coordinator,
            LedgerEntry.module,
            LedgerEntry.severity,
            LedgerEntry.status,
            LedgerEntry.deadline,
            LedgerEntry.visit_date,
            LedgerEntry.verified_on,
            item.data["requirement"].as_string(),
            item.data["deadline_estimated"].as_boolean(),
            item.data["responsible_person"].as_string(),
            item.data["responsible_phone"].as_string(),
            item.data["submitted_at"].as_string(),
            item.data["verified_by"].as_string(),
            finding.data["description"].as_string(),
            finding.data["basis"],
            audit.data["co_coordinators"].as_string(),
            audit.data["inputs"],
            audit.data["enterprise_facts"],
            enterprise.data,
            EnterpriseRisk.grade,
        )
        .join(item, and_(item.entity == literal("rectification_item"), item.entity_id == LedgerEntry.item_id))
        .join(finding, and_(finding.entity == literal("finding"), finding.entity_id == LedgerEntry.finding_id))
        .join(audit, and_(audit.entity == literal("audit"), audit.entity_id == LedgerEntry.audit_id))
        .outerjoin(
            enterprise,
            and_(enterprise.entity == literal("enterprise"), enterprise.entity_id == LedgerEntry.enterprise_id),
        )
        .outerjoin(EnterpriseRisk, EnterpriseRisk.enterprise_id == LedgerEntry.enterprise_id)
        .where(*where)
        .order_by(*order)
    )


def _moment(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _compose(number: int, values: Sequence[Any], today: dt.date) -> ConsoleLedgerRow:
    (
        finding_id,
        item_id,
        audit_id,
        enterprise_id,
        owner_id,
        follow_up_by,
        coordinator,
        module,
        severity,
        status,
        deadline,
        visit_date,
        verified_on,
        requirement,
        deadline_estimated,
        responsible_person,
        responsible_phone,
        submitted_at,
        verified_by,
        description,
        basis,
        co_coordinators,
        inputs,
        facts,
        registry,
        risk_grade,
    ) = values
    facts = facts if isinstance(facts, dict) else {}
    inputs = inputs if isinstance(inputs, dict) else {}
    registry = registry if isinstance(registry, dict) else {}
    due = deadline or dt.date.min
    status = status or "open"
    row = LedgerRow(
        number=number,
        enterprise_name=str(fact(facts, "name", registry.get("name", ""))),
        uscc=str(fact(facts, "uscc", registry.get("uscc", ""))),
        industry=str(fact(facts, "industry", registry.get("industry") or "")),
        address=str(fact(facts, "address", registry.get("address") or "")),
        contact=joined(
            fact(facts, "contact_name", registry.get("contact_name")),
            fact(facts, "contact_phone", registry.get("contact_phone")),
        ),
        headcount_last_year_end=count(
            inputs.get("headcount_last_year_end"),
            facts.get("headcount_last_year_end"),
            registry.get("headcount_last_year_end"),
        ),
        headcount=count(inputs.get("headcount"), facts.get("headcount"), registry.get("headcount")),
        visit_date=visit_date or dt.date.min,
        coordinators=joined(coordinator, *(co_coordinators or "").split("、"), separator="、"),
        problem=description or "",
        basis=basis_text(basis if isinstance(basis, list) else []),
        requirement=requirement or "",
        deadline=due,
        deadline_estimated=bool(deadline_estimated),
        responsible=joined(responsible_person, responsible_phone),
        progress=progress_text(
            status,
            deadline=due,
            today=today,
            submitted_at=_moment(submitted_at),
            verified_on=verified_on,
            verified_by=verified_by or "",
        ),
        risk_grade=risk_grade or "",
        item_state=item_state(status, due, today),
        item_id=item_id or "",
        audit_id=audit_id or "",
        enterprise_id=enterprise_id or "",
        module=module or "",
        severity=severity or "",
    )
    return ConsoleLedgerRow(
        row=row,
        enterprise_id=enterprise_id or "",
        finding_id=finding_id,
        owner_id=owner_id,
        follow_up_by=follow_up_by,
        module=module or "",
        severity=severity or "",
    )


def ledger_page(
    session: Session,
    *,
    district_id: int,
    chosen: LedgerFilter,
    today: dt.date,
    own: int | None,
    sort: SortKey = "deadline",
    descending: bool = False,
    page: int = 1,
    size: int = PAGE_SIZE,
) -> LedgerPage:
    where = conditions(district_id, chosen, today, own)
    total = int(session.scalar(select(func.count()).select_from(LedgerEntry).where(*where)) or 0)
    pages = max(1, -(-total // size))
    page = min(max(1, page), pages)
    offset = (page - 1) * size
    result = session.execute(_rows_query(where, ordering(sort, descending)).limit(size).offset(offset))
    rows = [_compose(offset + index, values, today) for index, values in enumerate(result, start=1)]
    return LedgerPage(rows=rows, total=total, page=page, pages=pages)


def ledger_stream(
    session: Session,
    *,
    district_id: int,
    chosen: LedgerFilter,
    today: dt.date,
    own: int | None,
    sort: SortKey = "deadline",
    descending: bool = False,
) -> Iterator[LedgerRow]:
    """Every row of the filter, in order, streamed from the database (an export of any size)."""
    where = conditions(district_id, chosen, today, own)
    query = _rows_query(where, ordering(sort, descending)).execution_options(yield_per=STREAM_BATCH)
    for number, values in enumerate(session.execute(query), start=1):
        yield _compose(number, values, today).row
