"""The append-only log of office actions (who did what, when, to what): written in the action's transaction.

The table refuses UPDATE and DELETE at the database level (migration 0003), so the log an admin reads is the
log that was written. ``detail`` holds ids, counts and office-owned values, never workers' personal data.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.console.models import OfficeAction
from server.console.sessions import Viewer
from server.models import utcnow

ACTION_LABELS = {
    "sign_in": "登录控制台",
    "sign_out": "退出登录",
    "password_change": "修改密码",
    "indicator_import": "导入部门共享数据",
    "plan_create": "制定走访计划",
    "plan_cancel": "取消走访任务",
    "follow_up_reassign": "改派复查",
    "conflict_accept": "采纳修改建议",
    "conflict_reject": "驳回修改建议",
    "enterprise_edit": "修改企业登记信息",
    "report_download": "下载书面报告",
    "ledger_export": "导出工作台账",
    "user_add": "添加用户",
    "user_disable": "停用用户",
    "user_enable": "启用用户",
    "password_reset": "重置密码",
    "device_revoke": "撤销设备",
    "retention_set": "设置保留期限",
    "campaign_add": "添加专项行动",
    "template_publish": "发布检查表",
    "calendar_publish": "发布节假日安排",
}


def record(
    session: Session,
    viewer: Viewer,
    action: str,
    *,
    district_id: int | None,
    target: str = "",
    detail: dict[str, Any] | None = None,
) -> None:
    if action not in ACTION_LABELS:
        raise ValueError(f"unknown office action {action!r}")
    session.add(
        OfficeAction(
            at=utcnow(),
            user_id=viewer.user_id,
            username=viewer.username,
            district_id=district_id,
            action=action,
            target=target[:200],
            detail=detail or {},
        )
    )


def recent(
    session: Session, district_id: int, *, limit: int = 200, before: int | None = None
) -> Sequence[OfficeAction]:
    query = select(OfficeAction).where(OfficeAction.district_id == district_id)
    if before is not None:
        query = query.where(OfficeAction.id < before)
    return session.scalars(query.order_by(OfficeAction.id.desc()).limit(limit)).all()
