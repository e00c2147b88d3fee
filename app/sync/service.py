"""One sync, start to end: sign in, blobs, push, pull; progress, cancellation, a summary and a status.

This is what the GUI's sync panel (in a Qt worker) and ``laborcheck sync`` call; nothing here knows Qt.

- Nothing syncs without the user's consent to the server address (``AppSettings.server_consent``).
- The device token lives in the OS keyring only (:mod:`app.sync.credentials`); without a secure keyring the
  caller passes the password at each sync and the token is kept in memory for that sync alone.
- Order: push first (each batch: ask which blobs the server lacks, upload them resumably, then post the batch;
  the next batch is prepared and its blobs uploaded while one is being pushed), then pull the change feed page
  by page. Each local step commits on its own, so a cancel or a cut connection
  between steps leaves a consistent laptop, and the next sync continues.
- Cancellation (``cancel.is_set()``) is checked between requests, never inside a local transaction.
"""

from __future__ import annotations

import datetime as dt
import threading
import uuid
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from functools import partial
from typing import Protocol, TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.db import Database
from app.models import (
    ArchivedAudit,
    ConflictLog,
    Enterprise,
    Template,
    TemplateRejection,
    load_settings,
    save_settings,
)
from app.sync import credentials
from app.sync.client import (
    UPDATE_MESSAGE,
    BlobOffsetMismatch,
    ClientTooOld,
    CursorExpired,
    SignInRequired,
    SyncClient,
    SyncError,
)
from app.sync.outbox import (
    PreparedBatch,
    apply_results,
    held_back_message,
    pending_blobs,
    pending_count,
    prepare_batch,
    read_pending,
)
from app.sync.protocol import (
    BLOB_BATCH_BYTES,
    BLOB_BATCH_VERSION,
    BLOB_CHUNK,
    MAX_BATCH,
    MAX_MISSING_QUERY,
    PROTOCOL_VERSION,
    SERVER_CHECKS_VERSION,
    AuditRecords,
    BlobOffset,
    ChangesPage,
    ErrorCode,
    PushResponse,
    ServerInfo,
    SignInRequest,
    TemplateProblemReport,
    fits_in_pack,
    pack_blobs,
)
from app.sync.pull import (
    CHANGES_CURSOR,
    RESYNC_MARK,
    Initials,
    apply_page,
    get_cursor,
    note_unusable_template,
    prune_after_resync,
    set_cursor,
)
from core.errors import LaborCheckError
from core.template_check import check_snapshot

T = TypeVar("T")

DEVICE_CURSOR = "device_id"
USER_CURSOR = "username"
LAST_SUCCESS = "last_success"
LAST_ERROR = "last_error"
ERROR_LIMIT = 100


class BlobSource(Protocol):
    def get(self, sha256: str) -> bytes: ...

    def has(self, sha256: str) -> bool: ...


class SyncWorkspace(Protocol):
    """What sync needs of an open data directory (``app.services.workspace.Workspace`` fits)."""

    @property
    def db(self) -> Database: ...

    @property
    def blobs(self) -> BlobSource: ...


class Cancel(Protocol):
    def is_set(self) -> bool: ...


class NotConfigured(SyncError):
    pass


class PasswordRequired(SyncError):
    pass


class SyncCancelled(SyncError):
    pass


@dataclass(frozen=True)
class SyncProgress:
    phase: str  # "connect", "blobs", "push", "pull", "done"
    done: int
    total: int | None
    message: str


@dataclass
class SyncSummary:
    sent: int = 0
    received: int = 0
    conflicts: int = 0
    errors: list[str] = field(default_factory=list)
    blobs_uploaded: int = 0
    bytes_uploaded: int = 0
    full_resync: bool = False
    retention_days: int | None = None
    archived: int = 0
    unusable_templates: list[str] = field(default_factory=list)


Retention = Callable[[int], int]
"""Archives what the office's retention period allows (``app.audit.retention``); returns how many audits."""


@dataclass(frozen=True)
class SyncStatus:
    server_url: str
    consent: bool
    last_success: dt.datetime | None
    pending: int
    unreviewed_conflicts: int
    last_error: str | None
    retention_days: int = 0
    archived: int = 0
    unusable_templates: tuple[UnusableTemplate, ...] = ()


ClientFactory = Callable[[str, str | None], SyncClient]


def _default_client(server_url: str, token: str | None) -> SyncClient:
    return SyncClient(server_url, token=token)


def device_id(session: Session) -> str:
    """This data directory's device id, made once."""
    value = get_cursor(session, DEVICE_CURSOR)
    if value is None:
        value = str(uuid.uuid4())
        set_cursor(session, DEVICE_CURSOR, value)
        session.flush()
    return value


def _server(session: Session) -> str:
    settings = load_settings(session)
    if not settings.server_url or not settings.server_consent:
        raise NotConfigured(
            "尚未设置服务器地址或尚未同意同步：请在设置中填写区办服务器地址并确认后再同步", "not_configured"
        )
    return settings.server_url.rstrip("/")


def sign_in(
    workspace: SyncWorkspace,
    username: str,
    password: str,
    *,
    device_name: str = "",
    client_factory: ClientFactory = _default_client,
) -> str:
    """Sign in, register the device, keep the token in the keyring when one is secure; returns the token."""
    with workspace.db.session() as session:
        server_url = _server(session)
        device = device_id(session)
    with client_factory(server_url, None) as client:
        response = client.sign_in(
            SignInRequest(username=username, password=password, device_id=device, device_name=device_name)
        )
    credentials.save_token(server_url, username, response.token)
    with workspace.db.session() as session:
        set_cursor(session, USER_CURSOR, username)
    return response.token


def _check(cancel: Cancel | None) -> None:
    if cancel is not None and cancel.is_set():
        raise SyncCancelled("同步已取消；已完成的部分已保存，下次同步会继续", "cancelled")


def _report(progress: Callable[[SyncProgress], None] | None, *args: object) -> None:
    if progress is not None:
        progress(SyncProgress(*args))  # type: ignore[arg-type]


UPLOAD_THREADS = 4
"""Blobs uploaded side by side: a batch's photos are many small files, each a round trip and a disk write on the
server, so one connection would leave both machines idle between them."""

PUSH_BATCH = MAX_BATCH
"""Mutations per push: the most the protocol allows (fewer round trips; a batch of ordinary rows is a few hundred
KB, far below ``MAX_PUSH_BYTES``)."""


class _Stop:
    """The user's cancel, or the push giving up (an error, the end): a batch prepared ahead stops uploading."""

    def __init__(self, cancel: Cancel | None) -> None:
        self.cancel = cancel
        self.event = threading.Event()

    def is_set(self) -> bool:
        return self.event.is_set() or (self.cancel is not None and self.cancel.is_set())


def _upload_one(
    client: SyncClient, sha256: str, data: bytes, offset: int, cancel: Cancel | None, sent: Callable[[int], None]
) -> None:
    """One blob, chunk by chunk from the server's committed offset; resumes where a mismatch says."""
    while offset < len(data) or (len(data) == 0 and offset == 0):
        _check(cancel)
        chunk = data[offset : offset + BLOB_CHUNK]
        try:
            answer = client.upload_chunk(sha256, offset, chunk, len(data))
        except BlobOffsetMismatch as mismatch:
            if mismatch.committed is None:
                raise
            offset = mismatch.committed
            continue
        sent(max(0, answer.committed - offset))
        offset = answer.committed
        if answer.complete:
            break


def _upload_together(
    client: SyncClient, blobs: list[tuple[str, bytes]], cancel: Cancel | None, sent: Callable[[int], None]
) -> None:
    """Whole blobs in one request: the server keeps all of them or none, so a failed one is simply sent again."""
    _check(cancel)
    client.upload_batch(blobs, sent)


class _ServerLacks:
    """Which of the outbox's attachments the server lacks, and how much of each it holds: asked once for the whole
    push rather than once per batch (each question a round trip and a request for both machines), then kept up to
    date as the push uploads them. An attachment the outbox gained since is asked about with its batch. Used from
    one thread at a time (before the push, then the thread that prepares batches)."""

    def __init__(self, client: SyncClient) -> None:
        self.client = client
        self.asked: set[str] = set()
        self.missing: dict[str, int] = {}
        self.unpackable: set[str] = set()
        """Attachments too big to go packed (or not on this laptop): never loaded again to fill a pack."""

    def ask(self, hashes: list[str]) -> None:
        new = sorted(set(hashes) - self.asked)
        for start in range(0, len(new), MAX_MISSING_QUERY):
            for item in self.client.blobs_missing(new[start : start + MAX_MISSING_QUERY]).missing:
                self.missing[item.sha256] = item.committed
        self.asked.update(new)

    def among(self, hashes: list[str]) -> list[BlobOffset]:
        """Of ``hashes``, those the server lacks, with the offset it holds of each."""
        self.ask(hashes)
        return [BlobOffset(sha256=sha, committed=self.missing[sha]) for sha in hashes if sha in self.missing]

    def uploaded(self, hashes: list[str]) -> None:
        for sha in hashes:
            self.missing.pop(sha, None)

    def none_held(self) -> list[str]:
        """The attachments the server lacks entirely (none of their bytes held) that may go packed."""
        return [sha for sha, committed in self.missing.items() if not committed and sha not in self.unpackable]


def _pack_ahead(
    workspace: SyncWorkspace, lacks: _ServerLacks, together: list[tuple[str, bytes]], taken: set[str]
) -> list[tuple[str, bytes]]:
    """Attachments of later batches that fill up the last ``POST /blobs`` of this batch's (``together``; ``taken``
    are all of this batch's): uploading one before its batch is always allowed, and each request (one for each
    machine to handle) then carries up to ``BLOB_BATCH_BYTES`` rather than a batch's few photos. Each is read only
    when it is taken; the one that does not fit is read again by a later batch."""
    last = pack_blobs(together)[-1] if together else []
    size, count = sum(len(data) for _, data in last), len(last)
    ahead: list[tuple[str, bytes]] = []
    for sha in lacks.none_held():
        if not fits_in_pack(size, count, 0):
            break
        if sha in taken:
            continue
        if not workspace.blobs.has(sha):
            lacks.unpackable.add(sha)  # reported with its own batch
            continue
        data = workspace.blobs.get(sha)
        if len(data) > BLOB_BATCH_BYTES:
            lacks.unpackable.add(sha)  # goes by chunks with its own batch
            continue
        if not fits_in_pack(size, count, len(data)):
            break
        ahead.append((sha, data))
        size, count = size + len(data), count + 1
    return ahead


def _upload_blobs(
    client: SyncClient,
    workspace: SyncWorkspace,
    lacks: _ServerLacks,
    hashes: list[str],
    summary: SyncSummary,
    progress: Callable[[SyncProgress], None] | None,
    cancel: Cancel | None,
    pool: ThreadPoolExecutor,
    batched: bool,
) -> None:
    """Upload the blobs among ``hashes`` the server lacks, side by side: whole small ones a few together in one
    ``POST /blobs`` when the server takes it (``batched``), with later batches' to fill the last request up (see
    :func:`_pack_ahead`), the rest (big ones, uploads the server holds a part of) chunk by chunk from the server's
    committed offset."""
    if not hashes:
        return
    missing = lacks.among(hashes)
    contents: dict[str, bytes] = {}
    for item in missing:
        if not workspace.blobs.has(item.sha256):
            summary.errors.append(f"本机缺少附件 {item.sha256[:12]}…，引用它的记录暂不能同步")
            continue
        contents[item.sha256] = workspace.blobs.get(item.sha256)
    work = [(item.sha256, contents[item.sha256], item.committed) for item in missing if item.sha256 in contents]
    whole = {sha for sha, data, offset in work if batched and offset == 0 and len(data) <= BLOB_BATCH_BYTES}
    together = [(sha, data) for sha, data, _ in work if sha in whole]
    alone = [(sha, data, offset) for sha, data, offset in work if sha not in whole]
    if batched:
        ahead = _pack_ahead(workspace, lacks, together, {sha for sha, _, _ in work})
        together += ahead
        work += [(sha, data, 0) for sha, data in ahead]
    total = sum(len(data) - offset for _, data, offset in work)
    lock = threading.Lock()
    done = 0

    def sent(count: int) -> None:
        nonlocal done
        with lock:
            done += count
            summary.bytes_uploaded += count
            _report(progress, "blobs", done, total, f"上传附件 {done // 1024} / {total // 1024} KB")

    tasks: list[Callable[[], None]] = [
        partial(_upload_together, client, group, cancel, sent) for group in pack_blobs(together)
    ]
    tasks += [partial(_upload_one, client, sha, data, offset, cancel, sent) for sha, data, offset in alone]
    if len(tasks) == 1:
        tasks[0]()
    elif tasks:
        futures = [pool.submit(task) for task in tasks]
        try:
            for future in futures:
                future.result()  # the first failure is raised here
        finally:
            wait(futures)  # the others finish or fail on their own before this batch is given up
    lacks.uploaded([sha for sha, _, _ in work])
    summary.blobs_uploaded += len(work)


def _push(
    client: SyncClient,
    workspace: SyncWorkspace,
    device: str,
    batch_size: int,
    summary: SyncSummary,
    progress: Callable[[SyncProgress], None] | None,
    cancel: Cancel | None,
    info: ServerInfo,
) -> None:
    """Push the outbox batch by batch, in order, one batch ahead.

    While a batch is being pushed, the next is read, written as JSON, checked (by a server that checks at its edge
    instead: see ``SERVER_CHECKS_VERSION``), and its attachments uploaded (they must be on the server before the
    records that name them, which is all the order blobs need); batches themselves go one after the other, each
    after the previous one's answer, since a later mutation may rest on an earlier one (an answer on its audit)."""
    batched = info.protocol_version >= BLOB_BATCH_VERSION
    checked_here = info.protocol_version < SERVER_CHECKS_VERSION
    with workspace.db.session() as session:
        total = pending_count(session)
        attachments = pending_blobs(session)
    stop = _Stop(cancel)
    lacks = _ServerLacks(client)
    lacks.ask(attachments)

    def stage(after: int) -> PreparedBatch | None:
        with workspace.db.session() as session:
            rows = read_pending(session, after, batch_size)
        if not rows:
            return None
        batch = prepare_batch(device, rows, checked=checked_here)
        _upload_blobs(client, workspace, lacks, batch.hashes, summary, progress, stop, uploads, batched)
        return batch

    done = 0
    with (
        ThreadPoolExecutor(max_workers=UPLOAD_THREADS, thread_name_prefix="upload") as uploads,
        ThreadPoolExecutor(max_workers=1, thread_name_prefix="push-ahead") as ahead,
    ):
        try:
            upcoming = ahead.submit(stage, 0)
            while True:
                _check(cancel)
                batch = upcoming.result()
                if batch is None:
                    return
                upcoming = ahead.submit(stage, batch.last_seq)
                batch, response = _send(client, device, batch)
                summary.errors.extend(held_back_message(entry, reason) for entry, reason in batch.held_back)
                if response is not None:
                    with workspace.db.session() as session:
                        outcome = apply_results(session, batch.entries, response)
                    summary.sent += outcome.sent
                    summary.conflicts += outcome.conflicts
                    summary.errors.extend(outcome.errors)
                done += len(batch.entries) + len(batch.held_back)
                _report(progress, "push", done, total, f"已发送 {done} / {total} 条修改")
        finally:
            stop.event.set()  # a batch being prepared ahead stops at its next upload chunk; the pools then close


def _send(client: SyncClient, device: str, batch: PreparedBatch) -> tuple[PreparedBatch, PushResponse | None]:
    """Push a batch; returns the batch as sent (its held-back rows) and the answer (None: nothing left to send).

    A batch left unchecked for the server to check that the server refuses (422) is checked here after all, row by
    row: the rows at fault are held back with the reason and the rest sent again. When no row is at fault, the
    server's refusal stands and is raised, as it would be for a checked batch."""
    if not batch.entries:
        return batch, None
    try:
        return batch, client.push_json(batch.body)
    except SyncError as refusal:
        if batch.checked or refusal.code != ErrorCode.VALIDATION.value:
            raise
        checked = prepare_batch(device, batch.entries)
        if not checked.held_back:
            raise
    return checked, client.push_json(checked.body) if checked.entries else None


def _pull(
    client: SyncClient,
    workspace: SyncWorkspace,
    page_size: int,
    initials: Initials | None,
    summary: SyncSummary,
    progress: Callable[[SyncProgress], None] | None,
    cancel: Cancel | None,
) -> None:
    # One session for the whole pull, on one connection with a small page cache (``bulk_session``); each page
    # and its cursor commit on their own, so a cut leaves the laptop at a page boundary.
    with workspace.db.bulk_session() as session:
        resync = get_cursor(session, RESYNC_MARK) is not None
        since = 0 if resync else int(get_cursor(session, CHANGES_CURSOR) or 0)
        session.commit()  # no transaction stays open while a page is fetched (the window's writes go on)
        seen: dict[str, set[str]] = {}
        # One page ahead: the next page is fetched and parsed while this one is written.
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="pull-ahead") as ahead:
            upcoming: Future[ChangesPage] | None = None
            while True:
                _check(cancel)
                try:
                    page = upcoming.result() if upcoming is not None else client.changes(since, page_size)
                except CursorExpired:
                    if since == 0:
                        raise
                    set_cursor(session, RESYNC_MARK, "1")
                    set_cursor(session, CHANGES_CURSOR, "0")
                    session.commit()
                    resync, since, seen, upcoming = True, 0, {}, None
                    summary.full_resync = True
                    continue
                upcoming = ahead.submit(client.changes, page.next_since, page_size) if page.has_more else None
                summary.received += apply_page(session, page, initials=initials)
                session.commit()
                if resync:
                    for row in page.rows:
                        if row.op == "upsert":
                            seen.setdefault(row.entity, set()).add(row.entity_id)
                _report(progress, "pull", summary.received, None, f"已接收 {summary.received} 条")
                since = page.next_since
                if upcoming is None:
                    break
        if resync:
            prune_after_resync(session, seen)
            set_cursor(session, RESYNC_MARK, None)


@dataclass(frozen=True)
class _Connection:
    server_url: str
    user: str
    token: str


def _connect(
    workspace: SyncWorkspace, password: str | None, username: str | None, client_factory: ClientFactory
) -> _Connection:
    """The server, the user and a token: the stored one, or a new one from signing in with ``password``."""
    with workspace.db.session() as session:
        server_url = _server(session)
        user = username or get_cursor(session, USER_CURSOR)
    token = credentials.load_token(server_url, user) if user else None
    if token is None or not user:
        if password is None or not user:
            reason = "" if credentials.secure_store_available() else credentials.NO_SECURE_STORE
            raise PasswordRequired(("请输入用户名和密码登录服务器。" + reason).strip(), "password_required")
        token = sign_in(workspace, user, password, client_factory=client_factory)
    return _Connection(server_url, user, token)


def _apply_policy(
    client: SyncClient, workspace: SyncWorkspace, retention: Retention | None, summary: SyncSummary
) -> None:
    """Store the office's retention period; archive what it allows once push and pull have both succeeded."""
    days = client.policy().retention_days or 0
    with workspace.db.session() as session:
        save_settings(session, retention_days=days)
    summary.retention_days = days or None
    if retention is not None:  # with no period it archives nothing, but still finishes removals cut short
        summary.archived = retention(days)


def sync(
    workspace: SyncWorkspace,
    progress: Callable[[SyncProgress], None] | None = None,
    cancel: Cancel | None = None,
    *,
    password: str | None = None,
    username: str | None = None,
    batch_size: int = PUSH_BATCH,
    page_size: int = 1000,
    initials: Initials | None = None,
    retention: Retention | None = None,
    client_factory: ClientFactory = _default_client,
) -> SyncSummary:
    """Push the outbox and pull the feed; raises :class:`SyncError` (plain words) when it cannot finish.

    ``password`` is needed when no token is stored (first sync, a revoked token, or no secure keyring).
    ``initials`` computes an enterprise's pinyin initials for search, ``retention`` archives what the office's
    retention period allows (the caller passes the audit layer's, which this layer may not import).
    """
    summary = SyncSummary()
    try:
        with workspace.db.session() as session:
            device = device_id(session)
        connection = _connect(workspace, password, username, client_factory)
        server_url, user, token = connection.server_url, connection.user, connection.token
        _report(progress, "connect", 0, None, "正在连接服务器")
        with client_factory(server_url, token) as client:
            info = client.info()
            if info.min_client_version > PROTOCOL_VERSION:
                raise ClientTooOld(
                    "本软件版本过旧，服务器已不再接受：请先更新“劳动用工法治体检”，再进行同步。", "client_too_old", 426
                )
            try:
                _push(client, workspace, device, batch_size, summary, progress, cancel, info)
            except SignInRequired:
                credentials.forget_token(server_url, user or "")
                raise
            _pull(client, workspace, page_size, initials, summary, progress, cancel)
            _report_unusable_templates(client, workspace)
            _check(cancel)
            _apply_policy(client, workspace, retention, summary)
    except LaborCheckError as error:
        _record_error(workspace, str(error))
        raise
    with workspace.db.session() as session:
        set_cursor(session, LAST_SUCCESS, dt.datetime.now(dt.UTC).isoformat())
        set_cursor(session, LAST_ERROR, "；".join(summary.errors)[:ERROR_LIMIT] or None)
        summary.unusable_templates = [entry.message for entry in unusable_templates(session)]
    _report(progress, "done", 1, 1, "同步完成")
    return summary


@dataclass(frozen=True)
class UnusableTemplate:
    """A published template version this laptop does not use, and the version it keeps using instead."""

    module: str
    version: int
    reason: str
    kept_version: int | None
    reported: bool

    @property
    def message(self) -> str:
        kept = f"本机继续使用第 {self.kept_version} 版" if self.kept_version else "本机没有该检查表的其他版本"
        told = "已报告区办" if self.reported else "将在下次同步时报告区办"
        return f"检查表 {self.module} 第 {self.version} 版无法使用，{kept}，{told}（原因：{self.reason}）"


def _note_unusable_stored(session: Session) -> None:
    """Stored versions that fail the checks (taken before laptops checked what they receive) are noted too."""
    rows = session.execute(
        select(Template.id, Template.module, Template.version, Template.content_hash).order_by(
            Template.module, Template.version.desc()
        )
    ).all()
    settled: set[str] = set()
    for row_id, module, version, digest in rows:
        if module in settled:
            continue
        if row_id in _CHECKED_USABLE:
            settled.add(module)
            continue
        template = session.get_one(Template, row_id)
        problems = [str(problem) for problem in check_snapshot(template.content)]
        if problems:
            note_unusable_template(session, module, version, digest, problems)
        else:
            _CHECKED_USABLE.add(row_id)
            settled.add(module)


_CHECKED_USABLE: set[str] = set()
"""Stored template rows already found usable (a stored version never changes)."""


def _kept_version(session: Session, module: str) -> int | None:
    """The newest stored version of the module that was not refused: the one visits use."""
    refused = select(TemplateRejection.content_hash).where(TemplateRejection.module == module)
    return session.scalar(
        select(func.max(Template.version)).where(Template.module == module, Template.content_hash.not_in(refused))
    )


def unusable_templates(session: Session) -> list[UnusableTemplate]:
    """The template versions this laptop refused and has no newer version for: the sync page and the CLI say so."""
    found: list[UnusableTemplate] = []
    for rejection in session.scalars(select(TemplateRejection).order_by(TemplateRejection.module)):
        newest = _kept_version(session, rejection.module)
        if newest is not None and newest > rejection.version:
            continue  # a newer version has arrived since
        found.append(
            UnusableTemplate(
                module=rejection.module,
                version=rejection.version,
                reason=rejection.reason,
                kept_version=newest,
                reported=rejection.reported_at is not None,
            )
        )
    return found


def _report_unusable_templates(client: SyncClient, workspace: SyncWorkspace) -> None:
    """Tell the office about each refused version once; one that cannot be sent now is sent at a later sync."""
    with workspace.db.session() as session:
        _note_unusable_stored(session)
    with workspace.db.session() as session:
        pending = session.scalars(select(TemplateRejection).where(TemplateRejection.reported_at.is_(None))).all()
        for rejection in pending:
            kept = _kept_version(session, rejection.module)
            try:
                report = TemplateProblemReport(
                    module=rejection.module,
                    version=rejection.version,
                    content_hash=rejection.content_hash,
                    reason=rejection.reason[:2000],
                    kept_version=kept,
                )
            except ValueError:
                continue  # nothing the server could recognise (a malformed feed row): shown here only
            try:
                client.report_template_problem(report)
            except SyncError as error:
                if error.code in (ErrorCode.NOT_FOUND, ErrorCode.VALIDATION):
                    continue  # a server without this template (or this route): try again at the next sync
                raise
            rejection.reported_at = dt.datetime.now(dt.UTC)


def pull_back(
    workspace: SyncWorkspace,
    audit_id: str,
    restore: Callable[[AuditRecords, Callable[[str], bytes]], T],
    *,
    password: str | None = None,
    username: str | None = None,
    client_factory: ClientFactory = _default_client,
) -> T:
    """Fetch the server's copy of one audit and hand it to ``restore`` with a blob fetcher for that audit.

    ``restore`` (``app.audit.retention.restore_from_server``) writes it back; this layer only talks to the server.
    """
    connection = _connect(workspace, password, username, client_factory)
    with client_factory(connection.server_url, connection.token) as client:
        try:
            records = client.audit_records(audit_id)
        except SignInRequired:
            credentials.forget_token(connection.server_url, connection.user)
            raise
        return restore(records, lambda sha: client.audit_blob(audit_id, sha))


def _record_error(workspace: SyncWorkspace, message: str) -> None:
    with workspace.db.session() as session:
        set_cursor(session, LAST_ERROR, message[:ERROR_LIMIT])


@dataclass(frozen=True)
class ConflictEntry:
    """One conflict-log row as the sync panel lists it."""

    id: str
    entity: str
    entity_id: str
    label: str
    field: str
    local_value: str | None
    server_value: str | None
    resolution: str
    created_at: dt.datetime


ENTITY_LABELS = {
    "enterprise": "企业",
    "template": "检查表",
    "campaign": "专项行动",
    "audit": "体检",
    "publication": "区办发布的资料",
}


def conflicts_to_review(session: Session, limit: int = 500) -> list[ConflictEntry]:
    """Conflict-log rows nobody has reviewed yet, oldest first; an enterprise is named by its current name."""
    rows = session.scalars(
        select(ConflictLog).where(ConflictLog.reviewed_at.is_(None)).order_by(ConflictLog.created_at).limit(limit)
    ).all()
    enterprise_ids = {row.entity_id for row in rows if row.entity == "enterprise"}
    names: dict[str, str] = {}
    if enterprise_ids:
        query = select(Enterprise.id, Enterprise.name).where(Enterprise.id.in_(enterprise_ids))
        names = {enterprise_id: name for enterprise_id, name in session.execute(query)}
    entries = []
    for row in rows:
        kind = ENTITY_LABELS.get(row.entity, row.entity)
        name = names.get(row.entity_id)
        entries.append(
            ConflictEntry(
                id=row.id,
                entity=row.entity,
                entity_id=row.entity_id,
                label=f"{kind}：{name}" if name else f"{kind} {row.entity_id[:8]}",
                field=row.field,
                local_value=row.local_value,
                server_value=row.server_value,
                resolution=row.resolution,
                created_at=row.created_at,
            )
        )
    return entries


def mark_reviewed(session: Session, conflict_ids: list[str], now: dt.datetime | None = None) -> int:
    """The user has read these conflicts: stamp ``reviewed_at`` (already reviewed rows keep their stamp)."""
    if not conflict_ids:
        return 0
    when = now or dt.datetime.now(dt.UTC)
    rows = session.scalars(
        select(ConflictLog).where(ConflictLog.id.in_(conflict_ids), ConflictLog.reviewed_at.is_(None))
    ).all()
    for row in rows:
        row.reviewed_at = when
    return len(rows)


@dataclass(frozen=True)
class ProbeResult:
    """A cheap look at the server: reachable at all, and whether it still accepts this client."""

    reachable: bool
    client_too_old: bool = False
    message: str = ""


PROBE_TIMEOUT = 3.0


def probe(
    server_url: str, *, timeout: float = PROBE_TIMEOUT, client_factory: ClientFactory | None = None
) -> ProbeResult:
    """GET the server's unauthenticated ``/info`` with a short timeout; never raises, never signs in or syncs.

    The caller probes only an address the user has consented to (the panel checks ``server_consent`` first).
    """
    if not server_url:
        return ProbeResult(False, message="尚未设置服务器地址")
    try:
        client = (
            client_factory(server_url, None) if client_factory is not None else SyncClient(server_url, timeout=timeout)
        )
        with client:
            info = client.info()
    except ClientTooOld as error:
        return ProbeResult(True, client_too_old=True, message=str(error))
    except SyncError as error:
        return ProbeResult(False, message=str(error))
    if info.min_client_version > PROTOCOL_VERSION:
        return ProbeResult(True, client_too_old=True, message=UPDATE_MESSAGE)
    return ProbeResult(True)


def sync_status(session: Session) -> SyncStatus:
    """What the sync panel shows: last success, pending changes, conflicts to review, the last error."""
    settings = load_settings(session)
    last = get_cursor(session, LAST_SUCCESS)
    conflicts = session.scalar(select(func.count()).select_from(ConflictLog).where(ConflictLog.reviewed_at.is_(None)))
    return SyncStatus(
        server_url=settings.server_url,
        consent=settings.server_consent,
        last_success=dt.datetime.fromisoformat(last) if last else None,
        pending=pending_count(session),
        unreviewed_conflicts=int(conflicts or 0),
        last_error=get_cursor(session, LAST_ERROR),
        retention_days=settings.retention_days,
        archived=int(
            session.scalar(select(func.count()).select_from(ArchivedAudit).where(ArchivedAudit.current())) or 0
        ),
        unusable_templates=tuple(unusable_templates(session)),
    )


__all__ = [
    "ConflictEntry",
    "NotConfigured",
    "PasswordRequired",
    "ProbeResult",
    "SyncCancelled",
    "SyncProgress",
    "SyncStatus",
    "SyncSummary",
    "SyncWorkspace",
    "UnusableTemplate",
    "conflicts_to_review",
    "device_id",
    "mark_reviewed",
    "probe",
    "pull_back",
    "sign_in",
    "sync",
    "sync_status",
    "unusable_templates",
]
