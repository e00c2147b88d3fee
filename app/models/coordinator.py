"""The coordinator who uses this laptop, and how their notices are headed and numbered."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, created_column, id_column


class Coordinator(Base):
    """A 劳动关系协调员 registered in the district roster.

    ``device_code`` is the laptop's short code from the office (e.g. ``A3``); together with a yearly sequence it
    makes notice numbers unique without a network. ``notice_prefix`` is the organ's abbreviation printed before
    the year in the 文号 (``达川人社体检``), ``issuing_body`` the organ named in the 落款.
    """

    __tablename__ = "coordinator"

    id: Mapped[str] = id_column()
    name: Mapped[str] = mapped_column(String(50))
    badge_no: Mapped[str] = mapped_column(String(50), default="")
    organisation: Mapped[str] = mapped_column(String(100), default="")
    district: Mapped[str] = mapped_column(String(100), default="")
    device_code: Mapped[str] = mapped_column(String(8))
    issuing_body: Mapped[str] = mapped_column(String(100), default="")
    notice_prefix: Mapped[str] = mapped_column(String(30), default="")
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[dt.datetime] = created_column()
