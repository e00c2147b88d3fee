"""Other coordinators' rectification items, as the district server's change feed shows them: read-only here.

A laptop holds its own audits in full, but an item of another coordinator arrives without its audit, findings or
photos (those stay with their owner), so it cannot live in ``rectification_item``. This table keeps just the
status summary — enough to see, before visiting an enterprise, that a colleague's item there is still open or was
verified. It is written only by pull (never by the user, never sent back) and carries no personal data of the
enterprise's staff (no responsible person, no phone).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, UtcDateTime, utcnow


class SharedItemStatus(Base):
    __tablename__ = "shared_item_status"

    item_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    enterprise_id: Mapped[str] = mapped_column(String(36), index=True)
    audit_id: Mapped[str] = mapped_column(String(36))
    coordinator: Mapped[str] = mapped_column(String(100), default="")
    requirement: Mapped[str] = mapped_column(Text, default="")
    deadline: Mapped[dt.date | None]
    status: Mapped[str] = mapped_column(String(20))
    verified_on: Mapped[dt.date | None]
    server_seq: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=utcnow, onupdate=utcnow)


__all__ = ["SharedItemStatus"]
