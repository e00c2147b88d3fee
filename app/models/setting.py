"""Per-data-directory application settings, in one typed object with defaults.

Stored as key/value rows so that adding a setting needs no migration. The environment overrides the stored
value where a deployment needs it (``LABORCHECK_SERVER``). The coordinator's own profile (name, device code,
issuing body) is the ``Coordinator`` row, not a setting.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from typing import Any

from sqlalchemy import JSON, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from app.models.base import Base, UtcDateTime, utcnow

ENV_SERVER = "LABORCHECK_SERVER"
LANGUAGES = ("zh_CN", "en")


class Setting(Base):
    __tablename__ = "app_setting"

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON())
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=utcnow, onupdate=utcnow)


@dataclasses.dataclass(frozen=True)
class AppSettings:
    """Settings with their defaults.

    ``server_url`` is the district server's address; nothing syncs until ``server_consent`` is true (the user
    agreed to that address). ``notice_font`` is a TrueType file chosen for notices (empty: automatic discovery).
    ``retention_days`` is the office's retention period for synced, closed audits, as the server last said at a
    sync (0: the office set none, nothing is removed).
    """

    server_url: str = ""
    server_consent: bool = False
    language: str = "zh_CN"
    notice_font: str = ""
    first_run_done: bool = False
    retention_days: int = 0


FIELDS = {field.name: field for field in dataclasses.fields(AppSettings)}


def load_settings(session: Session) -> AppSettings:
    stored = {row.key: row.value for row in session.scalars(select(Setting)) if row.key in FIELDS}
    settings = AppSettings(**stored)
    if os.environ.get(ENV_SERVER):
        settings = dataclasses.replace(settings, server_url=os.environ[ENV_SERVER])
    return settings


def save_settings(session: Session, **changes: Any) -> AppSettings:
    """Store the given settings (unknown names and wrong types are refused) and return the new whole."""
    for key, value in changes.items():
        if key not in FIELDS:
            raise KeyError(f"unknown setting {key!r}")
        expected = type(getattr(AppSettings(), key))
        if not isinstance(value, expected):
            raise TypeError(f"setting {key!r} must be {expected.__name__}")
        if key == "language" and value not in LANGUAGES:
            raise ValueError(f"language must be one of {LANGUAGES}")
        row = session.get(Setting, key)
        if row is None:
            session.add(Setting(key=key, value=value))
        else:
            row.value = value
    session.flush()
    return load_settings(session)
