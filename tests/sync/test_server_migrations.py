"""The server's migrations build exactly its models' schema, on SQLite and on PostgreSQL, and keep data."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text

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
