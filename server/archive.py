"""What laptops need for retention: the district's retention period, and one audit whole, to pull it back.

A laptop removes the bulk of a synced, closed audit (answers, photos) after the office's retention period and
keeps a stub. Pulling it back asks for every record of that audit and for the blobs those records name; the
blob route serves only hashes the audit's own records reference, so a caller cannot read an arbitrary file by
guessing its hash, and the audit itself must be readable by the caller (:func:`server.policy.can_read`), and the
blob must have been uploaded by the audit's owner (or by the caller): a record naming a hash its writer never
uploaded hands out nothing.
"""

from __future__ import annotations

from typing import BinaryIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.sync.protocol import AuditRecords, DevicePolicy, ErrorCode
from server.blobs import BlobStorage, check_sha
from server.errors import ApiError, forbidden, not_found
from server.feed import change_row
from server.models import BlobHolder, District, Record, StoredBlob
from server.policy import OWNED_ENTITIES, can_read
from server.push import BLOB_FIELDS
from server.security import Caller

CHILD_ENTITIES = tuple(sorted(OWNED_ENTITIES - {"audit", "follow_up"}))
"""Records that name their audit in ``audit_id``; follow-ups are reached through the items they verified."""


def device_policy(session: Session, caller: Caller) -> DevicePolicy:
    district = session.get_one(District, caller.district_id)
    return DevicePolicy(retention_days=district.retention_days)


def _readable_audit(session: Session, caller: Caller, audit_id: str) -> Record:
    audit = session.get(Record, ("audit", audit_id))
    if audit is None or audit.deleted:
        raise not_found()
    if not can_read(caller, audit):
        raise forbidden("不能读取他人或其他区县的体检记录")
    return audit


def _children(session: Session, audit: Record) -> list[Record]:
    records = list(
        session.scalars(
            select(Record)
            .where(
                Record.parent_id == audit.entity_id,
                Record.entity.in_(CHILD_ENTITIES),
                Record.deleted.is_(False),
                Record.district_id == audit.district_id,
            )
            .order_by(Record.seq)
        )
    )
    follow_up_ids = sorted(
        {
            str(record.data["follow_up_id"])
            for record in records
            if record.entity == "rectification_item" and record.data and record.data.get("follow_up_id")
        }
    )
    if follow_up_ids:
        records += session.scalars(
            select(Record)
            .where(Record.entity == "follow_up", Record.entity_id.in_(follow_up_ids), Record.deleted.is_(False))
            .order_by(Record.seq)
        )
    return records


def audit_records(session: Session, caller: Caller, audit_id: str) -> AuditRecords:
    audit = _readable_audit(session, caller, audit_id)
    rows = [change_row(audit)] + [change_row(record) for record in _children(session, audit)]
    return AuditRecords(audit_id=audit_id, records=rows)


def _referenced_blobs(records: list[Record]) -> set[str]:
    found: set[str] = set()
    for record in records:
        for name in BLOB_FIELDS.get(record.entity, ()):
            value = (record.data or {}).get(name)
            if isinstance(value, str) and value:
                found.add(value)
    return found


def open_audit_blob(session: Session, storage: BlobStorage, caller: Caller, audit_id: str, sha256: str) -> BinaryIO:
    """The bytes of a blob one of this audit's records references (404 for any other hash)."""
    check_sha(sha256)
    audit = _readable_audit(session, caller, audit_id)
    if sha256 not in _referenced_blobs(_children(session, audit)):
        raise ApiError(404, ErrorCode.NOT_FOUND, "该附件不属于这次体检")
    holders = {audit.owner_id, caller.user_id}
    held = session.scalar(
        select(BlobHolder.user_id).where(BlobHolder.sha256 == sha256, BlobHolder.user_id.in_(holders))
    )
    if held is None:  # named by a record whose writer never uploaded it: not theirs to hand out
        raise ApiError(404, ErrorCode.NOT_FOUND, "该附件不属于这次体检")
    blob = session.get(StoredBlob, sha256)
    if blob is None or not blob.complete or not storage.has(sha256):
        raise ApiError(404, ErrorCode.BLOB_MISSING, "服务器上没有这份附件")
    return storage.open(sha256)
