"""What an operation changed: the typed answer every service action gives (Anki's ``OpChanges``).

A screen decides whether to reload from these flags, never from a string: a follow-up verification says
``items`` and ``enterprises`` changed, so the ledger and the enterprise list reload and the settings page does not.
The ids narrow it further where a screen shows one audit or one enterprise.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class OpChanges:
    """Kinds of data an operation changed (``True``: screens showing that kind should reload)."""

    enterprises: bool = False
    """Registry facts, risk grades."""
    audits: bool = False
    """A visit: its inputs, answers, notes, photos, visit record, status."""
    items: bool = False
    """Findings and rectification items, follow-ups, verifications."""
    notices: bool = False
    campaigns: bool = False
    settings: bool = False
    """The coordinator profile, the language, the server address and consent."""
    sync: bool = False
    """Sync bookkeeping: the outbox, the conflict log, cursors, retention."""
    drafts: bool = False
    """Typed text kept until it can be committed to its record."""
    audit_ids: frozenset[str] = frozenset()
    enterprise_ids: frozenset[str] = frozenset()

    def __or__(self, other: OpChanges) -> OpChanges:
        merged = {
            field.name: getattr(self, field.name) or getattr(other, field.name)
            for field in dataclasses.fields(self)
            if field.type == "bool"
        }
        return OpChanges(
            **merged,
            audit_ids=self.audit_ids | other.audit_ids,
            enterprise_ids=self.enterprise_ids | other.enterprise_ids,
        )

    def any(self) -> bool:
        return any(getattr(self, field.name) for field in dataclasses.fields(self) if field.type == "bool")

    def kinds(self) -> list[str]:
        """The names of the changed kinds (for logs and test messages)."""
        return [field.name for field in dataclasses.fields(self) if field.type == "bool" and getattr(self, field.name)]


NOTHING = OpChanges()
EVERYTHING = OpChanges(
    enterprises=True, audits=True, items=True, notices=True, campaigns=True, settings=True, sync=True, drafts=True
)
"""After a sync or a pull-back anything shown may have changed."""


def ids(values: Iterable[str | None]) -> frozenset[str]:
    return frozenset(value for value in values if value)


@dataclass(frozen=True)
class OpResult(Generic[T]):
    """An operation's value and what it changed (``OpChangesWithCount`` and friends, in one generic)."""

    value: T
    changes: OpChanges


__all__ = ["EVERYTHING", "NOTHING", "OpChanges", "OpResult", "ids"]
