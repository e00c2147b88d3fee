"""Facts for finding statements that come from evidence kept with a visit rather than from its inputs.

One source today: the saved wage check (:mod:`app.audit.wage_checks`), whose summary keeps, per checklist item,
the facts :func:`core.wage_statements.evidence_facts` computed from the enterprise's own sheets after the
coordinator's exclusions ("2026年9月", 12 workers, 3,460 yuan). :func:`app.audit.visits.finish_audit` reads them
here, so every way of finishing a visit words its findings from the same evidence with the templates' statements.
Kept below both modules because a wage check answers items through :mod:`app.audit.visits`.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import WageCheck
from core.statements import FactValue

__all__ = ["current_check", "evidence_facts"]


def current_check(session: Session, audit_id: str) -> WageCheck | None:
    """The audit's wage check (a new check replaces the previous one, so there is at most one)."""
    return session.scalars(
        select(WageCheck).where(WageCheck.audit_id == audit_id).order_by(WageCheck.created_at.desc())
    ).first()


def _plain(value: Any) -> FactValue:
    return value if value is None or isinstance(value, bool | int | float | str) else str(value)


def evidence_facts(session: Session, audit_id: str) -> dict[str, dict[str, FactValue]]:
    """Facts by checklist item id for the audit's findings (empty without a wage check)."""
    check = current_check(session, audit_id)
    if check is None:
        return {}
    stored = check.summary.get("facts") or {}
    return {
        str(item_id): {str(name): _plain(value) for name, value in values.items()} for item_id, values in stored.items()
    }
