"""Passwords, device tokens and sign-in rate limiting.

Passwords are hashed with Argon2id (argon2-cffi). A device token is 32 random bytes; only its SHA-256 is stored,
so a stolen database does not yield working tokens, and revoking is one column. Failed sign-ins are rows in the
database, counted per user name over a window: the limit holds however many workers serve the requests.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from app.sync.protocol import ErrorCode, Role
from server.errors import ApiError, unauthenticated
from server.models import Device, District, LoginFailure, User, utcnow

MAX_FAILURES = 5
FAILURE_WINDOW = dt.timedelta(minutes=15)

_hasher = PasswordHasher()
_DUMMY_HASH = _hasher.hash("timing-equaliser")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Caller:
    """Who is asking: the user, their role and district, and the device the token belongs to."""

    user_id: int
    username: str
    role: Role
    district_id: int
    district: str
    device_id: str

    @property
    def writer(self) -> str:
        return f"device:{self.device_id}"


def check_rate_limit(session: Session, username: str, now: dt.datetime | None = None) -> None:
    now = now or utcnow()
    failures = session.scalar(
        select(func.count())
        .select_from(LoginFailure)
        .where(LoginFailure.username == username, LoginFailure.at > now - FAILURE_WINDOW)
    )
    if (failures or 0) >= MAX_FAILURES:
        raise ApiError(
            429,
            ErrorCode.RATE_LIMITED,
            "登录失败次数过多，请 15 分钟后再试",
            headers={"Retry-After": str(int(FAILURE_WINDOW.total_seconds()))},
        )


def record_failure(session: Session, username: str) -> None:
    session.add(LoginFailure(username=username))


def clear_failures(session: Session, username: str) -> None:
    session.execute(delete(LoginFailure).where(LoginFailure.username == username))


def authenticate_password(session: Session, username: str, password: str) -> User | None:
    """The user when name and password match (constant work either way), else None."""
    user = session.scalars(select(User).where(User.username == username)).one_or_none()
    if user is None:
        verify_password(_DUMMY_HASH, password)
        return None
    return user if verify_password(user.password_hash, password) else None


def caller_for_token(session: Session, token: str) -> Caller:
    """Resolve a bearer token; a revoked device or a disabled user is refused at once."""
    row = session.execute(
        select(Device, User, District)
        .join(User, User.id == Device.user_id)
        .join(District, District.id == User.district_id)
        .where(Device.token_hash == token_digest(token))
    ).one_or_none()
    if row is None:
        raise unauthenticated("登录已失效，请重新登录")
    device, user, district = row
    if device.revoked_at is not None:
        raise unauthenticated("此设备的授权已被撤销，请联系区办", ErrorCode.TOKEN_REVOKED)
    if user.disabled:
        raise ApiError(403, ErrorCode.USER_DISABLED, "该账号已停用，请联系区办")
    return Caller(
        user_id=user.id,
        username=user.username,
        role=Role(user.role),
        district_id=district.id,
        district=district.name,
        device_id=device.id,
    )
