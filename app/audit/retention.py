"""Retention: synced, closed audits leave the laptop after the office's period; nothing unsynced ever does.

A stolen laptop should hold as little of workers' data as the work needs (个人信息保护法 第十九条: 保存期限应当为
实现处理目的所必要的最短时间). The district office sets a period (``laborcheck-server district retention``); the
laptop learns it at each sync. After a successful sync, an audit is *archived* — its answers (notes, figures),
its photos and documents and their files are removed from this laptop, a stub (:class:`ArchivedAudit`) says what
went — when all of these hold:

- it is finished, and its last activity (finishing, signing a notice, the last verification) is older than the
  period;
- nothing of it waits in the outbox: the server has acknowledged every change (a rejected or conflicting change
  stays in the outbox, so such an audit stays whole);
- every rectification item is verified (an open case is live work: the follow-up needs the whole audit), and no
  notice is an unsigned draft.

What stays: the audit row, its modules, findings, items, notices (with their signatures and PDF: the official
document is not thinned), follow-ups, the change history and the risk-signal answers — what the ledger, the risk
grade and the follow-up list are computed from. Photos another audit's follow-up cites as evidence stay too.

:func:`restore_audit` puts the removed rows and files back from the server's copy ("pull back"); a pulled-back
audit then stays whole for another full period from that day (``ArchivedAudit.restored_at``). Files are
removed only after the database commit; the stub lists them, so a removal cut short is finished at the next run
(:func:`finish_pending_removals`), and a restore cut short leaves files that the next restore reuses.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from app.audit.attachments import restore_blob
from app.models import (
    Answer,
    ArchivedAudit,
    Attachment,
    Audit,
    AuditStatus,
    Blob,
    Finding,
    FollowUp,
    ItemStatus,
    Notice,
    NoticeStatus,
    OutboxEntry,
    RectificationItem,
    WageCheck,
    utcnow,
)
from app.models.sync import SUPPRESS_OUTBOX, from_payload
from app.storage.blobstore import ContentStore, sha256_hex
from core.errors import LaborCheckError

SIGNAL_KIND = "signal"
"""Risk-signal answers (欠薪风险预警) stay: the enterprise's grade is computed from the latest visit's signals."""

RESTORED_ENTITIES = {"answer": Answer, "attachment": Attachment, "wage_check": WageCheck}
"""What archiving removed and pulling back restores; every other record of the audit is still on the laptop.
A wage check goes with the photos: its evidence table and the raw payroll and attendance sheets are personal data."""

FILE_FIELDS = {"attachment": "sha256", "wage_check": "evidence_sha256"}
"""The blob each restored record names."""

NOTICE_BLOB_FIELDS = ("coordinator_signature_sha256", "enterprise_signature_sha256", "pdf_sha256")


class RestoreFailed(LaborCheckError):
    """Pulling an audit back could not complete; the stub is unchanged and the user may try again."""


@dataclass(frozen=True)
class RetentionReport:
    archived: tuple[str, ...]
    answers: int
    attachments: int
    files: int


@dataclass(frozen=True)
class RestoreReport:
    answers: int
    attachments: int
    files_fetched: int


class ServerRecord(Protocol):
    """One record of the server's copy of an audit (``app.sync.protocol.ChangeRow`` fits)."""

    @property
    def entity(self) -> str: ...

    @property
    def entity_id(self) -> str: ...

    @property
    def data(self) -> dict[str, Any] | None: ...


SessionFactory = Callable[[], AbstractContextManager[Session]]


def _pending_audits(session: Session) -> set[str]:
    """Audits with anything still in the outbox (the audit itself, anything hanging on it, its follow-ups)."""
    pending: set[str] = set()
    follow_ups: set[str] = set()
    for entity, entity_id, payload in session.execute(
        select(OutboxEntry.entity, OutboxEntry.entity_id, OutboxEntry.payload)
    ):
        if entity == "audit":
            pending.add(entity_id)
        elif entity == "follow_up":
            follow_ups.add(entity_id)
        elif isinstance(payload, dict) and payload.get("audit_id"):
            pending.add(str(payload["audit_id"]))
    if follow_ups:
        query = select(RectificationItem.audit_id).where(RectificationItem.follow_up_id.in_(follow_ups))
        pending.update(session.scalars(query))
    return pending


def last_activity(session: Session, audit: Audit) -> dt.datetime | None:
    """When the audit last changed in a way that matters for keeping it: finished, signed, last verified."""
    moments: list[dt.datetime] = [audit.finished_at] if audit.finished_at else []
    signed = session.scalar(select(func.max(Notice.signed_at)).where(Notice.audit_id == audit.id))
    if signed is not None:
        moments.append(signed if signed.tzinfo else signed.replace(tzinfo=dt.UTC))
    verified = session.scalar(
        select(func.max(RectificationItem.verified_on)).where(RectificationItem.audit_id == audit.id)
    )
    if verified is not None:
        moments.append(dt.datetime.combine(verified, dt.time(23, 59), tzinfo=dt.UTC))
    return max(moments) if moments else None


def _closed(session: Session, audit_id: str) -> bool:
    open_items = session.scalar(
        select(func.count())
        .select_from(RectificationItem)
        .join(Finding, Finding.id == RectificationItem.finding_id)
        .where(
            RectificationItem.audit_id == audit_id,
            Finding.removed_at.is_(None),
            RectificationItem.status != ItemStatus.VERIFIED,
        )
    )
    drafts = session.scalar(
        select(func.count()).select_from(Notice).where(Notice.audit_id == audit_id, Notice.status == NoticeStatus.DRAFT)
    )
    return not open_items and not drafts


def _due_since(
    session: Session, audit: Audit, stub: ArchivedAudit | None, pending: set[str], cutoff: dt.datetime
) -> dt.datetime | None:
    """When ``audit`` became quiet, if it is due for archiving at ``cutoff``; None when it must stay whole."""
    if (stub is not None and stub.restored_at is None) or audit.id in pending:
        return None
    moment = last_activity(session, audit)
    if moment is not None and stub is not None and stub.restored_at is not None:
        moment = max(moment, stub.restored_at)  # pulled back: whole for another period
    if moment is None or moment > cutoff or not _closed(session, audit.id):
        return None
    return moment


def due_for_archiving(session: Session, retention_days: int, now: dt.datetime) -> list[str]:
    """The audits :func:`apply_retention` would archive now, oldest first."""
    if retention_days <= 0:
        return []
    cutoff = now - dt.timedelta(days=retention_days)
    stubs = {stub.audit_id: stub for stub in session.scalars(select(ArchivedAudit))}
    pending = _pending_audits(session)
    due: list[tuple[dt.datetime, str]] = []
    finished = select(Audit).where(Audit.status == AuditStatus.FINISHED, Audit.finished_at.is_not(None))
    for audit in session.scalars(finished.order_by(Audit.finished_at)):
        moment = _due_since(session, audit, stubs.get(audit.id), pending, cutoff)
        if moment is not None:
            due.append((moment, audit.id))
    return [audit_id for _moment, audit_id in sorted(due)]


def _still_due(session: Session, audit_id: str, retention_days: int, now: dt.datetime) -> bool:
    """The check :func:`due_for_archiving` makes, for one audit, inside the transaction that archives it."""
    audit = session.get(Audit, audit_id)
    if audit is None or audit.status is not AuditStatus.FINISHED:
        return False
    cutoff = now - dt.timedelta(days=retention_days)
    stub = session.get(ArchivedAudit, audit_id)
    return _due_since(session, audit, stub, _pending_audits(session), cutoff) is not None


def _cited_evidence(session: Session) -> set[str]:
    cited: set[str] = set()
    for ids in session.scalars(select(FollowUp.evidence_attachment_ids)):
        cited.update(str(value) for value in ids or ())
    return cited


def _still_used(session: Session, hashes: Iterable[str]) -> set[str]:
    wanted = sorted(set(hashes))
    if not wanted:
        return set()
    used = set(session.scalars(select(Attachment.sha256).where(Attachment.sha256.in_(wanted))))
    used.update(session.scalars(select(WageCheck.evidence_sha256).where(WageCheck.evidence_sha256.in_(wanted))))
    for name in NOTICE_BLOB_FIELDS:
        column = getattr(Notice, name)
        used.update(session.scalars(select(column).where(column.in_(wanted))))
    return used


def archive_audit(session: Session, audit_id: str, retention_days: int, now: dt.datetime) -> ArchivedAudit:
    """Remove the audit's answers and attachments (in the caller's transaction) and leave the stub.

    Server data is not touched: the outbox is suppressed, so no deletion is ever sent. The blob rows no longer
    referenced go too; their files are removed by :func:`finish_pending_removals` after the commit.
    """
    session.info[SUPPRESS_OUTBOX] = True
    cited = _cited_evidence(session)
    attachments = [
        attachment
        for attachment in session.scalars(select(Attachment).where(Attachment.audit_id == audit_id))
        if attachment.id not in cited
    ]
    checks = list(session.scalars(select(WageCheck).where(WageCheck.audit_id == audit_id)))
    hashes = {attachment.sha256 for attachment in attachments} | {check.evidence_sha256 for check in checks}
    answers = session.execute(delete(Answer).where(Answer.audit_id == audit_id, Answer.kind != SIGNAL_KIND))
    for attachment in attachments:
        session.delete(attachment)
    for check in checks:
        session.delete(check)
    session.flush()
    removable = sorted(hashes - _still_used(session, hashes))
    if removable:
        session.execute(delete(Blob).where(Blob.sha256.in_(removable)))
    stub = session.get(ArchivedAudit, audit_id)
    if stub is None:
        stub = ArchivedAudit(audit_id=audit_id)
        session.add(stub)
    stub.archived_at = now
    stub.restored_at = None
    stub.retention_days = retention_days
    stub.answers = int(getattr(answers, "rowcount", 0) or 0)
    stub.attachments = len(attachments)
    stub.blob_hashes = removable
    session.flush()
    return stub


def finish_pending_removals(session: Session, store: ContentStore) -> int:
    """Remove the files of archived audits that no row references any more (again: it is idempotent)."""
    rows = session.scalars(select(ArchivedAudit.blob_hashes).where(ArchivedAudit.current()))
    listed = {sha for hashes in rows for sha in hashes or ()}
    if not listed:
        return 0
    alive = set(session.scalars(select(Blob.sha256).where(Blob.sha256.in_(sorted(listed)))))
    return sum(store.discard(sha) for sha in sorted(listed - alive))


def apply_retention(
    db_session: SessionFactory, store: ContentStore, retention_days: int, now: dt.datetime | None = None
) -> RetentionReport:
    """Archive every audit due (each in its own transaction), then remove the files. ``db_session`` is the
    workspace's session factory (a context manager that commits)."""
    when = now or utcnow()
    with db_session() as session:
        due = due_for_archiving(session, retention_days, when)
    archived: list[str] = []
    answers = attachments = 0
    for audit_id in due:
        with db_session() as session:
            if not _still_due(session, audit_id, retention_days, when):
                continue  # changed since the first look (a new follow-up, say): keep it whole
            stub = archive_audit(session, audit_id, retention_days, when)
            answers += stub.answers
            attachments += stub.attachments
        archived.append(audit_id)
    with db_session() as session:
        files = finish_pending_removals(session, store)
    return RetentionReport(tuple(archived), answers, attachments, files)


def archived_stub(session: Session, audit_id: str) -> ArchivedAudit | None:
    """The stub of an audit archived now (None when whole: never archived, or pulled back since)."""
    stub = session.get(ArchivedAudit, audit_id)
    return stub if stub is not None and stub.restored_at is None else None


def _check_records(audit_id: str, records: Sequence[ServerRecord]) -> None:
    if not records or records[0].entity != "audit" or records[0].entity_id != audit_id:
        raise RestoreFailed("服务器返回的体检记录不完整，本机未作任何更改，请稍后重试")
    for record in records:
        if record.entity in RESTORED_ENTITIES and (record.data or {}).get("audit_id") != audit_id:
            raise RestoreFailed("服务器返回了不属于这次体检的记录，本机未作任何更改")


def fetch_files(
    records: Sequence[ServerRecord], store: ContentStore, fetch: Callable[[str], bytes]
) -> dict[str, bytes]:
    """Fetch the attachment files this laptop lacks, each checked against its SHA-256 before it is kept."""
    fetched: dict[str, bytes] = {}
    for record in records:
        if record.entity not in FILE_FIELDS or not record.data:
            continue
        sha = str(record.data.get(FILE_FIELDS[record.entity]) or "")
        if not sha or sha in fetched or store.has(sha):
            continue
        data = fetch(sha)
        if sha256_hex(data) != sha:
            raise RestoreFailed("取回的附件内容与记录不符（可能传输中断），本机未作任何更改，请重试")
        fetched[sha] = data
    return fetched


def restore_audit(
    session: Session, store: ContentStore, audit_id: str, records: Sequence[ServerRecord], files: dict[str, bytes]
) -> RestoreReport:
    """Put the archived answers and attachments back (in the caller's transaction); the stub notes when.

    ``records`` is the server's copy of the audit, ``files`` what :func:`fetch_files` returned. Rows that are
    already on the laptop are left as they are: the laptop's copy of everything it kept is the newer one.
    """
    stub = archived_stub(session, audit_id)
    if stub is None:
        raise RestoreFailed("这次体检在本机是完整的，无需取回")
    _check_records(audit_id, records)
    session.info[SUPPRESS_OUTBOX] = True
    for data in files.values():
        restore_blob(session, store, data)
    counts = {"answer": 0, "attachment": 0, "wage_check": 0}
    for record in records:
        model = RESTORED_ENTITIES.get(record.entity)
        if model is None or record.data is None or session.get(model, record.entity_id) is not None:
            continue
        if record.entity in FILE_FIELDS:
            sha = str(record.data.get(FILE_FIELDS[record.entity]))
            if session.get(Blob, sha) is None:
                if not store.has(sha):
                    raise RestoreFailed("服务器上缺少这次体检的部分附件，本机未作任何更改")
                restore_blob(session, store, store.get(sha))
        session.add(from_payload(model, dict(record.data)))
        counts[record.entity] += 1
    stub.restored_at = utcnow()
    stub.blob_hashes = []
    session.flush()
    return RestoreReport(counts["answer"], counts["attachment"], len(files))


def restore_from_server(
    db_session: SessionFactory,
    store: ContentStore,
    audit_id: str,
    records: Sequence[ServerRecord],
    fetch: Callable[[str], bytes],
) -> RestoreReport:
    """Pull back: fetch the missing files first (network, no transaction open), then restore in one commit."""
    _check_records(audit_id, records)
    files = fetch_files(records, store, fetch)
    with db_session() as session:
        return restore_audit(session, store, audit_id, records, files)


def retention_for(db_session: SessionFactory, store: ContentStore) -> Callable[[int], int]:
    """The ``retention`` step :func:`app.sync.service.sync` runs after a successful sync (audits archived)."""
    return lambda days: len(apply_retention(db_session, store, days).archived)


__all__ = [
    "RestoreFailed",
    "RestoreReport",
    "RetentionReport",
    "ServerRecord",
    "apply_retention",
    "archive_audit",
    "archived_stub",
    "due_for_archiving",
    "fetch_files",
    "finish_pending_removals",
    "last_activity",
    "restore_audit",
    "restore_from_server",
    "retention_for",
]
