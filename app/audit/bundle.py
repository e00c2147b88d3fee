"""Export one audit as a self-contained bundle, and import a bundle — all or nothing, idempotently.

The format itself (models, JSON, schema) is in :mod:`app.audit.bundle_format`, the checks that need no database
in :mod:`app.audit.bundle_checks`; this module moves audits between the database and that format.
``docs/audit-bundle.md`` explains both for people outside the code.

Import promises:

* **Validated before anything is written.** The schema, then every internal reference (each answer, finding,
  item, notice and attachment belongs to the audit; an item's finding, a notice's superseded notice and an item's
  follow-up are in the bundle; every blob hash used is listed in ``blobs``), then the database (template versions
  by (module, version, content_hash), the enterprise by 统一社会信用代码, ids that belong to another audit, signed
  notices that would change), then the blob store when one is given. A problem is a :class:`BundleRejected`
  naming the JSON path.
* **No partial write.** The writes run inside a SAVEPOINT of the caller's transaction: if anything fails, the
  database is as it was before the call, and the caller's own earlier work in the transaction is untouched. The
  caller commits.
* **Idempotent.** Rows keep the bundle's ids, so importing the same bundle again changes nothing. A bundle of
  the same audit that is at least as new (audit and item versions) replaces the local rows of that audit; an
  older one is refused, so newer local work is never overwritten. Signed notices are never changed, except from
  signed to voided.
* **History is append-only.** Change-history rows are inserted when missing and never updated or deleted
  (the database refuses both); rows already here that the bundle lacks stay.
* **Lossless.** Export → JSON → import into an empty database → export gives an equal bundle (but for
  ``exported_at``).

Shared reference data is looked up, never overwritten: an enterprise already registered under the code keeps its
registry fields (the audit's ``enterprise_facts`` keep what the coordinator saw); a known coordinator or campaign
is left as it is. One that is unknown here is created from the bundle; a coordinator first known from a bundle is
recorded inactive, since it is not this laptop's user.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ValidationError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from app.audit.bundle_checks import check_blob_store, check_references, notice_order
from app.audit.bundle_format import (
    FORMAT,
    FORMAT_VERSION,
    AuditBundle,
    BundleAnswer,
    BundleAttachment,
    BundleAudit,
    BundleBlob,
    BundleCampaign,
    BundleChangeHistory,
    BundleCoordinator,
    BundleEnterprise,
    BundleFinding,
    BundleFollowUp,
    BundleModule,
    BundleNotice,
    BundleRectificationItem,
    BundleRejected,
    BundleTemplate,
    BundleWageCheck,
    bundle_to_json,
    json_schema,
    json_schema_text,
    parse_bundle,
    write_json_schema,
)
from app.audit.enterprises import name_initials
from app.audit.retention import archived_stub
from app.audit.risk import refresh_grade
from app.audit.uscc import InvalidUSCC, validate_uscc
from app.checklists.loader import content_hash
from app.models import (
    Answer,
    Attachment,
    Audit,
    AuditModule,
    Blob,
    Campaign,
    ChangeHistory,
    Coordinator,
    Enterprise,
    Finding,
    FollowUp,
    Notice,
    NoticeStatus,
    RectificationItem,
    Template,
    WageCheck,
    utcnow,
)
from app.models.base import Base
from app.storage.blobstore import ContentStore
from core.errors import LaborCheckError


class AuditArchived(LaborCheckError):
    """The audit is a retention stub here: a bundle of it, or over it, would lose the answers the server holds."""

    def __init__(self) -> None:
        super().__init__("这次体检在本机只保留了摘要（已按保留期限清理答案和照片）：请先从服务器取回，再导出或导入。")


class AuditNotExportable(LaborCheckError):
    """Local data that the bundle format does not allow (a bug upstream, or data from an older release)."""


class AuditNotFound(LaborCheckError):
    def __init__(self, audit_id: str) -> None:
        super().__init__("找不到要导出的体检记录，可能已被删除。")
        self.audit_id = audit_id


@dataclass(frozen=True)
class ImportResult:
    """What an import did. ``outcome`` is ``created`` (new audit here), ``updated`` or ``unchanged``."""

    audit_id: str
    enterprise_id: str
    outcome: Literal["created", "updated", "unchanged"]
    rows: dict[str, int] = field(default_factory=dict)
    """Rows inserted or changed, by table."""


_R = TypeVar("_R", bound=BaseModel)


def _record(model: type[_R], row: object, **extra: Any) -> _R:
    """A bundle record from a database row: every field the record has that is not given in ``extra``."""
    values = {name: getattr(row, name) for name in model.model_fields if name not in extra}
    return model.model_validate({**values, **extra})


# --- export ----------------------------------------------------------------------------------------------------


def export_audit(session: Session, audit_id: str, *, exported_at: dt.datetime | None = None) -> AuditBundle:
    """The complete bundle of one audit. Lists are in a stable order (by id, or position), so equal audits give
    equal bundles. Raises :class:`AuditNotFound`, or :class:`AuditNotExportable` for data the format refuses."""
    try:
        return _export(session, audit_id, exported_at or utcnow())
    except ValidationError as error:
        first = error.errors(include_url=False)[0]
        where = f"{error.title}.{'.'.join(str(part) for part in first['loc'])}"
        raise AuditNotExportable(
            f"本机的体检记录中有不符合数据包格式的数据（{where}：{first['msg']}），无法导出。"
        ) from None


def _export(session: Session, audit_id: str, exported_at: dt.datetime) -> AuditBundle:
    audit = session.get(Audit, audit_id)
    if audit is None:
        raise AuditNotFound(audit_id)
    if archived_stub(session, audit_id) is not None:
        raise AuditArchived
    coordinator = session.get_one(Coordinator, audit.coordinator_id)
    enterprise = session.get_one(Enterprise, audit.enterprise_id)
    campaign = session.get(Campaign, audit.campaign_id) if audit.campaign_id else None

    module_rows = session.execute(
        select(AuditModule, Template)
        .join(Template, Template.id == AuditModule.template_id)
        .where(AuditModule.audit_id == audit_id)
        .order_by(AuditModule.position, AuditModule.id)
    ).all()
    modules = [
        _record(BundleModule, module, template=_record(BundleTemplate, template)) for module, template in module_rows
    ]
    answers = session.scalars(select(Answer).where(Answer.audit_id == audit_id).order_by(Answer.id)).all()
    findings = session.scalars(
        select(Finding).where(Finding.audit_id == audit_id).order_by(Finding.position, Finding.id)
    ).all()
    items = session.scalars(
        select(RectificationItem).where(RectificationItem.audit_id == audit_id).order_by(RectificationItem.id)
    ).all()
    follow_up_ids = sorted({item.follow_up_id for item in items if item.follow_up_id})
    follow_ups = session.scalars(select(FollowUp).where(FollowUp.id.in_(follow_up_ids)).order_by(FollowUp.id)).all()
    notices = session.scalars(select(Notice).where(Notice.audit_id == audit_id).order_by(Notice.id)).all()
    attachments = session.scalars(
        select(Attachment).where(Attachment.audit_id == audit_id).order_by(Attachment.id)
    ).all()
    wage_checks = session.scalars(select(WageCheck).where(WageCheck.audit_id == audit_id).order_by(WageCheck.id)).all()
    hashes = (
        {attachment.sha256 for attachment in attachments}
        | {
            sha
            for notice in notices
            for sha in (notice.coordinator_signature_sha256, notice.enterprise_signature_sha256, notice.pdf_sha256)
            if sha
        }
        | {check.evidence_sha256 for check in wage_checks}
    )
    blobs = session.scalars(select(Blob).where(Blob.sha256.in_(sorted(hashes))).order_by(Blob.sha256)).all()
    history = session.scalars(
        select(ChangeHistory)
        .where(ChangeHistory.audit_id == audit_id)
        .order_by(ChangeHistory.changed_at, ChangeHistory.id)
    ).all()

    return AuditBundle(
        format=FORMAT,
        format_version=FORMAT_VERSION,
        exported_at=exported_at,
        coordinator=_record(BundleCoordinator, coordinator),
        enterprise=_record(BundleEnterprise, enterprise),
        campaign=_record(BundleCampaign, campaign) if campaign else None,
        audit=_record(BundleAudit, audit, modules=modules),
        answers=[_record(BundleAnswer, row) for row in answers],
        findings=[_record(BundleFinding, row) for row in findings],
        rectification_items=[_record(BundleRectificationItem, row) for row in items],
        follow_ups=[
            _record(
                BundleFollowUp,
                row,
                coordinator=_record(BundleCoordinator, session.get_one(Coordinator, row.coordinator_id)),
            )
            for row in follow_ups
        ],
        notices=[_record(BundleNotice, row) for row in notices],
        attachments=[_record(BundleAttachment, row) for row in attachments],
        blobs=[_record(BundleBlob, row) for row in blobs],
        change_history=[_record(BundleChangeHistory, row) for row in history],
        wage_checks=[_record(BundleWageCheck, row) for row in wage_checks],
    )


def copy_blobs(bundle: AuditBundle, source: ContentStore, target: ContentStore) -> int:
    """Copy the bundle's blobs that ``target`` lacks (verified on read); how many were copied.

    This is how blob bytes travel: ``audit export`` copies them from the data directory's store into a store
    beside the JSON file (``FILE.blobs/``), ``audit import`` copies them back before importing.
    """
    copied = 0
    for blob in bundle.blobs:
        if not target.has(blob.sha256):
            target.put(source.get(blob.sha256))
            copied += 1
    return copied


# --- planning against the database ------------------------------------------------------------------------------


@dataclass
class _Plan:
    outcome: Literal["created", "updated", "unchanged"]
    enterprise_id: str
    enterprise_uscc: str
    """The code normalised (what is stored when the enterprise is created here)."""
    enterprise_new: bool
    template_ids: dict[tuple[str, int], str | None]
    """Existing template row per (module, version); ``None`` where it must be created."""


def _owned_view(bundle: AuditBundle) -> dict[str, Any]:
    """What an import writes for the audit: everything but shared reference data it would not overwrite."""
    view = bundle.model_dump(
        mode="json", exclude={"exported_at", "enterprise", "coordinator", "campaign", "follow_ups"}
    )
    view["enterprise_uscc"] = bundle.enterprise.uscc
    view["coordinator_id"] = bundle.coordinator.id
    view["campaign_id"] = bundle.campaign.id if bundle.campaign else None
    view["follow_ups"] = [
        follow_up.model_dump(mode="json", exclude={"coordinator"}) | {"coordinator_id": follow_up.coordinator.id}
        for follow_up in bundle.follow_ups
    ]
    return view


def _foreign_ids(session: Session, model: type[Base], ids: Sequence[str], audit_id: str, path: str) -> None:
    """Refuse ids that already exist here under another audit (a collision, never a merge)."""
    if not ids:
        return
    id_column = model.__table__.c.id
    audit_column = model.__table__.c.audit_id
    clash = session.execute(
        select(id_column).where(id_column.in_(ids), audit_column.is_distinct_from(audit_id)).limit(1)
    ).scalar_one_or_none()
    if clash is not None:
        raise BundleRejected(f"{path}[{list(ids).index(clash)}].id", f"编号 {clash} 在本机已属于另一次体检")


def _plan(session: Session, bundle: AuditBundle) -> _Plan:
    try:
        uscc = validate_uscc(bundle.enterprise.uscc)
    except InvalidUSCC as error:
        raise BundleRejected("$.enterprise.uscc", str(error)) from None
    enterprise = session.scalars(select(Enterprise).where(Enterprise.uscc == uscc)).one_or_none()
    if enterprise is None:
        holder = session.get(Enterprise, bundle.enterprise.id)
        if holder is not None:
            raise BundleRejected("$.enterprise.id", f"本机已有同一编号的企业“{holder.name}”，但统一社会信用代码不同")

    template_ids: dict[tuple[str, int], str | None] = {}
    for index, module in enumerate(bundle.audit.modules):
        template = module.template
        path = f"$.audit.modules[{index}].template"
        if content_hash(template.content) != template.content_hash:
            raise BundleRejected(f"{path}.content_hash", "模板内容与其哈希值不符，文件可能被改动或损坏")
        row = session.scalars(
            select(Template).where(Template.module == template.module, Template.version == template.version)
        ).one_or_none()
        if row is not None and row.content_hash != template.content_hash:
            raise BundleRejected(
                f"{path}.content_hash",
                f"检查表 {template.module} 第 {template.version} 版与本机同版本的内容不同"
                f"（数据包 {template.content_hash[:12]}…，本机 {row.content_hash[:12]}…），无法确认体检所用的检查表",
            )
        template_ids[(template.module, template.version)] = row.id if row else None

    audit_id = bundle.audit.id
    _foreign_ids(session, Answer, [a.id for a in bundle.answers], audit_id, "$.answers")
    _foreign_ids(session, Finding, [f.id for f in bundle.findings], audit_id, "$.findings")
    _foreign_ids(
        session, RectificationItem, [i.id for i in bundle.rectification_items], audit_id, "$.rectification_items"
    )
    _foreign_ids(session, Notice, [n.id for n in bundle.notices], audit_id, "$.notices")
    _foreign_ids(session, Attachment, [a.id for a in bundle.attachments], audit_id, "$.attachments")
    _foreign_ids(session, AuditModule, [m.id for m in bundle.audit.modules], audit_id, "$.audit.modules")
    _foreign_ids(session, ChangeHistory, [h.id for h in bundle.change_history], audit_id, "$.change_history")
    _foreign_ids(session, WageCheck, [c.id for c in bundle.wage_checks], audit_id, "$.wage_checks")

    local = session.get(Audit, audit_id)
    enterprise_id = enterprise.id if enterprise else bundle.enterprise.id
    if local is not None and local.enterprise_id != enterprise_id:
        raise BundleRejected("$.audit.id", "本机已有同一编号的体检记录，但属于另一家企业")
    for index, follow_up in enumerate(bundle.follow_ups):
        existing = session.get(FollowUp, follow_up.id)
        if existing is not None and existing.enterprise_id != enterprise_id:
            raise BundleRejected(f"$.follow_ups[{index}].id", "本机已有同一编号的复查记录，但属于另一家企业")
    _check_notice_numbers(session, bundle)
    plan = _Plan("created", enterprise_id, uscc, enterprise is None, template_ids)
    if local is None:
        return plan
    if _owned_view(export_audit(session, audit_id)) == _owned_view(bundle):
        plan.outcome = "unchanged"
        return plan
    _refuse_older(session, bundle, local)
    _check_notice_changes(session, bundle)
    plan.outcome = "updated"
    return plan


def _check_notice_numbers(session: Session, bundle: AuditBundle) -> None:
    for index, notice in enumerate(bundle.notices):
        holder = session.scalars(select(Notice).where(Notice.number == notice.number)).one_or_none()
        if holder is not None and holder.id != notice.id:
            raise BundleRejected(f"$.notices[{index}].number", f"文号 {notice.number} 在本机已被另一份通知书使用")


def _refuse_older(session: Session, bundle: AuditBundle, local: Audit) -> None:
    if local.version > bundle.audit.version:
        raise BundleRejected(
            "$.audit.version",
            f"本机的这次体检记录更新（本机第 {local.version} 版，数据包第 {bundle.audit.version} 版），为免覆盖未导入",
        )
    versions = {
        item_id: version
        for item_id, version in session.execute(
            select(RectificationItem.id, RectificationItem.version).where(RectificationItem.audit_id == local.id)
        )
    }
    for index, item in enumerate(bundle.rectification_items):
        mine = versions.get(item.id)
        if mine is not None and mine > item.version:
            raise BundleRejected(
                f"$.rectification_items[{index}].version",
                f"本机的这项整改记录更新（本机第 {mine} 版，数据包第 {item.version} 版），为免覆盖未导入",
            )


_NOTICE_FROZEN = tuple(name for name in BundleNotice.model_fields if name not in ("status", "voided_at", "void_reason"))


def _check_notice_changes(session: Session, bundle: AuditBundle) -> None:
    """A signed notice is what the enterprise holds on paper: it may only become voided, and never disappear."""
    incoming = {notice.id: (index, notice) for index, notice in enumerate(bundle.notices)}
    for local in session.scalars(select(Notice).where(Notice.audit_id == bundle.audit.id)):
        if local.status is NoticeStatus.DRAFT:
            continue
        if local.id not in incoming:
            raise BundleRejected("$.notices", f"缺少本机已签署的通知书 {local.number}，已签署的通知书不能删除")
        index, notice = incoming[local.id]
        mine = _record(BundleNotice, local)
        if mine == notice:
            continue
        same_text = all(getattr(mine, name) == getattr(notice, name) for name in _NOTICE_FROZEN)
        if not (same_text and local.status is NoticeStatus.SIGNED and notice.status is NoticeStatus.VOIDED):
            raise BundleRejected(f"$.notices[{index}]", f"通知书 {local.number} 已签署，内容不能更改（只能作废）")


# --- writing ----------------------------------------------------------------------------------------------------


class _Writer:
    """Upserts rows by primary key, counting what changed. ``updated_at`` is taken from the bundle, not now."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.rows: Counter[str] = Counter()

    def upsert(self, model: type[Base], values: dict[str, Any], key: object) -> None:
        table = str(model.__tablename__)
        row = self.session.get(model, key)
        if row is None:
            self.session.add(model(**values))
            self.rows[table] += 1
            return
        changed = False
        for name, value in values.items():
            if getattr(row, name) != value:
                setattr(row, name, value)
                changed = True
        if changed:
            if "updated_at" in values:
                flag_modified(row, "updated_at")
            self.rows[table] += 1

    def create_missing(self, model: type[Base], values: dict[str, Any], key: object) -> None:
        if self.session.get(model, key) is None:
            self.session.add(model(**values))
            self.rows[str(model.__tablename__)] += 1


def _ensure_outer_transaction(session: Session) -> None:
    """Make sure the SAVEPOINT is nested in a real transaction.

    pysqlite (in its default mode) opens a transaction only at the first data-changing statement, so a SAVEPOINT
    issued before one *is* the outermost transaction and releasing it would commit — behind the caller's back.
    Beginning explicitly when the driver is not yet in a transaction keeps the caller in charge of the commit.
    """
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        return
    driver = connection.connection.driver_connection
    if driver is not None and not driver.in_transaction:
        connection.exec_driver_sql("BEGIN")


def _write(session: Session, bundle: AuditBundle, plan: _Plan) -> Counter[str]:
    writer = _Writer(session)
    audit_id = bundle.audit.id
    coordinators = {c.id: c for c in [bundle.coordinator, *(f.coordinator for f in bundle.follow_ups)]}
    for coordinator in coordinators.values():
        writer.create_missing(Coordinator, coordinator.model_dump() | {"is_active": False}, coordinator.id)
    if plan.enterprise_new:
        facts = bundle.enterprise.model_dump() | {"uscc": plan.enterprise_uscc}
        writer.create_missing(Enterprise, facts | {"name_initials": name_initials(facts["name"])}, facts["id"])
    if bundle.campaign is not None:
        writer.create_missing(Campaign, bundle.campaign.model_dump(), bundle.campaign.id)
    template_ids: dict[tuple[str, int], str] = {}
    for module in bundle.audit.modules:
        key = (module.template.module, module.template.version)
        existing = plan.template_ids[key]
        if existing is None:
            row = Template(**module.template.model_dump())
            session.add(row)
            session.flush()
            writer.rows["template"] += 1
            existing = row.id
        template_ids[key] = existing
    for blob in bundle.blobs:
        writer.create_missing(Blob, blob.model_dump(), blob.sha256)
    session.flush()

    if plan.outcome == "updated":
        _delete_missing(session, bundle, writer)

    audit_values = bundle.audit.model_dump(exclude={"modules"}) | {
        "enterprise_id": plan.enterprise_id,
        "coordinator_id": bundle.coordinator.id,
        "campaign_id": bundle.campaign.id if bundle.campaign else None,
    }
    writer.upsert(Audit, audit_values, audit_id)
    session.flush()
    for module in bundle.audit.modules:
        values = module.model_dump(exclude={"template"}) | {
            "audit_id": audit_id,
            "template_id": template_ids[(module.template.module, module.template.version)],
        }
        writer.upsert(AuditModule, values, module.id)
    for answer in bundle.answers:
        writer.upsert(Answer, answer.model_dump(), answer.id)
    for finding in bundle.findings:
        writer.upsert(Finding, finding.model_dump(), finding.id)
    for follow_up in bundle.follow_ups:
        values = follow_up.model_dump(exclude={"coordinator"}) | {
            "enterprise_id": plan.enterprise_id,
            "coordinator_id": follow_up.coordinator.id,
        }
        writer.upsert(FollowUp, values, follow_up.id)
    session.flush()
    for item in bundle.rectification_items:
        writer.upsert(RectificationItem, item.model_dump() | {"enterprise_id": plan.enterprise_id}, item.id)
    for notice in notice_order(bundle.notices):
        writer.upsert(Notice, notice.model_dump(), notice.id)
        session.flush()
    for attachment in bundle.attachments:
        writer.upsert(Attachment, attachment.model_dump(), attachment.id)
    for check in bundle.wage_checks:
        writer.upsert(WageCheck, check.model_dump(), check.id)
    for entry in bundle.change_history:  # append-only: a row already here is never rewritten
        writer.create_missing(ChangeHistory, entry.model_dump(), entry.id)
    session.flush()
    return writer.rows


def _delete_missing(session: Session, bundle: AuditBundle, writer: _Writer) -> None:
    """On update, rows of this audit that the newer bundle no longer has are deleted, children first.

    Deleted through the ORM (not bulk statements) so the outbox records each deletion for sync.
    """
    keep: list[tuple[type[Base], list[str]]] = [
        (WageCheck, [c.id for c in bundle.wage_checks]),
        (Attachment, [a.id for a in bundle.attachments]),
        (Notice, [n.id for n in bundle.notices]),
        (RectificationItem, [i.id for i in bundle.rectification_items]),
        (Finding, [f.id for f in bundle.findings]),
        (Answer, [a.id for a in bundle.answers]),
        (AuditModule, [m.id for m in bundle.audit.modules]),
    ]
    for model, ids in keep:
        columns = model.__table__.c
        stale = session.scalars(select(model).where(columns.audit_id == bundle.audit.id, columns.id.not_in(ids))).all()
        for row in stale:
            session.delete(row)
        if stale:
            writer.rows[f"{model.__tablename__}_deleted"] += len(stale)
            session.flush()


def validate_bundle(session: Session, bundle: AuditBundle) -> None:
    """Everything :func:`import_bundle` checks before it writes, reading only: run it before anything is copied
    (the blob files), so a refused bundle leaves no trace. Raises :class:`BundleRejected`."""
    if archived_stub(session, bundle.audit.id) is not None:
        raise AuditArchived
    check_references(bundle)
    _plan(session, bundle)


def import_bundle(
    session: Session,
    bundle: AuditBundle | bytes | str,
    *,
    blob_store: ContentStore | None,
    today: dt.date | None = None,
) -> ImportResult:
    """Import one audit bundle into the caller's transaction (the caller commits).

    ``blob_store``, when given, must already hold every blob the bundle lists (copy them first with
    :func:`copy_blobs`); without one, rows are imported and the files can follow by sync. The enterprise's risk
    grade is recomputed for ``today`` (default: the local date). Raises :class:`BundleRejected` — and then the
    database is exactly as before the call.
    """
    parsed = bundle if isinstance(bundle, AuditBundle) else parse_bundle(bundle)
    if archived_stub(session, parsed.audit.id) is not None:
        raise AuditArchived
    check_references(parsed)
    if blob_store is not None:
        check_blob_store(parsed, blob_store)
    plan = _plan(session, parsed)
    if plan.outcome == "unchanged":
        return ImportResult(parsed.audit.id, plan.enterprise_id, "unchanged", {})
    _ensure_outer_transaction(session)
    try:
        with session.begin_nested():
            rows = _write(session, parsed, plan)
            refresh_grade(session, plan.enterprise_id, today or dt.date.today())
            session.flush()
    except IntegrityError as error:
        raise BundleRejected("$", f"数据与本机已有记录冲突，数据库拒绝写入（{error.orig}）") from None
    return ImportResult(parsed.audit.id, plan.enterprise_id, plan.outcome, dict(rows))


__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "AuditArchived",
    "AuditBundle",
    "AuditNotExportable",
    "AuditNotFound",
    "BundleRejected",
    "ImportResult",
    "bundle_to_json",
    "check_references",
    "copy_blobs",
    "export_audit",
    "import_bundle",
    "json_schema",
    "json_schema_text",
    "parse_bundle",
    "validate_bundle",
    "write_json_schema",
]
