"""The enterprise form for both front ends: register or correct an enterprise, and keep what was typed.

The form's fields are kept as a draft while they are typed (within a second, and when a field is left): a new
enterprise cannot be created until its credit code is valid, and a correction may be half done when the
coordinator is called away. Saving creates or updates the enterprise and removes the draft in one transaction;
closing the form without saving keeps the draft, which the form shows again next time.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from app.audit.enterprises import EnterpriseInput, create_enterprise, get_enterprise, input_of, update_enterprise
from app.services import drafts
from app.services.changes import OpChanges, OpResult, ids
from app.services.workspace import Workspace


def _key(enterprise_id: str | None) -> str:
    return enterprise_id or drafts.NEW


def enterprise_input(ws: Workspace, enterprise_id: str) -> EnterpriseInput:
    with ws.db.session() as session:
        return input_of(get_enterprise(session, enterprise_id))


def save_enterprise(ws: Workspace, enterprise_id: str | None, data: EnterpriseInput) -> OpResult[str]:
    """Create (``enterprise_id=None``) or update the enterprise; the saved one's id. The form's draft goes."""
    with ws.db.session() as session:
        if enterprise_id is None:
            saved = create_enterprise(session, data).id
        else:
            fields = {field.name: getattr(data, field.name) for field in dataclasses.fields(data)}
            saved = update_enterprise(session, enterprise_id, **fields).id
        drafts.discard(session, drafts.ENTERPRISE, _key(enterprise_id))
    return OpResult(saved, OpChanges(enterprises=True, drafts=True, enterprise_ids=ids([saved])))


def form_draft(ws: Workspace, enterprise_id: str | None) -> dict[str, Any]:
    return drafts.load_draft(ws, drafts.ENTERPRISE, _key(enterprise_id))


def save_form_draft(ws: Workspace, enterprise_id: str | None, fields: dict[str, Any]) -> OpChanges:
    return drafts.save_draft(ws, drafts.ENTERPRISE, _key(enterprise_id), fields)


def discard_form_draft(ws: Workspace, enterprise_id: str | None) -> OpChanges:
    return drafts.discard_draft(ws, drafts.ENTERPRISE, _key(enterprise_id))


__all__ = ["discard_form_draft", "enterprise_input", "form_draft", "save_enterprise", "save_form_draft"]
