"""Authorisation, in one place: what a caller may read and write, by district, role and owner.

Every route and every mutation asks here; nothing else in the server decides scope.

- Reference data (enterprises, templates, campaigns, risk indicators, office publications) is readable by
  everyone in its district (templates and province-wide publications have no district: everyone reads them).
  Enterprises are written by anyone in their district, under the merge policy (:mod:`server.merge`); templates,
  campaigns, risk indicators and publications only by the office's tools.
- Audit data (an audit and what hangs on it) belongs to the coordinator who made it: only they write it; the
  office and admins of the same district read it; nobody outside the district sees it at all.
"""

from __future__ import annotations

from typing import Any, Protocol

from sqlalchemy import ColumnElement, and_, or_

from app.sync.protocol import ErrorCode, Role
from server.errors import Refusal, forbidden
from server.models import District, Record
from server.security import Caller


class Scoped(Protocol):
    """What scope is decided on: a stored :class:`Record`, or a row as a push batch sees it."""

    @property
    def entity(self) -> str: ...

    @property
    def district_id(self) -> int | None: ...

    @property
    def owner_id(self) -> int | None: ...


REFERENCE_ENTITIES = frozenset(
    {
        "enterprise",
        "template",
        "campaign",
        "risk_indicator",
        "publication",
        "visit_plan",
        "visit_assignment",
    }
)
OWNED_ENTITIES = frozenset(
    {
        "audit",
        "audit_module",
        "answer",
        "attachment",
        "finding",
        "rectification_item",
        "follow_up",
        "notice",
        "change_history",
        "wage_check",
    }
)
APPEND_ONLY_ENTITIES = frozenset({"change_history"})
"""Written once, never updated or deleted (the change history a reviewer relies on)."""
PUSHABLE_ENTITIES = OWNED_ENTITIES | {"enterprise"}
OFFICE_ROLES = frozenset({Role.OFFICE, Role.ADMIN})


SHARED_ITEM_ENTITY = "rectification_item"
"""Other coordinators' items of the caller's district travel in the feed as a status summary (see feed.py)."""


def feed_scope(caller: Caller) -> ColumnElement[bool]:
    """The rows of the change feed a caller receives: reference data of their district and global rows, and the
    rectification items of the other coordinators in their district (their status, so a colleague visiting the
    same enterprise knows what is still open)."""
    return or_(
        and_(
            Record.entity.in_(sorted(REFERENCE_ENTITIES)),
            or_(Record.district_id == caller.district_id, Record.district_id.is_(None)),
        ),
        and_(
            Record.entity == SHARED_ITEM_ENTITY,
            Record.district_id == caller.district_id,
            Record.owner_id != caller.user_id,
        ),
    )


def read_scope(caller: Caller) -> ColumnElement[bool]:
    """Rows a caller may read through the record API."""
    in_district = or_(Record.district_id == caller.district_id, Record.district_id.is_(None))
    if caller.role in OFFICE_ROLES:
        return in_district
    return and_(in_district, or_(Record.entity.in_(sorted(REFERENCE_ENTITIES)), Record.owner_id == caller.user_id))


def can_read(caller: Caller, record: Scoped) -> bool:
    if record.district_id is not None and record.district_id != caller.district_id:
        return False
    if record.entity in REFERENCE_ENTITIES or caller.role in OFFICE_ROLES:
        return True
    return record.owner_id == caller.user_id


def visible_data(caller: Caller, record: Record) -> dict[str, Any] | None:
    """A record's fields for an answer to ``caller`` (a conflict's ``server_fields``): None outside their scope, so
    a conflict never tells anyone what they could not read."""
    return record.data if can_read(caller, record) else None


def require_office(caller: Caller) -> None:
    if caller.role not in OFFICE_ROLES:
        raise forbidden("只有区办人员可以进行此操作")


def check_write(caller: Caller, entity: str, existing: Scoped | None, parent: Scoped | None) -> None:
    """Raise :class:`Refusal` unless ``caller`` may write this mutation.

    ``parent`` is the audit an owned record hangs on (None when it names none); an unknown parent was refused
    before this is called.
    """
    if entity not in PUSHABLE_ENTITIES:
        raise Refusal(ErrorCode.FORBIDDEN, "该类数据只能由区办发布")
    if existing is not None and existing.district_id is not None and existing.district_id != caller.district_id:
        raise Refusal(ErrorCode.FORBIDDEN, "不能修改其他区县的数据")
    if entity == "enterprise":
        return
    if existing is not None and existing.owner_id != caller.user_id:
        raise Refusal(ErrorCode.FORBIDDEN, "只能修改本人的体检记录")
    if parent is not None:
        if parent.district_id != caller.district_id:
            raise Refusal(ErrorCode.FORBIDDEN, "不能修改其他区县的数据")
        if parent.owner_id != caller.user_id:
            raise Refusal(ErrorCode.FORBIDDEN, "只能修改本人的体检记录")


def check_reference(caller: Caller, referenced: Scoped) -> None:
    """A written record may point only at reference data the caller can see (their district's enterprises)."""
    if referenced.district_id is not None and referenced.district_id != caller.district_id:
        raise Refusal(ErrorCode.FORBIDDEN, "不能引用其他区县的企业")


# --- the office console ---------------------------------------------------------------------------------------

CITY_ROLE = "city"
"""A city's staff (not a protocol role: they never sync a laptop). They see their city's districts, read-only."""


class ConsoleUser(Protocol):
    """Who is using the console (``server.console.sessions.Viewer``)."""

    @property
    def user_id(self) -> int: ...
    @property
    def role(self) -> str: ...
    @property
    def district_id(self) -> int | None: ...
    @property
    def city_id(self) -> int | None: ...


def console_can_view(user: ConsoleUser, district: District) -> bool:
    """A district's pages: its own users, and the users of the city it belongs to."""
    if user.role == CITY_ROLE:
        return user.city_id is not None and district.city_id == user.city_id
    return district.id == user.district_id


def console_can_act(user: ConsoleUser, district: District) -> bool:
    """Acting on the district (plans, imports, follow-up, conflicts, registry edits): its office and admins."""
    return user.role in OFFICE_ROLES and district.id == user.district_id


def console_can_administer(user: ConsoleUser, district: District) -> bool:
    """Users, devices, retention, campaigns, publishing, the office log: the district's admins."""
    return user.role == Role.ADMIN and district.id == user.district_id


def console_own_only(user: ConsoleUser) -> int | None:
    """A coordinator sees only their own work in the console (read-only): their user id, else None (everything)."""
    return user.user_id if user.role == Role.COORDINATOR else None


def console_can_read(user: ConsoleUser, district: District, record: Record) -> bool:
    """One record on a district page (the page's district already passed :func:`console_can_view`)."""
    if record.deleted or record.district_id not in (district.id, None):
        return False
    own = console_own_only(user)
    return own is None or record.entity in REFERENCE_ENTITIES or record.owner_id == own
