"""The server's migrations build exactly its models' schema, on SQLite and on PostgreSQL, and keep data."""

from __future__ import annotations

import json

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection, inspect, text

from server.db import alembic_config, create_server_engine
from server.models import Base


def test_upgrade_from_empty_matches_the_models(database_url: str) -> None:
    engine = create_server_engine(database_url)
    try:
        command.upgrade(alembic_config(engine), "head")
        with engine.connect() as connection:
            differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
        assert differences == []
    finally:
        engine.dispose()


def test_the_retention_column_is_added_to_districts_that_exist(database_url: str) -> None:
    engine = create_server_engine(database_url)
    try:
        config = alembic_config(engine)
        command.upgrade(config, "0001")
        with engine.begin() as connection:
            connection.execute(text("INSERT INTO district (name, created_at) VALUES ('达川区', CURRENT_TIMESTAMP)"))
        command.upgrade(config, "head")
        with engine.begin() as connection:
            row = connection.execute(text("SELECT name, retention_days FROM district")).one()
        assert tuple(row) == ("达川区", None)
    finally:
        engine.dispose()


def _district_and_user(connection: Connection) -> None:
    """District 1 and its coordinator 7 ("li"), written as an older schema holds them (no models: they may differ)."""
    connection.execute(text("INSERT INTO district (id, name, created_at) VALUES (1, '达川区', CURRENT_TIMESTAMP)"))
    connection.execute(
        text(
            "INSERT INTO app_user (id, username, display_name, password_hash, role, district_id, disabled,"
            " created_at) VALUES (7, 'li', '', 'x', 'coordinator', 1, false, CURRENT_TIMESTAMP)"
        )
    )


def test_blobs_already_attached_get_their_owners_as_holders(database_url: str) -> None:
    engine = create_server_engine(database_url)
    complete, partial = "a" * 64, "b" * 64
    try:
        config = alembic_config(engine)
        command.upgrade(config, "0002")
        with engine.begin() as connection:
            _district_and_user(connection)
            for sha, done in ((complete, True), (partial, False)):
                connection.execute(
                    text(
                        "INSERT INTO blob (sha256, size, committed, complete, created_at)"
                        " VALUES (:sha, 10, :committed, :done, CURRENT_TIMESTAMP)"
                    ),
                    {"sha": sha, "committed": 10 if done else 4, "done": done},
                )
            connection.execute(
                text(
                    "INSERT INTO record (entity, entity_id, district_id, owner_id, version, data, meta, writer, seq,"
                    " deleted, updated_at) VALUES ('attachment', 'p1', 1, 7, 1, :data, '{}', 'device:d', 1, false,"
                    " CURRENT_TIMESTAMP)"
                ),
                {"data": json.dumps({"id": "p1", "sha256": complete})},
            )
        command.upgrade(config, "head")
        with engine.begin() as connection:
            holders = connection.execute(text("SELECT sha256, user_id, district_id FROM blob_holder")).all()
            blobs = connection.execute(text("SELECT sha256 FROM blob")).scalars().all()
        assert [tuple(row) for row in holders] == [(complete, 7, 1)]
        assert blobs == [complete]
    finally:
        engine.dispose()


def test_records_lose_their_foreign_keys_and_keep_their_rows(database_url: str) -> None:
    """0005 drops the record's foreign keys (on SQLite by copying the table): every row comes through as it was."""
    engine = create_server_engine(database_url)
    try:
        config = alembic_config(engine)
        command.upgrade(config, "0004")
        assert len(inspect(engine).get_foreign_keys("record")) == 2
        with engine.begin() as connection:
            _district_and_user(connection)
            for entity_id, owner in (("a1", 7), ("e1", None)):
                connection.execute(
                    text(
                        "INSERT INTO record (entity, entity_id, parent_id, district_id, owner_id, version, data, meta,"
                        " writer, seq, deleted, updated_at) VALUES ('audit', :id, 'e1', 1, :owner, 3, :data, '{}',"
                        " 'device:d', :seq, false, CURRENT_TIMESTAMP)"
                    ),
                    {"id": entity_id, "owner": owner, "data": json.dumps({"id": entity_id}), "seq": len(entity_id)},
                )
        command.upgrade(config, "head")
        assert inspect(engine).get_foreign_keys("record") == []
        with engine.connect() as connection:
            rows = connection.execute(
                text("SELECT entity_id, parent_id, district_id, owner_id, version, data FROM record ORDER BY entity_id")
            ).all()
        assert [(*row[:5], json.loads(row[5]) if isinstance(row[5], str) else row[5]) for row in rows] == [
            ("a1", "e1", 1, 7, 3, {"id": "a1"}),
            ("e1", "e1", 1, None, 3, {"id": "e1"}),
        ]
    finally:
        engine.dispose()
