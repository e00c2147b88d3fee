"""Pushing the outbox: batches in order, and the local side of each answer in one transaction.

A batch is read as columns with each payload as the JSON text the database holds, and the request body is written
around those texts (:func:`prepare_batch`): nothing is parsed and encoded again on the way out but the few payloads
that name attachments. The body is then checked against the protocol models, the same check the server makes: a
mutation that fails it (a value the server would refuse, such as a non-finite number or a NUL character) is held
back with the reason and stays in the outbox, and the rest of the batch goes on, so one bad row never stops a
laptop from syncing.

Outbox rows are deleted only when the server answered ``applied`` or ``duplicate``, in the same local transaction
that stores what the answer carries (the server's merged enterprise fields, losing values for the conflict log).
``conflict`` and ``rejected`` rows, and those held back, stay in the outbox: they are shown as pending with the
reason, and judged again at the next sync (a blob uploaded since, say). A conflict is logged once, not at every
retry.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import orjson
from pydantic import ValidationError
from sqlalchemy import Text, delete, func, select, type_coerce
from sqlalchemy.orm import Session

from app.models import ConflictLog, Enterprise, OutboxEntry
from app.models.sync import SUPPRESS_OUTBOX
from app.sync.protocol import FieldConflict, Mutation, MutationResult, PushRequest, PushResponse

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


@dataclass(frozen=True)
class Pending:
    """An outbox row as a push reads it: its columns, and its payload as the JSON text the database holds."""

    seq: int
    mutation_id: str
    entity: str
    entity_id: str
    op: str
    payload_json: str
    base_version: int | None

    @functools.cached_property
    def payload(self) -> dict[str, Any]:
        """The payload parsed (only when something needs its fields: attachment hashes, a conflict's local side)."""
        value = json.loads(self.payload_json)
        return value if isinstance(value, dict) else {}


def read_pending(session: Session, after_seq: int, limit: int) -> list[Pending]:
    """The next ``limit`` outbox rows after ``after_seq``, in order, as columns (no ORM objects, no JSON parsing)."""
    query = (
        select(
            OutboxEntry.seq,
            OutboxEntry.mutation_id,
            OutboxEntry.entity,
            OutboxEntry.entity_id,
            OutboxEntry.op,
            type_coerce(OutboxEntry.payload, Text),
            OutboxEntry.base_version,
        )
        .where(OutboxEntry.seq > after_seq)
        .order_by(OutboxEntry.seq)
        .limit(limit)
    )
    return [Pending(*row) for row in session.execute(query)]


def blobs_of(entity: str, payload: dict[str, Any]) -> list[str]:
    found = []
    for name in BLOB_FIELDS.get(entity, ()):
        value = payload.get(name)
        if isinstance(value, str) and value and value not in found:
            found.append(value)
    return found


def pending_blobs(session: Session) -> list[str]:
    """Every attachment the outbox's rows name (only the payloads of entities that can name one are read)."""
    rows = session.execute(
        select(OutboxEntry.entity, type_coerce(OutboxEntry.payload, Text)).where(
            OutboxEntry.entity.in_(sorted(BLOB_FIELDS))
        )
    )
    found: set[str] = set()
    for entity, payload_json in rows:
        payload = json.loads(payload_json)
        if isinstance(payload, dict):
            found.update(blobs_of(entity, payload))
    return sorted(found)


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


def mutation_json(entry: Pending) -> str:
    """One mutation as it travels (a ``Mutation`` of the protocol), written around the stored payload text (its
    other fields by orjson, in C: the standard library's encoder took ten times as long)."""
    blobs = blobs_of(entry.entity, entry.payload) if entry.entity in BLOB_FIELDS else []
    head = orjson.dumps(
        {
            "mutation_id": entry.mutation_id,
            "seq": entry.seq,
            "entity": entry.entity,
            "entity_id": entry.entity_id,
            "op": entry.op,
            "base_version": entry.base_version,
            "blobs": blobs,
        }
    ).decode()
    return f'{head[:-1]},"payload":{entry.payload_json}}}'


def _body(device_id: str, mutations: Sequence[str]) -> bytes:
    return f'{{"device_id":{json.dumps(device_id)},"mutations":[{",".join(mutations)}]}}'.encode()


def _reason(error: ValidationError) -> str:
    """The first problem pydantic found, as the server would name it (``payload.inputs.wage：数值必须是有限数``)."""
    errors = error.errors()
    if not errors:
        return str(error)
    where = ".".join(str(part) for part in errors[0]["loc"])
    message = str(errors[0]["msg"]).removeprefix("Value error, ")
    return f"{where}：{message}" if where and not message.startswith(where) else message


HELD_BACK = "本机发送前检查未通过，此条修改保留在本机、未发送"


@dataclass(frozen=True)
class PreparedBatch:
    """The next batch ready to send: its request body, the rows it carries, and the rows held back."""

    body: bytes
    entries: list[Pending]
    held_back: list[tuple[Pending, str]]
    """Rows that failed the protocol's check here, with the reason; they stay in the outbox."""
    last_seq: int
    """The last outbox seq this batch read (held-back rows included): the next batch starts after it."""
    checked: bool = True
    """Whether the protocol's check ran here (it is left to a server that makes it at its edge)."""

    @property
    def hashes(self) -> list[str]:
        """The attachments the sent rows name (uploaded before the batch is pushed); only the payloads of entities
        that can name one are parsed (most rows are answers)."""
        named = (entry for entry in self.entries if entry.entity in BLOB_FIELDS)
        return sorted({sha for entry in named for sha in blobs_of(entry.entity, entry.payload)})


def prepare_batch(device_id: str, rows: list[Pending], *, checked: bool = True) -> PreparedBatch:
    """The request body for ``rows``, checked by the protocol models; rows that fail are held back with the reason.

    The whole body is checked at once (the common case: nothing wrong); only when that fails is each row checked
    on its own, to find which ones to hold back. ``checked=False`` leaves the check to a server that makes the
    same one at its edge (``SERVER_CHECKS_VERSION``): the body goes as written, and only a batch that server
    refuses is prepared again here, checked (see :func:`app.sync.service._send`)."""
    texts = [mutation_json(row) for row in rows]
    body = _body(device_id, texts)
    last_seq = rows[-1].seq if rows else 0
    if not checked:
        return PreparedBatch(body, rows, [], last_seq, checked=False)
    try:
        PushRequest.model_validate_json(body)
    except ValidationError:
        pass
    else:
        return PreparedBatch(body, rows, [], last_seq)
    kept: list[Pending] = []
    kept_texts: list[str] = []
    held_back: list[tuple[Pending, str]] = []
    for row, text in zip(rows, texts, strict=True):
        try:
            Mutation.model_validate_json(text)
        except ValidationError as error:
            held_back.append((row, _reason(error)))
        else:
            kept.append(row)
            kept_texts.append(text)
    body = _body(device_id, kept_texts)
    PushRequest.model_validate_json(body)  # what is left (the device id) is not a row's fault: raise
    return PreparedBatch(body, kept, held_back, last_seq)


def held_back_message(entry: Pending, reason: str) -> str:
    """How a held-back row is reported: like a server refusal, with the reason and that it is kept."""
    return f"{entry.entity} {entry.entity_id[:8]}…：{HELD_BACK}（{reason}）"


class Sent(Protocol):
    """An outbox row as :func:`apply_results` needs it (:class:`Pending`, or an ``OutboxEntry``)."""

    @property
    def seq(self) -> int: ...
    @property
    def mutation_id(self) -> str: ...
    @property
    def entity(self) -> str: ...
    @property
    def entity_id(self) -> str: ...
    @property
    def payload(self) -> dict[str, Any]: ...


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


def apply_results(session: Session, entries: Sequence[Sent], response: PushResponse) -> BatchOutcome:
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
