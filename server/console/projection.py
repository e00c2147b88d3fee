"""The console's read model, kept up to date by following the change feed.

The record store holds what laptops pushed and the office wrote, as JSON rows. The office's questions need typed,
indexed columns, so this module folds the records into the tables of :mod:`server.console.models`, exactly the
way a laptop pulls: a cursor over ``record.seq``, read only up to the committed ``feed_state.last_seq`` (every
row at or below it has committed; see :mod:`server.feed`), advanced in the same transaction as the rows it
produced. Nothing is written here that the records do not say, so the model can be rebuilt from zero at any time
(:func:`rebuild`), and a crash between two batches repeats the batch, never skips it.

The catch-up runs at the start of a console request (cheap when nothing changed: one indexed range query). On
PostgreSQL the state row is taken ``FOR UPDATE SKIP LOCKED``: while one worker catches up, the others serve what
is already projected instead of queueing behind it.

Risk grades (``enterprise_risk``) are computed by :func:`core.risk.grade` for a day: an enterprise is regraded
when something about it changed, and when the day moves on, those whose open items passed their deadline in
between.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from sqlalchemy import JSON, and_, delete, insert, or_, select, update
from sqlalchemy.orm import Session

from core.risk import GRADE_ORDER, Indicator, OpenItem, RiskGrade, grade
from core.statistics import past_deadline
from server.console.checklist_titles import item_titles
from server.console.models import AuditSummary, EnterpriseRisk, LedgerEntry, PlanAssignment, ProjectionState
from server.db import ServerDatabase
from server.models import FeedState, Record, User

BATCH: Final = 2000
ROUNDS_PER_TRANSACTION: Final = 10
CHUNK: Final = 500
"""Keys per ``IN (…)`` list (SQLite's variable limit is far above; PostgreSQL plans short lists better)."""

PROJECTED: Final = ("audit", "finding", "rectification_item", "enterprise", "risk_indicator", "visit_assignment")


def chunks(values: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _date(value: Any) -> dt.date | None:
    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def _china_date(value: Any) -> dt.date | None:
    """A stored UTC timestamp as the date in China (items are counted by the day they were made there)."""
    if not isinstance(value, str):
        return None
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        return _date(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return (moment + dt.timedelta(hours=8)).date()


def _replace(
    session: Session, model: type[Any], key: Any, rows: Sequence[dict[str, Any]], existing: Iterable[str]
) -> None:
    """Write ``rows`` (whole rows), replacing the stored ones with the same keys: a delete by key and one
    multi-row insert, instead of an UPDATE per row (which the driver would send one by one)."""
    stale = sorted(set(existing))
    for part in chunks(stale):
        session.execute(delete(model).where(key.in_(part)).execution_options(synchronize_session=False))
    insert_rows(session, model, rows)


def insert_rows(session: Session, model: type[Any], rows: Sequence[dict[str, Any]]) -> None:
    """Insert whole rows in bulk, in the caller's transaction: ``COPY`` on PostgreSQL (a read model of 200k items
    is written in seconds, not minutes), multi-row ``INSERT`` statements elsewhere (``RETURNING`` makes
    SQLAlchemy batch the executemany, one round trip per thousand rows)."""
    if not rows:
        return
    table = model.__table__
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        names = [column.name for column in table.columns]
        json_columns = {column.name for column in table.columns if isinstance(column.type, JSON)}
        driver = connection.connection.driver_connection
        assert driver is not None
        with driver.cursor() as cursor, cursor.copy(f"COPY {table.name} ({', '.join(names)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([json.dumps(row.get(name)) if name in json_columns else row.get(name) for name in names])
        return
    key = next(iter(table.primary_key.columns))
    session.execute(insert(table).returning(key), list(rows)).all()


def _text(value: Any, limit: int) -> str:
    return str(value)[:limit] if value is not None else ""


@dataclass
class _Batch:
    """The latest state of each record of one batch (later seq wins), by entity."""

    rows: dict[str, dict[str, Any]] = field(default_factory=dict)
    dirty: set[str] = field(default_factory=set)

    def add(self, record: Any) -> None:
        self.rows.setdefault(record.entity, {})[record.entity_id] = record

    def of(self, entity: str) -> list[Any]:
        return list(self.rows.get(entity, {}).values())


def catch_up(db: ServerDatabase, today: dt.date) -> bool:
    """Fold every committed change since the cursor into the read model and regrade for ``today``, committing
    every few batches (a long first catch-up after an upgrade).

    Returns False when another worker holds the model (it is catching up; this request reads what is there).
    """
    while True:
        with db.session() as session:
            state = _lock(session)
            if state is None:
                return False
            if not _advance(session, state):
                _regrade_for_day(session, state, today)
                return True


def catch_up_in(session: Session, today: dt.date) -> bool:
    """:func:`catch_up` inside the caller's transaction (a console page reads the model it just brought up to
    date; the state row stays locked until the page's transaction ends)."""
    state = _lock(session)
    if state is None:
        return False
    cursor, graded_on = state.cursor, state.graded_on
    while _advance(session, state):
        pass
    _regrade_for_day(session, state, today)
    if (state.cursor, state.graded_on) != (cursor, graded_on):
        # The model's rows were rewritten by bulk statements: objects this session already loaded are stale.
        session.expire_all()
    return True


def _lock(session: Session) -> ProjectionState | None:
    return session.scalars(
        select(ProjectionState).where(ProjectionState.id == 1).with_for_update(skip_locked=True)
    ).one_or_none()


def _advance(session: Session, state: ProjectionState) -> bool:
    committed, purged = session.execute(select(FeedState.last_seq, FeedState.purged_seq)).one()
    if 0 < state.cursor < purged:
        _clear(session, state)
    users = {
        user_id: display or username
        for user_id, display, username in session.execute(select(User.id, User.display_name, User.username))
    }
    for _ in range(ROUNDS_PER_TRANSACTION):
        records = session.execute(
            select(
                Record.entity,
                Record.entity_id,
                Record.seq,
                Record.deleted,
                Record.data,
                Record.district_id,
                Record.owner_id,
                Record.parent_id,
            )
            .where(
                Record.seq > state.cursor,
                Record.seq <= committed,
                or_(
                    Record.entity.in_(PROJECTED),
                    and_(Record.entity == "answer", Record.data["kind"].as_string() == "signal"),
                    and_(Record.entity == "answer", Record.deleted.is_(True)),
                ),
            )
            .order_by(Record.seq)
            .limit(BATCH)
        ).all()
        if not records:
            state.cursor = max(state.cursor, int(committed))
            return False
        batch = _Batch()
        for record in records:
            batch.add(record)
        _apply(session, batch, users)
        _regrade(session, sorted(batch.dirty), state.graded_on)
        state.cursor = records[-1].seq
        if len(records) < BATCH:
            state.cursor = max(state.cursor, int(committed))
            return False
    return True


def _clear(session: Session, state: ProjectionState) -> None:
    for model in (LedgerEntry, AuditSummary, EnterpriseRisk, PlanAssignment):
        session.execute(delete(model))
    state.cursor = 0
    state.graded_on = None


def rebuild(db: ServerDatabase, today: dt.date) -> None:
    """Forget the read model and fold the whole record store again (after a restore, or a rule change)."""
    with db.session() as session:
        state = session.get_one(ProjectionState, 1, with_for_update=True)
        _clear(session, state)
    catch_up(db, today)


# --- folding records ------------------------------------------------------------------------------------------


def _apply(session: Session, batch: _Batch, users: dict[int, str]) -> None:
    _enterprises(session, batch)
    audits = _audits(session, batch, users)
    _findings_and_items(session, batch, users, audits)
    _indicators_and_signals(session, batch)
    _assignments(session, batch)


def _enterprises(session: Session, batch: _Batch) -> None:
    records = batch.of("enterprise")
    if not records:
        return
    ids = [record.entity_id for record in records]
    existing = set(session.scalars(select(EnterpriseRisk.enterprise_id).where(EnterpriseRisk.enterprise_id.in_(ids))))
    gone = [record.entity_id for record in records if record.deleted or record.data is None]
    if gone:
        session.execute(delete(EnterpriseRisk).where(EnterpriseRisk.enterprise_id.in_(gone)))
    new: list[dict[str, Any]] = []
    changed: list[dict[str, Any]] = []
    for record in records:
        if record.deleted or record.data is None:
            continue
        values = {
            "enterprise_id": record.entity_id,
            "district_id": record.district_id,
            "name": _text(record.data.get("name"), 200),
            "uscc": _text(record.data.get("uscc"), 40),
            "industry": _text(record.data.get("industry"), 100),
        }
        (changed if record.entity_id in existing else new).append(values)
        batch.dirty.add(record.entity_id)
    if new:
        insert_rows(session, EnterpriseRisk, [_risk_row(row) for row in new])
    for row in changed:
        session.execute(
            update(EnterpriseRisk)
            .where(EnterpriseRisk.enterprise_id == row["enterprise_id"])
            .values(name=row["name"], uscc=row["uscc"], industry=row["industry"], district_id=row["district_id"])
        )


def _risk_row(row: dict[str, Any]) -> dict[str, Any]:
    return {
        **row,
        "grade": "低",
        "score": 0,
        "factors": [],
        "open_items": 0,
        "overdue_items": 0,
        "last_visit": None,
        "graded_on": None,
    }


def _audits(session: Session, batch: _Batch, users: dict[int, str]) -> dict[str, AuditSummary]:
    """Upsert the batch's audits; returns every audit summary the batch's findings and items need."""
    records = batch.of("audit")
    wanted = {record.entity_id for record in records}
    for entity in ("finding", "rectification_item"):
        wanted.update(record.parent_id for record in batch.of(entity) if record.parent_id)
    summaries = _load(session, AuditSummary, AuditSummary.audit_id, sorted(wanted))
    registry = _registry_names(session, [r.parent_id for r in records if r.parent_id])
    fresh: list[dict[str, Any]] = []
    changed: list[dict[str, Any]] = []
    for record in records:
        data = record.data or {}
        facts = data.get("enterprise_facts") if isinstance(data.get("enterprise_facts"), dict) else {}
        enterprise_id = _text(data.get("enterprise_id") or record.parent_id, 64)
        values = {
            "audit_id": record.entity_id,
            "district_id": record.district_id,
            "enterprise_id": enterprise_id,
            "enterprise_name": _text((facts or {}).get("name") or registry.get(enterprise_id, ""), 200),
            "owner_id": record.owner_id,
            "campaign_id": data.get("campaign_id") or None,
            "visit_date": _date(data.get("visit_date")),
            "finished": not record.deleted and data.get("status") == "finished",
        }
        if record.entity_id in summaries:
            changed.append(values)
            for name, value in values.items():
                setattr(summaries[record.entity_id], name, value)
        else:
            fresh.append(values)
            summaries[record.entity_id] = AuditSummary(**values)
        if enterprise_id:
            batch.dirty.add(enterprise_id)
    _replace(session, AuditSummary, AuditSummary.audit_id, fresh + changed, [row["audit_id"] for row in changed])
    ids = [record.entity_id for record in records]
    for part in chunks(ids):
        # One statement for the batch: every ledger row of these audits takes the audit's facts.
        session.execute(
            update(LedgerEntry)
            .where(LedgerEntry.audit_id == AuditSummary.audit_id, AuditSummary.audit_id.in_(part))
            .values(
                visit_date=AuditSummary.visit_date,
                campaign_id=AuditSummary.campaign_id,
                enterprise_name=AuditSummary.enterprise_name,
                audit_finished=AuditSummary.finished,
                live=and_(
                    LedgerEntry.module.is_not(None), LedgerEntry.removed.is_(False), AuditSummary.finished.is_(True)
                ),
            )
            .execution_options(synchronize_session=False)
        )
    return summaries


def _registry_names(session: Session, enterprise_ids: Iterable[str]) -> dict[str, str]:
    ids = sorted(set(enterprise_ids))
    found: dict[str, str] = {}
    for part in chunks(ids):
        query = select(EnterpriseRisk.enterprise_id, EnterpriseRisk.name).where(EnterpriseRisk.enterprise_id.in_(part))
        found.update({enterprise_id: name for enterprise_id, name in session.execute(query)})
    return found


def _load(session: Session, model: type[Any], key: Any, ids: Sequence[str]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for part in chunks(ids):
        for row in session.scalars(select(model).where(key.in_(part))):
            found[getattr(row, key.key)] = row
    return found


_LEDGER_FIELDS: Final = tuple(column.key for column in LedgerEntry.__table__.columns)


def _findings_and_items(
    session: Session, batch: _Batch, users: dict[int, str], audits: dict[str, AuditSummary]
) -> None:
    findings = batch.of("finding")
    items = batch.of("rectification_item")
    if not findings and not items:
        return
    keys = {record.entity_id for record in findings}
    for record in items:
        finding_id = (record.data or {}).get("finding_id")
        if isinstance(finding_id, str):
            keys.add(finding_id)
    stored = _load(session, LedgerEntry, LedgerEntry.finding_id, sorted(keys))
    gone_items = [r.entity_id for r in items if r.deleted]
    if gone_items:
        # A tombstoned item carries no data: find its row by item id.
        for part in chunks(gone_items):
            for entry in session.scalars(select(LedgerEntry).where(LedgerEntry.item_id.in_(part))):
                stored[entry.finding_id] = entry
    rows: dict[str, dict[str, Any]] = {
        finding_id: {name: getattr(row, name) for name in _LEDGER_FIELDS} for finding_id, row in stored.items()
    }
    for record in findings:
        row = rows.setdefault(record.entity_id, _blank(record.entity_id))
        data = record.data or {}
        row.update(district_id=record.district_id, owner_id=record.owner_id)
        if record.parent_id:
            row["audit_id"] = record.parent_id
        if record.deleted:
            row["removed"] = True
            continue
        severity = _text(data.get("severity"), 4) or None
        row.update(
            module=_text(data.get("module"), 20) or None,
            severity=severity,
            severity_rank=GRADE_ORDER.get(severity or "", 0),
            removed=bool(data.get("removed_at") or data.get("removed_reason")),
        )
    for record in items:
        if record.deleted:
            for row in rows.values():
                if row["item_id"] == record.entity_id:
                    row.update(item_id=None, status=None, deadline=None, created_on=None, verified_on=None)
            continue
        data = record.data or {}
        finding_id = data.get("finding_id")
        if not isinstance(finding_id, str):
            continue
        row = rows.setdefault(finding_id, _blank(finding_id))
        row.update(
            district_id=record.district_id,
            owner_id=record.owner_id,
            item_id=record.entity_id,
            status=_text(data.get("status"), 20) or "open",
            deadline=_date(data.get("deadline")),
            created_on=_china_date(data.get("created_at")),
            verified_on=_date(data.get("verified_on")),
            enterprise_id=_text(data.get("enterprise_id"), 64) or row["enterprise_id"],
        )
        if record.parent_id:
            row["audit_id"] = record.parent_id
    missing = sorted({row["audit_id"] for row in rows.values() if row["audit_id"] and row["audit_id"] not in audits})
    audits.update(_load(session, AuditSummary, AuditSummary.audit_id, missing))
    fresh: list[dict[str, Any]] = []
    changed: list[dict[str, Any]] = []
    for finding_id, row in rows.items():
        audit = audits.get(row["audit_id"] or "")
        if audit is not None:
            row.update(
                visit_date=audit.visit_date,
                campaign_id=audit.campaign_id,
                enterprise_name=audit.enterprise_name,
                audit_finished=audit.finished,
                enterprise_id=row["enterprise_id"] or audit.enterprise_id,
            )
        row["coordinator"] = users.get(row["owner_id"] or 0, "")
        row["live"] = bool(row["module"]) and not row["removed"] and bool(row["audit_finished"])
        if row["enterprise_id"]:
            batch.dirty.add(row["enterprise_id"])
        (changed if finding_id in stored else fresh).append(row)
    _replace(session, LedgerEntry, LedgerEntry.finding_id, fresh + changed, [row["finding_id"] for row in changed])


def _blank(finding_id: str) -> dict[str, Any]:
    return {
        "finding_id": finding_id,
        "district_id": None,
        "audit_id": None,
        "owner_id": None,
        "coordinator": "",
        "enterprise_id": None,
        "enterprise_name": "",
        "campaign_id": None,
        "visit_date": None,
        "module": None,
        "severity": None,
        "severity_rank": 0,
        "removed": False,
        "audit_finished": False,
        "live": False,
        "item_id": None,
        "status": None,
        "deadline": None,
        "created_on": None,
        "verified_on": None,
        "follow_up_by": None,
    }


def _indicators_and_signals(session: Session, batch: _Batch) -> None:
    batch.dirty.update(record.parent_id for record in batch.of("risk_indicator") if record.parent_id)
    audit_ids = sorted({record.parent_id for record in batch.of("answer") if record.parent_id})
    for part in chunks(audit_ids):
        batch.dirty.update(
            session.scalars(select(AuditSummary.enterprise_id).where(AuditSummary.audit_id.in_(part))).all()
        )


def _assignments(session: Session, batch: _Batch) -> None:
    records = batch.of("visit_assignment")
    if not records:
        return
    existing = set(
        session.scalars(
            select(PlanAssignment.assignment_id).where(
                PlanAssignment.assignment_id.in_([record.entity_id for record in records])
            )
        )
    )
    for record in records:
        data = record.data or {}
        values = {
            "assignment_id": record.entity_id,
            "district_id": record.district_id,
            "plan_id": _text(data.get("plan_id"), 64),
            "campaign_id": data.get("campaign_id") or None,
            "kind": _text(data.get("kind") or "visit", 20),
            "enterprise_id": _text(data.get("enterprise_id") or record.parent_id, 64),
            "assignee_id": data.get("assignee_id") if isinstance(data.get("assignee_id"), int) else None,
            "target_date": _date(data.get("target_date")),
            "assigned_on": _date(data.get("assigned_on")),
            "active": not record.deleted and data.get("status", "assigned") == "assigned",
        }
        if record.entity_id in existing:
            session.execute(update(PlanAssignment), [values])
        else:
            session.execute(insert(PlanAssignment), [values])
        if values["kind"] == "follow_up":
            item_ids = [str(item) for item in data.get("item_ids") or [] if isinstance(item, str)]
            follow_up_by = values["assignee_id"] if values["active"] else None
            for part in chunks(item_ids):
                session.execute(
                    update(LedgerEntry)
                    .where(LedgerEntry.item_id.in_(part))
                    .values(follow_up_by=follow_up_by)
                    .execution_options(synchronize_session=False)
                )


# --- risk grades ----------------------------------------------------------------------------------------------


def factor_json(result: RiskGrade) -> list[dict[str, str | int]]:
    return [factor.to_json() for factor in result.factors]


def _regrade_for_day(session: Session, state: ProjectionState, today: dt.date) -> None:
    """Grades are for one day: when it moves on, regrade those whose open items crossed a deadline in between."""
    if state.graded_on == today:
        return
    if state.graded_on is None:
        ids = list(session.scalars(select(EnterpriseRisk.enterprise_id)))
    else:
        low, high = sorted((state.graded_on, today))
        ids = list(
            session.scalars(
                select(LedgerEntry.enterprise_id)
                .where(
                    LedgerEntry.live.is_(True),
                    LedgerEntry.status != "verified",
                    LedgerEntry.deadline >= low,
                    LedgerEntry.deadline < high,
                    LedgerEntry.enterprise_id.is_not(None),
                )
                .distinct()
            )
        )
    state.graded_on = today
    _regrade(session, sorted({i for i in ids if i}), today)


def _regrade(session: Session, enterprise_ids: Sequence[str], today: dt.date | None) -> None:
    if today is None or not enterprise_ids:
        return  # nothing graded yet: the first catch-up grades everything for its day
    for part in chunks(enterprise_ids):
        _regrade_chunk(session, part, today)


def _regrade_chunk(session: Session, ids: Sequence[str], today: dt.date) -> None:
    items: dict[str, list[OpenItem]] = {}
    for enterprise_id, severity, deadline in session.execute(
        select(LedgerEntry.enterprise_id, LedgerEntry.severity, LedgerEntry.deadline).where(
            LedgerEntry.enterprise_id.in_(ids),
            LedgerEntry.live.is_(True),
            LedgerEntry.item_id.is_not(None),
            LedgerEntry.status != "verified",
            LedgerEntry.deadline.is_not(None),
        )
    ):
        if enterprise_id is not None and deadline is not None:
            items.setdefault(enterprise_id, []).append(OpenItem(severity=severity or "", deadline=deadline))
    indicators: dict[str, list[Indicator]] = {}
    for parent, data in session.execute(
        select(Record.parent_id, Record.data).where(
            Record.parent_id.in_(ids), Record.entity == "risk_indicator", Record.deleted.is_(False)
        )
    ):
        data = data or {}
        indicators.setdefault(parent, []).append(
            Indicator(
                kind=str(data.get("kind") or ""),
                value=str(data.get("value") or ""),
                source=str(data.get("source") or ""),
            )
        )
    latest: dict[str, tuple[dt.date, str]] = {}
    for enterprise_id, audit_id, visit_date in session.execute(
        select(AuditSummary.enterprise_id, AuditSummary.audit_id, AuditSummary.visit_date).where(
            AuditSummary.enterprise_id.in_(ids), AuditSummary.finished.is_(True)
        )
    ):
        key = (visit_date or dt.date.min, audit_id)
        if enterprise_id not in latest or key > latest[enterprise_id]:
            latest[enterprise_id] = key
    by_audit = {audit_id: enterprise_id for enterprise_id, (_, audit_id) in latest.items()}
    signals: dict[str, list[tuple[str, str]]] = {}
    titles: dict[tuple[str, str], str] | None = None
    for part in chunks(sorted(by_audit)):
        for parent, data in session.execute(
            select(Record.parent_id, Record.data).where(
                Record.parent_id.in_(part), Record.entity == "answer", Record.deleted.is_(False)
            )
        ):
            data = data or {}
            if data.get("kind") == "signal" and data.get("status") == "non_compliant":
                titles = item_titles(session) if titles is None else titles
                code = str(data.get("item_id") or "")
                title = titles.get((str(data.get("module") or ""), code), "")
                signals.setdefault(by_audit[parent], []).append((code, title))
    updates = []
    for enterprise_id in ids:
        open_items = items.get(enterprise_id, [])
        result = grade(open_items, indicators.get(enterprise_id, []), sorted(signals.get(enterprise_id, [])), today)
        updates.append(
            {
                "enterprise_id": enterprise_id,
                "grade": result.grade,
                "score": result.score,
                "factors": factor_json(result),
                "open_items": len(open_items),
                "overdue_items": sum(1 for item in open_items if past_deadline(item.deadline, today)),
                "last_visit": latest[enterprise_id][0] if enterprise_id in latest else None,
                "graded_on": today,
            }
        )
    stored = {
        row.enterprise_id: row
        for row in session.execute(
            select(
                EnterpriseRisk.enterprise_id,
                EnterpriseRisk.district_id,
                EnterpriseRisk.name,
                EnterpriseRisk.uscc,
                EnterpriseRisk.industry,
            ).where(EnterpriseRisk.enterprise_id.in_(ids))
        )
    }
    rows = [
        {
            **update_row,
            "district_id": stored[update_row["enterprise_id"]].district_id,
            "name": stored[update_row["enterprise_id"]].name,
            "uscc": stored[update_row["enterprise_id"]].uscc,
            "industry": stored[update_row["enterprise_id"]].industry,
        }
        for update_row in updates
        if update_row["enterprise_id"] in stored
    ]
    _replace(session, EnterpriseRisk, EnterpriseRisk.enterprise_id, rows, [row["enterprise_id"] for row in rows])
