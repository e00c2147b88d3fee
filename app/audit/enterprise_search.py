"""Find enterprises by a fragment of the name, the pinyin initials or the credit code, fast at 100k rows.

How a term is matched (the query is split on whitespace; every term must match):

* **3+ characters**: the FTS5 trigram index ``enterprise_fts`` (migration 0002) over name, initials and code, with
  the term as one quoted phrase, so ``"``, ``*``, ``AND``, ``(``, ``NEAR`` are literal text and never FTS syntax;
* **1–2 characters** — most Chinese name searches ("恒达") — cannot use that index: trigram returns no rows for
  them, silently. A Chinese (or punctuation) fragment is found by scanning the plain ``enterprise.name`` column
  in name order (the name index covers it, so the scan stops at the first page of matches and is bounded by one
  pass over the index otherwise);
* **pinyin initials** ("hdjx" for 恒达机械) match ``name_initials``, which holds heteronym variants and keeps a
  name's Latin letters and digits. Two letters ("hd") are expanded into the trigrams that contain them
  ("hda" … " hd"), so they still use the index; a single letter matches initials that start with it;
* a term that **looks like a code** (only characters of the code alphabet, at least one digit) matches ``uscc``
  by prefix through its unique index, besides names and initials containing it; from 9 characters (the length of
  the old organisation code a person may know by heart) it also matches inside codes.

Order: the exact code first, then names starting with the first term, then codes starting with it (in code
order), then the other matches by name; ties by id, so the same query gives the same list.

One fragment can match most of the table ("有限公司"). Sorting all of those by name for the first page would cost
more than the whole budget, so each indexed term is probed first (``DENSE_MATCHES``): a dense term is evaluated
by a scan in table order that stops at the first page, and that page is sorted by name — still stable, but not the
first names of the whole table. The coordinator narrows the query to see the rest.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import unicodedata
from collections.abc import Collection

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    bindparam,
    column,
    false,
    func,
    literal_column,
    or_,
    select,
    table,
    text,
    true,
)
from sqlalchemy.exc import DatabaseError
from sqlalchemy.orm import InstrumentedAttribute, Session

from app.audit.uscc import ALPHABET, REGISTRATION_AUTHORITIES, USCC_LENGTH
from app.models.enterprise import Enterprise
from app.models.rectification import ItemStatus, RectificationItem

DEFAULT_LIMIT = 50
FTS_MIN_TERM = 3
"""The trigram tokenizer indexes 3-character windows; shorter terms must not reach ``MATCH``."""
CODE_INFIX_MIN = 9
"""A code-like term this long also matches inside codes (the 9-character organisation code part)."""
CODE_START_MIN = 4
"""From this length a term shaped like the start of a code ("9151…") is searched as a code prefix only."""
DENSE_MATCHES = 1000
"""An indexed term matching at least this many enterprises is "dense" (see the module docstring)."""

_INITIALS_CHARACTERS = "abcdefghijklmnopqrstuvwxyz0123456789 "
"""Every character ``name_initials`` can hold (lowercase letters, digits, the space between spellings)."""

_CODE_ALPHABET = frozenset(ALPHABET)
_FTS = table("enterprise_fts", column("rowid"), column("enterprise_fts"))
_ROWID: ColumnElement[int] = literal_column("enterprise.rowid")
_UNFINISHED = (ItemStatus.OPEN, ItemStatus.SUBMITTED)


@dataclasses.dataclass(frozen=True, kw_only=True)
class EnterpriseFilters:
    """Narrow a search (every given filter must hold).

    ``has_open_items``: ``True`` keeps enterprises with at least one rectification item not yet verified (open or
    submitted), ``False`` those with none. ``overdue_as_of``: keeps enterprises with an open or submitted item whose
    deadline is before that day (pass today's date in Asia/Shanghai).
    """

    risk_grade: str | Collection[str] | None = None
    industry: str | None = None
    district: str | None = None
    is_key: bool | None = None
    has_open_items: bool | None = None
    overdue_as_of: dt.date | None = None


@dataclasses.dataclass(frozen=True)
class _Term:
    raw: str
    """As typed (trimmed): compared with names, which keep their full-width punctuation."""
    folded: str
    """NFKC-folded lowercase: compared with initials (ASCII lowercase) and, uppercased, with codes."""

    @property
    def code(self) -> str | None:
        upper = self.folded.upper()
        if upper and all(ch in _CODE_ALPHABET for ch in upper) and any(ch.isdigit() for ch in upper):
            return upper
        return None

    @property
    def is_code_start(self) -> bool:
        """Whether the term can only be the start of a code: a known 1st and 2nd character, then digits up to
        the 8th. Such a term is matched by code prefix alone; sending its digit trigrams to the FTS index would
        read postings shared by every code of the region."""
        code = self.code
        if code is None or len(code) < CODE_START_MIN:
            return False
        authority = REGISTRATION_AUTHORITIES.get(code[0])
        return authority is not None and code[1] in authority[1] and code[2:8].isdigit()

    @property
    def ascii_initials(self) -> str | None:
        return self.folded if self.folded.isascii() and self.folded.isalnum() else None


def _terms(query: str) -> list[_Term]:
    return [_Term(raw, unicodedata.normalize("NFKC", raw).lower()) for raw in query.split()]


def _like_pattern(fragment: str) -> str:
    escaped = fragment.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _contains(column: InstrumentedAttribute[str], fragment: str) -> ColumnElement[bool]:
    """Substring test on a plain column; ``instr`` where case cannot matter (it is cheaper than ``LIKE``)."""
    if any(ch.isascii() and ch.isalpha() for ch in fragment):
        return column.like(_like_pattern(fragment), escape="\\")
    return func.instr(column, fragment) > 0


def _phrase(fragment: str) -> str:
    """An FTS5 string literal: everything inside double quotes is text; a quote is written twice."""
    return '"' + fragment.replace('"', '""') + '"'


def _fts_rowids(match: str) -> ColumnElement[bool]:
    subquery = select(_FTS.c.rowid).where(_FTS.c.enterprise_fts.op("MATCH")(bindparam(None, match)))
    return _ROWID.in_(subquery)


def _code_prefix(code: str) -> ColumnElement[bool]:
    # A range instead of LIKE 'X%' so the unique index on uscc is used; every code character sorts below '~'.
    return and_(Enterprise.uscc >= code, Enterprise.uscc < code + "~")


@dataclasses.dataclass(frozen=True)
class _Match:
    """How one term is matched: ``scan`` always works; ``fts`` (when set) is the indexed way to the same rows."""

    scan: ColumnElement[bool]
    fts: str | None = None
    also: tuple[ColumnElement[bool], ...] = ()
    """Indexed alternatives OR-ed to the FTS condition (code prefix, exact initials)."""

    def indexed(self) -> ColumnElement[bool]:
        if self.fts is None:
            return self.scan
        return or_(_fts_rowids(self.fts), *self.also)


def _match(term: _Term) -> _Match:
    code = term.code
    code_prefix = (_code_prefix(code),) if code is not None else ()
    if term.is_code_start:
        return _Match(_code_prefix(term.folded.upper()))
    if len(term.raw) >= FTS_MIN_TERM:
        if code is not None:
            with_codes = len(code) >= CODE_INFIX_MIN
            columns = "{name name_initials uscc}" if with_codes else "{name name_initials}"
            scan_parts = [_contains(Enterprise.name, term.folded), _contains(Enterprise.name_initials, term.folded)]
            if with_codes:
                scan_parts.append(_contains(Enterprise.uscc, code))
            return _Match(or_(*code_prefix, *scan_parts), f"{columns} : {_phrase(term.folded)}", code_prefix)
        spellings = dict.fromkeys([term.raw, term.folded])
        scan_parts = [_contains(Enterprise.name, spelling) for spelling in spellings]
        scan_parts += [_contains(Enterprise.name_initials, term.folded), _contains(Enterprise.uscc, term.folded)]
        return _Match(or_(*scan_parts), " OR ".join(_phrase(spelling) for spelling in spellings))
    initials = term.ascii_initials
    if initials is not None and len(initials) == 2:
        around = [initials + ch for ch in _INITIALS_CHARACTERS] + [ch + initials for ch in _INITIALS_CHARACTERS]
        exact = (Enterprise.name_initials == initials,)
        return _Match(
            or_(*code_prefix, _contains(Enterprise.name_initials, initials)),
            "name_initials : (" + " OR ".join(_phrase(trigram) for trigram in around) + ")",
            (*code_prefix, *exact),
        )
    if initials is not None:
        starts = and_(Enterprise.name_initials >= initials, Enterprise.name_initials < initials + "~")
        return _Match(or_(*code_prefix, starts))
    return _Match(_contains(Enterprise.name, term.raw))


def _is_dense(session: Session, match: str) -> bool:
    probe = select(_FTS.c.rowid).where(_FTS.c.enterprise_fts.op("MATCH")(bindparam(None, match)))
    matches = session.scalar(select(func.count()).select_from(probe.limit(DENSE_MATCHES).subquery()))
    return (matches or 0) >= DENSE_MATCHES


def _filter_conditions(filters: EnterpriseFilters | None) -> list[ColumnElement[bool]]:
    if filters is None:
        return []
    conditions: list[ColumnElement[bool]] = []
    if filters.risk_grade is not None:
        grades = [filters.risk_grade] if isinstance(filters.risk_grade, str) else list(filters.risk_grade)
        conditions.append(Enterprise.risk_grade.in_(grades) if grades else false())
    if filters.industry is not None:
        conditions.append(Enterprise.industry == filters.industry)
    if filters.district is not None:
        conditions.append(Enterprise.district == filters.district)
    if filters.is_key is not None:
        conditions.append(Enterprise.is_key.is_(filters.is_key))
    # Enterprises with items are few among 100k: an uncorrelated IN (…) lets SQLite start from the item table's
    # status/deadline indexes instead of probing items for every enterprise (measured 191 ms → a few ms).
    unfinished = select(RectificationItem.enterprise_id).where(RectificationItem.status.in_(_UNFINISHED))
    if filters.has_open_items is not None:
        with_open = Enterprise.id.in_(unfinished)
        conditions.append(with_open if filters.has_open_items else ~with_open)
    if filters.overdue_as_of is not None:
        conditions.append(Enterprise.id.in_(unfinished.where(RectificationItem.deadline < filters.overdue_as_of)))
    return conditions


_Group = tuple[ColumnElement[bool], tuple[InstrumentedAttribute[str], ...]]


def _ranked_groups(first: _Term) -> list[_Group]:
    """The leading groups (condition on the first term, order): exact code, name prefix, code prefix."""
    groups: list[_Group] = []
    code = first.code
    if code is not None and len(code) == USCC_LENGTH:
        groups.append((Enterprise.uscc == code, (Enterprise.id,)))
    name_prefix = and_(Enterprise.name >= first.raw, Enterprise.name < first.raw + "\U0010ffff")
    groups.append((name_prefix, (Enterprise.name, Enterprise.id)))
    if code is not None:
        groups.append((_code_prefix(code), (Enterprise.uscc,)))
    return groups


def _select(conditions: list[ColumnElement[bool]]) -> Select[Enterprise]:
    return select(Enterprise).where(and_(true(), *conditions))


def search_enterprises(
    session: Session,
    query: str,
    *,
    limit: int = DEFAULT_LIMIT,
    filters: EnterpriseFilters | None = None,
) -> list[Enterprise]:
    """Enterprises matching ``query`` (and ``filters``), best first, at most ``limit``.

    An empty query lists every enterprise passing the filters, by name. Any text is safe to pass: it is never
    interpreted as FTS or LIKE syntax.
    """
    if limit <= 0:
        return []
    filter_conditions = _filter_conditions(filters)
    terms = _terms(query)
    if not terms:
        statement = _select(filter_conditions).order_by(Enterprise.name, Enterprise.id).limit(limit)
        return list(session.scalars(statement))
    matches = [_match(term) for term in terms]
    dense: dict[int, bool] = {}

    def is_dense(index: int) -> bool:
        fts = matches[index].fts
        if fts is None:
            return False
        if index not in dense:
            dense[index] = _is_dense(session, fts)
        return dense[index]

    def chosen(index: int) -> ColumnElement[bool]:
        return matches[index].scan if is_dense(index) else matches[index].indexed()

    found: dict[str, Enterprise] = {}
    rest = [chosen(index) for index in range(1, len(terms))]
    for condition, order in _ranked_groups(terms[0]):
        statement = _select([condition, *rest, *filter_conditions]).order_by(*order).limit(limit)
        for enterprise in session.scalars(statement):
            found.setdefault(enterprise.id, enterprise)
        if len(found) >= limit:
            return list(found.values())[:limit]

    every_term = [chosen(index) for index in range(len(terms))]
    statement = _select([*every_term, *filter_conditions]).limit(limit + len(found))
    indexed = [index for index, match in enumerate(matches) if match.fts is not None]
    if indexed and all(is_dense(index) for index in indexed):
        # Every indexed term matches much of the table: take the first page in table order, then sort it.
        page = session.scalars(statement.order_by(_ROWID))
        others = sorted(page, key=lambda enterprise: (enterprise.name, enterprise.id))
    else:
        others = list(session.scalars(statement.order_by(Enterprise.name, Enterprise.id)))
    for enterprise in others:
        found.setdefault(enterprise.id, enterprise)
    return list(found.values())[:limit]


def count_enterprises(session: Session, query: str = "", *, filters: EnterpriseFilters | None = None) -> int:
    """How many enterprises :func:`search_enterprises` would find without a limit."""
    conditions = [_match(term).indexed() for term in _terms(query)] + _filter_conditions(filters)
    statement = select(func.count()).select_from(Enterprise).where(and_(true(), *conditions))
    return int(session.scalar(statement) or 0)


def rebuild_search_index(session: Session) -> None:
    """Re-read every enterprise into ``enterprise_fts`` (after a table rebuild, a VACUUM, or to repair drift)."""
    session.execute(text("INSERT INTO enterprise_fts(enterprise_fts) VALUES('rebuild')"))


def search_index_is_consistent(session: Session) -> bool:
    """Whether the FTS index agrees with the ``enterprise`` table (FTS5 ``integrity-check`` with content)."""
    try:
        session.execute(text("INSERT INTO enterprise_fts(enterprise_fts, rank) VALUES('integrity-check', 1)"))
    except DatabaseError as error:
        if "malformed" in str(error) or "corrupt" in str(error).lower():
            return False
        raise
    return True


__all__ = [
    "DEFAULT_LIMIT",
    "EnterpriseFilters",
    "count_enterprises",
    "rebuild_search_index",
    "search_enterprises",
    "search_index_is_consistent",
]
