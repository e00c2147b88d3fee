"""Drafts: typed text kept in the database until its record can take it (see :mod:`app.models.draft`).

The screens call :func:`save_draft` from their debounced autosave and when a field cannot be committed yet, and
:func:`load_draft` when they show a record again, so the text comes back exactly as it was typed. Services that
commit the text to its record call :func:`discard` in the same unit of work.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from app.models import Draft
from app.services.changes import OpChanges
from app.services.workspace import Workspace

ANSWER_NOTE = "answer_note"
ITEM = "item"
VISIT_RECORD = "visit_record"
ENTERPRISE = "enterprise"
FOLLOW_UP = "follow_up"
NEW = "new"
"""The key of an enterprise draft for one not created yet."""

DRAFT_SAVED = OpChanges(drafts=True)


def answer_key(audit_id: str, item_id: str) -> str:
    return f"{audit_id}/{item_id}"


def put(session: Session, scope: str, key: str, fields: dict[str, Any]) -> None:
    """Store (or replace) the draft; an empty ``fields`` removes it."""
    row = session.get(Draft, (scope, key))
    if not fields:
        if row is not None:
            session.delete(row)
    elif row is None:
        session.add(Draft(scope=scope, key=key, fields=dict(fields)))
    elif row.fields != fields:
        row.fields = dict(fields)
    session.flush()


def get(session: Session, scope: str, key: str) -> dict[str, Any]:
    row = session.get(Draft, (scope, key))
    return dict(row.fields) if row is not None else {}


def discard(session: Session, scope: str, key: str) -> None:
    put(session, scope, key, {})


def save_draft(ws: Workspace, scope: str, key: str, fields: dict[str, Any]) -> OpChanges:
    """One unit of work: the draft is on disk when this returns."""
    with ws.db.session() as session:
        put(session, scope, key, fields)
    return DRAFT_SAVED


def load_draft(ws: Workspace, scope: str, key: str) -> dict[str, Any]:
    with ws.db.session() as session:
        return get(session, scope, key)


def discard_draft(ws: Workspace, scope: str, key: str) -> OpChanges:
    with ws.db.session() as session:
        discard(session, scope, key)
    return DRAFT_SAVED


__all__ = [
    "ANSWER_NOTE",
    "ENTERPRISE",
    "FOLLOW_UP",
    "ITEM",
    "NEW",
    "VISIT_RECORD",
    "answer_key",
    "discard",
    "discard_draft",
    "get",
    "load_draft",
    "put",
    "save_draft",
]
