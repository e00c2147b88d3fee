"""Migration 0002 upgrades a database that already holds enterprises: initials filled, index backfilled."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import inspect, text

import app.models  # noqa: F401 - registers every table before the database opens
from app.audit.enterprise_search import search_enterprises, search_index_is_consistent
from app.audit.enterprises import EnterpriseInput, create_enterprise
from app.audit.uscc import make_uscc
from app.db import migrate, open_database

OLD_ROWS = [
    ("0190aaaa-0000-7000-8000-000000000001", make_uscc("91500103MA5U7K3H2"), "重庆恒达机械有限公司"),
    ("0190aaaa-0000-7000-8000-000000000002", make_uscc("91511702MA6BQ1T0X"), "达州银行股份有限公司"),
    ("0190aaaa-0000-7000-8000-000000000003", make_uscc("91511703MA62N8RL1"), "四川宏图物流有限公司"),
]


def insert_at_revision_0001(connection_path: Path) -> None:
    """Rows as 0001's schema holds them, written without the services (so ``name_initials`` is empty)."""
    database = open_database(connection_path, run_migrations=False)
    migrate(database.engine, "0001")
    with database.engine.begin() as connection:
        assert "enterprise_fts" not in inspect(connection).get_table_names()
        for enterprise_id, code, name in OLD_ROWS:
            connection.execute(
                text(
                    "INSERT INTO enterprise (id, uscc, name, name_initials, industry, address, district, contact_name,"
                    " contact_phone, is_key, risk_reasons, version, created_at, updated_at) VALUES (:id, :uscc, :name,"
                    " '', '', '', '', '', '', 0, '', 1, '2026-01-05 08:00:00', '2026-01-05 08:00:00')"
                ),
                {"id": enterprise_id, "uscc": code, "name": name},
            )
    database.close()


def test_upgrading_a_database_with_enterprises_makes_them_searchable(tmp_path: Path) -> None:
    path = tmp_path / "laborcheck.db"
    insert_at_revision_0001(path)

    database = open_database(path)  # applies 0002 and anything after it
    try:
        with database.session() as session:
            assert search_index_is_consistent(session)
            assert [e.name for e in search_enterprises(session, "恒达")] == ["重庆恒达机械有限公司"]
            assert [e.name for e in search_enterprises(session, "宏图物流")] == ["四川宏图物流有限公司"]
            assert [e.name for e in search_enterprises(session, OLD_ROWS[1][1][:10])] == ["达州银行股份有限公司"]
            assert [e.name for e in search_enterprises(session, "zqhdjx")] == ["重庆恒达机械有限公司"]
            assert [e.name for e in search_enterprises(session, "dzyx")] == ["达州银行股份有限公司"]
            initials = session.execute(text("SELECT name_initials FROM enterprise ORDER BY id")).scalars().all()
            assert initials[0] == "cqhdjxyxgs zqhdjxyxgs"
    finally:
        database.close()


def test_after_the_upgrade_new_enterprises_are_indexed_by_the_triggers(tmp_path: Path) -> None:
    path = tmp_path / "laborcheck.db"
    insert_at_revision_0001(path)
    database = open_database(path)
    try:
        with database.session() as session:
            create_enterprise(session, EnterpriseInput(uscc=make_uscc("92511702MA6CGUX22"), name="达川区老李面馆"))
        with database.session() as session:
            assert [e.name for e in search_enterprises(session, "老李面馆")] == ["达川区老李面馆"]
            assert search_index_is_consistent(session)
    finally:
        database.close()


def test_opening_an_up_to_date_database_again_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "laborcheck.db"
    open_database(path).close()
    database = open_database(path)
    try:
        with database.session() as session:
            triggers = session.execute(
                text("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'enterprise_fts%'")
            )
            assert sorted(triggers.scalars()) == [
                "enterprise_fts_after_delete",
                "enterprise_fts_after_insert",
                "enterprise_fts_after_update",
            ]
    finally:
        database.close()
