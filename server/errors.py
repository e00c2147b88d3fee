"""Errors the API answers with: an HTTP status, a stable code from the protocol and a plain message."""

from __future__ import annotations

from starlette.responses import JSONResponse

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


def error_response(error: ApiError) -> JSONResponse:
    return JSONResponse(error.body().model_dump(mode="json", exclude_none=True), error.status, headers=error.headers)


class Refusal(Exception):
    """A single mutation refused (answered as ``rejected`` with the code, the batch goes on)."""

    def __init__(self, code: ErrorCode, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    STATUS = {
        ErrorCode.FORBIDDEN: 403,
        ErrorCode.NOT_FOUND: 404,
        ErrorCode.VALIDATION: 422,
        ErrorCode.UNKNOWN_ENTITY: 422,
    }

    def as_api_error(self) -> ApiError:
        """The same refusal answered by a route of its own (an office edit): 403, 404, 422 or else 409."""
        return ApiError(self.STATUS.get(self.code, 409), self.code, self.message)


def unauthenticated(message: str = "请先登录", code: ErrorCode = ErrorCode.UNAUTHENTICATED) -> ApiError:
    return ApiError(401, code, message, headers={"WWW-Authenticate": "Bearer"})


def forbidden(message: str = "无权访问该数据") -> ApiError:
    return ApiError(403, ErrorCode.FORBIDDEN, message)


def not_found(message: str = "记录不存在") -> ApiError:
    return ApiError(404, ErrorCode.NOT_FOUND, message)
