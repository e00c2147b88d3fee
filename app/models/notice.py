"""Rectification notices (整改通知书): numbered offline, signed on site, never changed after signing."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, UtcDateTime, created_column, id_column, str_enum


class NoticeStatus(enum.StrEnum):
    DRAFT = "draft"
    SIGNED = "signed"
    VOIDED = "voided"


class Notice(Base):
    """A notice for one audit. ``content`` is the snapshot printed (enterprise, findings, deadlines, people).

    Once ``status`` is ``signed`` the row is frozen by database triggers (see the migrations): the only change
    allowed is to ``voided`` with a reason, and a voided notice cannot change at all. A correction is a new
    notice that ``supersedes`` the old one.
    """

    __tablename__ = "notice"
    __table_args__ = (UniqueConstraint("number"),)

    id: Mapped[str] = id_column()
    audit_id: Mapped[str] = mapped_column(ForeignKey("audit.id"), index=True)
    number: Mapped[str] = mapped_column(String(60))
    year: Mapped[int]
    sequence: Mapped[int]
    device_code: Mapped[str] = mapped_column(String(8))
    status: Mapped[NoticeStatus] = mapped_column(
        str_enum(NoticeStatus, "notice_status"),
        default=NoticeStatus.DRAFT,
    )
    issued_on: Mapped[dt.date]
    content: Mapped[dict[str, Any]]
    content_hash: Mapped[str | None] = mapped_column(String(64))
    coordinator_signer: Mapped[str] = mapped_column(String(50), default="")
    coordinator_signature_sha256: Mapped[str | None] = mapped_column(ForeignKey("blob.sha256"))
    enterprise_signer: Mapped[str] = mapped_column(String(50), default="")
    enterprise_signature_sha256: Mapped[str | None] = mapped_column(ForeignKey("blob.sha256"))
    signed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    pdf_sha256: Mapped[str | None] = mapped_column(ForeignKey("blob.sha256"))
    supersedes_id: Mapped[str | None] = mapped_column(ForeignKey("notice.id"))
    voided_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    void_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = created_column()


class NoticeSequence(Base):
    """The last notice number used per device and year: numbers never collide offline."""

    __tablename__ = "notice_sequence"

    device_code: Mapped[str] = mapped_column(String(8), primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True)
    last: Mapped[int] = mapped_column(default=0)
