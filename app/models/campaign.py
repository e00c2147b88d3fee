"""Campaigns (专项行动): a visit belongs to one; the ledger and the summary are per campaign."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, created_column, id_column


class Campaign(Base):
    __tablename__ = "campaign"

    id: Mapped[str] = id_column()
    name: Mapped[str] = mapped_column(String(200))
    district: Mapped[str] = mapped_column(String(100), default="")
    starts_on: Mapped[dt.date | None]
    ends_on: Mapped[dt.date | None]
    report_due_on: Mapped[dt.date | None]
    created_at: Mapped[dt.datetime] = created_column()
