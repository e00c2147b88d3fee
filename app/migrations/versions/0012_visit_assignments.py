"""visit assignments: the office's visit plans and reassigned follow-ups, as received at sync

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-04 15:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "visit_assignment",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("plan_name", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("enterprise_id", sa.String(length=64), nullable=False),
        sa.Column("enterprise_name", sa.String(length=200), nullable=False),
        sa.Column("uscc", sa.String(length=40), nullable=False),
        sa.Column("assignee", sa.String(length=80), nullable=False),
        sa.Column("assignee_name", sa.String(length=100), nullable=False),
        sa.Column("target_date", sa.Date(), nullable=False),
        sa.Column("assigned_on", sa.Date(), nullable=False),
        sa.Column("risk_grade", sa.String(length=4), nullable=False),
        sa.Column("risk_score", sa.Integer(), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("item_ids", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("server_seq", sa.Integer(), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_visit_assignment")),
    )
    with op.batch_alter_table("visit_assignment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_visit_assignment_assignee"), ["assignee"], unique=False)
        batch_op.create_index(batch_op.f("ix_visit_assignment_enterprise_id"), ["enterprise_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("visit_assignment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_visit_assignment_enterprise_id"))
        batch_op.drop_index(batch_op.f("ix_visit_assignment_assignee"))
    op.drop_table("visit_assignment")
