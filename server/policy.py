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
from server.models import Record
from server.security import Caller


class Scoped(Protocol):
    """What scope is decided on: a stored :class:`Record`, or a row as a push batch sees it."""

    @property
    def entity(self) -> str: ...

    @property
    def district_id(self) -> int | None: ...

    @property
    def owner_id(self) -> int | None: ...


REFERENCE_ENTITIES = frozenset({"enterprise", "template", "campaign", "risk_indicator", "publication"})
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
