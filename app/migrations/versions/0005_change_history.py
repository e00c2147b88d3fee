"""change history (append-only), visit record on audit, evidence on follow-ups

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25 23:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "change_history",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("entity", sa.String(length=40), nullable=False),
        sa.Column("entity_id", sa.String(length=36), nullable=False),
        sa.Column("audit_id", sa.String(length=36), nullable=False),
        sa.Column("field", sa.String(length=60), nullable=False),
        sa.Column("old_value", sa.Text(), nullable=True),
        sa.Column("new_value", sa.Text(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("who", sa.String(length=50), nullable=False),
        sa.Column("device_code", sa.String(length=8), nullable=False),
        sa.Column("changed_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_change_history")),
    )
    with op.batch_alter_table("change_history", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_change_history_audit_id"), ["audit_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_change_history_entity_id"), ["entity_id"], unique=False)
    # The history is what a reviewer trusts: the database itself refuses to rewrite or remove it.
    op.execute(
        """
        CREATE TRIGGER change_history_is_append_only BEFORE UPDATE ON change_history
        BEGIN SELECT RAISE(ABORT, 'change history is append-only'); END
        """
    )
    op.execute(
        """
        CREATE TRIGGER change_history_is_not_deleted BEFORE DELETE ON change_history
        BEGIN SELECT RAISE(ABORT, 'change history is append-only'); END
        """
    )
    with op.batch_alter_table("audit", schema=None) as batch_op:
        batch_op.add_column(sa.Column("arrived_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("departed_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("people_met", sa.JSON(), nullable=False, server_default="[]"))
        batch_op.add_column(sa.Column("documents_inspected", sa.JSON(), nullable=False, server_default="[]"))
    with op.batch_alter_table("follow_up", schema=None) as batch_op:
        batch_op.add_column(sa.Column("evidence_attachment_ids", sa.JSON(), nullable=False, server_default="[]"))
        batch_op.add_column(sa.Column("evidence_reference", sa.Text(), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("follow_up", schema=None) as batch_op:
        batch_op.drop_column("evidence_reference")
        batch_op.drop_column("evidence_attachment_ids")
    with op.batch_alter_table("audit", schema=None) as batch_op:
        batch_op.drop_column("documents_inspected")
        batch_op.drop_column("people_met")
        batch_op.drop_column("departed_at")
        batch_op.drop_column("arrived_at")
    op.execute("DROP TRIGGER IF EXISTS change_history_is_append_only")
    op.execute("DROP TRIGGER IF EXISTS change_history_is_not_deleted")
    with op.batch_alter_table("change_history", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_change_history_entity_id"))
        batch_op.drop_index(batch_op.f("ix_change_history_audit_id"))
    op.drop_table("change_history")
