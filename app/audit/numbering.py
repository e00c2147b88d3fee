"""Notice numbers (文号) that never collide offline.

Each laptop is registered with a short device code; numbers run per device and year, so two coordinators can
issue notices on the same day without a network and still never share a number:
``达川人社体检〔2026〕A3-017号``. The sequence row is updated in the caller's transaction, so a rolled-back notice
gives its number back and a committed one can never be issued twice.
"""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import NoticeSequence

DEVICE_CODE = re.compile(r"^[A-Z0-9]{1,8}$")


class InvalidDeviceCode(ValueError):
    def __init__(self, code: str) -> None:
        super().__init__(f"设备编号“{code}”无效：应为 1–8 位大写字母或数字（由区办公室分配，如 A3）")


def format_notice_number(prefix: str, year: int, device_code: str, sequence: int) -> str:
    """The printed 文号, with the year in 六角括号 〔〕 as GB/T 9704-2012 requires."""
    return f"{prefix}〔{year}〕{device_code}-{sequence:03d}号"


def next_notice_number(session: Session, *, prefix: str, device_code: str, year: int) -> tuple[str, int]:
    """Reserve the next sequence number for this device and year; returns (number, sequence)."""
    if not DEVICE_CODE.match(device_code):
        raise InvalidDeviceCode(device_code)
    row = session.scalars(
        select(NoticeSequence).where(NoticeSequence.device_code == device_code, NoticeSequence.year == year)
    ).one_or_none()
    if row is None:
        row = NoticeSequence(device_code=device_code, year=year, last=0)
        session.add(row)
    row.last += 1
    session.flush()
    return format_notice_number(prefix, year, device_code, row.last), row.last
