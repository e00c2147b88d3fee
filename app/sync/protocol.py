"""The sync wire protocol: the only code the laptop and the district server share.

Everything here is a pydantic v2 schema or a pure function; no I/O, no database. The server imports this module
and nothing else of ``app`` (import-linter checks it), so a change here is a protocol change: bump
``PROTOCOL_VERSION`` when a client built against the old shapes could misread the new ones, and raise
``MIN_CLIENT_VERSION`` only when the server can no longer serve old clients (they get 426 and a plain message).

Shapes, in the order a sync uses them (SYNC.md has the why):

- ``SignInRequest`` → ``SignInResponse``: name + password registers the device and returns a random token.
- ``BlobsMissingRequest`` → ``BlobsMissingResponse``: which attachment hashes the server lacks and how much of each
  it already holds (the committed offset an interrupted upload resumes from).
- ``PUT /blobs/{sha256}`` with ``Content-Range: bytes START-END/TOTAL`` → ``BlobUploadResponse`` (committed offset;
  the blob becomes visible only once its SHA-256 is verified).
- ``POST /blobs`` (protocol 2): several whole small blobs in one request — a ``BlobBatch`` manifest as one JSON
  line, then the blobs' bytes one after the other (``blob_batch_body``) → ``BlobBatchResponse``; all or nothing.
- ``PushRequest`` → ``PushResponse``: outbox rows in per-device order, one result per mutation.
- ``GET /changes?since=S&limit=N`` → ``ChangesPage`` (410 ``cursor_expired`` past the tombstone horizon).
- ``GET /device/policy`` → ``DevicePolicy``: the office's retention period for synced audits on laptops.
- ``POST /templates/problems`` ``TemplateProblemReport`` → ``TemplateProblemReceipt``: a published template version
  this laptop cannot use (it keeps the one it has), reported to the district office.
- ``GET /audits/{id}/records`` → ``AuditRecords`` and ``GET /audits/{id}/blobs/{sha256}`` → the blob's bytes:
  pulling back an audit whose local copy retention removed.
- Any error → ``ErrorBody`` ``{code, message}`` with a code from ``ErrorCode``.
"""

from __future__ import annotations

import datetime as dt
import enum
import math
import re
from typing import Annotated, Any, Literal
from urllib.parse import quote

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, model_validator

PROTOCOL_VERSION = 2
"""The protocol this build speaks; sent on every request in ``PROTOCOL_HEADER`` and answered by ``/info``.
2 added ``POST /blobs`` (a batch of whole blobs); a client uses it only with a server that answers 2 or more."""

BLOB_BATCH_VERSION = 2
"""The first protocol whose servers take ``POST /blobs``."""

SERVER_CHECKS_VERSION = 2
"""The first protocol whose servers are known to refuse, at their edge and with a 422 naming the field, every
push that fails the request models (:func:`check_json` included). A laptop leaves its own check of a batch to such
a server and checks row by row only a batch it refuses; an older server might store what the check would refuse,
so against one the laptop checks every batch before it goes."""

MIN_CLIENT_VERSION = 1
"""The oldest client protocol the server still accepts; older clients get 426 Upgrade Required."""

PROTOCOL_HEADER = "X-LaborCheck-Protocol"
AUTH_SCHEME = "Bearer"

MAX_BATCH = 500
"""The most mutations one push may carry (the client sends fewer; the server refuses more with 413)."""

MAX_PAGE = 5000
"""The largest pull page the server serves; a bigger ``limit`` is capped."""

BLOB_CHUNK = 256 * 1024
"""The client's upload chunk size; the server accepts any chunk that starts at its committed offset."""

MAX_BLOB_CHUNK = 8 * 1024 * 1024
"""The largest body one ``PUT /blobs/{sha256}`` may carry (413 beyond); chunks are written to disk as they arrive."""

MAX_BLOB_BATCH = 64
"""The most blobs one ``POST /blobs`` may carry."""

BLOB_BATCH_BYTES = 8 * 1024 * 1024
"""What the client packs into one ``POST /blobs`` (whole blobs, each at most this big; bigger ones and uploads
already started go by ``PUT``): a batch's photos, topped up with later batches', in one request, one transaction
and one answer. As much as the server takes (``MAX_BLOB_BATCH_BYTES``): a photo is kept at up to 2,560 pixels
on its long edge, a megabyte or two as JPEG, so at 2 MB a request often carried a single photo."""

MAX_BLOB_BATCH_BYTES = MAX_BLOB_CHUNK
"""The most blob bytes one ``POST /blobs`` may carry (413 beyond); its manifest adds at most ``MAX_JSON_BYTES``."""

MAX_PUSH_BYTES = 16 * 1024 * 1024
"""The largest push body (413 beyond): ``MAX_BATCH`` mutations of ordinary size fit many times over."""

MAX_JSON_BYTES = 1024 * 1024
"""The largest body of every other route (sign-in, ``/blobs/missing``, office edits)."""

SHA256_PATTERN = r"^[0-9a-f]{64}$"
_SHA256 = re.compile(r"[0-9a-f]{64}")

INT64_MAX = 2**63 - 1
"""The largest integer either database keeps in a BIGINT column (feed sequence numbers, outbox seqs, payload
integers: SQLite's JSON functions turn larger ones into imprecise reals)."""
INT32_MAX = 2**31 - 1
"""The largest value of an INTEGER column on PostgreSQL (record versions)."""
MAX_JSON_DEPTH = 32
"""How deeply a payload may nest; nothing the laptop writes comes near it."""


def is_sha256(value: object) -> bool:
    """Exactly 64 lowercase hex digits (``fullmatch``: a trailing newline does not pass)."""
    return isinstance(value, str) and _SHA256.fullmatch(value) is not None


def _sha256(value: str) -> str:
    if not is_sha256(value):
        raise ValueError("附件哈希应为 64 位小写十六进制")
    return value


def check_json(value: Any, path: str = "", depth: int = 0) -> None:
    """Refuse what would poison the store for everyone: a number that is not finite (``NaN``, ``Infinity``,
    ``1e400``) or outside a 64-bit integer, a NUL character or a lone surrogate in any string or key,
    nesting deeper than ``MAX_JSON_DEPTH`` (counted from ``depth``). The ValueError names the field by its path
    (``payload.inputs.wage``)."""
    problem = _problem(value, depth)
    if problem is not None:
        where, what = problem
        raise ValueError(f"{(path + where).removeprefix('.')}：{what}")


_NUL = "不能含有空字符（NUL）"
_SURROGATE = "含有无法存储的字符（单独的代理码位）"


def _text_problem(text: str) -> str | None:
    """What makes a string unstorable, or None: a NUL (PostgreSQL cannot hold it) or a lone surrogate (``\\ud800``
    is valid JSON, but no database can encode it as UTF-8). ASCII, most of what arrives, is checked in one step."""
    if "\x00" in text:
        return _NUL
    if text.isascii():
        return None
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return _SURROGATE
    return None


def _problem(value: Any, depth: int) -> tuple[str, str] | None:
    """Where (a path suffix) and what is wrong inside ``value``; None when nothing is. Exact type checks first,
    and an ASCII string without NUL (most of what arrives) is passed over without a call: this runs over every
    field of every mutation, on both sides."""
    kind = type(value)
    if kind is str:
        text_problem = _text_problem(value)
        return None if text_problem is None else ("", text_problem)
    if value is None or kind is bool:
        return None
    if kind is dict or kind is list:
        if depth >= MAX_JSON_DEPTH:
            return ("", "嵌套过深")
        if kind is dict:
            for key in value:
                if not key.isascii() or "\x00" in key:
                    wrong = _text_problem(key)
                    if wrong is not None:
                        return ("", "字段名" + wrong)
        items = value.items() if kind is dict else enumerate(value)
        for key, item in items:
            kind = type(item)
            if kind is str:
                if item.isascii() and "\x00" not in item:
                    continue
                wrong = _text_problem(item)
                if wrong is not None:
                    return (f".{key}", wrong)
                continue
            if item is None or kind is bool or (kind is int and -INT64_MAX - 1 <= item <= INT64_MAX):
                continue
            found = _problem(item, depth + 1)
            if found is not None:
                return (f".{key}{found[0]}", found[1])
        return None
    if isinstance(value, int):
        return None if -INT64_MAX - 1 <= value <= INT64_MAX else ("", "整数超出范围")
    if isinstance(value, float):
        return None if math.isfinite(value) else ("", "数值必须是有限数")
    if isinstance(value, dict | list):
        return _problem(dict(value) if isinstance(value, dict) else list(value), depth)
    return None


def _storable(value: str) -> str:
    wrong = _text_problem(value)
    if wrong is not None:
        raise ValueError(wrong)
    return value


Sha256 = Annotated[str, AfterValidator(_sha256)]
"""A blob's address, checked strictly wherever the protocol carries one."""
Identifier = Annotated[str, StringConstraints(min_length=1, max_length=64), AfterValidator(_storable)]
"""An entity id, device id or notice id as a path or query parameter: what the ``entity_id`` column holds."""
EntityName = Annotated[str, StringConstraints(min_length=1, max_length=40), AfterValidator(_storable)]
Version = Annotated[int, Field(ge=0, le=INT32_MAX)]
"""A record version (``base_version``): an INTEGER column on PostgreSQL."""
FeedSeq = Annotated[int, Field(ge=0, le=INT64_MAX)]
"""A change-feed cursor (``since``): a BIGINT column."""

PROTOCOL_HEADER_PATTERN = re.compile(r"[0-9]{1,6}")


def parse_protocol_version(header: str) -> int:
    """The client's protocol version from ``PROTOCOL_HEADER``: ASCII digits only (not "²"), at most six."""
    value = header.strip()
    if PROTOCOL_HEADER_PATTERN.fullmatch(value) is None:
        raise ValueError("malformed protocol version")
    return int(value)


class ErrorCode(enum.StrEnum):
    """Stable error codes: clients branch on these, never on the (Chinese) message."""

    BAD_REQUEST = "bad_request"
    VALIDATION = "validation_error"
    UNAUTHENTICATED = "unauthenticated"
    BAD_CREDENTIALS = "bad_credentials"
    RATE_LIMITED = "rate_limited"
    TOKEN_REVOKED = "token_revoked"  # noqa: S105 (an error code, not a secret)
    USER_DISABLED = "user_disabled"
    FORBIDDEN = "forbidden"
    NOT_FOUND = "not_found"
    CONFLICT = "conflict"
    CLIENT_TOO_OLD = "client_too_old"
    CURSOR_EXPIRED = "cursor_expired"
    BATCH_TOO_LARGE = "batch_too_large"
    BODY_TOO_LARGE = "body_too_large"
    BLOB_MISSING = "blob_missing"
    BLOB_HASH_MISMATCH = "blob_hash_mismatch"
    BLOB_OFFSET = "blob_offset_mismatch"
    UNKNOWN_ENTITY = "unknown_entity"
    NOTICE_IMMUTABLE = "notice_immutable"
    OUT_OF_ORDER = "out_of_order"
    INTERNAL = "internal_error"


class _Wire(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RequestModel(_Wire):
    """What a client sends: every field is checked by :func:`check_json` (finite numbers, 64-bit integers, no
    NUL anywhere, bounded nesting), once, here at the edge; a refusal names the field."""

    @model_validator(mode="after")
    def _clean(self) -> RequestModel:
        # The fields as one object, a level above the top, in one walk; nested models check themselves.
        check_json(self.__dict__, depth=-1)
        return self


class ErrorBody(_Wire):
    """Every error response's body."""

    code: ErrorCode
    message: str
    min_client_version: int | None = None


class Role(enum.StrEnum):
    COORDINATOR = "coordinator"
    OFFICE = "office"
    ADMIN = "admin"


# --- auth -----------------------------------------------------------------------------------------------------


class SignInRequest(RequestModel):
    username: str = Field(min_length=1, max_length=80)
    password: str = Field(min_length=1, max_length=200)
    device_id: str = Field(min_length=1, max_length=64, description="The laptop's stable id (made once, locally).")
    device_name: str = Field(default="", max_length=100)


class UserInfo(_Wire):
    username: str
    display_name: str
    role: Role
    district: str


class SignInResponse(_Wire):
    token: str = Field(description="Device-bound bearer token; stored hashed on the server, revocable.")
    device_id: str
    user: UserInfo
    protocol_version: int = PROTOCOL_VERSION
    min_client_version: int = MIN_CLIENT_VERSION


class ServerInfo(_Wire):
    """``GET /info``: what a client checks before anything else (no auth needed)."""

    protocol_version: int
    min_client_version: int
    server_time: str


# --- push -----------------------------------------------------------------------------------------------------

Op = Literal["insert", "update", "delete"]


class Mutation(RequestModel):
    """One outbox row. ``seq`` increases per device and is never reused; ``mutation_id`` is applied once."""

    mutation_id: str = Field(min_length=1, max_length=36)
    seq: int = Field(ge=1, le=INT64_MAX)
    entity: str = Field(min_length=1, max_length=40)
    entity_id: str = Field(min_length=1, max_length=64)
    op: Op
    payload: dict[str, Any] = Field(default_factory=dict)
    base_version: Version | None = None
    blobs: list[Sha256] = Field(
        default_factory=list, description="SHA-256 of every blob the payload references (must be complete)."
    )


class PushRequest(RequestModel):
    device_id: str = Field(min_length=1, max_length=64)
    mutations: list[Mutation] = Field(
        max_length=MAX_BATCH, description=f"At most {MAX_BATCH}; a longer batch is refused with 413 batch_too_large."
    )


class FieldConflict(_Wire):
    """A value that lost a merge (kept by the client in its conflict log, never dropped)."""

    entity: str
    entity_id: str
    field: str
    local_value: str | None
    server_value: str | None
    resolution: str


ResultStatus = Literal["applied", "duplicate", "conflict", "rejected"]


class MutationResult(_Wire):
    mutation_id: str
    status: ResultStatus
    server_version: int | None = None
    server_fields: dict[str, Any] | None = Field(
        default=None, description="On conflict: the server's current row (the client keeps it next to its own)."
    )
    conflicts: list[FieldConflict] = Field(default_factory=list)
    code: ErrorCode | None = None
    message: str | None = None


class PushResponse(_Wire):
    results: list[MutationResult]


# --- blobs ----------------------------------------------------------------------------------------------------


MAX_MISSING_QUERY = 5000
"""Hashes one ``POST /blobs/missing`` may ask about."""


class BlobsMissingRequest(RequestModel):
    hashes: list[Sha256] = Field(max_length=MAX_MISSING_QUERY)


class BlobOffset(_Wire):
    sha256: str
    committed: int = Field(ge=0, description="Bytes the server already holds: the upload resumes here.")


class BlobsMissingResponse(_Wire):
    missing: list[BlobOffset]


class BlobUploadResponse(_Wire):
    sha256: str
    committed: int = Field(ge=0)
    complete: bool


class BlobPart(_Wire):
    sha256: Sha256
    size: int = Field(ge=0, le=MAX_BLOB_BATCH_BYTES)


class BlobBatch(RequestModel):
    """The manifest of ``POST /blobs``: which blobs follow, in order, and how many bytes each."""

    blobs: list[BlobPart] = Field(min_length=1, max_length=MAX_BLOB_BATCH)

    @model_validator(mode="after")
    def _distinct_and_bounded(self) -> BlobBatch:
        if len({part.sha256 for part in self.blobs}) != len(self.blobs):
            raise ValueError("blobs：同一附件出现了两次")
        if sum(part.size for part in self.blobs) > MAX_BLOB_BATCH_BYTES:
            raise ValueError(f"blobs：附件合计超过 {MAX_BLOB_BATCH_BYTES // (1024 * 1024)} MB")
        return self


class BlobBatchResponse(_Wire):
    blobs: list[BlobUploadResponse] = Field(description="One per blob of the manifest, in its order; all complete.")


def fits_in_pack(size: int, count: int, more: int) -> bool:
    """Whether a blob of ``more`` bytes still goes into a ``POST /blobs`` that holds ``count`` blobs of ``size``
    bytes: the one rule for packing, whether a batch's own photos or later ones that top its last request up."""
    return count < MAX_BLOB_BATCH and size + more <= BLOB_BATCH_BYTES


def pack_blobs(blobs: list[tuple[str, bytes]]) -> list[list[tuple[str, bytes]]]:
    """Whole blobs packed in order into ``POST /blobs`` requests of at most ``BLOB_BATCH_BYTES`` and
    ``MAX_BLOB_BATCH`` blobs each (a blob bigger than ``BLOB_BATCH_BYTES`` goes alone)."""
    groups: list[list[tuple[str, bytes]]] = []
    size = 0
    for sha, data in blobs:
        if not groups or not fits_in_pack(size, len(groups[-1]), len(data)):
            groups.append([])
            size = 0
        groups[-1].append((sha, data))
        size += len(data)
    return groups


def blob_batch_body(blobs: list[tuple[str, bytes]]) -> bytes:
    """The body of ``POST /blobs``: the manifest as one JSON line, then each blob's bytes in the manifest's order."""
    manifest = BlobBatch(blobs=[BlobPart(sha256=sha, size=len(data)) for sha, data in blobs])
    return b"".join([manifest.model_dump_json().encode(), b"\n", *(data for _, data in blobs)])


def content_range(start: int, end_exclusive: int, total: int) -> str:
    """The ``Content-Range`` header of a chunk ``[start, end_exclusive)`` of a ``total``-byte blob."""
    if total == 0:
        return "bytes */0"
    return f"bytes {start}-{end_exclusive - 1}/{total}"


def parse_content_range(header: str) -> tuple[int, int, int]:
    """``(start, end_exclusive, total)`` from a ``Content-Range`` header; ValueError when malformed."""
    match = re.fullmatch(r"bytes (?:(\d+)-(\d+)|\*)/(\d+)", header.strip())
    if not match:
        raise ValueError("malformed Content-Range")
    total = int(match.group(3))
    if match.group(1) is None:
        if total != 0:
            raise ValueError("Content-Range '*' only for an empty blob")
        return 0, 0, 0
    start, last = int(match.group(1)), int(match.group(2))
    if last < start or last >= total:
        raise ValueError("Content-Range out of bounds")
    return start, last + 1, total


# --- pull -----------------------------------------------------------------------------------------------------


class ChangeRow(_Wire):
    """One row of the change feed: an upsert carries the row's fields, a delete (tombstone) carries none."""

    seq: int
    entity: str
    entity_id: str
    op: Literal["upsert", "delete"]
    version: int = 1
    data: dict[str, Any] | None = None


class ChangesPage(_Wire):
    rows: list[ChangeRow]
    next_since: int = Field(description="Store it with the rows, in the same local transaction.")
    has_more: bool


PULLED_ENTITIES = (
    "enterprise",
    "template",
    "campaign",
    "risk_indicator",
    "rectification_item",
    "conflict",
    "publication",
    "visit_plan",
    "visit_assignment",
)
"""What the feed carries; ``conflict`` rows are losing values addressed to the device that lost them;
``publication`` rows are documents the office published (``{"id", "kind", "key", "content", "content_hash"}``,
see :mod:`core.publications`: minimum-wage tables, holiday schedules); ``visit_assignment`` rows are the office's
visit plans and reassigned follow-ups (:class:`VisitAssignment`)."""


# --- visit plans ----------------------------------------------------------------------------------------------

AssignmentKind = Literal["visit", "follow_up"]
AssignmentStatus = Literal["assigned", "cancelled", "replaced"]


class VisitAssignment(BaseModel):
    """One enterprise the office sends a coordinator to (a ``visit_assignment`` row of the feed).

    Every laptop of the district receives every assignment of the district (so a follow-up reassigned away from a
    coordinator reaches them too) and shows its own user's (``assignee``) as the 待体检 list, riskiest first by
    ``risk_score``. The server writes the row through this model and the laptop reads it through it again:
    a row that does not match is refused at the edge. Unknown extra fields are ignored (a newer server may add
    some), so the shape can grow without a protocol bump.
    """

    model_config = ConfigDict(extra="ignore", frozen=True)

    id: str = Field(min_length=1, max_length=64)
    plan_id: str = Field(default="", max_length=64)
    plan_name: str = Field(default="", max_length=100)
    campaign_id: str | None = Field(default=None, max_length=64)
    kind: AssignmentKind = "visit"
    enterprise_id: str = Field(min_length=1, max_length=64)
    enterprise_name: str = Field(default="", max_length=200)
    uscc: str = Field(default="", max_length=40)
    assignee_id: int = Field(ge=1)
    assignee: str = Field(min_length=1, max_length=80, description="The coordinator's user name.")
    assignee_name: str = Field(default="", max_length=100)
    target_date: dt.date
    assigned_on: dt.date
    risk_grade: Literal["高", "中", "低", ""] = ""
    risk_score: int = Field(default=0, ge=0, le=1_000_000)
    reasons: list[Annotated[str, Field(max_length=300)]] = Field(default_factory=list, max_length=50)
    item_ids: list[Annotated[str, Field(max_length=64)]] = Field(
        default_factory=list, max_length=500, description="Follow-ups: the rectification items to verify."
    )
    status: AssignmentStatus = "assigned"


# --- retention and pull-back ---------------------------------------------------------------------------------


class DevicePolicy(_Wire):
    """``GET /device/policy``: what the district office decides for its laptops, fetched at every sync."""

    retention_days: int | None = Field(
        default=None,
        ge=1,
        description="Days a synced, closed audit stays whole on a laptop; None keeps everything.",
    )


class AuditRecords(_Wire):
    """``GET /audits/{audit_id}/records``: every record of one audit (a laptop pulls back an archived audit)."""

    audit_id: str
    records: list[ChangeRow] = Field(description="The audit row first, then what hangs on it; never tombstones.")


# --- templates a laptop cannot use ----------------------------------------------------------------------------


class TemplateProblemReport(RequestModel):
    """``POST /templates/problems``: a laptop received a published template version it cannot use.

    It keeps the version it has (``kept_version``; None when it has no other version of the module) and tells the
    district office why, so an unusable publication is seen at the office, not only on one laptop.
    """

    module: str = Field(pattern=r"^[A-Z]{1,20}$")
    version: int = Field(ge=1, le=1_000_000)
    content_hash: Sha256
    reason: str = Field(min_length=1, max_length=2000)
    kept_version: int | None = Field(default=None, ge=1, le=1_000_000)


class TemplateProblemReceipt(_Wire):
    recorded: bool = Field(description="False when this device had reported it already (a retried report).")


# --- notice verification --------------------------------------------------------------------------------------


class NoticeVerification(_Wire):
    notice_id: str
    valid: bool = Field(description="True only when the signed notice exists with exactly this content hash.")
    number: str | None = None
    enterprise: str | None = None
    issued_on: str | None = None
    status: str | None = None


def verification_url(server_url: str, notice_id: str, content_hash: str) -> str:
    """The address a notice's QR code encodes: ``{server_url}/verify/{notice_id}?h={content_hash}``."""
    base = server_url.rstrip("/")
    return f"{base}/verify/{quote(notice_id, safe='')}?h={quote(content_hash, safe='')}"


__all__ = [
    "AUTH_SCHEME",
    "BLOB_BATCH_BYTES",
    "BLOB_BATCH_VERSION",
    "BLOB_CHUNK",
    "INT32_MAX",
    "INT64_MAX",
    "MAX_BATCH",
    "MAX_BLOB_BATCH",
    "MAX_BLOB_BATCH_BYTES",
    "MAX_BLOB_CHUNK",
    "MAX_JSON_BYTES",
    "MAX_PAGE",
    "MAX_PUSH_BYTES",
    "MIN_CLIENT_VERSION",
    "PROTOCOL_HEADER",
    "PROTOCOL_VERSION",
    "PULLED_ENTITIES",
    "SERVER_CHECKS_VERSION",
    "AuditRecords",
    "BlobBatch",
    "BlobBatchResponse",
    "BlobOffset",
    "BlobPart",
    "BlobUploadResponse",
    "BlobsMissingRequest",
    "BlobsMissingResponse",
    "ChangeRow",
    "ChangesPage",
    "DevicePolicy",
    "EntityName",
    "ErrorBody",
    "ErrorCode",
    "FeedSeq",
    "FieldConflict",
    "Identifier",
    "Mutation",
    "MutationResult",
    "NoticeVerification",
    "PushRequest",
    "PushResponse",
    "RequestModel",
    "Role",
    "ServerInfo",
    "Sha256",
    "SignInRequest",
    "SignInResponse",
    "TemplateProblemReceipt",
    "TemplateProblemReport",
    "UserInfo",
    "Version",
    "VisitAssignment",
    "blob_batch_body",
    "check_json",
    "content_range",
    "fits_in_pack",
    "is_sha256",
    "pack_blobs",
    "parse_content_range",
    "parse_protocol_version",
    "verification_url",
]
