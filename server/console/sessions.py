"""Console sign-in: cookie sessions, CSRF tokens, expiry, sign-out and password change.

The browser holds a random session token in an HttpOnly, SameSite=Strict cookie (Secure behind HTTPS); the server
keeps only its SHA-256, with the user, a per-session CSRF token, the language and two clocks: the session ends
after ``console_idle`` without a request and ``console_lifetime`` after sign-in, and at sign-out, at a password
change (every session of the user) and when the user is disabled. Every form carries the CSRF token, compared
in constant time; the sign-in form, which has no session yet, uses a double-submit cookie.

Sign-in shares the sync API's rate limit (failed attempts counted per user name in the database).
"""

from __future__ import annotations

import datetime as dt
import hmac
import secrets
from dataclasses import dataclass

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from server.config import ServerSettings
from server.console.markers import T
from server.console.models import ConsoleSession
from server.errors import ApiError
from server.models import City, District, User, utcnow
from server.security import (
    authenticate_password,
    check_rate_limit,
    clear_failures,
    hash_password,
    record_failure,
    token_digest,
    verify_password,
)

SESSION_COOKIE = "lc_console"
LOGIN_CSRF_COOKIE = "lc_login_csrf"
LANGUAGE_COOKIE = "lc_lang"
LANGUAGES = ("zh", "en")
TOUCH_EVERY = dt.timedelta(seconds=30)
MIN_PASSWORD = 8


class SignInRefused(Exception):
    """Why a sign-in or a password change failed, in Chinese (shown translated)."""


@dataclass(frozen=True)
class Viewer:
    """The signed-in console user (satisfies :class:`server.policy.ConsoleUser`)."""

    user_id: int
    username: str
    display_name: str
    role: str
    district_id: int | None
    district: str
    city_id: int | None
    city: str
    token_hash: str
    csrf_token: str
    language: str


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def tokens_match(given: str | None, expected: str) -> bool:
    return bool(given) and hmac.compare_digest(str(given).encode(), expected.encode())


def sign_in(
    session: Session, settings: ServerSettings, username: str, password: str, language: str, address: str = ""
) -> tuple[str, Viewer]:
    """Check the password and open a session; returns the cookie token and the viewer. Failed attempts are
    throttled per (name, address), as the sync API's sign-in does."""
    try:
        check_rate_limit(session, username, address)
    except ApiError as error:
        raise SignInRefused(error.message) from None
    user = authenticate_password(session, username, password)
    if user is None:
        record_failure(session, username, address)
        raise SignInRefused(T("用户名或密码不正确"))
    if user.disabled:
        raise SignInRefused(T("该账号已停用，请联系区办"))
    clear_failures(session, username, address)
    token = new_secret()
    now = utcnow()
    row = ConsoleSession(
        token_hash=token_digest(token),
        user_id=user.id,
        csrf_token=new_secret(),
        language=language if language in LANGUAGES else "zh",
        created_at=now,
        last_seen_at=now,
        expires_at=now + settings.console_lifetime,
    )
    session.add(row)
    session.flush()
    return token, _viewer(session, row, user)


def _viewer(session: Session, row: ConsoleSession, user: User) -> Viewer:
    district = session.get(District, user.district_id) if user.district_id is not None else None
    city_id = user.city_id if user.city_id is not None else (district.city_id if district is not None else None)
    city = session.get(City, city_id) if city_id is not None else None
    return Viewer(
        user_id=user.id,
        username=user.username,
        display_name=user.display_name or user.username,
        role=user.role,
        district_id=user.district_id,
        district=district.name if district is not None else "",
        city_id=city_id,
        city=city.name if city is not None else "",
        token_hash=row.token_hash,
        csrf_token=row.csrf_token,
        language=row.language,
    )


def resolve(session: Session, settings: ServerSettings, token: str | None) -> Viewer | None:
    """The viewer of a session cookie, or None when there is none, it expired, or the user was disabled."""
    if not token:
        return None
    found = session.execute(
        select(ConsoleSession, User)
        .join(User, User.id == ConsoleSession.user_id)
        .where(ConsoleSession.token_hash == token_digest(token))
    ).one_or_none()
    if found is None:
        return None
    row, user = found
    now = utcnow()
    if user.disabled or now >= row.expires_at or now - row.last_seen_at >= settings.console_idle:
        session.delete(row)
        return None
    if now - row.last_seen_at >= TOUCH_EVERY:
        row.last_seen_at = now
    return _viewer(session, row, user)


def sign_out(session: Session, viewer: Viewer) -> None:
    session.execute(delete(ConsoleSession).where(ConsoleSession.token_hash == viewer.token_hash))


def set_language(session: Session, viewer: Viewer, language: str) -> None:
    if language in LANGUAGES:
        session.execute(
            update(ConsoleSession).where(ConsoleSession.token_hash == viewer.token_hash).values(language=language)
        )


def check_new_password(password: str, repeated: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise SignInRefused(T("新密码至少 8 位"))
    if password != repeated:
        raise SignInRefused(T("两次输入的新密码不一致"))


def change_password(session: Session, viewer: Viewer, current: str, new: str, repeated: str) -> None:
    """Change one's own password; every session of the user ends (this one too: sign in again)."""
    user = session.get_one(User, viewer.user_id)
    if not verify_password(user.password_hash, current):
        raise SignInRefused(T("当前密码不正确"))
    check_new_password(new, repeated)
    user.password_hash = hash_password(new)
    end_sessions(session, user.id)


def end_sessions(session: Session, user_id: int) -> None:
    """Sign a user out everywhere (password change or reset, disabling)."""
    session.execute(delete(ConsoleSession).where(ConsoleSession.user_id == user_id))


def purge_expired(session: Session, settings: ServerSettings) -> int:
    now = utcnow()
    result = session.execute(
        delete(ConsoleSession).where(
            (ConsoleSession.expires_at <= now) | (ConsoleSession.last_seen_at <= now - settings.console_idle)
        )
    )
    return int(getattr(result, "rowcount", 0) or 0)
