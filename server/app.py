"""The HTTP API: FastAPI routes over the server's services, errors as ``{code, message}``.

Each request is one database transaction (``ServerState.unit``) that also resolves the caller, so authorisation
is decided inside the same snapshot as the work. Scope rules live in :mod:`server.policy`; routes only ask.
"""

from __future__ import annotations

import html
import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from fastapi import FastAPI, Header, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.sync.protocol import (
    AUTH_SCHEME,
    MAX_BATCH,
    MAX_BLOB_BATCH,
    MAX_BLOB_BATCH_BYTES,
    MIN_CLIENT_VERSION,
    PROTOCOL_VERSION,
    AuditRecords,
    BlobBatchResponse,
    BlobsMissingRequest,
    BlobsMissingResponse,
    BlobUploadResponse,
    ChangesPage,
    DevicePolicy,
    EntityName,
    ErrorBody,
    ErrorCode,
    FeedSeq,
    Identifier,
    MutationResult,
    NoticeVerification,
    PushRequest,
    PushResponse,
    Role,
    ServerInfo,
    SignInRequest,
    SignInResponse,
    TemplateProblemReceipt,
    TemplateProblemReport,
    UserInfo,
    parse_content_range,
)
from server import blobs as blob_service
from server.archive import audit_records as archive_records
from server.archive import device_policy, open_audit_blob
from server.blobs import BlobStorage, DirectoryBlobStorage
from server.config import ServerSettings
from server.console import install_console
from server.db import ServerDatabase, open_server_database
from server.edge import Edge
from server.errors import ApiError, Refusal, error_response, forbidden, not_found, unauthenticated
from server.feed import changes as feed_changes
from server.feed import tombstone
from server.models import ConflictEntry, Device, District, Record, utcnow
from server.policy import OFFICE_ROLES, can_read, read_scope, require_office
from server.push import apply_batch, apply_enterprise
from server.schemas import ConflictList, ConflictOut, EnterpriseEdit, RecordList, RecordOut
from server.security import (
    Caller,
    authenticate_password,
    caller_for_token,
    check_rate_limit,
    clear_failures,
    known_device,
    new_token,
    record_failure,
    token_digest,
)
from server.template_problems import record_template_problem

log = logging.getLogger(__name__)

Auth = Annotated[str | None, Header(description="Bearer token from /auth/sign-in")]
ContentRange = Annotated[str | None, Header()]

EDGE_TOKEN_SECONDS = 30.0
EDGE_TOKEN_CACHE = 10_000

ERROR_STATUSES = (400, 401, 403, 404, 409, 410, 413, 422, 426, 429, 503)
ERRORS: dict[int | str, dict[str, Any]] = {status: {"model": ErrorBody} for status in ERROR_STATUSES}


@dataclass
class ServerState:
    db: ServerDatabase
    storage: BlobStorage

    @contextmanager
    def unit(self, authorization: str | None = None) -> Iterator[tuple[Session, Caller | None]]:
        """One transaction; with ``authorization`` given, the caller is resolved in it (or 401/403)."""
        with self.db.session() as session:
            caller = None
            if authorization is not None:
                scheme, _, token = authorization.partition(" ")
                if scheme != AUTH_SCHEME or not token:
                    raise unauthenticated()
                caller = caller_for_token(session, token.strip())
            yield session, caller


def _binary_body(description: str | None = None) -> dict[str, Any]:
    """The OpenAPI request body of a route that reads raw bytes (FastAPI sees no body parameter there)."""
    body: dict[str, Any] = {
        "required": True,
        "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
    }
    if description is not None:
        body["description"] = description
    return {"requestBody": body}


def _authed(state: ServerState, authorization: str | None) -> Any:
    if not authorization:
        raise unauthenticated()
    return state.unit(authorization)


def _record_out(record: Record) -> RecordOut:
    return RecordOut(
        entity=record.entity,
        entity_id=record.entity_id,
        version=record.version,
        seq=record.seq,
        deleted=record.deleted,
        data=record.data,
    )


VERIFY_PAGE = """<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>整改通知书核验</title></head>
<body style="font-family:sans-serif;max-width:36em;margin:2em auto;padding:0 1em">
<h1>整改通知书核验</h1><p style="font-size:1.3em"><strong>{verdict}</strong></p>{details}</body></html>"""


def _verify_html(result: NoticeVerification) -> str:
    if result.valid:
        verdict = "✔ 该通知书真实有效，内容与服务器存档一致。"
    elif result.status == "voided":
        verdict = "✘ 该通知书已作废。"
    else:
        verdict = "✘ 未找到与此内容一致的已签署通知书。"
    rows = [("文号", result.number), ("企业", result.enterprise), ("签发日期", result.issued_on)]
    details = "".join(f"<p>{label}：{html.escape(value)}</p>" for label, value in rows if value)
    return VERIFY_PAGE.format(verdict=verdict, details=details)


def verify_notice(session: Session, notice_id: str, content_hash: str) -> NoticeVerification:
    record = session.get(Record, ("notice", notice_id))
    data = record.data if record is not None and not record.deleted else None
    if not data or not content_hash or data.get("content_hash") != content_hash:
        return NoticeVerification(notice_id=notice_id, valid=False)
    content = data.get("content") or {}
    enterprise = content.get("enterprise") or {}
    status = str(data.get("status") or "")
    return NoticeVerification(
        notice_id=notice_id,
        valid=status == "signed",
        number=data.get("number"),
        enterprise=enterprise.get("name") if isinstance(enterprise, dict) else None,
        issued_on=data.get("issued_on"),
        status=status,
    )


def create_app(settings: ServerSettings, *, database: ServerDatabase | None = None) -> FastAPI:
    """The ASGI application for ``settings`` (migrations run when the database is opened here)."""
    db = database or open_server_database(settings.database_url)
    state = ServerState(db=db, storage=DirectoryBlobStorage(settings.blob_dir))
    app = FastAPI(
        title="LaborCheck district server",
        version=str(PROTOCOL_VERSION),
        description="劳动用工法治体检 — 区县服务器：登录、推送、附件、变更拉取、通知书核验。",
    )
    app.state.server = state

    recent: dict[str, float] = {}
    """Token digests the edge found valid lately: a busy device does not pay a database look-up per chunk before
    its route does the real check (in the route's own transaction, so a revoked token is still refused at once)."""

    async def authenticate(token: str) -> None:
        digest, now = token_digest(token), time.monotonic()
        if recent.get(digest, -EDGE_TOKEN_SECONDS) > now - EDGE_TOKEN_SECONDS:
            return

        def check() -> None:
            try:
                with db.session() as session:
                    caller_for_token(session, token)
            except OperationalError:
                log.warning("database unavailable", exc_info=True)
                raise ApiError(503, ErrorCode.INTERNAL, "服务器繁忙，请稍后重试") from None

        await run_in_threadpool(check)
        if len(recent) >= EDGE_TOKEN_CACHE:
            recent.clear()
        recent[digest] = now

    @app.exception_handler(ApiError)
    async def _api_error(_request: Request, error: ApiError) -> JSONResponse:
        return error_response(error)

    @app.exception_handler(RequestValidationError)
    async def _validation_error(_request: Request, error: RequestValidationError) -> JSONResponse:
        errors = error.errors()
        if any(e.get("type") == "too_long" and tuple(e.get("loc", ())) == ("body", "mutations") for e in errors):
            return error_response(
                ApiError(413, ErrorCode.BATCH_TOO_LARGE, f"一次最多推送 {MAX_BATCH} 条修改，请分批发送")
            )
        first = errors[0] if errors else {}
        where = ".".join(str(part) for part in first.get("loc", ()))
        message = str(first.get("msg", "")).removeprefix("Value error, ")
        return error_response(ApiError(422, ErrorCode.VALIDATION, f"请求格式不正确：{where}：{message}"))

    @app.exception_handler(Refusal)
    async def _refusal(_request: Request, refusal: Refusal) -> JSONResponse:
        return error_response(refusal.as_api_error())

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(_request: Request, error: StarletteHTTPException) -> JSONResponse:
        codes = {404: ErrorCode.NOT_FOUND, 413: ErrorCode.BODY_TOO_LARGE}
        code = codes.get(error.status_code, ErrorCode.BAD_REQUEST)
        return error_response(ApiError(error.status_code, code, str(error.detail)))

    @app.exception_handler(OperationalError)
    async def _busy(_request: Request, _error: OperationalError) -> JSONResponse:
        log.warning("database unavailable", exc_info=True)
        return error_response(ApiError(503, ErrorCode.INTERNAL, "服务器繁忙，请稍后重试"))

    @app.get("/info", response_model=ServerInfo, responses=ERRORS, tags=["sync"])
    def info() -> ServerInfo:
        return ServerInfo(
            protocol_version=PROTOCOL_VERSION,
            min_client_version=MIN_CLIENT_VERSION,
            server_time=utcnow().isoformat(),
        )

    @app.post("/auth/sign-in", response_model=SignInResponse, responses=ERRORS, tags=["auth"])
    def sign_in(body: SignInRequest, request: Request) -> SignInResponse:
        failure: ApiError | None = None
        address = request.client.host if request.client is not None else ""
        with state.unit() as (session, _):
            if not known_device(session, body.username, body.device_id):
                check_rate_limit(session, body.username, address)
            user = authenticate_password(session, body.username, body.password)
            if user is None:
                record_failure(session, body.username, address)
                failure = ApiError(401, ErrorCode.BAD_CREDENTIALS, "用户名或密码不正确")
            elif user.disabled:
                failure = ApiError(403, ErrorCode.USER_DISABLED, "该账号已停用，请联系区办")
            elif user.district_id is None:
                failure = forbidden("市级账号只能登录网页控制台，不能在笔记本上同步")
            else:
                clear_failures(session, body.username, address)
                device = session.get(Device, body.device_id)
                if device is not None and device.user_id != user.id:
                    failure = forbidden("此设备已登记给其他用户")
                elif device is not None and device.revoked_at is not None:
                    failure = ApiError(401, ErrorCode.TOKEN_REVOKED, "此设备的授权已被撤销，请联系区办")
                else:
                    token = new_token()
                    if device is None:
                        session.add(
                            Device(
                                id=body.device_id,
                                user_id=user.id,
                                name=body.device_name,
                                token_hash=token_digest(token),
                            )
                        )
                    else:
                        device.token_hash = token_digest(token)
                        device.name = body.device_name or device.name
                    district = session.get_one(District, user.district_id)
                    response = SignInResponse(
                        token=token,
                        device_id=body.device_id,
                        user=UserInfo(
                            username=user.username,
                            display_name=user.display_name,
                            role=Role(user.role),
                            district=district.name,
                        ),
                    )
        if failure is not None:
            raise failure
        return response

    @app.post("/sync/push", response_model=PushResponse, responses=ERRORS, tags=["sync"])
    def push(body: PushRequest, authorization: Auth = None) -> Response:
        for attempt in range(3):
            try:
                with _authed(state, authorization) as (session, caller):
                    answer = apply_batch(session, caller, body)
                # Serialised once here: FastAPI would validate the 500 results against the model again first.
                return Response(answer.model_dump_json(), media_type="application/json")
            except IntegrityError:
                # Two copies of one batch raced on PostgreSQL: the loser retries and finds its duplicates.
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    @app.post("/templates/problems", response_model=TemplateProblemReceipt, responses=ERRORS, tags=["sync"])
    def template_problem(body: TemplateProblemReport, authorization: Auth = None) -> TemplateProblemReceipt:
        """A laptop cannot use a published template version: it keeps its own and tells the office why."""
        with _authed(state, authorization) as (session, caller):
            return record_template_problem(session, caller, body)

    @app.post("/blobs/missing", response_model=BlobsMissingResponse, responses=ERRORS, tags=["blobs"])
    def blobs_missing(body: BlobsMissingRequest, authorization: Auth = None) -> BlobsMissingResponse:
        with _authed(state, authorization) as (session, caller):
            return BlobsMissingResponse(missing=blob_service.missing(session, caller, body.hashes))

    @app.put(
        "/blobs/{sha256}",
        response_model=BlobUploadResponse,
        responses=ERRORS,
        tags=["blobs"],
        openapi_extra=_binary_body(),
    )
    async def blob_upload(
        sha256: str,
        request: Request,
        authorization: Auth = None,
        content_range: ContentRange = None,
    ) -> BlobUploadResponse:
        blob_service.check_sha(sha256)
        try:
            declared = parse_content_range(content_range) if content_range else None
        except ValueError as error:
            raise ApiError(400, ErrorCode.BAD_REQUEST, f"Content-Range 不正确：{error}") from None
        spool = state.storage.spool()
        try:
            chunk = await blob_service.receive(request.stream(), spool)
            start, end, total = declared or (0, chunk.size, chunk.size)
            if end - start != chunk.size:
                raise ApiError(400, ErrorCode.BAD_REQUEST, "Content-Range 与请求体长度不符")

            def work() -> BlobUploadResponse:
                with _authed(state, authorization) as (session, caller):
                    return blob_service.upload(session, state.storage, caller, sha256, start, total, chunk)

            return await run_in_threadpool(work)
        finally:
            spool.unlink(missing_ok=True)

    @app.post(
        "/blobs",
        response_model=BlobBatchResponse,
        responses=ERRORS,
        tags=["blobs"],
        openapi_extra=_binary_body(
            'Protocol 2. A `BlobBatch` manifest as one line of JSON (`{"blobs": [{"sha256": …, "size": …}]}` and a'
            f" newline), then each blob's bytes in the manifest's order: at most {MAX_BLOB_BATCH} whole blobs,"
            f" {MAX_BLOB_BATCH_BYTES // (1024 * 1024)} MB together. Every blob is verified before any is kept"
            " (422 blob_hash_mismatch keeps none)."
        ),
    )
    async def blob_batch(request: Request, authorization: Auth = None) -> BlobBatchResponse:
        """A batch's photos in one request, one transaction and one answer, instead of one of each per photo."""
        spools: list[Path] = []
        try:
            blobs = await blob_service.receive_batch(request.stream(), state.storage, spools)

            def work() -> BlobBatchResponse:
                with _authed(state, authorization) as (session, caller):
                    return BlobBatchResponse(blobs=blob_service.store_whole(session, state.storage, caller, blobs))

            return await run_in_threadpool(work)
        finally:
            for spool in spools:
                spool.unlink(missing_ok=True)

    @app.get("/changes", response_model=ChangesPage, responses=ERRORS, tags=["sync"])
    def changes(
        authorization: Auth = None,
        since: Annotated[FeedSeq, Query()] = 0,
        limit: Annotated[int, Query(ge=1, le=100_000)] = 1000,
    ) -> Response:
        with _authed(state, authorization) as (session, caller):
            page = feed_changes(session, caller, since, limit)
        return Response(page.model_dump_json(), media_type="application/json")  # built from stored rows: no re-check

    @app.get("/device/policy", response_model=DevicePolicy, responses=ERRORS, tags=["sync"])
    def policy(authorization: Auth = None) -> DevicePolicy:
        with _authed(state, authorization) as (session, caller):
            return device_policy(session, caller)

    @app.get("/audits/{audit_id}/records", response_model=AuditRecords, responses=ERRORS, tags=["sync"])
    def audit_records(audit_id: Identifier, authorization: Auth = None) -> AuditRecords:
        with _authed(state, authorization) as (session, caller):
            return archive_records(session, caller, audit_id)

    @app.get(
        "/audits/{audit_id}/blobs/{sha256}",
        responses={**ERRORS, 200: {"content": {"application/octet-stream": {}}}},
        response_class=Response,
        tags=["blobs"],
    )
    def audit_blob(audit_id: Identifier, sha256: str, authorization: Auth = None) -> Response:
        with (
            _authed(state, authorization) as (session, caller),
            open_audit_blob(session, state.storage, caller, audit_id, sha256) as file,
        ):
            return Response(file.read(), media_type="application/octet-stream")

    @app.get("/records/{entity}", response_model=RecordList, responses=ERRORS, tags=["office"])
    def list_records(
        entity: EntityName,
        authorization: Auth = None,
        after: Identifier | None = None,
        limit: Annotated[int, Query(ge=1, le=1000)] = 200,
    ) -> RecordList:
        with _authed(state, authorization) as (session, caller):
            query = select(Record).where(Record.entity == entity, Record.deleted.is_(False), read_scope(caller))
            if after:
                query = query.where(Record.entity_id > after)
            records = session.scalars(query.order_by(Record.entity_id).limit(limit + 1)).all()
            page = [_record_out(record) for record in records[:limit]]
            return RecordList(records=page, next_after=page[-1].entity_id if len(records) > limit else None)

    @app.get("/records/{entity}/{entity_id}", response_model=RecordOut, responses=ERRORS, tags=["office"])
    def get_record(entity: EntityName, entity_id: Identifier, authorization: Auth = None) -> RecordOut:
        with _authed(state, authorization) as (session, caller):
            record = session.get(Record, (entity, entity_id))
            if record is None or record.deleted:
                raise not_found()
            if not can_read(caller, record):
                raise forbidden()
            return _record_out(record)

    @app.patch("/enterprises/{entity_id}", response_model=MutationResult, responses=ERRORS, tags=["office"])
    def edit_enterprise(entity_id: Identifier, body: EnterpriseEdit, authorization: Auth = None) -> MutationResult:
        with _authed(state, authorization) as (session, caller):
            require_office(caller)
            record = session.get(Record, ("enterprise", entity_id))
            if record is None or record.deleted:
                raise not_found("企业不存在")
            if not can_read(caller, record):
                raise forbidden()
            payload = {**body.fields, "updated_at": utcnow().isoformat()}
            return apply_enterprise(
                session,
                caller,
                f"office-{record.seq}",
                entity_id,
                payload,
                base_version=body.base_version,
                insert=False,
            )

    @app.delete("/enterprises/{entity_id}", response_model=RecordOut, responses=ERRORS, tags=["office"])
    def delete_enterprise(entity_id: Identifier, authorization: Auth = None) -> RecordOut:
        with _authed(state, authorization) as (session, caller):
            require_office(caller)
            record = session.get(Record, ("enterprise", entity_id))
            if record is None or record.deleted:
                raise not_found("企业不存在")
            if not can_read(caller, record):
                raise forbidden()
            tombstone(session, record, caller.writer)
            return _record_out(record)

    @app.get("/conflicts", response_model=ConflictList, responses=ERRORS, tags=["office"])
    def conflicts(authorization: Auth = None, limit: Annotated[int, Query(ge=1, le=1000)] = 200) -> ConflictList:
        with _authed(state, authorization) as (session, caller):
            query = select(ConflictEntry).where(ConflictEntry.district_id == caller.district_id)
            if caller.role not in OFFICE_ROLES:
                query = query.where(ConflictEntry.user_id == caller.user_id)
            rows = session.scalars(query.order_by(ConflictEntry.id.desc()).limit(limit)).all()
            return ConflictList(
                conflicts=[
                    ConflictOut(
                        id=row.id,
                        entity=row.entity,
                        entity_id=row.entity_id,
                        field=row.field,
                        proposed_value=row.proposed_value,
                        server_value=row.server_value,
                        resolution=row.resolution,
                        is_proposal=row.is_proposal,
                        created_at=row.created_at.isoformat(),
                    )
                    for row in rows
                ]
            )

    @app.get(
        "/verify/{notice_id}",
        response_model=NoticeVerification,
        responses={**ERRORS, 200: {"content": {"text/html": {"schema": {"type": "string"}}}}},
        tags=["public"],
    )
    def verify(notice_id: Identifier, request: Request, h: Annotated[str, Query(max_length=128)] = "") -> Any:
        with state.unit() as (session, _):
            result = verify_notice(session, notice_id, h)
        accept = request.headers.get("accept", "")
        if "text/html" in accept and "application/json" not in accept.split(",")[0]:
            return HTMLResponse(_verify_html(result))
        return result

    # The console's routes after the protocol's: a route is found by trying each in turn, and a laptop's requests
    # (hundreds per sync) then pass no console route on the way. Edge stays the outermost middleware.
    install_console(app, db, settings)
    app.add_middleware(Edge, authenticate=authenticate)
    return app
