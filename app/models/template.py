"""Published checklist templates, stored as immutable snapshots."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, UtcDateTime, created_column, id_column


class Template(Base):
    """One version of one checklist module, frozen as the JSON snapshot (items plus the laws they cite).

    A new version is a new row; audits point at the row they started with, so publishing never changes an old
    audit. ``content_hash`` is the SHA-256 of the canonical snapshot and identifies the content across devices.
    """

    __tablename__ = "template"
    __table_args__ = (UniqueConstraint("module", "version"),)

    id: Mapped[str] = id_column()
    module: Mapped[str] = mapped_column(String(20))
    version: Mapped[int]
    title: Mapped[str] = mapped_column(String(100))
    content_hash: Mapped[str] = mapped_column(String(64))
    content: Mapped[dict[str, Any]]
    created_at: Mapped[dt.datetime] = created_column()


class TemplateRejection(Base):
    """A template version from the server that this laptop cannot use (it fails the checks every side makes, or
    carries a version number already bound to other content). The laptop keeps using the version it has, shows
    this on the sync page and in ``laborcheck sync``, and reports it to the server (``reported_at``)."""

    __tablename__ = "template_rejection"
    __table_args__ = (UniqueConstraint("module", "version", "content_hash"),)

    id: Mapped[str] = id_column()
    module: Mapped[str] = mapped_column(String(20))
    version: Mapped[int]
    content_hash: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = created_column()
    reported_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
