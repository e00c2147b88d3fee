"""Applying a push batch: each mutation exactly once, all of the batch in one transaction, set-based.

The batch runs in one database transaction (the route commits at the end), so a cut connection or a crash
leaves either all of it or none of it; ``applied_mutation`` makes a replay answer ``duplicate`` with the result
it had (or ``conflict`` when the replay says something else). Refused and conflicting mutations are not recorded:
the laptop keeps them and may send them again later (after uploading a missing blob, say), when they are judged
afresh.

How a batch runs (the work is set-based; the rules are per mutation, in order):

1. *Load* in a few statements what the whole batch will look at: its applied-mutation rows, every record it
   names (the records themselves, their audits, their enterprises), the notices holding the numbers it uses, and
   the blobs the caller holds.
2. *Decide* each mutation in order against that in-memory view, which each decision updates, so a later mutation
   sees an earlier one (an answer sees the audit inserted just before it). A refusal writes nothing, so no
   savepoint is needed: the writes are only collected.
3. *Write*: allocate the batch's feed sequence numbers in one ``UPDATE … RETURNING`` (which takes the feed lock,
   held to commit: seq order stays commit order, see :mod:`server.feed`), then insert or update every record in
   one multi-row upsert and record the applied mutations in one multi-row insert.

Steps 1 and 2 run before the feed lock, so two workers overlap their Python work. Right after taking the lock,
one query asks whether any record the batch looked at has changed since the batch's snapshot (a seq above it);
if so, steps 1 and 2 run again under the lock (rare: the same records written by two devices at once).

Enterprise mutations (shared registry rows: per-field merge, history, the conflict log) take the feed lock first
and go through the ORM one by one, each in a savepoint: they are few, and their merge needs the stored history.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from dataclasses import dataclass, field
from typing import Any

import orjson
from sqlalchemy import Text, cast, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.sync.protocol import (
    ErrorCode,
    FieldConflict,
    Mutation,
    MutationResult,
    PushRequest,
    PushResponse,
    is_sha256,
)
from core.notice_hash import notice_content_hash
from server.bulk import (
    among,
    any_record_changed,
    applied_results,
    forget_applied,
    insert_applied,
    load_records,
    upsert_records,
)
from server.errors import ApiError, Refusal
from server.feed import lock_feed, parent_of, put_record, tombstone
from server.merge import OBSERVED_FIELDS, merge_enterprise, parse_time, public_enterprise, with_initials
from server.models import BlobHolder, ConflictEntry, FeedState, Record, RecordHistory, utcnow
from server.policy import (
    APPEND_ONLY_ENTITIES,
    OFFICE_ROLES,
    OWNED_ENTITIES,
    PUSHABLE_ENTITIES,
    REFERENCE_ENTITIES,
    check_reference,
    check_write,
    visible_data,
)
from server.security import Caller

BLOB_FIELDS: dict[str, tuple[str, ...]] = {
    "attachment": ("sha256",),
    "notice": ("coordinator_signature_sha256", "enterprise_signature_sha256", "pdf_sha256"),
    "wage_check": ("evidence_sha256",),
}
VERSIONED = frozenset({"audit", "rectification_item"})
ENTERPRISE_REFERENCES = frozenset({"audit", "follow_up", "rectification_item"})
FROZEN_NOTICE = frozenset({"signed", "voided"})
VOID_FIELDS = frozenset({"status", "voided_at", "void_reason"})
NATURAL_KEY_LENGTH = 120
REPLAYED_OTHER_CONTENT = "同一修改编号再次送来的内容与先前不同：服务器保留先前应用的内容，新内容未应用"
DUPLICATE_KEY = "与服务器上的数据冲突（编号或代码重复）"

log = logging.getLogger(__name__)

Key = tuple[str, str]


_standard_canonical = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode


def _has_float(value: Any) -> bool:
    """Whether a float is anywhere inside ``value`` (strings, integers and nulls, most of a payload, are passed
    over without a call)."""
    kind = type(value)
    if kind is dict:
        items: Any = value.values()
    elif kind is list or kind is tuple:
        items = value
    else:
        return isinstance(value, float)
    for item in items:
        kind = type(item)
        if kind is str or kind is int or kind is bool or item is None:
            continue
        if kind is float or _has_float(item):
            return True
    return False


def _canonical(value: Any) -> str:
    """Canonical JSON: sorted keys, no whitespace, not ASCII-escaped — the standard library's bytes, which the
    stored digests were made of. orjson writes the same bytes several times faster for everything but a float
    (``1e-05`` is ``0.00001`` there), so a value holding a float, or one orjson refuses, takes the slow path."""
    if type(value) is not str and _has_float(value):
        return _standard_canonical(value)
    try:
        return orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode()
    except TypeError:
        return _standard_canonical(value)


def payload_text(mutation: Mutation) -> str:
    """A mutation's payload as canonical JSON: what its digest covers and what the record stores (serialised once)."""
    return _canonical(mutation.payload)


def mutation_digest(mutation: Mutation, payload: str | None = None) -> str:
    """What a mutation says, apart from its id: a replay must say the same to be a duplicate.

    The SHA-256 of ``[seq, entity, entity_id, op, payload, base_version]`` as canonical JSON (digests stored by
    earlier releases were made so). The list is written out around the payload's own canonical text, which gives
    the same bytes as encoding the whole list, so a caller holding that text (``payload``) does not encode it
    twice."""
    body = _canonical(mutation.payload) if payload is None else payload
    version = "null" if mutation.base_version is None else str(mutation.base_version)
    head = _canonical([mutation.seq, mutation.entity, mutation.entity_id, mutation.op])[:-1]  # one call, not four
    return hashlib.sha256(f"{head},{body},{version}]".encode()).hexdigest()


def blob_references(mutation: Mutation) -> set[str]:
    """The blobs a mutation needs: the ones it declares plus the ones its payload names."""
    found = set(mutation.blobs)
    for name in BLOB_FIELDS.get(mutation.entity, ()):
        value = mutation.payload.get(name)
        if isinstance(value, str) and value:
            found.add(value)
    return found


@dataclass
class Row:
    """A record as a batch sees it: loaded, or as the batch will leave it. Scope checks read it like a Record.

    Its data is kept as the JSON text the database holds (``raw``) and parsed only when a rule reads it (a
    notice's status, a replaced history row, a conflict's answer): most rows a batch loads are only checked for
    owner, district and version, and a batch loads hundreds."""

    entity: str
    entity_id: str
    district_id: int | None
    owner_id: int | None
    version: int
    raw: str | None
    deleted: bool
    natural_key: str | None
    writer: str
    seq: int = 0
    parsed: dict[str, Any] | None = field(default=None, repr=False)

    @property
    def data(self) -> dict[str, Any] | None:
        if self.parsed is None and self.raw is not None:
            self.parsed = json.loads(self.raw)
        return self.parsed


ROW_COLUMNS = (
    Record.entity,
    Record.entity_id,
    Record.district_id,
    Record.owner_id,
    Record.version,
    cast(Record.data, Text),
    Record.deleted,
    Record.natural_key,
    Record.writer,
    Record.seq,
)


@dataclass
class Batch:
    """What one batch looked at (``view``; None: known absent) and what it will write."""

    session: Session
    caller: Caller
    view: dict[Key, Row | None]
    applied: dict[str, tuple[MutationResult | str, str | None]]
    """Mutation id -> its result (as stored: JSON text) and digest, for the ids this batch carries."""
    held: set[str]
    numbers: dict[str, str]
    """Notice number -> the notice holding it (the ``(entity, natural_key)`` unique constraint)."""
    writes: dict[Key, Row] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)
    """Mutation id -> its payload as canonical JSON (made once for the digest; the record stores it as it is)."""
    applied_rows: list[dict[str, Any]] = field(default_factory=list)
    conflict_rows: list[dict[str, Any]] = field(default_factory=list)

    def row(self, key: Key) -> Row | None:
        """The record as the batch sees it; one the load did not foresee (the audit of a stored row named only in
        its data) is read now and kept in the view."""
        if key not in self.view:
            found = self.session.execute(
                select(*ROW_COLUMNS).where(Record.entity == key[0], Record.entity_id == key[1])
            ).one_or_none()
            self.view[key] = Row(*found) if found is not None else None
        return self.view[key]


def _keys(mutations: list[Mutation]) -> set[Key]:
    keys = {(mutation.entity, mutation.entity_id) for mutation in mutations}
    for mutation in mutations:
        for entity, name in (("audit", "audit_id"), ("enterprise", "enterprise_id")):
            value = mutation.payload.get(name)
            if isinstance(value, str) and value:
                keys.add((entity, value))
    return keys


def load(session: Session, caller: Caller, mutations: list[Mutation]) -> Batch:
    """Step 1: everything the batch's rules look at, in four statements."""
    ids = sorted({mutation.mutation_id for mutation in mutations})
    applied: dict[str, tuple[MutationResult | str, str | None]] = {
        mutation_id: (result, digest) for mutation_id, result, digest in applied_results(session, caller.device_id, ids)
    }
    keys = _keys(mutations)
    view: dict[Key, Row | None] = dict.fromkeys(keys)
    for values in load_records(session, ROW_COLUMNS, sorted(keys)):
        row = Row(*values)
        view[(row.entity, row.entity_id)] = row
    hashes = sorted({sha for mutation in mutations for sha in blob_references(mutation) if is_sha256(sha)})
    held = set()
    if hashes:
        held = set(
            session.scalars(
                select(BlobHolder.sha256).where(
                    BlobHolder.user_id == caller.user_id, among(session, BlobHolder.sha256, hashes)
                )
            )
        )
    wanted = sorted({str(m.payload["number"]) for m in mutations if m.entity == "notice" and m.payload.get("number")})
    numbers = {}
    if wanted:
        numbers = {
            str(number): entity_id
            for entity_id, number in session.execute(
                select(Record.entity_id, Record.natural_key).where(
                    Record.entity == "notice", Record.natural_key.in_(wanted)
                )
            )
        }
    return Batch(session=session, caller=caller, view=view, applied=applied, held=held, numbers=numbers)


def apply_batch(session: Session, caller: Caller, request: PushRequest) -> PushResponse:
    if request.device_id != caller.device_id:
        raise ApiError(403, ErrorCode.FORBIDDEN, "推送的设备与登录的设备不一致")
    mutations = request.mutations
    locked = any(mutation.entity == "enterprise" for mutation in mutations)
    if locked:
        lock_feed(session)
        snapshot = None
    else:
        snapshot = int(session.scalar(select(FeedState.last_seq).where(FeedState.id == 1)) or 0)
    now = utcnow()
    batch, results = _decided(session, caller, mutations, now)
    seqs = allocate(session, len(batch.writes))
    if snapshot is not None and _changed_since(session, batch, snapshot):
        # Someone wrote what we looked at: decide again, under the lock, as if the first decisions were never made.
        forget_applied(session, caller.device_id, [row["mutation_id"] for row in batch.applied_rows])
        batch, results = _decided(session, caller, mutations, now)
        seqs = allocate(session, len(batch.writes))
    write(session, batch, seqs, now)
    return PushResponse(results=results)


def _decided(
    session: Session, caller: Caller, mutations: list[Mutation], now: dt.datetime
) -> tuple[Batch, list[MutationResult]]:
    """Steps 1 and 2: load what the batch looks at, decide each mutation, and record the applied ones. They are no
    news for the feed, so an unlocked batch records them before it takes the feed lock."""
    batch = load(session, caller, mutations)
    results = [decide(session, batch, mutation) for mutation in mutations]
    insert_applied(session, caller.device_id, batch.applied_rows, now)
    return batch, results


def allocate(session: Session, count: int) -> range:
    """``count`` feed sequence numbers in one statement; it takes the feed lock, held until commit."""
    last = session.execute(
        update(FeedState)
        .where(FeedState.id == 1)
        .values(last_seq=FeedState.last_seq + count)
        .returning(FeedState.last_seq)
    ).scalar_one()
    return range(int(last) - count + 1, int(last) + 1)


def _changed_since(session: Session, batch: Batch, snapshot: int) -> bool:
    return any_record_changed(session, sorted(batch.view), snapshot)


def write(session: Session, batch: Batch, seqs: range, now: dt.datetime) -> None:
    """Step 3, under the feed lock: every record the batch changed in one multi-row upsert, then its conflicts (its
    applied mutations are written before the lock is taken, so the lock is held for as little as can be)."""
    rows = [
        {
            "entity": row.entity,
            "entity_id": row.entity_id,
            "natural_key": row.natural_key,
            "parent_id": parent_of(row.entity, row.data),
            "district_id": row.district_id,
            "owner_id": row.owner_id,
            "version": row.version,
            "data": row.raw,
            "seq": seq,
            "deleted": row.deleted,
        }
        for row, seq in zip(batch.writes.values(), seqs, strict=True)
    ]
    upsert_records(session, rows, batch.caller.writer, now)
    if batch.conflict_rows:
        session.execute(insert(ConflictEntry), [{**row, "created_at": now} for row in batch.conflict_rows])


# --- step 2: the rules, one mutation at a time ------------------------------------------------------------------


def decide(session: Session, batch: Batch, mutation: Mutation) -> MutationResult:
    caller = batch.caller
    text = payload_text(mutation)
    digest = mutation_digest(mutation, text)
    prior = batch.applied.get(mutation.mutation_id)
    if prior is not None:
        return _replayed(session, batch, mutation, prior, digest)
    try:
        if mutation.entity == "enterprise":
            result = _enterprise_in_savepoint(session, batch, mutation)
        else:
            batch.texts[mutation.mutation_id] = text
            result = _apply(batch, caller, mutation)
    except Refusal as refusal:
        return MutationResult(
            mutation_id=mutation.mutation_id, status="rejected", code=refusal.code, message=refusal.message
        )
    if result.status in ("applied", "duplicate"):
        batch.applied[mutation.mutation_id] = (result, digest)
        batch.applied_rows.append(
            {
                "mutation_id": mutation.mutation_id,
                "seq": mutation.seq,
                "result": result.model_dump_json(),
                "digest": digest,
            }
        )
    return result


def _replayed(
    session: Session, batch: Batch, mutation: Mutation, prior: tuple[MutationResult | str, str | None], digest: str
) -> MutationResult:
    """A mutation id seen before: the same content is a duplicate; other content is a conflict, logged once."""
    stored, known = prior
    result = MutationResult.model_validate_json(stored) if isinstance(stored, str) else stored
    if known is None or known == digest:
        return result.model_copy(update={"status": "duplicate"})
    caller = batch.caller
    log.warning("device %s replayed mutation %s with other content", caller.device_id, mutation.mutation_id)
    logged = session.scalar(
        select(ConflictEntry.id).where(
            ConflictEntry.device_id == caller.device_id,
            ConflictEntry.entity == mutation.entity,
            ConflictEntry.entity_id == mutation.entity_id,
            ConflictEntry.field == "mutation_id",
        )
    )
    pending = any(
        row["device_id"] == caller.device_id
        and row["entity_id"] == mutation.entity_id
        and row["field"] == "mutation_id"
        for row in batch.conflict_rows
    )
    if logged is None and not pending:
        batch.conflict_rows.append(
            {
                "district_id": caller.district_id,
                "user_id": caller.user_id,
                "device_id": caller.device_id,
                "entity": mutation.entity,
                "entity_id": mutation.entity_id,
                "field": "mutation_id",
                "proposed_value": mutation.mutation_id,
                "server_value": None,
                "resolution": REPLAYED_OTHER_CONTENT,
                "is_proposal": False,
            }
        )
    return MutationResult(
        mutation_id=mutation.mutation_id,
        status="conflict",
        server_version=result.server_version,
        code=ErrorCode.CONFLICT,
        message=REPLAYED_OTHER_CONTENT,
    )


def _check_blobs(batch: Batch, mutation: Mutation) -> None:
    """Every blob the mutation names is verified and the caller holds it (uploaded it themselves): naming someone
    else's hash attaches nothing and reads nothing."""
    for sha in sorted(blob_references(mutation)):
        if not is_sha256(sha):
            raise Refusal(ErrorCode.VALIDATION, "附件哈希格式不正确")
        if sha not in batch.held:
            raise Refusal(ErrorCode.BLOB_MISSING, "附件尚未上传完成，稍后重试")


def _parent(batch: Batch, mutation: Mutation, existing: Row | None) -> Row | None:
    if mutation.entity not in OWNED_ENTITIES or mutation.entity == "audit":
        return None
    audit_id = mutation.payload.get("audit_id") or ((existing.data or {}).get("audit_id") if existing else None)
    if not audit_id:
        return None
    parent = batch.row(("audit", str(audit_id)))
    if parent is None or parent.deleted:
        raise Refusal(ErrorCode.NOT_FOUND, "所属的体检记录尚未同步到服务器")
    return parent


def _check_enterprise_reference(batch: Batch, mutation: Mutation) -> None:
    if mutation.entity not in ENTERPRISE_REFERENCES or mutation.op == "delete":
        return
    enterprise_id = mutation.payload.get("enterprise_id")
    if not enterprise_id:
        raise Refusal(ErrorCode.VALIDATION, "缺少企业")
    enterprise = batch.row(("enterprise", str(enterprise_id)))
    if enterprise is None or enterprise.deleted:
        raise Refusal(ErrorCode.NOT_FOUND, "企业不在服务器的名录中")
    check_reference(batch.caller, enterprise)


def _apply(batch: Batch, caller: Caller, mutation: Mutation) -> MutationResult:
    if mutation.entity not in PUSHABLE_ENTITIES:
        code = ErrorCode.FORBIDDEN if mutation.entity in REFERENCE_ENTITIES else ErrorCode.UNKNOWN_ENTITY
        raise Refusal(code, "该类数据不能从本机推送")
    if mutation.op != "delete" and str(mutation.payload.get("id", mutation.entity_id)) != mutation.entity_id:
        raise Refusal(ErrorCode.VALIDATION, "记录编号与内容不一致")
    _check_blobs(batch, mutation)
    existing = batch.view.get((mutation.entity, mutation.entity_id))
    parent = _parent(batch, mutation, existing)
    check_write(caller, mutation.entity, existing, parent)
    _check_enterprise_reference(batch, mutation)
    live = existing if existing is not None and not existing.deleted else None
    if mutation.entity in APPEND_ONLY_ENTITIES:
        return _append_only(batch, mutation, existing)
    if mutation.op == "delete":
        return _delete(batch, mutation, live)
    if mutation.entity == "notice":
        return _notice(batch, mutation, live)
    if mutation.entity in VERSIONED and live is not None:
        stale = mutation.base_version is None or mutation.base_version <= live.version
        if live.writer != caller.writer and stale:
            return _conflict(mutation, live, "服务器上的记录已被其他设备修改")
    return _write_owned(batch, mutation, existing)


def _append_only(batch: Batch, mutation: Mutation, existing: Row | None) -> MutationResult:
    """Change history: inserted once; the same row again is a duplicate; any update or delete is refused."""
    if mutation.op != "insert":
        raise Refusal(ErrorCode.FORBIDDEN, "修改记录只能追加，不能更改或删除")
    if existing is not None:
        if dict(mutation.payload) == (existing.data or {}):
            return MutationResult(mutation_id=mutation.mutation_id, status="duplicate", server_version=existing.version)
        raise Refusal(ErrorCode.FORBIDDEN, "修改记录只能追加，不能更改或删除")
    return _write_owned(batch, mutation, None)


def _conflict(mutation: Mutation, live: Row, message: str, code: ErrorCode = ErrorCode.CONFLICT) -> MutationResult:
    return MutationResult(
        mutation_id=mutation.mutation_id,
        status="conflict",
        server_version=live.version,
        server_fields=live.data,
        code=code,
        message=message,
    )


def _put(batch: Batch, row: Row) -> Row:
    key = (row.entity, row.entity_id)
    batch.view[key] = batch.writes[key] = row
    return row


def _write_owned(batch: Batch, mutation: Mutation, existing: Row | None) -> MutationResult:
    """Insert or replace (undeleting a tombstone) the caller's own record, as the caller's device wrote it."""
    caller = batch.caller
    natural_key = None
    if mutation.entity == "notice" and mutation.payload.get("number"):
        natural_key = str(mutation.payload["number"])
        holder = batch.numbers.get(natural_key)
        if holder is not None and holder != mutation.entity_id:
            raise Refusal(ErrorCode.CONFLICT, DUPLICATE_KEY)
    if existing is not None and existing.natural_key and existing.natural_key != natural_key:
        batch.numbers.pop(existing.natural_key, None)
    if natural_key is not None:
        batch.numbers[natural_key] = mutation.entity_id
    version = mutation.base_version if mutation.entity in VERSIONED else None
    if version is None:
        version = existing.version + 1 if existing is not None else 1
    row = _put(
        batch,
        Row(
            entity=mutation.entity,
            entity_id=mutation.entity_id,
            district_id=caller.district_id,
            owner_id=caller.user_id,
            version=version,
            raw=batch.texts.get(mutation.mutation_id) or payload_text(mutation),
            deleted=False,
            natural_key=natural_key,
            writer=caller.writer,
            parsed=dict(mutation.payload),
        ),
    )
    return MutationResult(mutation_id=mutation.mutation_id, status="applied", server_version=row.version)


def _delete(batch: Batch, mutation: Mutation, live: Row | None) -> MutationResult:
    if live is None:
        return MutationResult(mutation_id=mutation.mutation_id, status="applied")
    if mutation.entity == "notice" and (live.data or {}).get("status") in FROZEN_NOTICE:
        raise Refusal(ErrorCode.NOTICE_IMMUTABLE, "已签署的通知书不能删除")
    if live.natural_key:
        batch.numbers.pop(live.natural_key, None)
    row = _put(
        batch,
        Row(
            entity=live.entity,
            entity_id=live.entity_id,
            district_id=live.district_id,
            owner_id=live.owner_id,
            version=live.version + 1,
            raw=None,
            deleted=True,
            natural_key=None,
            writer=batch.caller.writer,
        ),
    )
    return MutationResult(mutation_id=mutation.mutation_id, status="applied", server_version=row.version)


def _check_signed(mutation: Mutation) -> None:
    """A signed (or voided) notice is accepted only when its content hash is the hash of what it says."""
    payload = mutation.payload
    if payload.get("status") in FROZEN_NOTICE and payload.get("content_hash") != notice_content_hash(payload):
        raise Refusal(ErrorCode.VALIDATION, "通知书的内容哈希与其内容不符，不予接受")
    number = payload.get("number")
    if number is not None and len(str(number)) > NATURAL_KEY_LENGTH:
        raise Refusal(ErrorCode.VALIDATION, "通知书文号过长")


def _notice(batch: Batch, mutation: Mutation, live: Row | None) -> MutationResult:
    _check_signed(mutation)
    current = (live.data or {}) if live is not None else {}
    if live is None or current.get("status") not in FROZEN_NOTICE:
        return _write_owned(batch, mutation, batch.view.get((mutation.entity, mutation.entity_id)))
    incoming = dict(mutation.payload)
    if incoming == current:
        return MutationResult(mutation_id=mutation.mutation_id, status="duplicate", server_version=live.version)
    if incoming.get("content_hash") != current.get("content_hash"):
        return _conflict(mutation, live, "已签署的通知书不能更改", ErrorCode.NOTICE_IMMUTABLE)
    differing = {name for name in set(incoming) | set(current) if incoming.get(name) != current.get(name)}
    if current.get("status") == "signed" and incoming.get("status") == "voided" and differing <= VOID_FIELDS:
        return _write_owned(batch, mutation, live)
    return _conflict(mutation, live, "已签署的通知书不能更改", ErrorCode.NOTICE_IMMUTABLE)


# --- enterprises: shared registry rows, merged field by field through the ORM --------------------------------------


def _enterprise_in_savepoint(session: Session, batch: Batch, mutation: Mutation) -> MutationResult:
    """One enterprise mutation through the ORM in its own savepoint (the batch holds the feed lock); the batch's
    view then shows the enterprise as it now stands."""
    caller = batch.caller
    try:
        with session.begin_nested():
            existing = session.get(Record, ("enterprise", mutation.entity_id))
            check_write(caller, "enterprise", existing, None)
            live = existing if existing is not None and not existing.deleted else None
            if mutation.op == "delete":
                if live is None:
                    return MutationResult(mutation_id=mutation.mutation_id, status="applied")
                if caller.role not in OFFICE_ROLES:
                    raise Refusal(ErrorCode.FORBIDDEN, "企业只能由区办从名录中删除")
                tombstone(session, live, caller.writer)
                result = MutationResult(mutation_id=mutation.mutation_id, status="applied", server_version=live.version)
            else:
                if str(mutation.payload.get("id", mutation.entity_id)) != mutation.entity_id:
                    raise Refusal(ErrorCode.VALIDATION, "记录编号与内容不一致")
                result = apply_enterprise(
                    session,
                    caller,
                    mutation.mutation_id,
                    mutation.entity_id,
                    mutation.payload,
                    base_version=mutation.base_version,
                    insert=live is None,
                )
            session.flush()
    except IntegrityError:
        raise Refusal(ErrorCode.CONFLICT, DUPLICATE_KEY) from None
    record = session.get(Record, ("enterprise", mutation.entity_id))
    if record is not None:
        batch.view[("enterprise", mutation.entity_id)] = Row(
            record.entity,
            record.entity_id,
            record.district_id,
            record.owner_id,
            record.version,
            None,
            record.deleted,
            record.natural_key,
            record.writer,
            record.seq,
            parsed=record.data,
        )
    return result


def _observed_at(payload: dict[str, Any], now: dt.datetime) -> dt.datetime:
    observed = parse_time(payload.get("updated_at")) or now
    return min(observed, now)


def apply_enterprise(
    session: Session,
    caller: Caller,
    mutation_id: str,
    entity_id: str,
    payload: dict[str, Any],
    *,
    base_version: int | None,
    insert: bool,
) -> MutationResult:
    """Create an enterprise, or merge an edit into it by the stated per-field policy (:mod:`server.merge`)."""
    now = utcnow()
    observed_at = _observed_at(payload, now)
    data = public_enterprise({**payload, "id": entity_id})
    uscc = str(data.get("uscc") or "")
    if len(uscc) > NATURAL_KEY_LENGTH:
        raise Refusal(ErrorCode.VALIDATION, "统一社会信用代码过长")
    if insert:
        if not uscc:
            raise Refusal(ErrorCode.VALIDATION, "缺少统一社会信用代码")
        holder = session.scalars(
            select(Record).where(Record.entity == "enterprise", Record.natural_key == uscc)
        ).one_or_none()
        if holder is not None:
            fields = visible_data(caller, holder)
            return MutationResult(
                mutation_id=mutation_id,
                status="conflict",
                server_version=holder.version if fields is not None else None,
                server_fields=fields,
                code=ErrorCode.CONFLICT,
                message="该统一社会信用代码已登记为服务器名录中的另一家企业",
            )
        record = put_record(
            session,
            entity="enterprise",
            entity_id=entity_id,
            data=with_initials({**data, "district": data.get("district") or caller.district}),
            writer=caller.writer,
            district_id=caller.district_id,
            natural_key=uscc,
            version=1,
        )
        record.meta = {
            "observed": {name: observed_at.isoformat() for name in OBSERVED_FIELDS if data.get(name) not in (None, "")}
        }
        session.add(RecordHistory(entity="enterprise", entity_id=entity_id, version=1, data=record.data or {}))
        return MutationResult(mutation_id=mutation_id, status="applied", server_version=1, server_fields=record.data)
    record = session.get_one(Record, ("enterprise", entity_id))
    base = session.get(RecordHistory, ("enterprise", entity_id, base_version)) if base_version else None
    merged = merge_enterprise(
        entity_id=entity_id,
        current=record.data or {},
        observed=dict((record.meta or {}).get("observed", {})),
        base=base.data if base is not None else None,
        incoming=data,
        observed_at=observed_at,
        office=caller.role in OFFICE_ROLES,
    )
    if merged.changed:
        new_uscc = str(merged.data.get("uscc") or "")
        clash = session.scalars(
            select(Record).where(
                Record.entity == "enterprise", Record.natural_key == new_uscc, Record.entity_id != entity_id
            )
        ).first()
        if clash is not None:
            raise Refusal(ErrorCode.CONFLICT, "该统一社会信用代码已属于另一家企业")
        merged.data = with_initials(merged.data)
        put_record(
            session,
            entity="enterprise",
            entity_id=entity_id,
            data=merged.data,
            writer=caller.writer,
            district_id=record.district_id,
            natural_key=new_uscc,
        )
        record.meta = {**(record.meta or {}), "observed": merged.observed}
        session.add(RecordHistory(entity="enterprise", entity_id=entity_id, version=record.version, data=merged.data))
    _log_conflicts(session, caller, record.district_id or caller.district_id, merged.conflicts, merged.proposals)
    return MutationResult(
        mutation_id=mutation_id,
        status="applied",
        server_version=record.version,
        server_fields=record.data,
        conflicts=merged.conflicts,
    )


def _log_conflicts(
    session: Session,
    caller: Caller,
    district_id: int,
    conflicts: list[FieldConflict],
    proposals: list[FieldConflict],
) -> None:
    proposal_ids = {id(entry) for entry in proposals}
    for entry in conflicts:
        session.add(
            ConflictEntry(
                district_id=district_id,
                user_id=caller.user_id,
                device_id=caller.device_id,
                entity=entry.entity,
                entity_id=entry.entity_id,
                field=entry.field,
                proposed_value=entry.local_value,
                server_value=entry.server_value,
                resolution=entry.resolution,
                is_proposal=id(entry) in proposal_ids,
            )
        )
