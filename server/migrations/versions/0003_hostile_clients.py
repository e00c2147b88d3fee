"""hostile clients: uploads per uploader, blob holders, mutation digests, sign-in throttle per address

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-04 14:00:00

Blobs: ``blob`` keeps only verified blobs; an upload in progress becomes a ``blob_upload`` row of its uploader
(unfinished uploads of the old shape are dropped: their clients start them again from 0). ``blob_holder`` lists
who may attach a blob; it is filled from the records that already reference each verified blob (their owners).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BLOB_FIELDS = {
    "attachment": ("sha256",),
    "notice": ("coordinator_signature_sha256", "enterprise_signature_sha256", "pdf_sha256"),
}


def _holders(connection: sa.Connection) -> list[dict[str, Any]]:
    complete = set(connection.execute(sa.text("SELECT sha256 FROM blob WHERE complete")).scalars())
    rows = connection.execute(
        sa.text(
            "SELECT entity, data, owner_id, district_id FROM record"
            " WHERE entity IN ('attachment', 'notice') AND NOT deleted AND owner_id IS NOT NULL"
        )
    )
    found: dict[tuple[str, int], int] = {}
    for entity, data, owner_id, district_id in rows:
        values = json.loads(data) if isinstance(data, str) else (data or {})
        for name in BLOB_FIELDS[entity]:
            sha = values.get(name)
            if isinstance(sha, str) and sha in complete and district_id is not None:
                found[(sha, owner_id)] = district_id
    return [{"sha256": sha, "user_id": user, "district_id": district} for (sha, user), district in found.items()]


def upgrade() -> None:
    op.create_table(
        "blob_upload",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("committed", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["app_user.id"], name=op.f("fk_blob_upload_user_id_app_user")),
        sa.PrimaryKeyConstraint("sha256", "user_id", name=op.f("pk_blob_upload")),
    )
    holder = op.create_table(
        "blob_holder",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("district_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.ForeignKeyConstraint(["sha256"], ["blob.sha256"], name=op.f("fk_blob_holder_sha256_blob")),
        sa.ForeignKeyConstraint(["user_id"], ["app_user.id"], name=op.f("fk_blob_holder_user_id_app_user")),
        sa.ForeignKeyConstraint(["district_id"], ["district.id"], name=op.f("fk_blob_holder_district_id_district")),
        sa.PrimaryKeyConstraint("sha256", "user_id", name=op.f("pk_blob_holder")),
    )
    connection = op.get_bind()
    connection.execute(sa.text("DELETE FROM blob WHERE NOT complete"))
    rows = _holders(connection)
    if rows:
        op.bulk_insert(holder, rows)
    with op.batch_alter_table("blob_holder", schema=None) as batch_op:
        batch_op.alter_column("created_at", server_default=None)
    with op.batch_alter_table("applied_mutation", schema=None) as batch_op:
        batch_op.add_column(sa.Column("digest", sa.String(length=64), nullable=True))
    with op.batch_alter_table("login_failure", schema=None) as batch_op:
        batch_op.add_column(sa.Column("address", sa.String(length=64), nullable=False, server_default=""))
    with op.batch_alter_table("login_failure", schema=None) as batch_op:
        batch_op.alter_column("address", server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("login_failure", schema=None) as batch_op:
        batch_op.drop_column("address")
    with op.batch_alter_table("applied_mutation", schema=None) as batch_op:
        batch_op.drop_column("digest")
    op.drop_table("blob_holder")
    op.drop_table("blob_upload")
