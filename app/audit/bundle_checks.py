"""Checks of an audit bundle that need no database: internal references, notices, and the blob store.

Each problem is a :class:`BundleRejected` naming the JSON path, so the person holding the file can find it. These
run before anything is written (see :func:`app.audit.bundle.import_bundle`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from app.audit.bundle_format import (
    AuditBundle,
    BundleAnswer,
    BundleAttachment,
    BundleChangeHistory,
    BundleCoordinator,
    BundleFinding,
    BundleNotice,
    BundleRectificationItem,
    BundleRejected,
    BundleWageCheck,
)
from app.models import NoticeStatus
from app.storage.blobstore import BlobStoreError, ContentStore


def _unique(path: str, values: Iterable[str], what: str) -> None:
    seen: set[str] = set()
    for index, value in enumerate(values):
        if value in seen:
            raise BundleRejected(f"{path}[{index}]", f"{what} {value} 重复出现")
        seen.add(value)


def _template_items(bundle: AuditBundle) -> dict[str, tuple[int, frozenset[str]]]:
    """Each module's template version and the item ids its snapshot holds."""
    found: dict[str, tuple[int, frozenset[str]]] = {}
    for index, module in enumerate(bundle.audit.modules):
        content = module.template.content.get("module")
        items = content.get("items") if isinstance(content, dict) else None
        if not isinstance(items, list):
            raise BundleRejected(f"$.audit.modules[{index}].template.content", "检查表内容缺少检查项列表")
        ids = frozenset(str(item.get("id")) for item in items if isinstance(item, dict))
        found[module.module] = (module.template.version, ids)
    return found


def check_references(bundle: AuditBundle) -> None:
    """Every internal reference resolves and every row belongs to the bundle's audit, or :class:`BundleRejected`."""
    audit_id = bundle.audit.id
    modules = {module.module for module in bundle.audit.modules}
    _unique("$.audit.modules", (m.module for m in bundle.audit.modules), "检查模块")
    _unique("$.audit.modules", (m.id for m in bundle.audit.modules), "编号")
    for index, module in enumerate(bundle.audit.modules):
        if module.template.module != module.module:
            raise BundleRejected(f"$.audit.modules[{index}].template.module", "模板的模块代码与所属模块不一致")

    def belongs(
        path: str,
        rows: Sequence[
            BundleAnswer
            | BundleFinding
            | BundleRectificationItem
            | BundleNotice
            | BundleAttachment
            | BundleChangeHistory
            | BundleWageCheck
        ],
    ) -> None:
        _unique(path, (row.id for row in rows), "编号")
        for index, row in enumerate(rows):
            if row.audit_id != audit_id:
                raise BundleRejected(f"{path}[{index}].audit_id", f"不属于本次体检（{row.audit_id} ≠ {audit_id}）")

    belongs("$.answers", bundle.answers)
    belongs("$.findings", bundle.findings)
    belongs("$.rectification_items", bundle.rectification_items)
    belongs("$.notices", bundle.notices)
    belongs("$.attachments", bundle.attachments)
    belongs("$.change_history", bundle.change_history)
    belongs("$.wage_checks", bundle.wage_checks)
    _unique("$.answers", (a.item_id for a in bundle.answers), "检查项目")
    coded: tuple[tuple[str, Sequence[BundleAnswer | BundleFinding]], ...] = (
        ("$.answers", bundle.answers),
        ("$.findings", bundle.findings),
    )
    items = _template_items(bundle)
    for path, rows in coded:
        for index, row in enumerate(rows):
            if row.module not in modules:
                raise BundleRejected(f"{path}[{index}].module", f"模块 {row.module} 不在本次体检的检查模块中")
            version, item_ids = items[row.module]
            if row.item_id not in item_ids:
                raise BundleRejected(
                    f"{path}[{index}].item_id",
                    f"检查项 {row.item_id} 不在本次体检所用的检查表（{row.module} 第 {version} 版）中",
                )

    findings = {finding.id for finding in bundle.findings}
    follow_ups = {follow_up.id for follow_up in bundle.follow_ups}
    _unique("$.follow_ups", (f.id for f in bundle.follow_ups), "编号")
    _unique("$.rectification_items", (i.finding_id for i in bundle.rectification_items), "问题")
    for index, item in enumerate(bundle.rectification_items):
        if item.finding_id not in findings:
            raise BundleRejected(
                f"$.rectification_items[{index}].finding_id", f"对应的问题 {item.finding_id} 不在数据包中"
            )
        if item.follow_up_id is not None and item.follow_up_id not in follow_ups:
            raise BundleRejected(
                f"$.rectification_items[{index}].follow_up_id", f"复查记录 {item.follow_up_id} 不在数据包中"
            )
    used = {item.follow_up_id for item in bundle.rectification_items}
    for index, follow_up in enumerate(bundle.follow_ups):
        if follow_up.id not in used:
            raise BundleRejected(f"$.follow_ups[{index}]", "该复查记录没有被任何整改事项引用")

    coordinators: dict[str, BundleCoordinator] = {bundle.coordinator.id: bundle.coordinator}
    for index, follow_up in enumerate(bundle.follow_ups):
        known = coordinators.setdefault(follow_up.coordinator.id, follow_up.coordinator)
        if known != follow_up.coordinator:
            raise BundleRejected(f"$.follow_ups[{index}].coordinator", "同一编号的协调员信息前后不一致")

    blobs = {blob.sha256 for blob in bundle.blobs}
    _unique("$.blobs", (b.sha256 for b in bundle.blobs), "文件")
    for index, attachment in enumerate(bundle.attachments):
        if attachment.sha256 not in blobs:
            raise BundleRejected(f"$.attachments[{index}].sha256", "附件文件未列在 blobs 中")
    _check_wage_checks(bundle, blobs)
    _check_notices(bundle.notices, blobs)


def _check_wage_checks(bundle: AuditBundle, blobs: set[str]) -> None:
    """A wage check's evidence table is a listed blob, and each sheet it read is one of the bundle's attachments."""
    sheets = {attachment.id for attachment in bundle.attachments if attachment.kind == "sheet"}
    for index, check in enumerate(bundle.wage_checks):
        if check.evidence_sha256 not in blobs:
            raise BundleRejected(f"$.wage_checks[{index}].evidence_sha256", "核查明细文件未列在 blobs 中")
        for number, source in enumerate(check.sources):
            if str(source.get("attachment_id")) not in sheets:
                raise BundleRejected(
                    f"$.wage_checks[{index}].sources[{number}].attachment_id", "核查所读的原始表格不在 attachments 中"
                )


def _check_notices(notices: Sequence[BundleNotice], blobs: set[str]) -> None:
    ids = {notice.id for notice in notices}
    _unique("$.notices", (n.number for n in notices), "通知书文号")
    for index, notice in enumerate(notices):
        path = f"$.notices[{index}]"
        for name in ("coordinator_signature_sha256", "enterprise_signature_sha256", "pdf_sha256"):
            sha = getattr(notice, name)
            if sha is not None and sha not in blobs:
                raise BundleRejected(f"{path}.{name}", "引用的文件未列在 blobs 中")
        if notice.supersedes_id is not None and (notice.supersedes_id not in ids or notice.supersedes_id == notice.id):
            raise BundleRejected(f"{path}.supersedes_id", f"被替代的通知书 {notice.supersedes_id} 不在数据包中")
        if notice.status is not NoticeStatus.DRAFT:
            for name in ("content_hash", "signed_at", "coordinator_signature_sha256", "enterprise_signature_sha256"):
                if getattr(notice, name) is None:
                    raise BundleRejected(f"{path}.{name}", "已签署的通知书缺少签署信息")
        if notice.status is NoticeStatus.VOIDED and (
            notice.voided_at is None or not (notice.void_reason or "").strip()
        ):
            raise BundleRejected(f"{path}.void_reason", "已作废的通知书必须有作废时间和理由")
    notice_order(notices)


def notice_order(notices: Sequence[BundleNotice]) -> list[BundleNotice]:
    """Superseded notices before the notices that replace them (the foreign key points backwards)."""
    by_id = {notice.id: notice for notice in notices}
    ordered: list[BundleNotice] = []
    placed: set[str] = set()
    for start in notices:
        chain: list[BundleNotice] = []
        current: BundleNotice | None = start
        while current is not None and current.id not in placed:
            if current in chain:
                index = notices.index(start)
                raise BundleRejected(f"$.notices[{index}].supersedes_id", "通知书之间的替代关系形成了循环")
            chain.append(current)
            current = by_id.get(current.supersedes_id) if current.supersedes_id else None
        for notice in reversed(chain):
            ordered.append(notice)
            placed.add(notice.id)
    return ordered


def check_blob_store(bundle: AuditBundle, store: ContentStore) -> None:
    for index, blob in enumerate(bundle.blobs):
        try:
            size = store.size(blob.sha256) if store.has(blob.sha256) else None
        except BlobStoreError:
            size = None
        if size is None:
            raise BundleRejected(
                f"$.blobs[{index}]", f"附件文件 {blob.sha256[:12]}… 不在文件库中，请连同附件目录一起导入"
            )
        if size != blob.size:
            raise BundleRejected(
                f"$.blobs[{index}].size", f"附件文件大小不符（文件库中 {size} 字节，数据包写明 {blob.size} 字节）"
            )


__all__ = ["check_blob_store", "check_references", "notice_order"]
