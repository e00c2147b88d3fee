"""管理: the district's users, devices, retention, campaigns and template publishing, from the console.

Each action is the same service the ``laborcheck-server`` command runs (:mod:`server.admin`), scoped to the
admin's own district, and each is written to the office log by the page that calls it. Disabling a user or
resetting a password ends every console session of that user (a disabled user's device tokens are refused at
once by the sync API).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.sync.protocol import Role
from core.publications import HOLIDAY_CALENDAR, PUBLICATION_ENTITY
from server import admin
from server.console.markers import T
from server.console.sessions import MIN_PASSWORD, end_sessions
from server.models import ConflictEntry, Device, District, Record, User
from server.security import hash_password
from server.template_problems import FIELD as TEMPLATE_PROBLEM_FIELD

CONSOLE_ROLES = (Role.COORDINATOR.value, Role.OFFICE.value, Role.ADMIN.value)


class AdminRefused(Exception):
    """An administration step the admin must correct (message in Chinese)."""


@dataclass(frozen=True)
class DeviceRow:
    device_id: str
    name: str
    username: str
    created_at: dt.datetime
    last_sync_at: dt.datetime | None
    revoked_at: dt.datetime | None


def users(session: Session, district_id: int) -> list[User]:
    return list(session.scalars(select(User).where(User.district_id == district_id).order_by(User.role, User.username)))


def add_user(
    session: Session, district: District, *, username: str, display_name: str, role: str, password: str
) -> User:
    username = username.strip()
    if not username or len(username) > 80 or any(char.isspace() for char in username):
        raise AdminRefused(T("用户名不能为空，也不能含空格"))
    if role not in CONSOLE_ROLES:
        raise AdminRefused(T("请选择角色"))
    if len(password) < MIN_PASSWORD:
        raise AdminRefused(T("密码至少 8 位"))
    try:
        return admin.add_user(
            session,
            username=username,
            password=password,
            role=Role(role),
            district=district.name,
            display_name=display_name.strip()[:100],
        )
    except admin.AdminError:
        raise AdminRefused(T("用户名已存在")) from None


def _own_user(session: Session, district: District, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None or user.district_id != district.id:
        raise AdminRefused(T("用户不存在"))
    return user


def set_disabled(session: Session, district: District, user_id: int, acting_user: int, disabled: bool) -> User:
    user = _own_user(session, district, user_id)
    if user.id == acting_user and disabled:
        raise AdminRefused(T("不能停用自己的账号"))
    user.disabled = disabled
    if disabled:
        end_sessions(session, user.id)
    return user


def reset_password(session: Session, district: District, user_id: int, password: str) -> User:
    user = _own_user(session, district, user_id)
    if len(password) < MIN_PASSWORD:
        raise AdminRefused(T("密码至少 8 位"))
    user.password_hash = hash_password(password)
    end_sessions(session, user.id)
    return user


def devices(session: Session, district_id: int) -> list[DeviceRow]:
    rows = session.execute(
        select(Device, User.username)
        .join(User, User.id == Device.user_id)
        .where(User.district_id == district_id)
        .order_by(Device.created_at.desc())
    ).all()
    return [
        DeviceRow(device.id, device.name, username, device.created_at, device.last_sync_at, device.revoked_at)
        for device, username in rows
    ]


def revoke(session: Session, district: District, device_id: str) -> Device:
    device = session.get(Device, device_id)
    owner = session.get(User, device.user_id) if device is not None else None
    if device is None or owner is None or owner.district_id != district.id:
        raise AdminRefused(T("设备不存在"))
    return admin.revoke_device(session, device_id)


def set_retention(session: Session, district: District, text: str) -> District:
    value = text.strip().lower()
    days: int | None
    if value in ("", "off", "0"):
        days = None
    elif value.isdigit():
        days = int(value)
    else:
        raise AdminRefused(T("保留天数应为正整数，留空表示不清理"))
    try:
        return admin.set_retention(session, district.name, days)
    except admin.AdminError:
        raise AdminRefused(T("保留期限至少 30 天（留空表示不清理）")) from None


def campaigns(session: Session, district_id: int) -> list[dict[str, Any]]:
    rows = session.scalars(
        select(Record).where(Record.entity == "campaign", Record.district_id == district_id, Record.deleted.is_(False))
    ).all()
    return sorted(
        (dict(row.data or {}) for row in rows), key=lambda data: str(data.get("starts_on") or ""), reverse=True
    )


def _date(value: str, label: str) -> dt.date | None:
    if not value.strip():
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise AdminRefused(label) from None


def add_campaign(
    session: Session, district: District, *, name: str, starts_on: str, ends_on: str, report_due_on: str
) -> Record:
    name = name.strip()[:200]
    if not name:
        raise AdminRefused(T("请填写专项行动名称"))
    start = _date(starts_on, T("日期格式不正确"))
    end = _date(ends_on, T("日期格式不正确"))
    due = _date(report_due_on, T("日期格式不正确"))
    if start and end and end < start:
        raise AdminRefused(T("结束日期不能早于开始日期"))
    return admin.add_campaign(
        session, district=district.name, name=name, starts_on=start, ends_on=end, report_due_on=due
    )


def templates(session: Session) -> list[dict[str, Any]]:
    rows = session.execute(
        select(Record.data, Record.updated_at).where(Record.entity == "template", Record.deleted.is_(False))
    ).all()
    found = [
        {
            "module": (data or {}).get("module"),
            "version": (data or {}).get("version"),
            "title": (data or {}).get("title"),
            "content_hash": str((data or {}).get("content_hash") or "")[:12],
            "published_at": updated_at,
        }
        for data, updated_at in rows
    ]
    return sorted(found, key=lambda row: (str(row["module"]), -int(row["version"] or 0)))


def publish_template_files(session: Session, files: list[tuple[str, bytes]]) -> list[str]:
    """Publish uploaded template snapshots (``laborcheck export-templates`` files): all or none, through the
    same checks as ``laborcheck-server template publish`` and every laptop (:func:`server.admin.publish_snapshots`)."""
    if not files:
        raise AdminRefused(T("请选择模板快照文件（.json）"))
    try:
        return admin.publish_snapshots(session, files)
    except admin.AdminError as error:
        raise AdminRefused(str(error)) from None


_DATE_SEPARATORS = re.compile(r"[\s,，、;；]+")
_RANGE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[~～至]|--)(\d{4}-\d{2}-\d{2})$")
MAX_RANGE_DAYS = 40


def parse_days(text: str) -> list[dt.date]:
    """Dates as the office types them: ``2027-01-01``, ranges ``2027-02-10~2027-02-17`` (or 至), separated by spaces,
    commas, 、 or new lines."""
    days: set[dt.date] = set()
    for token in _DATE_SEPARATORS.split(text.strip()):
        if not token:
            continue
        matched = _RANGE.match(token)
        try:
            if matched:
                first, last = dt.date.fromisoformat(matched[1]), dt.date.fromisoformat(matched[2])
                if last < first or (last - first).days > MAX_RANGE_DAYS:
                    raise AdminRefused(T("日期范围不正确") + f"：{token}")
                days.update(first + dt.timedelta(days=offset) for offset in range((last - first).days + 1))
            else:
                days.add(dt.date.fromisoformat(token))
        except ValueError:
            raise AdminRefused(T("日期格式不正确") + f"：{token[:40]}") from None
    return sorted(days)


def publish_calendar(session: Session, viewer_name: str, *, year: str, holidays: str, workdays: str) -> Record:
    """Publish a year's holiday schedule typed on the console (:func:`server.admin.publish_calendar`)."""
    try:
        number = int(year.strip())
    except ValueError:
        raise AdminRefused(T("请填写年份")) from None
    try:
        return admin.publish_calendar(
            session, number, parse_days(holidays), parse_days(workdays), published_by=viewer_name
        )
    except admin.AdminError as error:
        raise AdminRefused(str(error)) from None


def calendars(session: Session) -> list[dict[str, Any]]:
    """The published schedules (office publications of kind ``holiday_calendar``), newest year first."""
    rows = session.execute(
        select(Record.data, Record.updated_at).where(Record.entity == PUBLICATION_ENTITY, Record.deleted.is_(False))
    ).all()
    found = []
    for data, updated_at in rows:
        if (data or {}).get("kind") != HOLIDAY_CALENDAR:
            continue
        content = data.get("content") or {}
        found.append(
            {
                "year": content.get("year"),
                "holidays": len(content.get("holidays") or []),
                "workdays": "、".join(str(day) for day in content.get("workdays") or []),
                "published_by": content.get("published_by") or "",
                "published_at": updated_at,
            }
        )
    return sorted(found, key=lambda row: -int(row["year"] or 0))


def template_problems(session: Session, district_id: int) -> list[dict[str, Any]]:
    """Published template versions this district's laptops reported they cannot use (``POST /templates/problems``,
    kept in the conflict log by :mod:`server.template_problems`), newest first: the office sees an unusable
    publication here, beside the publishing form."""
    rows = session.execute(
        select(ConflictEntry, Device.name, User.display_name, User.username)
        .outerjoin(Device, Device.id == ConflictEntry.device_id)
        .outerjoin(User, User.id == ConflictEntry.user_id)
        .where(
            ConflictEntry.district_id == district_id,
            ConflictEntry.entity == "template",
            ConflictEntry.field == TEMPLATE_PROBLEM_FIELD,
        )
        .order_by(ConflictEntry.id.desc())
        .limit(200)
    ).all()
    return [
        {
            "version": entry.server_value or "",
            "reason": entry.proposed_value or "",
            "kept": entry.resolution or "",
            "device": device or entry.device_id or "",
            "user": display or username or "",
            "reported_at": entry.created_at,
        }
        for entry, device, display, username in rows
    ]
