"""Template versions a laptop could not use, reported so the district office sees them (``POST /templates/problems``).

A laptop that receives a published version it cannot use (it fails the checks of ``core.template_check``, or its
number is bound to other content there) keeps the version it has and reports it once. The report is validated
like every other input — the schema of ``TemplateProblemReport``, and the version must be one this server
published, with that content hash — and is kept in the district's conflict log (``GET /conflicts``), one entry
per device and version: a retried report records nothing new.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.sync.protocol import TemplateProblemReceipt, TemplateProblemReport
from server.errors import not_found
from server.models import ConflictEntry, Record
from server.security import Caller

FIELD = "unusable_on_device"


def record_template_problem(session: Session, caller: Caller, report: TemplateProblemReport) -> TemplateProblemReceipt:
    template = session.scalars(
        select(Record).where(
            Record.entity == "template",
            Record.natural_key == f"{report.module}:{report.version}",
            Record.deleted.is_(False),
        )
    ).one_or_none()
    if template is None or (template.data or {}).get("content_hash") != report.content_hash:
        raise not_found("服务器没有发布过这个检查表版本")
    known = session.scalars(
        select(ConflictEntry.id).where(
            ConflictEntry.district_id == caller.district_id,
            ConflictEntry.device_id == caller.device_id,
            ConflictEntry.entity == "template",
            ConflictEntry.entity_id == template.entity_id,
            ConflictEntry.field == FIELD,
        )
    ).first()
    if known is not None:
        return TemplateProblemReceipt(recorded=False)
    kept = f"该设备继续使用第 {report.kept_version} 版" if report.kept_version else "该设备没有该检查表的其他版本"
    session.add(
        ConflictEntry(
            district_id=caller.district_id,
            user_id=caller.user_id,
            device_id=caller.device_id,
            entity="template",
            entity_id=template.entity_id,
            field=FIELD,
            proposed_value=report.reason,
            server_value=f"{report.module} v{report.version} {report.content_hash}",
            resolution=f"检查表 {report.module} 第 {report.version} 版在设备上无法使用：{kept}"[:200],
        )
    )
    return TemplateProblemReceipt(recorded=True)
