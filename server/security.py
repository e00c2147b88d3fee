"""Passwords, device tokens and sign-in throttling.

Passwords are hashed with Argon2id (argon2-cffi). A device token is 32 random bytes; only its SHA-256 is stored,
so a stolen database does not yield working tokens, and revoking is one column.

Throttling: failed sign-ins are rows in the database (the throttle holds however many workers serve), counted per
(user name, client address). After ``FREE_FAILURES`` the next attempt from that address must wait a delay that
doubles with each further failure (``BASE_DELAY`` up to ``MAX_DELAY``); there is no lock, and nothing a stranger
does from elsewhere slows the coordinator's own address. The right password from a device already registered to
that user is never throttled, so guessing on a shared network cannot keep a coordinator from syncing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import bindparam, delete, func, select
from sqlalchemy.orm import Session

from app.sync.protocol import ErrorCode, Role
from server.errors import ApiError, unauthenticated
from server.models import Device, District, LoginFailure, User, utcnow

FREE_FAILURES = 5
"""Failures from one address before it has to wait."""
BASE_DELAY = dt.timedelta(seconds=10)
MAX_DELAY = dt.timedelta(minutes=15)
FAILURE_WINDOW = dt.timedelta(hours=24)
"""Failures older than this no longer count."""

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


def throttle_delay(failures: int) -> dt.timedelta:
    """How long an address must wait after its last failure, having failed ``failures`` times."""
    if failures < FREE_FAILURES:
        return dt.timedelta(0)
    delay: dt.timedelta = BASE_DELAY * 2 ** min(failures - FREE_FAILURES, 20)
    return min(delay, MAX_DELAY)


def check_rate_limit(session: Session, username: str, address: str, now: dt.datetime | None = None) -> None:
    """429 with ``Retry-After`` while this (name, address) still has to wait."""
    now = now or utcnow()
    failures, last = session.execute(
        select(func.count(), func.max(LoginFailure.at)).where(
            LoginFailure.username == username, LoginFailure.address == address, LoginFailure.at > now - FAILURE_WINDOW
        )
    ).one()
    if not failures or last is None:
        return
    if last.tzinfo is None:
        last = last.replace(tzinfo=dt.UTC)
    wait = last + throttle_delay(int(failures)) - now
    if wait > dt.timedelta(0):
        seconds = max(1, int(wait.total_seconds() + 0.999))
        raise ApiError(
            429,
            ErrorCode.RATE_LIMITED,
            f"登录失败次数过多，请 {seconds} 秒后再试",
            headers={"Retry-After": str(seconds)},
        )


def record_failure(session: Session, username: str, address: str) -> None:
    session.add(LoginFailure(username=username, address=address))


def clear_failures(session: Session, username: str, address: str) -> None:
    session.execute(delete(LoginFailure).where(LoginFailure.username == username, LoginFailure.address == address))


def known_device(session: Session, username: str, device_id: str) -> bool:
    """The device is registered to this user and not revoked: its right password is never throttled."""
    row = session.execute(
        select(Device.revoked_at)
        .join(User, User.id == Device.user_id)
        .where(Device.id == device_id, User.username == username)
    ).one_or_none()
    return row is not None and row.revoked_at is None


def authenticate_password(session: Session, username: str, password: str) -> User | None:
    """The user when name and password match (constant work either way), else None."""
    user = session.scalars(select(User).where(User.username == username)).one_or_none()
    if user is None:
        verify_password(_DUMMY_HASH, password)
        return None
    return user if verify_password(user.password_hash, password) else None


_DEVICE, _USER, _DISTRICT = Device.__table__.c, User.__table__.c, District.__table__.c
_CALLER = (
    select(
        _DEVICE.id,
        _DEVICE.revoked_at,
        _USER.id,
        _USER.username,
        _USER.role,
        _USER.disabled,
        _DISTRICT.id,
        _DISTRICT.name,
    )
    .join_from(Device.__table__, User.__table__, _USER.id == _DEVICE.user_id)
    .join(District.__table__, _DISTRICT.id == _USER.district_id)
    .where(_DEVICE.token_hash == bindparam("token_hash"))
)
"""Every request resolves its caller: one statement of plain table columns, built (and so compiled) once; on the
tables rather than the mapped classes, so the ORM's per-statement bookkeeping (a fifth of a photo upload's CPU)
is skipped."""


def caller_for_token(session: Session, token: str) -> Caller:
    """Resolve a bearer token; a revoked device or a disabled user is refused at once."""
    row = session.execute(_CALLER, {"token_hash": token_digest(token)}).one_or_none()
    if row is None:
        raise unauthenticated("登录已失效，请重新登录")
    device_id, revoked_at, user_id, username, role, disabled, district_id, district = row
    if revoked_at is not None:
        raise unauthenticated("此设备的授权已被撤销，请联系区办", ErrorCode.TOKEN_REVOKED)
    if disabled:
        raise ApiError(403, ErrorCode.USER_DISABLED, "该账号已停用，请联系区办")
    return Caller(
        user_id=user_id,
        username=username,
        role=Role(role),
        district_id=district_id,
        district=district,
        device_id=device_id,
    )
