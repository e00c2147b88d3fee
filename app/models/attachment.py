"""Evidence files: content-addressed blobs and the attachments that point at them."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, created_column, id_column


class Blob(Base):
    """A file in the blob store, named by the SHA-256 of its bytes; stored once however often it is used."""

    __tablename__ = "blob"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int]
    mime: Mapped[str] = mapped_column(String(50))
    width: Mapped[int | None]
    height: Mapped[int | None]
    created_at: Mapped[dt.datetime] = created_column()


class Attachment(Base):
    """A use of a blob as evidence: a photo of a document for an item, a signature, a PDF.

    ``kind`` is ``photo``, ``document``, ``signature`` or ``pdf``.
    """

    __tablename__ = "attachment"

    id: Mapped[str] = id_column()
    audit_id: Mapped[str | None] = mapped_column(ForeignKey("audit.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[str | None] = mapped_column(String(30))
    sha256: Mapped[str] = mapped_column(ForeignKey("blob.sha256"))
    kind: Mapped[str] = mapped_column(String(20))
    caption: Mapped[str] = mapped_column(String(200), default="")
    original_name: Mapped[str] = mapped_column(String(255), default="")
    created_at: Mapped[dt.datetime] = created_column()
