"""findings carry the statement printed on the notice, its English, the item's title, and the coordinator's note

``description`` stays the statement printed (经查，你单位……。); ``description_en`` is its English for the screens;
``title`` is the checklist item's short name (summaries name items by it, never by code); ``note`` is the
coordinator's note from the answer, printed on the notice only when ``note_on_notice`` is set. Findings made
before this revision keep their text; their title is filled from the template version their audit used.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04 09:00:00
"""

from __future__ import annotations

import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("finding", schema=None) as batch_op:
        batch_op.add_column(sa.Column("title", sa.String(length=200), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("description_en", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("note", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("note_on_notice", sa.Boolean(), nullable=False, server_default=sa.false()))
    connection = op.get_bind()
    rows = connection.execute(
        sa.text(
            "SELECT finding.id, finding.item_id, template.content FROM finding"
            " JOIN audit_module ON audit_module.audit_id = finding.audit_id AND audit_module.module = finding.module"
            " JOIN template ON template.id = audit_module.template_id"
        )
    ).all()
    for finding_id, item_id, content in rows:
        snapshot = json.loads(content) if isinstance(content, str) else content
        module = snapshot.get("module") if isinstance(snapshot, dict) else None
        items = module.get("items", []) if isinstance(module, dict) else []
        title = next((str(i.get("title") or i.get("text") or "") for i in items if i.get("id") == item_id), "")
        if title:
            connection.execute(
                sa.text("UPDATE finding SET title = :title WHERE id = :id"), {"title": title[:200], "id": finding_id}
            )


def downgrade() -> None:
    with op.batch_alter_table("finding", schema=None) as batch_op:
        batch_op.drop_column("note_on_notice")
        batch_op.drop_column("note")
        batch_op.drop_column("description_en")
        batch_op.drop_column("title")
