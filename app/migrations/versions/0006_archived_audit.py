"""archived audits: stubs left on the laptop when retention removed an audit's answers and photos

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26 01:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "archived_audit",
        sa.Column("audit_id", sa.String(length=36), nullable=False),
        sa.Column("archived_at", sa.DateTime(), nullable=False),
        sa.Column("retention_days", sa.Integer(), nullable=False),
        sa.Column("answers", sa.Integer(), nullable=False),
        sa.Column("attachments", sa.Integer(), nullable=False),
        sa.Column("blob_hashes", sa.JSON(), nullable=False),
        sa.Column("restored_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["audit_id"], ["audit.id"], name=op.f("fk_archived_audit_audit_id_audit"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("audit_id", name=op.f("pk_archived_audit")),
    )


def downgrade() -> None:
    op.drop_table("archived_audit")
