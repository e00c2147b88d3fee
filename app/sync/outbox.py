"""Pushing the outbox: batches in order, and the local side of each answer in one transaction.

Outbox rows are deleted only when the server answered ``applied`` or ``duplicate``, in the same local transaction
that stores what the answer carries (the server's merged enterprise fields, losing values for the conflict log).
``conflict`` and ``rejected`` rows stay in the outbox: they are shown as pending with the reason, and judged
again at the next sync (a blob uploaded since, say). A conflict is logged once, not at every retry.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from app.models import ConflictLog, Enterprise, OutboxEntry
from app.models.sync import SUPPRESS_OUTBOX
from app.sync.protocol import FieldConflict, Mutation, MutationResult, PushResponse

BLOB_FIELDS: dict[str, tuple[str, ...]] = {
    "attachment": ("sha256",),
    "notice": ("coordinator_signature_sha256", "enterprise_signature_sha256", "pdf_sha256"),
    "wage_check": ("evidence_sha256",),
}
DELETE_CHUNK = 500
"""Acknowledged outbox rows are deleted by seq in statements of at most this many (SQLite's variable limit)."""

ENTERPRISE_SERVER_FIELDS = (
    "name",
    "uscc",
    "address",
    "industry",
    "district",
    "is_key",
    "headcount",
    "headcount_last_year_end",
    "contact_name",
    "contact_phone",
)


def pending_count(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(OutboxEntry)) or 0)


def next_batch(session: Session, after_seq: int, limit: int) -> list[OutboxEntry]:
    return list(
        session.scalars(select(OutboxEntry).where(OutboxEntry.seq > after_seq).order_by(OutboxEntry.seq).limit(limit))
    )


def blobs_of(entity: str, payload: dict[str, Any]) -> list[str]:
    found = []
    for name in BLOB_FIELDS.get(entity, ()):
        value = payload.get(name)
        if isinstance(value, str) and value and value not in found:
            found.append(value)
    return found


def to_mutation(entry: OutboxEntry) -> Mutation:
    return Mutation(
        mutation_id=entry.mutation_id,
        seq=entry.seq,
        entity=entry.entity,
        entity_id=entry.entity_id,
        op=entry.op,  # type: ignore[arg-type,unused-ignore]
        payload=entry.payload,
        base_version=entry.base_version,
        blobs=blobs_of(entry.entity, entry.payload),
    )


@dataclass
class BatchOutcome:
    sent: int = 0
    conflicts: int = 0
    errors: list[str] = field(default_factory=list)


def _text(value: Any) -> str | None:
    if value is None:
        return None
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, sort_keys=True)


def log_conflict(
    session: Session, *, entity: str, entity_id: str, field_name: str, local: Any, server: Any, resolution: str
) -> bool:
    """Add a conflict-log entry unless the same one is already waiting for review; True when added."""
    local_text, server_text = _text(local), _text(server)
    same = session.scalars(
        select(ConflictLog.id).where(
            ConflictLog.entity == entity,
            ConflictLog.entity_id == entity_id,
            ConflictLog.field == field_name,
            ConflictLog.reviewed_at.is_(None),
            ConflictLog.local_value.is_(None) if local_text is None else ConflictLog.local_value == local_text,
            ConflictLog.server_value.is_(None) if server_text is None else ConflictLog.server_value == server_text,
        )
    ).first()
    if same is not None:
        return False
    session.add(
        ConflictLog(
            entity=entity,
            entity_id=entity_id,
            field=field_name,
            local_value=local_text,
            server_value=server_text,
            resolution=resolution[:200],
        )
    )
    return True


def _adopt_enterprise(session: Session, entity_id: str, fields: dict[str, Any], version: int | None) -> None:
    """Show the server's merged enterprise locally (unless a later local edit is still waiting to be sent)."""
    later = session.scalar(
        select(func.count())
        .select_from(OutboxEntry)
        .where(OutboxEntry.entity == "enterprise", OutboxEntry.entity_id == entity_id)
    )
    enterprise = session.get(Enterprise, entity_id)
    if enterprise is None or later:
        return
    for name in ENTERPRISE_SERVER_FIELDS:
        if name in fields:
            setattr(enterprise, name, fields[name])
    if version is not None:
        enterprise.version = version


def _log_field_conflicts(session: Session, conflicts: list[FieldConflict]) -> int:
    added = 0
    for entry in conflicts:
        added += log_conflict(
            session,
            entity=entry.entity,
            entity_id=entry.entity_id,
            field_name=entry.field,
            local=entry.local_value,
            server=entry.server_value,
            resolution=entry.resolution,
        )
    return added


def apply_results(session: Session, entries: list[OutboxEntry], response: PushResponse) -> BatchOutcome:
    """Store one push answer locally (the caller's transaction; outbox suppressed: this is server data)."""
    session.info[SUPPRESS_OUTBOX] = True
    by_id = {entry.mutation_id: entry for entry in entries}
    outcome = BatchOutcome()
    acknowledged: list[int] = []
    for result in response.results:
        entry = by_id.get(result.mutation_id)
        if entry is None:
            continue
        outcome.conflicts += _log_field_conflicts(session, result.conflicts)
        if result.status in ("applied", "duplicate"):
            acknowledged.append(entry.seq)
            outcome.sent += 1
            if entry.entity == "enterprise" and result.server_fields is not None:
                _adopt_enterprise(session, entry.entity_id, result.server_fields, result.server_version)
        elif result.status == "conflict":
            outcome.conflicts += log_conflict(
                session,
                entity=entry.entity,
                entity_id=entry.entity_id,
                field_name="*",
                local=entry.payload,
                server=result.server_fields,
                resolution=_resolution(result),
            )
        else:
            outcome.errors.append(f"{entry.entity} {entry.entity_id[:8]}…：{result.message or result.code}")
    for start in range(0, len(acknowledged), DELETE_CHUNK):  # one statement per chunk, not a load per row
        chunk = acknowledged[start : start + DELETE_CHUNK]
        session.execute(
            delete(OutboxEntry).where(OutboxEntry.seq.in_(chunk)).execution_options(synchronize_session=False)
        )
    session.flush()
    return outcome


def _resolution(result: MutationResult) -> str:
    return f"服务器未接受本机的修改，保留服务器版本（第 {result.server_version} 版）：{result.message or ''}".rstrip(
        "："
    )
