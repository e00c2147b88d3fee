"""The audit bundle's data format: pydantic models, JSON in and out, and the JSON Schema made from them.

One audit travels as one JSON document (``format: "laborcheck.audit-bundle"``) with everything needed to store it
elsewhere exactly as it was: the visit, the template versions it used (snapshots included), the enterprise's
registry facts, answers, findings, rectification items, the follow-ups that verified them, notices and the
attachment rows. Blob bytes travel beside the document; ``blobs`` lists the hashes it needs. ``docs/audit-bundle.md``
describes the format in prose; ``docs/audit-bundle.schema.json`` is generated from these models.

Field names are the database's column names, so a reader of the schema can find each field in the code. Every
timestamp is ISO 8601 in UTC with an explicit offset (``2026-11-02T08:00:00+00:00``); a timestamp without an
offset is refused rather than guessed. Unknown fields are refused too: a typo must not silently drop data.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Annotated, Any, Final, Literal

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    StringConstraints,
    ValidationError,
)
from pydantic_core import ErrorDetails

from app.models import AnswerStatus, AuditStatus, ItemStatus, NoticeStatus
from core.errors import LaborCheckError

FORMAT: Final = "laborcheck.audit-bundle"
FORMAT_VERSION: Final = 3
READABLE_VERSIONS: Final = (1, 2, 3)
"""Version 2 added the change history, the visit record and follow-up evidence; version 3 the wage checks. An
older file reads as one without them (every new field has a default)."""
SCHEMA_ID = "https://laborcheck.invalid/schemas/audit-bundle-v3.json"


class BundleRejected(LaborCheckError):
    """A bundle that cannot be imported. ``path`` is the JSON path of the problem (``$.findings[2].audit_id``)."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"导入文件有误，未导入任何数据。位置 {path}：{reason}")
        self.path = path
        self.reason = reason


def _to_utc(value: dt.datetime) -> dt.datetime:
    return value.astimezone(dt.UTC)


def _iso(value: dt.datetime) -> str:
    return value.isoformat()


UtcTimestamp = Annotated[
    AwareDatetime, AfterValidator(_to_utc), PlainSerializer(_iso, return_type=str, when_used="json")
]
"""An instant, stored in UTC and written ``2026-11-02T08:00:00+00:00``."""
Sha256 = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
EntityId = Annotated[str, StringConstraints(min_length=1, max_length=36)]
ModuleCode = Annotated[str, StringConstraints(min_length=1, max_length=20)]
ItemCode = Annotated[str, StringConstraints(min_length=1, max_length=30)]
Severity = Literal["高", "中", "低"]


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)


class BundleCoordinator(_Record):
    """A coordinator (劳动关系协调员) as registered in the district roster."""

    id: EntityId
    name: str = Field(min_length=1, max_length=50)
    badge_no: str = ""
    """Badge or roster number."""
    organisation: str = ""
    """人社局, 工会, 企联 or 工商联 of the district."""
    district: str = ""
    device_code: str = Field(min_length=1, max_length=8)
    """The laptop's short code; part of every notice number it issued."""
    issuing_body: str = ""
    notice_prefix: str = ""


class BundleEnterprise(_Record):
    """The enterprise's registry facts at export time. An importer matches the enterprise by ``uscc``."""

    id: EntityId
    uscc: str = Field(min_length=18, max_length=18)
    """统一社会信用代码 (GB 32100-2015), 18 characters with its check character."""
    name: str = Field(min_length=1, max_length=200)
    industry: str = ""
    address: str = ""
    district: str = ""
    contact_name: str = ""
    contact_phone: str = ""
    headcount_last_year_end: int | None = Field(default=None, ge=0)
    headcount: int | None = Field(default=None, ge=0)
    is_key: bool = False
    """A key enterprise (重点企业) of the district."""


class BundleCampaign(_Record):
    """The campaign (专项行动) the visit belongs to."""

    id: EntityId
    name: str = Field(min_length=1, max_length=200)
    district: str = ""
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    report_due_on: dt.date | None = None


class BundleTemplate(_Record):
    """The exact checklist version an audit used. (``module``, ``version``, ``content_hash``) identifies it."""

    module: ModuleCode
    version: int = Field(ge=1)
    title: str
    content_hash: Sha256
    """SHA-256 of the snapshot's canonical JSON (sorted keys, no whitespace, UTF-8)."""
    content: dict[str, Any]
    """The template snapshot itself, so a receiver that lacks this version can store it."""


class BundleModule(_Record):
    """A checklist module used by the audit, in the order shown."""

    id: EntityId
    module: ModuleCode
    position: int = Field(ge=0)
    suggested: bool = True
    """Whether the app suggested the module (rather than the coordinator adding it)."""
    template: BundleTemplate


class BundlePersonMet(_Record):
    """Someone from the enterprise who received the visit."""

    name: str = Field(min_length=1, max_length=50)
    role: str = Field(default="", max_length=50)
    """职务, e.g. 人事主管."""


class BundleAudit(_Record):
    """The visit (体检): when, by whom, what was observed and which modules were checked."""

    id: EntityId
    status: AuditStatus
    visit_date: dt.date
    co_coordinators: str = ""
    """Names of the other coordinators on the visit, separated by 、."""
    inputs: dict[str, Any]
    """Visit inputs by id (headcount, laid_off, …) as observed that day."""
    enterprise_facts: dict[str, Any]
    """The enterprise's facts as they stood at the visit."""
    finished_at: UtcTimestamp | None = None
    arrived_at: UtcTimestamp | None = None
    """When the coordinators arrived at the enterprise (format version 2)."""
    departed_at: UtcTimestamp | None = None
    """When they left (format version 2)."""
    people_met: list[BundlePersonMet] = []
    """Who received the visit (format version 2)."""
    documents_inspected: list[str] = []
    """Documents looked at on site, e.g. 花名册、劳动合同 (format version 2)."""
    version: int = Field(ge=1)
    """Increases on every change; an importer refuses to replace a newer local copy with an older bundle."""
    created_at: UtcTimestamp
    updated_at: UtcTimestamp
    modules: list[BundleModule]


class BundleAnswer(_Record):
    """The answer to one checklist item."""

    id: EntityId
    audit_id: EntityId
    module: ModuleCode
    item_id: ItemCode
    status: AnswerStatus
    note: str = ""
    skip_reason: str = ""
    """Why a ``not_checked`` item was not checked."""
    source: Literal["user", "rule", "evidence"] = "user"
    kind: Literal["check", "signal", "computed"] = "check"
    created_at: UtcTimestamp
    updated_at: UtcTimestamp


class BundleFinding(_Record):
    """A problem found, with its legal basis as the template version cites it."""

    id: EntityId
    audit_id: EntityId
    module: ModuleCode
    item_id: ItemCode
    severity: Severity
    title: str = Field(default="", max_length=200)
    """The checklist item's short name (how summaries name it)."""
    description: str
    """The statement of what was found, as the notice prints it."""
    description_en: str = ""
    note: str = ""
    """The coordinator's note from the answer; printed on the notice only when ``note_on_notice``."""
    note_on_notice: bool = False
    basis: list[Any]
    figures: list[Any] = []
    source: str = Field(default="answer", max_length=10)
    position: int = 0
    removed_reason: str | None = None
    """Set when the finding was withdrawn; a removed finding has no place in the ledger or a notice."""
    removed_at: UtcTimestamp | None = None
    created_at: UtcTimestamp


class BundleRectificationItem(_Record):
    """What the enterprise must do for one finding, by when, who answers for it, and how far it got."""

    id: EntityId
    audit_id: EntityId
    finding_id: EntityId
    requirement: str
    deadline: dt.date
    deadline_days: int = Field(ge=0)
    deadline_working_days: bool
    deadline_estimated: bool = False
    """The deadline falls in a year whose holiday schedule was not known yet."""
    responsible_person: str = ""
    responsible_phone: str = ""
    status: ItemStatus
    submitted_at: UtcTimestamp | None = None
    submitted_note: str = ""
    verified_on: dt.date | None = None
    verified_by: str = ""
    verification_note: str = ""
    follow_up_id: EntityId | None = None
    """The follow-up (复查) that verified the item; it is in ``follow_ups``."""
    version: int = Field(ge=1)
    created_at: UtcTimestamp
    updated_at: UtcTimestamp


class BundleFollowUp(_Record):
    """A follow-up visit or document review that verified items of this audit (at the same enterprise)."""

    id: EntityId
    coordinator: BundleCoordinator
    visit_date: dt.date
    method: Literal["on_site", "documents"]
    note: str = ""
    evidence_attachment_ids: list[EntityId] = []
    """Attachments (photos, documents) showing the rectification; they may belong to another audit of the same
    enterprise, so they need not be in this bundle (format version 2)."""
    evidence_reference: str = ""
    """A document seen or received, by name and number (format version 2)."""
    created_at: UtcTimestamp


class BundleNotice(_Record):
    """A rectification notice (整改通知书). Once signed it never changes, except to be voided with a reason."""

    id: EntityId
    audit_id: EntityId
    number: str = Field(min_length=1, max_length=60)
    year: int
    sequence: int = Field(ge=1)
    device_code: str = Field(min_length=1, max_length=8)
    status: NoticeStatus
    issued_on: dt.date
    content: dict[str, Any]
    """The snapshot printed on the notice."""
    content_hash: Sha256 | None = None
    """SHA-256 over the signed content and signatures; set when signed."""
    coordinator_signer: str = ""
    coordinator_signature_sha256: Sha256 | None = None
    enterprise_signer: str = ""
    enterprise_signature_sha256: Sha256 | None = None
    signed_at: UtcTimestamp | None = None
    pdf_sha256: Sha256 | None = None
    supersedes_id: EntityId | None = None
    """The voided notice this one replaces; it is in ``notices``."""
    voided_at: UtcTimestamp | None = None
    void_reason: str | None = None
    created_at: UtcTimestamp


class BundleAttachment(_Record):
    """A use of a blob as evidence for the audit (and for a checklist item when ``item_id`` is set)."""

    id: EntityId
    audit_id: EntityId
    item_id: ItemCode | None = None
    sha256: Sha256
    kind: Literal["photo", "document", "signature", "pdf", "sheet"]
    caption: str = Field(default="", max_length=200)
    original_name: str = Field(default="", max_length=255)
    created_at: UtcTimestamp


class BundleChangeHistory(_Record):
    """One changed field after the audit was finished: append-only, never changed or removed (format version 2)."""

    id: EntityId
    entity: Literal["audit", "finding", "rectification_item", "notice", "wage_check"]
    entity_id: EntityId
    audit_id: EntityId
    field: str = Field(min_length=1, max_length=60)
    old_value: str | None = None
    """The value before, as JSON text."""
    new_value: str | None = None
    """The value after, as JSON text."""
    reason: str = Field(min_length=1)
    """Why the change was made, as the coordinator wrote it (required)."""
    who: str = Field(min_length=1, max_length=50)
    """The coordinator who made the change."""
    device_code: str = Field(min_length=1, max_length=8)
    """The laptop it was made on."""
    changed_at: UtcTimestamp


class BundleWageCheck(_Record):
    """A wage check of the audit (工资考勤核查, format version 3): the enterprise's payroll and attendance checked
    worker by worker, month by month. The evidence table (every breach and every worker-month not checked, ID
    numbers masked) is the blob ``evidence_sha256`` (gzip-compressed JSON); the raw sheets are attachments of kind
    ``sheet``, named in ``sources``."""

    id: EntityId
    audit_id: EntityId
    settings: dict[str, Any]
    """What the check ran with: minimum-wage region and grade, pay day, meal break, the day it judged on."""
    sources: list[dict[str, Any]]
    """The sheets read: ``[{"attachment_id", "kind" (payroll/attendance), "name", "rows"}]``."""
    summary: dict[str, Any]
    """Workers and months checked, the facts the findings are worded with per checklist item, the annex."""
    evidence_sha256: Sha256
    exclusions: dict[str, Any]
    """Workers the coordinator left out, by key: ``{"name", "reason", "on"}`` (each also in the change history)."""
    version: int = Field(ge=0)
    created_at: UtcTimestamp
    updated_at: UtcTimestamp


class BundleBlob(_Record):
    """A file the bundle needs, by content hash. The bytes travel beside the JSON, not in it."""

    sha256: Sha256
    size: int = Field(ge=0)
    mime: str = Field(min_length=1, max_length=50)
    width: int | None = Field(default=None, ge=1)
    height: int | None = Field(default=None, ge=1)


class AuditBundle(_Record):
    """One audit, complete, for moving between laptops, archiving, or handing to the district office."""

    model_config = ConfigDict(json_schema_extra={"$schema": "https://json-schema.org/draft/2020-12/schema"})

    format: Literal["laborcheck.audit-bundle"] = FORMAT
    format_version: Literal[1, 2, 3] = FORMAT_VERSION
    """Raised on any change to the format; a reader refuses a version it does not know."""
    exported_at: UtcTimestamp
    coordinator: BundleCoordinator
    """The coordinator who made the audit (its owner)."""
    enterprise: BundleEnterprise
    campaign: BundleCampaign | None = None
    audit: BundleAudit
    answers: list[BundleAnswer]
    findings: list[BundleFinding]
    rectification_items: list[BundleRectificationItem]
    follow_ups: list[BundleFollowUp]
    notices: list[BundleNotice]
    attachments: list[BundleAttachment]
    blobs: list[BundleBlob]
    """Every blob an attachment, a notice or a wage check refers to."""
    change_history: list[BundleChangeHistory] = []
    """Every change made after the audit was finished, oldest first (format version 2)."""
    wage_checks: list[BundleWageCheck] = []
    """The audit's wage check with its evidence table's blob (format version 3)."""


# --- JSON in and out -------------------------------------------------------------------------------------------


def bundle_to_json(bundle: AuditBundle) -> bytes:
    """The bundle as UTF-8 JSON (Chinese text as is, not ``\\u`` escaped), indented for a human reader."""
    return bundle.model_dump_json(indent=2).encode("utf-8") + b"\n"


def json_path(location: tuple[int | str, ...]) -> str:
    """``("findings", 2, "audit_id")`` → ``$.findings[2].audit_id``."""
    path = "$"
    for part in location:
        path += f"[{part}]" if isinstance(part, int) else f".{part}"
    return path


_ERROR_TEXT = {
    "missing": "缺少必填字段",
    "extra_forbidden": "不认识的字段（可能是拼写错误，或文件来自更新版本的软件）",
    "string_type": "应为文字",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "int_from_float": "应为整数",
    "bool_type": "应为 true 或 false",
    "bool_parsing": "应为 true 或 false",
    "dict_type": "应为对象（{…}）",
    "list_type": "应为列表（[…]）",
    "model_type": "应为对象（{…}）",
    "date_from_datetime_parsing": "日期格式不正确，应为 ISO 8601 日期，如 2026-11-02",
    "date_parsing": "日期格式不正确，应为 ISO 8601 日期，如 2026-11-02",
    "date_type": "日期格式不正确，应为 ISO 8601 日期，如 2026-11-02",
    "datetime_parsing": "时间格式不正确，应为 ISO 8601 时间，如 2026-11-02T08:00:00+00:00",
    "datetime_from_date_parsing": "时间格式不正确，应为 ISO 8601 时间，如 2026-11-02T08:00:00+00:00",
    "datetime_type": "时间格式不正确，应为 ISO 8601 时间，如 2026-11-02T08:00:00+00:00",
    "timezone_aware": "时间缺少时区，应写明 UTC 偏移，如 2026-11-02T08:00:00+00:00",
    "string_pattern_mismatch": "格式不正确",
    "string_too_short": "过短或为空",
    "string_too_long": "过长",
    "greater_than_equal": "数值过小",
}


def _describe(error: ErrorDetails) -> str:
    kind = error["type"]
    if kind in ("enum", "literal_error"):
        expected = (error.get("ctx") or {}).get("expected", "")
        return f"取值 {error.get('input')!r} 不在允许范围内（允许：{expected}）"
    if kind in _ERROR_TEXT:
        return _ERROR_TEXT[kind]
    return f"内容不符合格式要求（{error['msg']}）"


def rejection_from(error: ValidationError) -> BundleRejected:
    """The first schema error as a :class:`BundleRejected` naming its JSON path (and how many more there are)."""
    errors = error.errors(include_url=False)
    first = errors[0]
    reason = _describe(first)
    if len(errors) > 1:
        reason += f"（另有 {len(errors) - 1} 处问题）"
    return BundleRejected(json_path(tuple(first["loc"])), reason)


def parse_bundle(data: bytes | str) -> AuditBundle:
    """Read a bundle from JSON text; anything malformed is a :class:`BundleRejected` naming where.

    The format and its version are checked first, so a file from a newer release or of another kind is refused
    with that reason rather than with the first field this release does not know.
    """
    if isinstance(data, bytes):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise BundleRejected("$", f"文件不是 UTF-8 编码的文本（第 {error.start} 字节处）") from None
    else:
        text = data.removeprefix("\ufeff")
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise BundleRejected("$", f"不是有效的 JSON（第 {error.lineno} 行第 {error.colno} 列：{error.msg}）") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise BundleRejected("$.format", f"不是体检数据包（应为 {FORMAT!r}）")
    version = document.get("format_version")
    if version not in READABLE_VERSIONS or isinstance(version, bool):
        if isinstance(version, int) and not isinstance(version, bool) and version > FORMAT_VERSION:
            reason = f"数据包格式版本为 {version}，本软件只支持到版本 {FORMAT_VERSION}，请先升级软件"
        else:
            reason = f"数据包格式版本 {version!r} 无效（应为 {FORMAT_VERSION}）"
        raise BundleRejected("$.format_version", reason)
    try:
        return AuditBundle.model_validate(document)
    except ValidationError as error:
        raise rejection_from(error) from None


# --- JSON Schema -----------------------------------------------------------------------------------------------


def json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of what an importer accepts, generated from the models."""
    schema = AuditBundle.model_json_schema(mode="validation")
    schema["$id"] = SCHEMA_ID
    return schema


def json_schema_text() -> str:
    return json.dumps(json_schema(), ensure_ascii=False, indent=2, sort_keys=False) + "\n"


def write_json_schema(path: Path) -> None:
    """Write the schema file (``docs/audit-bundle.schema.json`` is this output, checked by a test)."""
    Path(path).write_text(json_schema_text(), encoding="utf-8")


__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "AuditBundle",
    "BundleAnswer",
    "BundleAttachment",
    "BundleAudit",
    "BundleBlob",
    "BundleCampaign",
    "BundleChangeHistory",
    "BundleCoordinator",
    "BundleEnterprise",
    "BundleFinding",
    "BundleFollowUp",
    "BundleModule",
    "BundleNotice",
    "BundlePersonMet",
    "BundleRectificationItem",
    "BundleRejected",
    "BundleTemplate",
    "BundleWageCheck",
    "bundle_to_json",
    "json_path",
    "json_schema",
    "json_schema_text",
    "parse_bundle",
    "write_json_schema",
]
