"""enterprise search: an FTS5 trigram index over name, pinyin initials and code, kept in step by triggers

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 09:00:00

Design
------
``enterprise_fts`` is an **external-content** FTS5 table (``content='enterprise'``, ``content_rowid='rowid'``)
with the ``trigram`` tokenizer over ``name``, ``name_initials`` and ``uscc``. External content rather than
contentless because:

* the index stores only the trigram postings, not a second copy of 100k names (the text stays in ``enterprise``);
* FTS5's ``'rebuild'`` command re-reads ``enterprise`` and so doubles as the backfill here and as the repair for any
  later drift, with no hand-written copy loop;
* a contentless table can only delete a row when given its old values, or with ``contentless_delete`` which needs
  SQLite 3.43 (the Python builds we ship with have older ones); external content has the same need but the
  triggers below have the old values at hand.

The FTS rowid is ``enterprise``'s implicit rowid (the primary key is a UUID string, so the table has a rowid of
its own). Two consequences for later migrations:

* a migration that *recreates* ``enterprise`` (Alembic batch mode's copy-and-move) drops these triggers with the
  old table and may renumber rowids: it must recreate the three triggers and run
  ``INSERT INTO enterprise_fts(enterprise_fts) VALUES('rebuild')`` afterwards;
* ``VACUUM`` keeps rowids in the SQLite versions we use (checked), but SQLite does not promise it for tables without
  an INTEGER PRIMARY KEY, so maintenance code that vacuums should rebuild the index too
  (``app.audit.enterprise_search.rebuild_search_index``).

The trigram tokenizer (SQLite ≥ 3.34) never matches a pattern shorter than three characters: ``MATCH`` and ``LIKE``
on this table return no rows for "恒达", without an error. The search service sends 1–2 character queries to a scan
of the plain ``enterprise`` columns instead (see ``app/audit/enterprise_search.py``).

Backfill: rows written before this revision may have empty ``name_initials`` (nothing filled them under 0001), so
they are computed first with the application's ``name_initials``, then the index is rebuilt from the table.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MIN_SQLITE_FOR_TRIGRAM = (3, 34, 0)

# A delete is an FTS5 'delete' command carrying the values that were indexed; an update is a delete of the old
# values and an insert of the new ones, fired only when an indexed column actually changed.
TRIGGERS = (
    """
    CREATE TRIGGER enterprise_fts_after_insert AFTER INSERT ON enterprise BEGIN
        INSERT INTO enterprise_fts(rowid, name, name_initials, uscc)
        VALUES (new.rowid, new.name, new.name_initials, new.uscc);
    END
    """,
    """
    CREATE TRIGGER enterprise_fts_after_delete AFTER DELETE ON enterprise BEGIN
        INSERT INTO enterprise_fts(enterprise_fts, rowid, name, name_initials, uscc)
        VALUES ('delete', old.rowid, old.name, old.name_initials, old.uscc);
    END
    """,
    """
    CREATE TRIGGER enterprise_fts_after_update AFTER UPDATE OF name, name_initials, uscc ON enterprise
    WHEN old.name IS NOT new.name OR old.name_initials IS NOT new.name_initials OR old.uscc IS NOT new.uscc
    BEGIN
        INSERT INTO enterprise_fts(enterprise_fts, rowid, name, name_initials, uscc)
        VALUES ('delete', old.rowid, old.name, old.name_initials, old.uscc);
        INSERT INTO enterprise_fts(rowid, name, name_initials, uscc)
        VALUES (new.rowid, new.name, new.name_initials, new.uscc);
    END
    """,
)
TRIGGER_NAMES = ("enterprise_fts_after_insert", "enterprise_fts_after_delete", "enterprise_fts_after_update")


def _fill_missing_initials(connection: sa.Connection) -> None:
    from app.audit.enterprises import name_initials  # the one implementation; imported late to keep env light

    enterprise = sa.table("enterprise", sa.column("id"), sa.column("name"), sa.column("name_initials"))
    rows = connection.execute(
        sa.select(enterprise.c.id, enterprise.c.name).where(sa.func.coalesce(enterprise.c.name_initials, "") == "")
    ).all()
    if rows:
        connection.execute(
            enterprise.update().where(enterprise.c.id == sa.bindparam("row_id")),
            [{"row_id": row.id, "name_initials": name_initials(row.name or "")} for row in rows],
        )


def upgrade() -> None:
    if sqlite3.sqlite_version_info < MIN_SQLITE_FOR_TRIGRAM:
        raise RuntimeError(
            f"SQLite {sqlite3.sqlite_version} lacks the FTS5 trigram tokenizer (needs 3.34 or newer); "
            "install a newer build of the application"
        )
    _fill_missing_initials(op.get_bind())
    op.execute(
        """
        CREATE VIRTUAL TABLE enterprise_fts USING fts5(
            name, name_initials, uscc,
            content='enterprise', content_rowid='rowid',
            tokenize='trigram'
        )
        """
    )
    for trigger in TRIGGERS:
        op.execute(trigger)
    op.execute("INSERT INTO enterprise_fts(enterprise_fts) VALUES('rebuild')")


def downgrade() -> None:
    for name in TRIGGER_NAMES:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.execute("DROP TABLE IF EXISTS enterprise_fts")
