"""The HTTP side of sync: one httpx client speaking ``app.sync.protocol``, errors turned into plain words.

Every request carries the protocol version. An answer is mapped to a typed :class:`SyncError` whose message a
coordinator can act on; ``retryable`` says whether trying again later may help (a cut connection, a 5xx),
which is also when the caller knows nothing about the request's fate and must resend it as it was.
"""

from __future__ import annotations

import functools
import ssl
from collections.abc import Callable, Iterator
from typing import Any, TypeVar
from urllib.parse import quote

import httpx
from pydantic import BaseModel, ValidationError

from app.sync.protocol import (
    AUTH_SCHEME,
    BLOB_CHUNK,
    PROTOCOL_HEADER,
    PROTOCOL_VERSION,
    AuditRecords,
    BlobBatchResponse,
    BlobsMissingRequest,
    BlobsMissingResponse,
    BlobUploadResponse,
    ChangesPage,
    DevicePolicy,
    ErrorBody,
    ErrorCode,
    PushRequest,
    PushResponse,
    ServerInfo,
    SignInRequest,
    SignInResponse,
    TemplateProblemReceipt,
    TemplateProblemReport,
    blob_batch_body,
    content_range,
)
from core.errors import LaborCheckError

Model = TypeVar("Model", bound=BaseModel)


@functools.cache
def tls_context() -> ssl.SSLContext:
    """The certificate store, loaded once per process and shared by every client (a context is safe to share):
    httpx would otherwise load certifi's bundle again for each client, ~20 ms of CPU at the start of every sync."""
    return httpx.create_ssl_context()


class SyncError(LaborCheckError):
    """A sync step failed; ``code`` is the server's stable code (or a local one), ``retryable`` if worth retrying."""

    retryable = False

    def __init__(self, message: str, code: str = "error", status: int | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.status = status


class ServerUnreachable(SyncError):
    retryable = True


class ClientTooOld(SyncError):
    pass


class SignInRequired(SyncError):
    pass


class AccessRefused(SyncError):
    pass


class CursorExpired(SyncError):
    pass


class BlobOffsetMismatch(SyncError):
    retryable = True

    def __init__(self, message: str, committed: int | None) -> None:
        super().__init__(message, ErrorCode.BLOB_OFFSET.value, 409)
        self.committed = committed


UPDATE_MESSAGE = (
    "本软件版本过旧，服务器已不再接受：请先更新“劳动用工法治体检”，再进行同步。未同步的数据仍安全保存在本机。"
)


def _error_for(response: httpx.Response) -> SyncError:
    status = response.status_code
    try:
        body = ErrorBody.model_validate(response.json())
        code, message = body.code.value, body.message
    except (ValueError, ValidationError):
        code, message = "http_error", f"服务器返回错误（HTTP {status}）"
    if status == 426:
        return ClientTooOld(UPDATE_MESSAGE, code, status)
    if status >= 500 or (status in (408, 429) and code != ErrorCode.RATE_LIMITED.value):
        return ServerUnreachable(f"服务器暂时不可用（HTTP {status}），请稍后重试", code, status)
    if status == 401 and code == ErrorCode.BAD_CREDENTIALS.value:
        return AccessRefused(message, code, status)
    if status == 401:
        return SignInRequired(message, code, status)
    if status == 403:
        return AccessRefused(message, code, status)
    if status == 410:
        return CursorExpired(message, code, status)
    if status == 409 and code == ErrorCode.BLOB_OFFSET.value:
        header = response.headers.get("Upload-Offset", "")
        return BlobOffsetMismatch(message, int(header) if header.isdigit() else None)
    return SyncError(message, code, status)


class SyncClient:
    """A connection to one district server. ``transport`` lets tests route through a proxy or an ASGI app."""

    def __init__(
        self,
        server_url: str,
        *,
        token: str | None = None,
        timeout: float = 30.0,
        protocol_version: int = PROTOCOL_VERSION,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.server_url = server_url.rstrip("/")
        self.token = token
        self._http = httpx.Client(
            base_url=self.server_url,
            timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
            headers={PROTOCOL_HEADER: str(protocol_version)},
            transport=transport,
            verify=tls_context(),
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> SyncClient:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def _request(self, method: str, path: str, *, auth: bool = True, **kwargs: Any) -> httpx.Response:
        headers = dict(kwargs.pop("headers", {}))
        if auth:
            if not self.token:
                raise SignInRequired("请先登录服务器", ErrorCode.UNAUTHENTICATED.value)
            headers["Authorization"] = f"{AUTH_SCHEME} {self.token}"
        try:
            response = self._http.request(method, path, headers=headers, **kwargs)
        except httpx.TransportError as error:
            raise ServerUnreachable(f"无法连接服务器（{type(error).__name__}），请检查网络后重试", "network") from error
        if response.status_code >= 400:
            raise _error_for(response)
        return response

    def _parse(self, response: httpx.Response, model: type[Model]) -> Model:
        try:
            return model.model_validate_json(response.content)
        except (ValueError, ValidationError) as error:
            raise ServerUnreachable("服务器的应答不完整，请重试", "bad_response") from error

    def info(self) -> ServerInfo:
        return self._parse(self._request("GET", "/info", auth=False), ServerInfo)

    def sign_in(self, request: SignInRequest) -> SignInResponse:
        response = self._parse(
            self._request("POST", "/auth/sign-in", auth=False, json=request.model_dump(mode="json")), SignInResponse
        )
        self.token = response.token
        return response

    def push(self, request: PushRequest) -> PushResponse:
        return self.push_json(request.model_dump_json().encode())

    def push_json(self, body: bytes) -> PushResponse:
        """Push a ``PushRequest`` already written as JSON (the outbox writes it around its stored payload texts)."""
        headers = {"Content-Type": "application/json"}
        return self._parse(self._request("POST", "/sync/push", content=body, headers=headers), PushResponse)

    def blobs_missing(self, hashes: list[str]) -> BlobsMissingResponse:
        body = BlobsMissingRequest(hashes=hashes).model_dump(mode="json")
        return self._parse(self._request("POST", "/blobs/missing", json=body), BlobsMissingResponse)

    def upload_batch(
        self, blobs: list[tuple[str, bytes]], sent: Callable[[int], None] | None = None
    ) -> BlobBatchResponse:
        """Several whole blobs in one ``POST /blobs`` (a server of protocol ``BLOB_BATCH_VERSION`` or later).

        The body goes out ``BLOB_CHUNK`` bytes at a time and ``sent`` hears of each piece's blob bytes as it is
        handed to the connection, so a progress bar moves during a batch of several megabytes on a slow line."""
        body = memoryview(blob_batch_body(blobs))
        head = len(body) - sum(len(data) for _, data in blobs)  # the manifest line

        def pieces() -> Iterator[bytes]:
            for start in range(0, len(body), BLOB_CHUNK):
                end = min(start + BLOB_CHUNK, len(body))
                yield bytes(body[start:end])
                if sent is not None and end > head:
                    sent(end - max(start, head))

        headers = {"Content-Type": "application/octet-stream", "Content-Length": str(len(body))}
        response = self._request("POST", "/blobs", content=pieces(), headers=headers)
        return self._parse(response, BlobBatchResponse)

    def upload_chunk(self, sha256: str, start: int, data: bytes, total: int) -> BlobUploadResponse:
        headers = {
            "Content-Range": content_range(start, start + len(data), total),
            "Content-Type": "application/octet-stream",
        }
        response = self._request("PUT", f"/blobs/{sha256}", content=data, headers=headers)
        return self._parse(response, BlobUploadResponse)

    def changes(self, since: int, limit: int) -> ChangesPage:
        response = self._request("GET", "/changes", params={"since": since, "limit": limit})
        return self._parse(response, ChangesPage)

    def policy(self) -> DevicePolicy:
        return self._parse(self._request("GET", "/device/policy"), DevicePolicy)

    def report_template_problem(self, report: TemplateProblemReport) -> TemplateProblemReceipt:
        response = self._request("POST", "/templates/problems", json=report.model_dump(mode="json"))
        return self._parse(response, TemplateProblemReceipt)

    def audit_records(self, audit_id: str) -> AuditRecords:
        return self._parse(self._request("GET", f"/audits/{quote(audit_id, safe='')}/records"), AuditRecords)

    def audit_blob(self, audit_id: str, sha256: str) -> bytes:
        """One blob of an audit; the caller checks its SHA-256 before storing it."""
        return self._request("GET", f"/audits/{quote(audit_id, safe='')}/blobs/{quote(sha256, safe='')}").content
