"""What is remembered per enterprise between visits, and the minimum-wage tables this laptop holds.

A coordinator who corrected a column once should not correct it again next year: the mapping (column label →
field, or "not used"), the minimum-wage grade, the agreed pay day and the meal break are kept per enterprise
(local only) and applied before any guess.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from app.models import WageSheetProfile, utcnow
from app.models.publication import published
from core.minimum_wage import MinimumWageTable
from core.publications import MINIMUM_WAGE

__all__ = ["load_profile", "minimum_wage_tables", "save_profile"]


def load_profile(session: Session, enterprise_id: str) -> dict[str, Any]:
    row = session.get(WageSheetProfile, enterprise_id)
    return dict(row.settings) if row is not None else {}


def save_profile(session: Session, enterprise_id: str, settings: dict[str, Any]) -> None:
    row = session.get(WageSheetProfile, enterprise_id)
    if row is None:
        session.add(WageSheetProfile(enterprise_id=enterprise_id, settings=settings, updated_at=utcnow()))
    else:
        row.settings = {**row.settings, **settings}
        row.updated_at = utcnow()
    session.flush()


def minimum_wage_tables(session: Session) -> dict[str, MinimumWageTable]:
    """The tables the office published, by region (validated when received; validated again here)."""
    return {row.key: MinimumWageTable.model_validate(row.content) for row in published(session, MINIMUM_WAGE)}
