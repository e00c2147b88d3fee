"""record without foreign keys: its district and owner are set by the server, never deleted, and were checked
by a trigger and a row lock per inserted record (see ``Record.district_id``)

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-05 13:05:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("record", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("fk_record_district_id_district"), type_="foreignkey")
        batch_op.drop_constraint(op.f("fk_record_owner_id_app_user"), type_="foreignkey")


def downgrade() -> None:
    with op.batch_alter_table("record", schema=None) as batch_op:
        batch_op.create_foreign_key(op.f("fk_record_owner_id_app_user"), "app_user", ["owner_id"], ["id"])
        batch_op.create_foreign_key(op.f("fk_record_district_id_district"), "district", ["district_id"], ["id"])
