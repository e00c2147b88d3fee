"""ledger order: an index that yields the ledger's audits in order, so a district ledger is never sorted in memory

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04 11:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Visit day, then the enterprise's name as the visit recorded it, then the audit: the ledger's outer order.
    # An expression index (not declared on the model: see app.db.HAND_MADE_INDEXES); the ledger query must
    # name the same expression, json_extract(enterprise_facts, '$.name'), for SQLite to use it.
    op.execute("CREATE INDEX ix_audit_ledger_order ON audit (visit_date, json_extract(enterprise_facts, '$.name'), id)")


def downgrade() -> None:
    op.execute("DROP INDEX ix_audit_ledger_order")
