"""The enterprise registry: add, change and look up the employers a coordinator visits.

Every write goes through :func:`normalise_input`, so the GUI form, the CLI and the ledger import accept and refuse
the same things with the same Chinese messages. The 统一社会信用代码 is the enterprise's identity: a second
enterprise with the same code is refused with the name of the one already registered, because the usual cause is
the same employer typed twice under slightly different names.

``Enterprise.name_initials`` is kept filled here (never by callers): it is what pinyin-initials search matches.
The services flush but do not commit; the caller's unit of work (``Database.session()``) decides.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audit.uscc import InvalidUSCC, normalise_uscc, validate_uscc
from app.models.enterprise import Enterprise
from core.errors import LaborCheckError
from core.initials import MAX_INITIAL_VARIANTS, name_initials

FIELD_LABELS: dict[str, str] = {
    "uscc": "统一社会信用代码",
    "name": "单位名称",
    "industry": "所属行业",
    "address": "地址",
    "district": "所属区县",
    "contact_name": "联系人",
    "contact_phone": "联系电话",
    "headcount_last_year_end": "上年底职工数量",
    "headcount": "目前职工数量",
    "is_key": "是否重点企业",
}
"""The ledger's Chinese column name of each field: used in messages, so they read like the ledger."""

_TEXT_LIMITS = {
    "name": 200,
    "industry": 100,
    "address": 300,
    "district": 100,
    "contact_name": 50,
    "contact_phone": 50,
}


@dataclasses.dataclass(frozen=True, kw_only=True)
class EnterpriseInput:
    """What a person or a ledger file says about an enterprise, before it is checked."""

    uscc: str
    name: str
    industry: str = ""
    address: str = ""
    district: str = ""
    contact_name: str = ""
    contact_phone: str = ""
    headcount_last_year_end: int | None = None
    headcount: int | None = None
    is_key: bool = False


ENTERPRISE_FIELDS = tuple(field.name for field in dataclasses.fields(EnterpriseInput))


class InvalidEnterprise(LaborCheckError):
    """One or more fields are unacceptable; ``messages`` lists each problem, ``str()`` joins them."""

    def __init__(self, messages: Sequence[str]) -> None:
        super().__init__("；".join(messages))
        self.messages = list(messages)


class DuplicateEnterprise(LaborCheckError):
    """The code already belongs to a registered enterprise (named in the message)."""

    def __init__(self, existing: Enterprise) -> None:
        super().__init__(f"统一社会信用代码{existing.uscc}已登记为“{existing.name}”，不能重复登记")
        self.existing_id = existing.id
        self.existing_name = existing.name


class EnterpriseNotFound(LaborCheckError):
    def __init__(self, enterprise_id: str) -> None:
        super().__init__("未找到该企业，可能已被删除或尚未同步")
        self.enterprise_id = enterprise_id


def _clean_text(value: str) -> str:
    """Trim and collapse whitespace (including the full-width space) without touching full-width punctuation,
    which is part of a Chinese name as registered."""
    return " ".join(value.split())


def normalise_input(data: EnterpriseInput) -> EnterpriseInput:
    """The checked, normalised form of ``data``, or :class:`InvalidEnterprise` listing every problem.

    Values are type-checked at run time too: ``update_enterprise(**fields)`` and file imports reach here with
    whatever a caller passed.
    """
    problems: list[str] = []
    raw_code: object = data.uscc
    uscc = ""
    if isinstance(raw_code, str):
        try:
            uscc = validate_uscc(raw_code)
        except InvalidUSCC as error:
            problems.append(str(error))
    else:
        problems.append("统一社会信用代码应为文字")
    texts: dict[str, str] = {}
    for field, limit in _TEXT_LIMITS.items():
        value: object = getattr(data, field)
        if not isinstance(value, str):
            problems.append(f"{FIELD_LABELS[field]}应为文字")
            continue
        cleaned = _clean_text(value)
        if len(cleaned) > limit:
            problems.append(f"{FIELD_LABELS[field]}过长（{len(cleaned)}字，最多{limit}字）")
        texts[field] = cleaned
    if texts.get("name") == "":
        problems.append("单位名称未填写")
    for field in ("headcount_last_year_end", "headcount"):
        count: object = getattr(data, field)
        if count is None:
            continue
        if isinstance(count, bool) or not isinstance(count, int):
            problems.append(f"{FIELD_LABELS[field]}应为整数")
        elif count < 0:
            problems.append(f"{FIELD_LABELS[field]}不能为负数（{count}）")
    is_key: object = data.is_key
    if not isinstance(is_key, bool):
        problems.append("是否重点企业应为“是”或“否”")
    if problems:
        raise InvalidEnterprise(problems)
    return dataclasses.replace(
        data,
        uscc=uscc,
        name=texts["name"],
        industry=texts["industry"],
        address=texts["address"],
        district=texts["district"],
        contact_name=texts["contact_name"],
        contact_phone=texts["contact_phone"],
    )


def input_of(enterprise: Enterprise) -> EnterpriseInput:
    """The registry fields of a stored enterprise, in the shape the services compare and merge."""
    return EnterpriseInput(**{field: getattr(enterprise, field) for field in ENTERPRISE_FIELDS})


def find_enterprise_by_uscc(session: Session, uscc: str) -> Enterprise | None:
    """The enterprise registered under ``uscc`` (normalised first, not validated), or ``None``."""
    return session.scalars(select(Enterprise).where(Enterprise.uscc == normalise_uscc(uscc))).one_or_none()


def get_enterprise(session: Session, enterprise_id: str) -> Enterprise:
    enterprise = session.get(Enterprise, enterprise_id)
    if enterprise is None:
        raise EnterpriseNotFound(enterprise_id)
    return enterprise


def create_enterprise(session: Session, data: EnterpriseInput) -> Enterprise:
    """Register a new enterprise; raises :class:`InvalidEnterprise` or :class:`DuplicateEnterprise`."""
    checked = normalise_input(data)
    existing = find_enterprise_by_uscc(session, checked.uscc)
    if existing is not None:
        raise DuplicateEnterprise(existing)
    enterprise = Enterprise(**dataclasses.asdict(checked), name_initials=name_initials(checked.name))
    session.add(enterprise)
    session.flush()
    return enterprise


def apply_input(enterprise: Enterprise, checked: EnterpriseInput) -> bool:
    """Copy the fields that differ onto ``enterprise`` (initials follow the name); whether anything changed.

    ``checked`` must come from :func:`normalise_input`; the caller has already ruled out a duplicate code.
    """
    changed = False
    for field in ENTERPRISE_FIELDS:
        value = getattr(checked, field)
        if getattr(enterprise, field) != value:
            setattr(enterprise, field, value)
            changed = True
    initials = name_initials(checked.name)
    if enterprise.name_initials != initials:
        enterprise.name_initials = initials
        changed = True
    return changed


def update_enterprise(session: Session, enterprise_id: str, **fields: Any) -> Enterprise:
    """Change some fields of an enterprise (keyword names as in :class:`EnterpriseInput`).

    The whole record is checked again after the change. Changing the code to one another enterprise holds is a
    :class:`DuplicateEnterprise`. An unknown field name is a programming error (``TypeError``).
    """
    unknown = sorted(set(fields) - set(ENTERPRISE_FIELDS))
    if unknown:
        raise TypeError(f"unknown enterprise fields: {', '.join(unknown)}")
    enterprise = get_enterprise(session, enterprise_id)
    checked = normalise_input(dataclasses.replace(input_of(enterprise), **fields))
    if checked.uscc != enterprise.uscc:
        holder = find_enterprise_by_uscc(session, checked.uscc)
        if holder is not None and holder.id != enterprise.id:
            raise DuplicateEnterprise(holder)
    if apply_input(enterprise, checked):
        session.flush()
    return enterprise


__all__ = [
    "ENTERPRISE_FIELDS",
    "FIELD_LABELS",
    "MAX_INITIAL_VARIANTS",
    "DuplicateEnterprise",
    "EnterpriseInput",
    "EnterpriseNotFound",
    "InvalidEnterprise",
    "apply_input",
    "create_enterprise",
    "find_enterprise_by_uscc",
    "get_enterprise",
    "input_of",
    "name_initials",
    "normalise_input",
    "update_enterprise",
]
