"""wage evidence: published office documents, wage checks of audits, each enterprise's sheet profile

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04 14:15:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "publication",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_publication")),
        sa.UniqueConstraint("kind", "key", name=op.f("uq_publication_kind")),
    )
    op.create_table(
        "wage_sheet_profile",
        sa.Column("enterprise_id", sa.String(length=36), nullable=False),
        sa.Column("settings", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["enterprise_id"],
            ["enterprise.id"],
            name=op.f("fk_wage_sheet_profile_enterprise_id_enterprise"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("enterprise_id", name=op.f("pk_wage_sheet_profile")),
    )
    op.create_table(
        "wage_check",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("audit_id", sa.String(length=36), nullable=False),
        sa.Column("settings", sa.JSON(), nullable=False),
        sa.Column("sources", sa.JSON(), nullable=False),
        sa.Column("summary", sa.JSON(), nullable=False),
        sa.Column("evidence_sha256", sa.String(length=64), nullable=False),
        sa.Column("exclusions", sa.JSON(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["audit_id"], ["audit.id"], name=op.f("fk_wage_check_audit_id_audit"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["evidence_sha256"], ["blob.sha256"], name=op.f("fk_wage_check_evidence_sha256_blob")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_wage_check")),
    )
    with op.batch_alter_table("wage_check", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_wage_check_audit_id"), ["audit_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("wage_check", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_wage_check_audit_id"))

    op.drop_table("wage_check")
    op.drop_table("wage_sheet_profile")
    op.drop_table("publication")
