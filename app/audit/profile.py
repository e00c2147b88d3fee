"""The coordinator profile of this laptop: who signs, which organ issues notices, the device code."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audit.numbering import DEVICE_CODE
from app.models import Coordinator
from core.errors import LaborCheckError


class ProfileInvalid(LaborCheckError):
    pass


class ProfileMissing(LaborCheckError):
    def __init__(self) -> None:
        super().__init__("尚未设置协调员信息：请先填写姓名、单位、所属区县和设备编号")


@dataclass(frozen=True)
class ProfileInput:
    name: str
    device_code: str
    badge_no: str = ""
    organisation: str = ""
    district: str = ""
    issuing_body: str = ""
    notice_prefix: str = ""


def active_coordinator(session: Session) -> Coordinator | None:
    return session.scalars(
        select(Coordinator).where(Coordinator.is_active.is_(True)).order_by(Coordinator.created_at)
    ).first()


def require_coordinator(session: Session) -> Coordinator:
    coordinator = active_coordinator(session)
    if coordinator is None:
        raise ProfileMissing()
    return coordinator


def save_profile(session: Session, data: ProfileInput) -> Coordinator:
    """Create or update the laptop's coordinator profile."""
    name = data.name.strip()
    device_code = data.device_code.strip().upper()
    if not name:
        raise ProfileInvalid("请填写协调员姓名")
    if not DEVICE_CODE.match(device_code):
        raise ProfileInvalid(f"设备编号“{data.device_code}”无效：应为 1–8 位大写字母或数字（由区办公室分配，如 A3）")
    coordinator = active_coordinator(session) or Coordinator(name=name, device_code=device_code)
    coordinator.name = name
    coordinator.device_code = device_code
    coordinator.badge_no = data.badge_no.strip()
    coordinator.organisation = data.organisation.strip()
    coordinator.district = data.district.strip()
    coordinator.issuing_body = data.issuing_body.strip() or data.organisation.strip()
    coordinator.notice_prefix = data.notice_prefix.strip()
    session.add(coordinator)
    session.flush()
    return coordinator
