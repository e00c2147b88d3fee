"""Typed text that is not committed to its record yet: nothing a coordinator typed is ever lost.

A draft is written within a second of the last keystroke (the screens' debounced autosave) and whenever a field
cannot be committed to its record yet: a note on an item not answered yet, a correction of a finished audit
still waiting for its reason, a new enterprise whose credit code is not valid yet, the follow-up form before the
items are verified. When the record takes the text, the draft is deleted in the same transaction.

Local only (not in ``SYNCED_TABLES``): a draft is this laptop's unfinished typing, nobody else's business.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, UtcDateTime, utcnow


class Draft(Base):
    __tablename__ = "draft"

    scope: Mapped[str] = mapped_column(String(40), primary_key=True)
    """What the text belongs to: ``answer_note``, ``item``, ``visit_record``, ``enterprise``, ``follow_up``."""
    key: Mapped[str] = mapped_column(String(120), primary_key=True)
    """Which one: ``audit_id/item_id``, a rectification item id, an audit id, an enterprise id (``new`` for one
    not created yet), or empty for the one follow-up form."""
    fields: Mapped[dict[str, Any]] = mapped_column(JSON())
    """Field name → the value as typed."""
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=utcnow, onupdate=utcnow)
