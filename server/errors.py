"""Errors the API answers with: an HTTP status, a stable code from the protocol and a plain message."""

from __future__ import annotations

from app.sync.protocol import ErrorBody, ErrorCode


class ApiError(Exception):
    def __init__(
        self, status: int, code: ErrorCode, message: str, *, headers: dict[str, str] | None = None, **extra: int
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}
        self.extra = extra

    def body(self) -> ErrorBody:
        return ErrorBody(code=self.code, message=self.message, **self.extra)


class Refusal(Exception):
    """A single mutation refused (answered as ``rejected`` with the code, the batch goes on)."""

    def __init__(self, code: ErrorCode, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def unauthenticated(message: str = "请先登录", code: ErrorCode = ErrorCode.UNAUTHENTICATED) -> ApiError:
    return ApiError(401, code, message, headers={"WWW-Authenticate": "Bearer"})


def forbidden(message: str = "无权访问该数据") -> ApiError:
    return ApiError(403, ErrorCode.FORBIDDEN, message)


def not_found(message: str = "记录不存在") -> ApiError:
    return ApiError(404, ErrorCode.NOT_FOUND, message)
