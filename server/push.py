"""Applying a push batch: each mutation exactly once, all of the batch in one transaction.

The batch runs in one database transaction (the route commits at the end), so a cut connection or a crash
leaves either all of it or none of it; ``applied_mutation`` makes a replay answer ``duplicate`` with the result
it had. Each mutation runs in a savepoint so one refused mutation (``rejected``) does not undo the others.
Refused and conflicting mutations are not recorded: the laptop keeps them and may send them again later (after
uploading a missing blob, say), when they are judged afresh.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from typing import Any

from sqlalchemy import select, tuple_
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
    notice_content_hash,
)
from server.errors import ApiError, Refusal
from server.feed import KNOWN_ABSENT, PREFETCHED, known_get, known_present, lock_feed, put_record, tombstone
from server.merge import OBSERVED_FIELDS, merge_enterprise, parse_time, public_enterprise
from server.models import AppliedMutation, BlobHolder, ConflictEntry, Record, RecordHistory, StoredBlob, utcnow
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
}
VERSIONED = frozenset({"audit", "rectification_item"})
ENTERPRISE_REFERENCES = frozenset({"audit", "follow_up", "rectification_item"})
FROZEN_NOTICE = frozenset({"signed", "voided"})
VOID_FIELDS = frozenset({"status", "voided_at", "void_reason"})
NATURAL_KEY_LENGTH = 120
REPLAYED_OTHER_CONTENT = "同一修改编号再次送来的内容与先前不同：服务器保留先前应用的内容，新内容未应用"

log = logging.getLogger(__name__)


def mutation_digest(mutation: Mutation) -> str:
    """What a mutation says, apart from its id: a replay must say the same to be a duplicate."""
    content = [mutation.seq, mutation.entity, mutation.entity_id, mutation.op, mutation.payload, mutation.base_version]
    text = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def blob_references(mutation: Mutation) -> set[str]:
    """The blobs a mutation needs: the ones it declares plus the ones its payload names."""
    found = set(mutation.blobs)
    for name in BLOB_FIELDS.get(mutation.entity, ()):
        value = mutation.payload.get(name)
        if isinstance(value, str) and value:
            found.add(value)
    return found


def apply_batch(session: Session, caller: Caller, request: PushRequest) -> PushResponse:
    if request.device_id != caller.device_id:
        raise ApiError(403, ErrorCode.FORBIDDEN, "推送的设备与登录的设备不一致")
    lock_feed(session)
    _prefetch(session, caller, request.mutations)
    try:
        return PushResponse(results=[apply_one(session, caller, mutation) for mutation in request.mutations])
    finally:
        session.info.pop(KNOWN_ABSENT, None)
        session.info.pop(PREFETCHED, None)


def _prefetch(session: Session, caller: Caller, mutations: list[Mutation]) -> None:
    """Load in two queries what the batch's mutations will look up one by one (their applied-mutation rows and
    their records, with the audits and enterprises they name), and note what is absent, so that applying a new
    mutation sends its writes and no lookups."""
    if not mutations:
        return
    absent: set[tuple[type[Any], tuple[Any, ...]]] = set()
    ids = sorted({mutation.mutation_id for mutation in mutations})
    found = set(
        session.scalars(
            select(AppliedMutation.mutation_id).where(
                AppliedMutation.device_id == caller.device_id, AppliedMutation.mutation_id.in_(ids)
            )
        )
    )
    held: list[object] = []
    if found:
        held += session.scalars(
            select(AppliedMutation).where(
                AppliedMutation.device_id == caller.device_id, AppliedMutation.mutation_id.in_(sorted(found))
            )
        ).all()
    absent.update((AppliedMutation, (caller.device_id, mutation_id)) for mutation_id in ids if mutation_id not in found)
    keys = {(mutation.entity, mutation.entity_id) for mutation in mutations}
    for mutation in mutations:
        for entity, field in (("audit", "audit_id"), ("enterprise", "enterprise_id")):
            value = mutation.payload.get(field)
            if isinstance(value, str) and value:
                keys.add((entity, value))
    loaded = session.scalars(select(Record).where(tuple_(Record.entity, Record.entity_id).in_(sorted(keys)))).all()
    present = {(record.entity, record.entity_id) for record in loaded}
    absent.update((Record, key) for key in keys - present)
    session.info[KNOWN_ABSENT] = absent
    session.info[PREFETCHED] = [*held, *loaded]


def _replayed(session: Session, caller: Caller, mutation: Mutation, done: AppliedMutation) -> MutationResult:
    """A mutation id seen before: the same content is a duplicate; other content is a conflict, logged once."""
    if done.digest is None or done.digest == mutation_digest(mutation):
        return MutationResult.model_validate({**done.result, "status": "duplicate"})
    log.warning("device %s replayed mutation %s with other content", caller.device_id, mutation.mutation_id)
    logged = session.scalar(
        select(ConflictEntry.id).where(
            ConflictEntry.device_id == caller.device_id,
            ConflictEntry.entity == mutation.entity,
            ConflictEntry.entity_id == mutation.entity_id,
            ConflictEntry.field == "mutation_id",
        )
    )
    if logged is None:
        session.add(
            ConflictEntry(
                district_id=caller.district_id,
                user_id=caller.user_id,
                device_id=caller.device_id,
                entity=mutation.entity,
                entity_id=mutation.entity_id,
                field="mutation_id",
                proposed_value=mutation.mutation_id,
                server_value=None,
                resolution=REPLAYED_OTHER_CONTENT,
            )
        )
    return MutationResult(
        mutation_id=mutation.mutation_id,
        status="conflict",
        server_version=done.result.get("server_version"),
        code=ErrorCode.CONFLICT,
        message=REPLAYED_OTHER_CONTENT,
    )


def apply_one(session: Session, caller: Caller, mutation: Mutation) -> MutationResult:
    done = known_get(session, AppliedMutation, (caller.device_id, mutation.mutation_id))
    if done is not None:
        return _replayed(session, caller, mutation, done)
    try:
        with session.begin_nested():
            result = _apply(session, caller, mutation)
            if result.status in ("applied", "duplicate"):
                session.add(
                    AppliedMutation(
                        device_id=caller.device_id,
                        mutation_id=mutation.mutation_id,
                        seq=mutation.seq,
                        result=result.model_dump(mode="json"),
                        digest=mutation_digest(mutation),
                    )
                )
                known_present(session, AppliedMutation, (caller.device_id, mutation.mutation_id))
                session.flush()
    except Refusal as refusal:
        return MutationResult(
            mutation_id=mutation.mutation_id, status="rejected", code=refusal.code, message=refusal.message
        )
    except IntegrityError:
        return MutationResult(
            mutation_id=mutation.mutation_id,
            status="rejected",
            code=ErrorCode.CONFLICT,
            message="与服务器上的数据冲突（编号或代码重复）",
        )
    return result


def _check_blobs(session: Session, caller: Caller, mutation: Mutation) -> None:
    """Every blob the mutation names is verified and the caller holds it (uploaded it themselves): naming someone
    else's hash attaches nothing and reads nothing."""
    for sha in sorted(blob_references(mutation)):
        if not is_sha256(sha):
            raise Refusal(ErrorCode.VALIDATION, "附件哈希格式不正确")
        blob = session.get(StoredBlob, sha)
        holder = session.get(BlobHolder, (sha, caller.user_id))
        if blob is None or not blob.complete or holder is None:
            raise Refusal(ErrorCode.BLOB_MISSING, "附件尚未上传完成，稍后重试")


def _parent(session: Session, mutation: Mutation, existing: Record | None) -> Record | None:
    if mutation.entity not in OWNED_ENTITIES or mutation.entity == "audit":
        return None
    audit_id = mutation.payload.get("audit_id") or ((existing.data or {}).get("audit_id") if existing else None)
    if not audit_id:
        return None
    parent = known_get(session, Record, ("audit", str(audit_id)))
    if parent is None or parent.deleted:
        raise Refusal(ErrorCode.NOT_FOUND, "所属的体检记录尚未同步到服务器")
    return parent


def _check_enterprise_reference(session: Session, caller: Caller, mutation: Mutation) -> None:
    if mutation.entity not in ENTERPRISE_REFERENCES or mutation.op == "delete":
        return
    enterprise_id = mutation.payload.get("enterprise_id")
    if not enterprise_id:
        raise Refusal(ErrorCode.VALIDATION, "缺少企业")
    enterprise = known_get(session, Record, ("enterprise", str(enterprise_id)))
    if enterprise is None or enterprise.deleted:
        raise Refusal(ErrorCode.NOT_FOUND, "企业不在服务器的名录中")
    check_reference(caller, enterprise)


def _apply(session: Session, caller: Caller, mutation: Mutation) -> MutationResult:
    if mutation.entity not in PUSHABLE_ENTITIES:
        code = ErrorCode.FORBIDDEN if mutation.entity in REFERENCE_ENTITIES else ErrorCode.UNKNOWN_ENTITY
        raise Refusal(code, "该类数据不能从本机推送")
    if mutation.op != "delete" and str(mutation.payload.get("id", mutation.entity_id)) != mutation.entity_id:
        raise Refusal(ErrorCode.VALIDATION, "记录编号与内容不一致")
    _check_blobs(session, caller, mutation)
    existing = known_get(session, Record, (mutation.entity, mutation.entity_id))
    parent = _parent(session, mutation, existing)
    check_write(caller, mutation.entity, existing, parent)
    _check_enterprise_reference(session, caller, mutation)
    live = existing if existing is not None and not existing.deleted else None
    if mutation.entity in APPEND_ONLY_ENTITIES:
        return _append_only(session, caller, mutation, existing)
    if mutation.op == "delete":
        return _delete(session, caller, mutation, live)
    if mutation.entity == "enterprise":
        return apply_enterprise(
            session,
            caller,
            mutation.mutation_id,
            mutation.entity_id,
            mutation.payload,
            base_version=mutation.base_version,
            insert=live is None,
        )
    if mutation.entity == "notice":
        return _notice(session, caller, mutation, live)
    if mutation.entity in VERSIONED and live is not None:
        stale = mutation.base_version is None or mutation.base_version <= live.version
        if live.writer != caller.writer and stale:
            return _conflict(mutation, live, "服务器上的记录已被其他设备修改")
    return _write_owned(session, caller, mutation, live)


def _append_only(session: Session, caller: Caller, mutation: Mutation, existing: Record | None) -> MutationResult:
    """Change history: inserted once; the same row again is a duplicate; any update or delete is refused."""
    if mutation.op != "insert":
        raise Refusal(ErrorCode.FORBIDDEN, "修改记录只能追加，不能更改或删除")
    if existing is not None:
        if dict(mutation.payload) == (existing.data or {}):
            return MutationResult(mutation_id=mutation.mutation_id, status="duplicate", server_version=existing.version)
        raise Refusal(ErrorCode.FORBIDDEN, "修改记录只能追加，不能更改或删除")
    return _write_owned(session, caller, mutation, None)


def _conflict(mutation: Mutation, live: Record, message: str, code: ErrorCode = ErrorCode.CONFLICT) -> MutationResult:
    return MutationResult(
        mutation_id=mutation.mutation_id,
        status="conflict",
        server_version=live.version,
        server_fields=live.data,
        code=code,
        message=message,
    )


def _write_owned(session: Session, caller: Caller, mutation: Mutation, live: Record | None) -> MutationResult:
    version = mutation.base_version if mutation.entity in VERSIONED else None
    natural_key = None
    if mutation.entity == "notice" and mutation.payload.get("number"):
        natural_key = str(mutation.payload["number"])
    record = put_record(
        session,
        entity=mutation.entity,
        entity_id=mutation.entity_id,
        data=dict(mutation.payload),
        writer=caller.writer,
        district_id=caller.district_id,
        owner_id=caller.user_id,
        natural_key=natural_key,
        version=version if version is not None else (None if live is not None else 1),
    )
    return MutationResult(mutation_id=mutation.mutation_id, status="applied", server_version=record.version)


def _delete(session: Session, caller: Caller, mutation: Mutation, live: Record | None) -> MutationResult:
    if live is None:
        return MutationResult(mutation_id=mutation.mutation_id, status="applied")
    if mutation.entity == "notice" and (live.data or {}).get("status") in FROZEN_NOTICE:
        raise Refusal(ErrorCode.NOTICE_IMMUTABLE, "已签署的通知书不能删除")
    if mutation.entity == "enterprise" and caller.role not in OFFICE_ROLES:
        raise Refusal(ErrorCode.FORBIDDEN, "企业只能由区办从名录中删除")
    tombstone(session, live, caller.writer)
    return MutationResult(mutation_id=mutation.mutation_id, status="applied", server_version=live.version)


def _check_signed(mutation: Mutation) -> None:
    """A signed (or voided) notice is accepted only when its content hash is the hash of what it says."""
    payload = mutation.payload
    if payload.get("status") in FROZEN_NOTICE and payload.get("content_hash") != notice_content_hash(payload):
        raise Refusal(ErrorCode.VALIDATION, "通知书的内容哈希与其内容不符，不予接受")
    number = payload.get("number")
    if number is not None and len(str(number)) > NATURAL_KEY_LENGTH:
        raise Refusal(ErrorCode.VALIDATION, "通知书文号过长")


def _notice(session: Session, caller: Caller, mutation: Mutation, live: Record | None) -> MutationResult:
    if mutation.op != "delete":
        _check_signed(mutation)
    current = (live.data or {}) if live is not None else {}
    if live is None or current.get("status") not in FROZEN_NOTICE:
        return _write_owned(session, caller, mutation, live)
    incoming = dict(mutation.payload)
    if incoming == current:
        return MutationResult(mutation_id=mutation.mutation_id, status="duplicate", server_version=live.version)
    if incoming.get("content_hash") != current.get("content_hash"):
        return _conflict(mutation, live, "已签署的通知书不能更改", ErrorCode.NOTICE_IMMUTABLE)
    differing = {name for name in set(incoming) | set(current) if incoming.get(name) != current.get(name)}
    if current.get("status") == "signed" and incoming.get("status") == "voided" and differing <= VOID_FIELDS:
        return _write_owned(session, caller, mutation, live)
    return _conflict(mutation, live, "已签署的通知书不能更改", ErrorCode.NOTICE_IMMUTABLE)


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
            data={**data, "district": data.get("district") or caller.district},
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
