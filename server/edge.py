"""The edge of the server: what every request passes before a route sees it, as one pure ASGI middleware.

- The protocol header, when sent, must be ASCII digits (400 otherwise: "²" and 5,000 digits are not versions);
  a client older than ``MIN_CLIENT_VERSION`` gets 426 and the plain message.
- Every route but the public ones (``PUBLIC_PATHS``) needs a valid bearer token, checked *before* the body is
  read: an unauthenticated upload is refused with 401 without the server taking in a byte of it.
- Each route has a body cap (``body_limit``): a declared ``Content-Length`` over it is refused with 413 before
  reading, and a body streamed without one is cut off with 413 the moment it passes the cap.

Input validation itself lives in the protocol models (``app.sync.protocol``); scope in :mod:`server.policy`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.sync.protocol import (
    AUTH_SCHEME,
    MAX_BLOB_BATCH_BYTES,
    MAX_BLOB_CHUNK,
    MAX_JSON_BYTES,
    MAX_PUSH_BYTES,
    MIN_CLIENT_VERSION,
    PROTOCOL_HEADER,
    PROTOCOL_VERSION,
    ErrorCode,
    parse_protocol_version,
)
from server.errors import ApiError, error_response, unauthenticated

PUBLIC_PATHS = frozenset({"/info", "/auth/sign-in", "/openapi.json", "/docs", "/docs/oauth2-redirect", "/redoc"})
PUBLIC_PREFIXES = ("/verify/", "/console/")
"""Anyone may verify a notice by its QR code; everything else of the API needs a signed-in device. The office
console is not a device API: its browsers sign in with a session cookie, checked by every console route
(:mod:`server.console.sessions`), and its scope is decided in :mod:`server.policy` like the API's."""
CONSOLE_UPLOADS = ("/risk/import", "/admin/templates")
CONSOLE_UPLOAD_BYTES = 12 * 1024 * 1024
"""A departmental sheet (10 MB at most, :mod:`server.console.indicators`) or template snapshots, with the form."""

Authenticate = Callable[[str], Awaitable[None]]
"""Checks a bearer token (raises :class:`ApiError` 401/403); runs before any body is read."""


def is_public(path: str) -> bool:
    return path in PUBLIC_PATHS or path.startswith(PUBLIC_PREFIXES)


def body_limit(method: str, path: str) -> int:
    """The largest body a route takes: a push batch, a blob chunk, a batch of blobs, or (everything else) a small
    JSON document."""
    if method == "POST" and path == "/sync/push":
        return MAX_PUSH_BYTES
    if method == "PUT" and path.startswith("/blobs/"):
        return MAX_BLOB_CHUNK
    if method == "POST" and path == "/blobs":
        return MAX_BLOB_BATCH_BYTES + MAX_JSON_BYTES  # the blobs and their manifest line
    if method == "POST" and path.startswith("/console/") and path.endswith(CONSOLE_UPLOADS):
        return CONSOLE_UPLOAD_BYTES
    return MAX_JSON_BYTES


class BodyTooLarge(HTTPException):
    """Raised from ``receive`` when a streamed body passes its route's cap (FastAPI passes it on as it is)."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"请求体过大（此接口最多 {limit // 1024} KB）")


def _too_old() -> ApiError:
    return ApiError(
        426,
        ErrorCode.CLIENT_TOO_OLD,
        "客户端版本过旧，请先更新“劳动用工法治体检”再同步",
        min_client_version=MIN_CLIENT_VERSION,
    )


class Edge:
    def __init__(self, app: ASGIApp, authenticate: Authenticate) -> None:
        self.app = app
        self.authenticate = authenticate

    async def _admit(self, scope: Scope, headers: Headers) -> int:
        """Raise :class:`ApiError` unless the request may go on; returns its body cap."""
        sent = headers.get(PROTOCOL_HEADER)
        if sent is not None:
            try:
                version = parse_protocol_version(sent)
            except ValueError:
                raise ApiError(400, ErrorCode.BAD_REQUEST, "协议版本格式不正确") from None
            if version < MIN_CLIENT_VERSION:
                raise _too_old()
        method, path = scope["method"], scope["path"]
        if not is_public(path):
            scheme, _, token = (headers.get("authorization") or "").partition(" ")
            if scheme != AUTH_SCHEME or not token.strip():
                raise unauthenticated()
            await self.authenticate(token.strip())
        limit = body_limit(method, path)
        length = headers.get("content-length")
        if length is not None:
            if not length.isascii() or not length.isdigit():
                raise ApiError(400, ErrorCode.BAD_REQUEST, "Content-Length 不正确")
            if int(length) > limit:
                raise ApiError(413, ErrorCode.BODY_TOO_LARGE, f"请求体过大（此接口最多 {limit // 1024} KB）")
        return limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        try:
            limit = await self._admit(scope, headers)
        except ApiError as error:
            await error_response(error)(scope, receive, send)
            return
        received = 0

        async def capped_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        async def versioned_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"] = [
                    *message["headers"],
                    (PROTOCOL_HEADER.lower().encode(), str(PROTOCOL_VERSION).encode()),
                ]
            await send(message)

        await self.app(scope, capped_receive, versioned_send)
