"""Office publications (minimum-wage tables, …) from the pull feed, validated at the edge before they are kept.

A feed row is data from the network: it is checked against the same schema the server used
(:func:`core.publications.validate_publication`) and its hash recomputed. A row that fails is not stored; a conflict
log entry tells the coordinator that the office's document was refused and why, and the last good version stays.
An older version never replaces a newer one; a tombstone removes the document.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Publication
from app.sync.outbox import log_conflict
from core.publications import PUBLICATION_ENTITY, PublicationInvalid, kind_label, validate_publication

if TYPE_CHECKING:
    from app.sync.protocol import ChangeRow

__all__ = ["PUBLICATION_ENTITY", "apply_publication", "prune_publications"]


def _refuse(session: Session, row: ChangeRow, reason: str) -> None:
    log_conflict(
        session,
        entity=PUBLICATION_ENTITY,
        entity_id=row.entity_id,
        field_name="content",
        local=None,
        server=None,
        resolution=f"区办发布的资料未被采用：{reason}"[:200],
    )


def apply_publication(session: Session, row: ChangeRow) -> None:
    current = session.get(Publication, row.entity_id)
    if row.op == "delete" or not row.data:
        if current is not None:
            session.delete(current)
        return
    data = row.data
    kind = str(data.get("kind") or "")
    try:
        publication = validate_publication(kind, data.get("content"))
    except PublicationInvalid as error:
        _refuse(session, row, str(error))
        return
    if publication.content_hash != data.get("content_hash") or publication.key != data.get("key"):
        _refuse(session, row, f"{kind_label(kind)}内容与其校验值不符")
        return
    same_key = session.scalars(
        select(Publication).where(Publication.kind == kind, Publication.key == publication.key)
    ).one_or_none()
    if same_key is not None and same_key.id != row.entity_id:
        if same_key.version > row.version:
            return
        session.delete(same_key)
        session.flush()
    if current is None:
        current = Publication(id=row.entity_id, kind=kind, key=publication.key, version=row.version)
        session.add(current)
    elif current.version > row.version:
        return
    current.key = publication.key
    current.version = row.version
    current.content = publication.content
    current.content_hash = publication.content_hash


def prune_publications(session: Session, seen: set[str]) -> int:
    """After a full resync: drop documents the server no longer publishes."""
    removed = 0
    for publication in session.scalars(select(Publication)):
        if publication.id not in seen:
            session.delete(publication)
            removed += 1
    return removed
