"""Enterprises in the district registry, and the shared risk indicators imported about them."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, UtcDateTime, created_column, id_column, utcnow


class Enterprise(Base):
    """An employer, identified by its 18-character 统一社会信用代码 (GB 32100-2015).

    Registry fields (name, USCC, industry, address) are owned by the office; visit-observed facts (headcount,
    contact) are updated by coordinators. ``name_initials`` holds the pinyin initials used by search, and
    ``risk_grade`` caches the last computed grade so the list can filter 100k rows without recomputing.
    """

    __tablename__ = "enterprise"
    __table_args__ = (Index("ix_enterprise_name", "name"), Index("ix_enterprise_initials", "name_initials"))

    id: Mapped[str] = id_column()
    uscc: Mapped[str] = mapped_column(String(18), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    name_initials: Mapped[str] = mapped_column(String(200), default="")
    industry: Mapped[str] = mapped_column(String(100), default="")
    address: Mapped[str] = mapped_column(String(300), default="")
    district: Mapped[str] = mapped_column(String(100), default="")
    contact_name: Mapped[str] = mapped_column(String(50), default="")
    contact_phone: Mapped[str] = mapped_column(String(50), default="")
    headcount_last_year_end: Mapped[int | None]
    headcount: Mapped[int | None]
    is_key: Mapped[bool] = mapped_column(default=False)
    risk_grade: Mapped[str | None] = mapped_column(String(4))
    risk_reasons: Mapped[str] = mapped_column(default="")
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[dt.datetime] = created_column()
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=utcnow, onupdate=utcnow)


class RiskIndicator(Base):
    """A risk signal shared by another department (tax or social-insurance arrears, wage-arrears complaints,
    the labour-inspection credit grade A/B/C). Imported reference data: never edited on the laptop."""

    __tablename__ = "risk_indicator"

    id: Mapped[str] = id_column()
    enterprise_id: Mapped[str] = mapped_column(ForeignKey("enterprise.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    value: Mapped[str] = mapped_column(String(100), default="")
    source: Mapped[str] = mapped_column(String(100), default="")
    observed_on: Mapped[dt.date | None]
    created_at: Mapped[dt.datetime] = created_column()
