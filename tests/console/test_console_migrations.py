"""The server's migration 0003 on data that exists: record parents are backfilled from the JSON (both engines)."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text

import server.console.models  # noqa: F401 (the console's tables are part of the metadata compared)
from server.db import alembic_config, create_server_engine
from server.models import Base


def test_the_console_migration_backfills_parents_and_matches_the_models(database_url: str) -> None:
    engine = create_server_engine(database_url)
    try:
        config = alembic_config(engine)
        command.upgrade(config, "0002")
        rows = [
            ("audit", "a1", '{"id": "a1", "enterprise_id": "e1"}'),
            ("answer", "n1", '{"id": "n1", "audit_id": "a1"}'),
            ("risk_indicator", "r1", '{"id": "r1", "enterprise_id": "e1"}'),
            ("enterprise", "e1", '{"id": "e1", "name": "恒达"}'),
        ]
        with engine.begin() as connection:
            for entity, entity_id, data in rows:
                connection.execute(
                    text(
                        "INSERT INTO record (entity, entity_id, version, data, meta, writer, seq, deleted, updated_at)"
                        " VALUES (:entity, :id, 1, :data, '{}', 'test', 1, false, CURRENT_TIMESTAMP)"
                    ),
                    {"entity": entity, "id": entity_id, "data": data},
                )
        command.upgrade(config, "head")
        with engine.connect() as connection:
            parents = dict(connection.execute(text("SELECT entity_id, parent_id FROM record")).all())
            differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
        assert parents == {"a1": "e1", "n1": "a1", "r1": "e1", "e1": None}
        assert differences == []
        command.downgrade(config, "0002")
        command.upgrade(config, "head")
    finally:
        engine.dispose()
