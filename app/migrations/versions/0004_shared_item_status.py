"""shared item status: other coordinators' rectification items from the pull feed (read-only summary)

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 23:10:00

One straight line 0003 → 0004 → 0005 (0005, the change history, was written at the same time and re-chained onto
this one at integration; the two touch different tables).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "shared_item_status",
        sa.Column("item_id", sa.String(length=36), nullable=False),
        sa.Column("enterprise_id", sa.String(length=36), nullable=False),
        sa.Column("audit_id", sa.String(length=36), nullable=False),
        sa.Column("coordinator", sa.String(length=100), nullable=False),
        sa.Column("requirement", sa.Text(), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("verified_on", sa.Date(), nullable=True),
        sa.Column("server_seq", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("item_id", name=op.f("pk_shared_item_status")),
    )
    with op.batch_alter_table("shared_item_status", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_shared_item_status_enterprise_id"), ["enterprise_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("shared_item_status", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_shared_item_status_enterprise_id"))
    op.drop_table("shared_item_status")
