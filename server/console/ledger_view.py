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
import json
from collections.abc import Generator, Iterable, Sequence
from contextlib import closing
from dataclasses import dataclass
from typing import Any, Final, Literal, get_args

from sqlalchemy import ColumnElement, Select, String, and_, cast, func, or_, select
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql import operators

from core.ledger import LedgerRow, ledger_row
from server.console.models import EnterpriseRisk, LedgerEntry
from server.console.read_ahead import read_ahead
from server.models import Record

PAGE_SIZE: Final = 50
NAMED_LIMIT: Final = 2000
COUNT_LIMIT: Final = 10_000
"""Matching rows are counted up to this many ("10000+" beyond): an exact count of 200,000 rows would cost more
than the page itself, and nobody pages to the 4,000th page of a ledger."""
STREAM_BATCH: Final = 1000
"""Rows per fetch of an export (and per part read ahead): with one part buffered, a 200k-item export peaks ~10 MB
above the server's resting size; 2,000 rows and two parts ahead cost ~30 MB for no measurable speed."""
CHUNK: Final = 500

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


def named_enterprises(session: Session, district_id: int, name: str) -> list[str] | None:
    """The district's enterprises whose registry name contains ``name`` (searched once, in the narrower registry
    table), or None when too many match to be worth it (the ledger is then searched by name directly)."""
    found = session.scalars(
        select(EnterpriseRisk.enterprise_id)
        .where(EnterpriseRisk.district_id == district_id, EnterpriseRisk.name.contains(name, autoescape=True))
        .limit(NAMED_LIMIT + 1)
    ).all()
    return list(found) if len(found) <= NAMED_LIMIT else None


def _selective(chosen: LedgerFilter) -> bool:
    """Filters that keep few rows: the database should take them first, then sort what is left."""
    return bool(chosen.coordinator is not None or chosen.enterprise or chosen.name or chosen.follow_up_by)


def conditions(
    district_id: int,
    chosen: LedgerFilter,
    today: dt.date,
    own: int | None,
    named: list[str] | None = None,
) -> list[ColumnElement[bool]]:
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
    if chosen.name and named is not None:
        where.append(LedgerEntry.enterprise_id.in_(named))
    elif chosen.name:
        where.append(LedgerEntry.enterprise_name.contains(chosen.name, autoescape=True))
    if chosen.follow_up_by is not None:
        where.append(
            or_(
                LedgerEntry.follow_up_by == chosen.follow_up_by,
                and_(LedgerEntry.follow_up_by.is_(None), LedgerEntry.owner_id == chosen.follow_up_by),
            )
        )
    return where


PINNED: Final = {
    "coordinator": "coordinator",
    "module": "module",
    "severity": "severity",
    "status": "state",
    "enterprise": "enterprise",
}
"""A sort on a column the filter fixes to one value orders nothing: the rows then follow the deadline (and the
database walks the filter's index instead of the whole sort index looking for that value)."""


def ordering(sort: SortKey, descending: bool, chosen: LedgerFilter | None = None) -> list[Any]:
    if chosen is not None and sort in PINNED and getattr(chosen, PINNED[sort]) not in (None, ""):
        sort = "deadline"
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
    more: bool = False
    """True when ``total`` is :data:`COUNT_LIMIT` and more rows match (the count stopped there)."""

    @property
    def has_next(self) -> bool:
        return self.page < self.pages or (self.more and len(self.rows) > 0)


SORT_EXTRA: Final = (
    LedgerEntry.enterprise_name,
    LedgerEntry.severity_rank,
)
"""Columns a sort may use that a page does not show."""
ENTRY_COLUMNS: Final = (
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
)


def _documents(session: Session, entity: str, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    """Whole records by id (one query per few hundred ids; JSON parsed once per record)."""
    wanted = sorted({value for value in ids if value})
    found: dict[str, dict[str, Any]] = {}
    for start in range(0, len(wanted), CHUNK):
        for entity_id, data in session.execute(
            select(Record.entity_id, Record.data).where(
                Record.entity == entity, Record.entity_id.in_(wanted[start : start + CHUNK])
            )
        ):
            found[entity_id] = data if isinstance(data, dict) else {}
    return found


def _compose_chunk(
    session: Session, entries: Sequence[Any], today: dt.date, first_number: int
) -> list[ConsoleLedgerRow]:
    """The ledger rows of some ``ledger_entry`` rows, in their order: the texts come from the records."""
    items = _documents(session, "rectification_item", (entry.item_id for entry in entries))
    findings = _documents(session, "finding", (entry.finding_id for entry in entries))
    audits = _documents(session, "audit", (entry.audit_id for entry in entries))
    enterprises = _documents(session, "enterprise", (entry.enterprise_id for entry in entries))
    ids = sorted({entry.enterprise_id for entry in entries if entry.enterprise_id})
    grades: dict[str, str] = {}
    for start in range(0, len(ids), CHUNK):
        grades.update(
            {
                enterprise_id: grade
                for enterprise_id, grade in session.execute(
                    select(EnterpriseRisk.enterprise_id, EnterpriseRisk.grade).where(
                        EnterpriseRisk.enterprise_id.in_(ids[start : start + CHUNK])
                    )
                )
            }
        )
    return [
        _compose(
            first_number + index,
            entry,
            items.get(entry.item_id or "", {}),
            findings.get(entry.finding_id, {}),
            audits.get(entry.audit_id or "", {}),
            enterprises.get(entry.enterprise_id or "", {}),
            grades.get(entry.enterprise_id or "", ""),
            today,
        )
        for index, entry in enumerate(entries)
    ]


def _moment(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _compose(
    number: int,
    entry: Any,
    item: dict[str, Any],
    finding: dict[str, Any],
    audit: dict[str, Any],
    registry: dict[str, Any],
    risk_grade: str,
    today: dt.date,
) -> ConsoleLedgerRow:
    facts = audit.get("enterprise_facts") if isinstance(audit.get("enterprise_facts"), dict) else {}
    inputs = audit.get("inputs") if isinstance(audit.get("inputs"), dict) else {}
    facts = facts or {}
    inputs = inputs or {}
    due = entry.deadline or dt.date.min
    status = entry.status or "open"
    basis = finding.get("basis")
    row = ledger_row(
        number=number,
        today=today,
        facts=facts,
        inputs=inputs,
        registry=registry,
        visit_date=entry.visit_date or dt.date.min,
        coordinator=entry.coordinator,
        co_coordinators=str(audit.get("co_coordinators") or ""),
        problem=str(finding.get("description") or ""),
        basis=basis if isinstance(basis, list) else [],
        requirement=str(item.get("requirement") or ""),
        deadline=due,
        deadline_estimated=bool(item.get("deadline_estimated")),
        responsible_person=item.get("responsible_person"),
        responsible_phone=item.get("responsible_phone"),
        status=status,
        submitted_at=_moment(item.get("submitted_at")),
        verified_on=entry.verified_on,
        verified_by=str(item.get("verified_by") or ""),
        risk_grade=risk_grade,
        item_id=entry.item_id or "",
        audit_id=entry.audit_id or "",
        enterprise_id=entry.enterprise_id or "",
        module=entry.module or "",
        severity=entry.severity or "",
    )
    return ConsoleLedgerRow(
        row=row,
        enterprise_id=entry.enterprise_id or "",
        finding_id=entry.finding_id,
        owner_id=entry.owner_id,
        follow_up_by=entry.follow_up_by,
        module=entry.module or "",
        severity=entry.severity or "",
    )


_ITEM, _FINDING, _AUDIT, _ENTERPRISE = (
    aliased(Record, name=name) for name in ("item_record", "finding_record", "audit_record", "enterprise_record")
)


def _ordered(
    where: Sequence[ColumnElement[bool]],
    chosen: LedgerFilter,
    sort: SortKey,
    descending: bool,
    *,
    with_records: bool = False,
) -> Select[*tuple[Any, ...]]:
    """The filtered entries in order. A selective filter is taken first (a materialized CTE: the few rows it keeps
    are sorted) rather than letting the database walk a sort index in search of them.

    ``with_records``: each entry also carries its item's, finding's, audit's and enterprise's JSON as text, and
    the enterprise's risk grade (:data:`RECORD_TEXTS`), joined in the same query (an export: one pass over the
    entries, no query per chunk; the text is parsed here, which costs less than the driver's JSON loading)."""
    order = ordering(sort, descending, chosen)
    if not _selective(chosen):
        query = select(*ENTRY_COLUMNS).where(*where).order_by(*order)
        return _with_records(query, LedgerEntry.__table__.c) if with_records else query
    kept = select(*ENTRY_COLUMNS, *SORT_EXTRA).where(*where).cte("kept").prefix_with("MATERIALIZED")
    names = [column.element.key if hasattr(column, "element") else column.key for column in order]
    directions = [column.modifier for column in order]
    query = select(*(kept.c[column.key] for column in ENTRY_COLUMNS)).order_by(
        *(
            kept.c[name].desc() if direction is operators.desc_op else kept.c[name].asc()
            for name, direction in zip(names, directions, strict=True)
        )
    )
    return _with_records(query, kept.c) if with_records else query


def _with_records(query: Select[*tuple[Any, ...]], entry: Any) -> Select[*tuple[Any, ...]]:
    """``query`` (over ``entry``'s columns) with :data:`RECORD_TEXTS` added by outer joins on the records' keys."""
    joins = (
        (_ITEM, "rectification_item", entry.item_id),
        (_FINDING, "finding", entry.finding_id),
        (_AUDIT, "audit", entry.audit_id),
        (_ENTERPRISE, "enterprise", entry.enterprise_id),
    )
    for record, entity, key in joins:
        query = query.add_columns(cast(record.data, String)).outerjoin(
            record, and_(record.entity == entity, record.entity_id == key)
        )
    return query.add_columns(EnterpriseRisk.grade).outerjoin(
        EnterpriseRisk, EnterpriseRisk.enterprise_id == entry.enterprise_id
    )


RECORD_TEXTS: Final = len(ENTRY_COLUMNS)
"""Where :func:`_with_records`'s columns start in a row: four records' JSON (item, finding, audit, enterprise),
then the risk grade."""


def _parsed(text: str | None) -> dict[str, Any]:
    if not text:
        return {}
    data = json.loads(text)
    return data if isinstance(data, dict) else {}


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
    """One page: the rows are chosen on ``ledger_entry`` alone (its indexes serve the filter, the sort and the
    offset), then only that page's records are read."""
    named = named_enterprises(session, district_id, chosen.name) if chosen.name else None
    where = conditions(district_id, chosen, today, own, named)
    capped = select(LedgerEntry.finding_id).where(*where).limit(COUNT_LIMIT + 1).subquery()
    total = int(session.scalar(select(func.count()).select_from(capped)) or 0)
    more = total > COUNT_LIMIT
    total = min(total, COUNT_LIMIT)
    pages = max(1, -(-total // size))
    page = max(1, page) if more else min(max(1, page), pages)
    offset = (page - 1) * size
    entries = session.execute(_ordered(where, chosen, sort, descending).limit(size).offset(offset)).all()
    return LedgerPage(
        rows=_compose_chunk(session, entries, today, offset + 1),
        total=total,
        page=page,
        pages=max(pages, page),
        more=more,
    )


def ledger_stream(
    session: Session,
    *,
    district_id: int,
    chosen: LedgerFilter,
    today: dt.date,
    own: int | None,
    sort: SortKey = "deadline",
    descending: bool = False,
) -> Generator[LedgerRow, None, None]:
    """Every row of the filter, in order, streamed: one query joins each entry to its records and reads through a
    server-side cursor, a few thousand rows at a time (an export of any size in constant memory), fetched by a
    thread a part ahead of the rows being composed and written (:mod:`server.console.read_ahead`). A caller that
    may stop early closes the stream (``contextlib.closing``) before it uses or closes ``session`` again: that
    stops the thread, which is using the session's connection until then."""
    named = named_enterprises(session, district_id, chosen.name) if chosen.name else None
    query = _ordered(conditions(district_id, chosen, today, own, named), chosen, sort, descending, with_records=True)
    number = 1
    rows = session.connection().execute(query, execution_options={"yield_per": STREAM_BATCH})
    with closing(read_ahead(rows.partitions())) as parts:  # closing this stream stops the reading thread
        for part in parts:
            for entry in part:
                item, finding, audit, enterprise, grade = entry[RECORD_TEXTS:]
                yield _compose(
                    number,
                    entry,
                    _parsed(item),
                    _parsed(finding),
                    _parsed(audit),
                    _parsed(enterprise),
                    grade or "",
                    today,
                ).row
                number += 1
