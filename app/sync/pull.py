"""Pulling the change feed: each page stored with its cursor in one local transaction.

A page's rows and the new cursor commit together (outbox suppressed: this is server data), so a crash between
receiving a page and committing it re-pulls that page, and nothing is skipped or applied twice. Templates are
immutable versions: a pulled version is added, never changes an existing one, and audits keep what they pinned.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.models import Campaign, Enterprise, OutboxEntry, RiskIndicator, SyncCursor, Template
from app.models.sync import SUPPRESS_OUTBOX
from app.sync.outbox import ENTERPRISE_SERVER_FIELDS, log_conflict
from app.sync.protocol import ChangeRow, ChangesPage
from app.sync.shared_items import SHARED_ITEM_ENTITY, apply_shared_item, prune_shared_items

CHANGES_CURSOR = "changes"
RESYNC_MARK = "resync"
INITIALS_LIMIT = 200

Initials = Callable[[str], str]


def get_cursor(session: Session, name: str) -> str | None:
    row = session.get(SyncCursor, name)
    return row.value if row is not None else None


def set_cursor(session: Session, name: str, value: str | None) -> None:
    row = session.get(SyncCursor, name)
    if value is None:
        if row is not None:
            session.delete(row)
        return
    if row is None:
        session.add(SyncCursor(name=name, value=value))
    else:
        row.value = value


def _date(value: Any) -> dt.date | None:
    return dt.date.fromisoformat(value) if isinstance(value, str) and value else None


class _EnterpriseIndex:
    """The page's enterprises loaded in two queries (by id and by code) instead of two per row."""

    def __init__(self, session: Session, rows: list[ChangeRow]) -> None:
        ids = [row.entity_id for row in rows if row.entity == "enterprise"]
        codes = [str((row.data or {}).get("uscc")) for row in rows if row.entity == "enterprise" and row.data]
        self.by_id = {e.id: e for e in session.scalars(select(Enterprise).where(Enterprise.id.in_(ids)))} if ids else {}
        self.by_uscc = (
            {e.uscc: e for e in session.scalars(select(Enterprise).where(Enterprise.uscc.in_(codes)))} if codes else {}
        )


def _enterprise(session: Session, row: ChangeRow, initials: Initials | None, index: _EnterpriseIndex) -> None:
    enterprise = index.by_id.get(row.entity_id)
    if row.op == "delete":
        if enterprise is not None:
            try:
                with session.begin_nested():
                    session.delete(enterprise)
                    session.flush()
                index.by_id.pop(row.entity_id, None)
            except IntegrityError:
                pass  # audits on this laptop still point at it: keep it for them
        return
    data = row.data or {}
    if enterprise is None:
        holder = index.by_uscc.get(str(data.get("uscc")))
        if holder is not None:
            log_conflict(
                session,
                entity="enterprise",
                entity_id=holder.id,
                field_name="uscc",
                local=holder.name,
                server=data.get("name"),
                resolution="服务器名录中有同一信用代码的另一条企业记录，本机记录保留，请联系区办合并",
            )
            return
        enterprise = Enterprise(id=row.entity_id, uscc=str(data.get("uscc")), name=str(data.get("name")))
        session.add(enterprise)
        index.by_id[enterprise.id] = enterprise
        index.by_uscc[enterprise.uscc] = enterprise
    for name in ENTERPRISE_SERVER_FIELDS:
        if name in data:
            value = data[name]
            if name in ("industry", "address", "district", "contact_name", "contact_phone") and value is None:
                value = ""
            setattr(enterprise, name, value if name != "is_key" else bool(value))
    enterprise.version = row.version
    if initials is not None:
        enterprise.name_initials = initials(enterprise.name)[:INITIALS_LIMIT]


def _template(session: Session, row: ChangeRow) -> None:
    if row.op == "delete" or not row.data:
        return  # published versions are never taken back from laptops: audits may pin them
    data = row.data
    existing = session.scalars(
        select(Template).where(Template.module == data["module"], Template.version == data["version"])
    ).one_or_none()
    if existing is not None:
        if existing.content_hash != data["content_hash"]:
            log_conflict(
                session,
                entity="template",
                entity_id=existing.id,
                field_name="content_hash",
                local=existing.content_hash,
                server=data["content_hash"],
                resolution="同一版本号的检查表内容不同：本机保留已有版本，请区办提高版本号后重新发布",
            )
        return
    session.add(
        Template(
            id=str(data["id"]),
            module=data["module"],
            version=int(data["version"]),
            title=data["title"],
            content_hash=data["content_hash"],
            content=data["content"],
        )
    )


def _campaign(session: Session, row: ChangeRow) -> None:
    campaign = session.get(Campaign, row.entity_id)
    if row.op == "delete":
        if campaign is not None:
            try:
                with session.begin_nested():
                    session.delete(campaign)
                    session.flush()
            except IntegrityError:
                pass
        return
    data = row.data or {}
    if campaign is None:
        campaign = Campaign(id=row.entity_id, name=str(data.get("name", "")))
        session.add(campaign)
    campaign.name = str(data.get("name", campaign.name))
    campaign.district = str(data.get("district") or "")
    campaign.starts_on = _date(data.get("starts_on"))
    campaign.ends_on = _date(data.get("ends_on"))
    campaign.report_due_on = _date(data.get("report_due_on"))


def _risk(session: Session, row: ChangeRow) -> None:
    indicator = session.get(RiskIndicator, row.entity_id)
    if row.op == "delete":
        if indicator is not None:
            session.delete(indicator)
        return
    data = row.data or {}
    if session.get(Enterprise, data.get("enterprise_id")) is None:
        return
    if indicator is None:
        indicator = RiskIndicator(id=row.entity_id, enterprise_id=str(data["enterprise_id"]), kind=str(data["kind"]))
        session.add(indicator)
    indicator.kind = str(data.get("kind", indicator.kind))
    indicator.value = str(data.get("value") or "")
    indicator.source = str(data.get("source") or "")
    indicator.observed_on = _date(data.get("observed_on"))


def apply_page(session: Session, page: ChangesPage, *, initials: Initials | None = None) -> int:
    """Apply one page and move the cursor, in the caller's transaction; returns the rows applied."""
    session.info[SUPPRESS_OUTBOX] = True
    index = _EnterpriseIndex(session, page.rows)
    for row in page.rows:
        if row.entity == "enterprise":
            with session.no_autoflush:
                _enterprise(session, row, initials, index)
        elif row.entity == "template":
            _template(session, row)
        elif row.entity == "campaign":
            _campaign(session, row)
        elif row.entity == "risk_indicator":
            _risk(session, row)
        elif row.entity == SHARED_ITEM_ENTITY:
            apply_shared_item(session, row)
    session.flush()
    set_cursor(session, CHANGES_CURSOR, str(page.next_since))
    return len(page.rows)


def prune_after_resync(session: Session, seen: dict[str, set[str]]) -> int:
    """After a full resync, drop reference rows the server no longer has (enterprises only when unused)."""
    session.info[SUPPRESS_OUTBOX] = True
    removed = 0
    unsent = set(session.scalars(select(OutboxEntry.entity_id)).all())
    removed += prune_shared_items(session, seen.get(SHARED_ITEM_ENTITY, set()))
    for model, entity in ((Campaign, "campaign"), (RiskIndicator, "risk_indicator"), (Enterprise, "enterprise")):
        ids: Iterable[str] = session.scalars(select(model.id)).all()
        for entity_id in ids:
            if entity_id in seen.get(entity, set()) or entity_id in unsent:
                continue
            row = session.get(model, entity_id)
            if row is None:
                continue
            try:
                with session.begin_nested():
                    session.delete(row)
                    session.flush()
                removed += 1
            except IntegrityError:
                pass
    return removed
