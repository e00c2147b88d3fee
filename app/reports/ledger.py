"""The work ledger (劳动用工法治“体检”服务工作台账): one row per rectification item, as xlsx or csv.

The columns are the campaign annex's, in its order (DOMAIN.md, "The ledger's columns"). Each row shows what the
coordinator saw on the visit: the enterprise's facts come from the audit's snapshot (``enterprise_facts``) and
the headcounts from the visit inputs, falling back to the registry only where the snapshot lacks a value, so a
later registry change does not rewrite an old ledger. 风险等级 is the enterprise's current risk grade (高/中/低).

A finding removed with a reason is not a problem any more: its item is left out; so are the items of a visit
not finished (none exist through the app, but a bundle or a sync could bring one), as the statistics leave them
out (:mod:`core.statistics`). "Overdue" is not stored; it is
judged for the ``today`` the caller passes (the date in Asia/Shanghai), so the same data always gives the same
ledger for the same day.

Rows come in ledger order — visit day, the enterprise's name as the visit recorded it (the name shown), audit,
finding position — straight from an index (``ix_audit_ledger_order``), so SQLite never sorts the whole ledger
(it would do so in memory: SQLCipher keeps temporary data there), and they are streamed (``yield_per``) and
written as they come (XlsxWriter's constant-memory mode, or the csv module): a district ledger of hundreds of
thousands of items never sits in memory. The file is written under
a temporary name and renamed at the end: a failed export never leaves half a ledger, nor clobbers the last good
one.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import json
import os
import tempfile
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from sqlalchemy import Join, Select, Text, and_, func, literal_column, select, type_coerce
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.compiler import SQLCompiler

from app.models import Audit, AuditStatus, Coordinator, Enterprise, Finding, ItemStatus, RectificationItem
from core.errors import LaborCheckError
from core.ledger import (
    COLUMNS,
    HEADERS,
    LEDGER_STATUSES,
    LEDGER_TITLE,
    PROGRESS_EVERY,
    LedgerRow,
    LedgerStatus,
    ProgressCallback,
    basis_text,
    csv_chunks,
    ledger_row,
)
from core.statistics import ItemState, ItemTotals, item_totals

STREAM_BATCH: Final = 1000


class LedgerError(LaborCheckError):
    """A ledger request the coordinator can correct (unknown file type, unknown status); Chinese message."""


# --- reading ---------------------------------------------------------------------------------------------------


class _InOrder(Join):
    """``left CROSS JOIN right ON …``: SQLite joins in the order written instead of choosing its own.

    The ledger starts from the audits in ledger order (``ix_audit_ledger_order``) and reaches each audit's
    findings through ``ix_finding_audit_id``, so only one audit's findings are ever sorted (by position) at a
    time: a ledger of 300,000 items streams in constant memory. Left to itself, SQLite's planner starts from the
    findings and sorts every row at the end — in memory, since SQLCipher keeps temporary data there.
    """

    inherit_cache = True


@compiles(_InOrder)
def _compile_in_order(join: _InOrder, compiler: SQLCompiler, **kw: Any) -> str:
    kw["asfrom"] = True
    linter = kw.get("from_linter")
    if linter is not None:
        linter.edges.update(itertools.product(join.left._from_objects, join.right._from_objects))
    left = join.left._compiler_dispatch(compiler, **kw)
    right = join.right._compiler_dispatch(compiler, **kw)
    kw.pop("asfrom")
    assert join.onclause is not None
    return f"{left} CROSS JOIN {right} ON {join.onclause._compiler_dispatch(compiler, **kw)}"


LEDGER_NAME_ORDER: Final = func.json_extract(Audit.enterprise_facts, literal_column("'$.name'"))
"""The enterprise's name as the visit recorded it (the name the ledger shows), written exactly as in the index."""


def _query(
    today: dt.date, campaign_id: str | None, district: str | None, status: LedgerStatus | None
) -> Select[*tuple[Any, ...]]:
    tables: Any = _InOrder(Audit.__table__, Finding.__table__, Finding.audit_id == Audit.id)
    tables = _InOrder(
        tables,
        RectificationItem.__table__,
        and_(RectificationItem.finding_id == Finding.id, RectificationItem.audit_id == Audit.id),
    )
    tables = _InOrder(tables, Enterprise.__table__, Enterprise.id == RectificationItem.enterprise_id)
    tables = _InOrder(tables, Coordinator.__table__, Coordinator.id == Audit.coordinator_id)
    query = (
        select(
            RectificationItem.id,
            RectificationItem.requirement,
            RectificationItem.deadline,
            RectificationItem.deadline_estimated,
            RectificationItem.responsible_person,
            RectificationItem.responsible_phone,
            RectificationItem.status,
            RectificationItem.submitted_at,
            RectificationItem.verified_on,
            RectificationItem.verified_by,
            Finding.description,
            Finding.basis,
            Audit.id,
            Audit.visit_date,
            Audit.co_coordinators,
            type_coerce(Audit.inputs, Text),  # JSON text, decoded once per audit (not once per item)
            type_coerce(Audit.enterprise_facts, Text),
            Coordinator.name,
            Enterprise.name,
            Enterprise.uscc,
            Enterprise.industry,
            Enterprise.address,
            Enterprise.contact_name,
            Enterprise.contact_phone,
            Enterprise.headcount_last_year_end,
            Enterprise.headcount,
            Enterprise.risk_grade,
            Enterprise.id,
            Finding.module,
            Finding.item_id,
            Finding.severity,
        )
        .select_from(tables)
        .where(Finding.removed_at.is_(None), Finding.removed_reason.is_(None), Audit.status == AuditStatus.FINISHED)
        .order_by(Audit.visit_date, LEDGER_NAME_ORDER, Audit.id, Finding.position, Finding.id)
    )
    if campaign_id is not None:
        # "|| ''" keeps SQLite from answering through ix_audit_campaign_id and then sorting the whole campaign.
        query = query.where(Audit.campaign_id.op("||")("") == campaign_id)
    if district is not None:
        query = query.where(Enterprise.district == district)
    if status is not None:
        item_status, deadline = RectificationItem.status, RectificationItem.deadline
        condition = {
            "verified": item_status == ItemStatus.VERIFIED,
            "overdue": and_(item_status != ItemStatus.VERIFIED, deadline < today),
            "open": and_(item_status == ItemStatus.OPEN, deadline >= today),
            "submitted": and_(item_status == ItemStatus.SUBMITTED, deadline >= today),
        }[status]
        query = query.where(condition)
    return query


def ledger_rows(
    session: Session,
    *,
    today: dt.date,
    campaign_id: str | None = None,
    district: str | None = None,
    status: LedgerStatus | None = None,
) -> Iterator[LedgerRow]:
    """The ledger's rows, streamed in order of visit date, enterprise and finding position.

    ``district`` is the enterprise's district; ``status`` one of :data:`LEDGER_STATUSES` as judged for ``today``.
    """
    if status is not None and status not in LEDGER_STATUSES:
        raise LedgerError(f"未知的整改状态筛选：{status}（可选：{'、'.join(LEDGER_STATUSES)}）")
    result = session.execute(_query(today, campaign_id, district, status).execution_options(yield_per=STREAM_BATCH))
    decoded_for: str | None = None
    decoded: tuple[dict[str, Any], dict[str, Any]] = ({}, {})
    for number, row in enumerate(result, start=1):
        (
            item_id,
            requirement,
            deadline,
            deadline_estimated,
            responsible_person,
            responsible_phone,
            item_status,
            submitted_at,
            verified_on,
            verified_by,
            description,
            basis,
            audit_id,
            visit_date,
            co_coordinators,
            inputs,
            facts,
            coordinator_name,
            name,
            uscc,
            industry,
            address,
            contact_name,
            contact_phone,
            headcount_last_year_end,
            headcount,
            risk_grade,
            enterprise_id,
            module,
            item_code,
            severity,
        ) = row
        if audit_id != decoded_for:
            decoded_for, decoded = audit_id, (json.loads(inputs or "null") or {}, json.loads(facts or "null") or {})
        inputs, facts = decoded
        yield ledger_row(
            number=number,
            today=today,
            facts=facts,
            inputs=inputs,
            registry={
                "name": name,
                "uscc": uscc,
                "industry": industry,
                "address": address,
                "contact_name": contact_name,
                "contact_phone": contact_phone,
                "headcount_last_year_end": headcount_last_year_end,
                "headcount": headcount,
            },
            visit_date=visit_date,
            coordinator=coordinator_name,
            co_coordinators=co_coordinators,
            problem=description,
            basis=basis or [],
            requirement=requirement,
            deadline=deadline,
            deadline_estimated=deadline_estimated,
            responsible_person=responsible_person,
            responsible_phone=responsible_phone,
            status=item_status.value,
            submitted_at=submitted_at,
            verified_on=verified_on,
            verified_by=verified_by,
            risk_grade=risk_grade,
            item_id=item_id,
            audit_id=audit_id,
            enterprise_id=enterprise_id,
            module=module,
            item_code=item_code,
            severity=severity,
        )


@dataclass(frozen=True, slots=True)
class LedgerTotals:
    """The totals under a ledger (page and command line): items by state from :mod:`core.statistics`."""

    items: ItemTotals
    enterprises: int


class LedgerCount:
    """Counts the ledger's rows as they stream past, so an export can print its totals without keeping the rows
    (a district ledger's rows would not fit in constant memory)."""

    def __init__(self) -> None:
        self._states: Counter[ItemState] = Counter()
        self._enterprises: set[str] = set()

    def counted(self, rows: Iterable[LedgerRow]) -> Iterator[LedgerRow]:
        for row in rows:
            self._states[row.item_state] += 1
            self._enterprises.add(row.enterprise_id or row.uscc)
            yield row

    def totals(self) -> LedgerTotals:
        return LedgerTotals(item_totals(self._states.elements()), len(self._enterprises))


def ledger_totals(rows: Iterable[LedgerRow]) -> LedgerTotals:
    count = LedgerCount()
    for _row in count.counted(rows):
        pass
    return count.totals()


# --- writing ---------------------------------------------------------------------------------------------------


def _write_csv(rows: Iterable[LedgerRow], target: Path, on_progress: ProgressCallback | None) -> int:
    done = 0
    with target.open("w", encoding="utf-8", newline="") as file:
        for text, done in csv_chunks(rows, PROGRESS_EVERY):
            file.write(text)
            if on_progress is not None and done and done % PROGRESS_EVERY == 0:
                on_progress(done)
    return done


def write_ledger(
    rows: Iterable[LedgerRow],
    path: Path,
    *,
    on_progress: ProgressCallback | None = None,
    title: str = LEDGER_TITLE,
) -> int:
    """Write the ledger to ``path`` as ``.xlsx`` or ``.csv`` (by suffix); returns the number of rows.

    xlsx: a title row, a bold header row frozen under it (and repeated on every printed page), column widths
    fitted to the content, long texts wrapped, A4 landscape. csv: UTF-8 with BOM, header then rows, no title.
    ``on_progress(done)`` is called every few hundred rows and once at the end.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise LedgerError(
            f"不支持的台账文件类型“{path.suffix or '（无扩展名）'}”：请保存为 .xlsx（Excel/WPS 表格）或 .csv"
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}-", suffix=suffix)
    os.close(descriptor)
    temp = Path(temp_name)
    try:
        if suffix == ".xlsx":
            from core.ledger_xlsx import write_xlsx  # XlsxWriter is imported only when exporting

            done = write_xlsx(rows, temp, title, on_progress, PROGRESS_EVERY)
        else:
            done = _write_csv(rows, temp, on_progress)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()
        raise
    if on_progress is not None:
        on_progress(done)
    return done


__all__ = [
    "COLUMNS",
    "HEADERS",
    "LEDGER_STATUSES",
    "LEDGER_TITLE",
    "LedgerCount",
    "LedgerError",
    "LedgerRow",
    "LedgerStatus",
    "LedgerTotals",
    "basis_text",
    "ledger_rows",
    "ledger_totals",
    "write_ledger",
]
