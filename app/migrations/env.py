"""Alembic environment for the laptop database.

Migrations run in-process on every start (``app.db.migrate``) with the application engine, so the pragmas
are the same as at run time. ``render_as_batch`` lets SQLite alter tables by copy-and-move. Objects that
autogenerate cannot describe (the FTS index and the triggers that guard signed notices) are created by hand in
their migrations and excluded from the comparison here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from alembic import context
from alembic.autogenerate.api import AutogenContext
from sqlalchemy import Engine

import app.models
from app.db import create_sqlite_engine, include_object
from app.models.base import UtcDateTime

target_metadata = app.models.Base.metadata


def render_item(type_: str, obj: Any, autogen_context: AutogenContext) -> str | Literal[False]:
    """Render our UTC timestamp type as a plain DateTime, so migrations never import application code."""
    if type_ == "type" and isinstance(obj, UtcDateTime):
        return "sa.DateTime()"
    return False


def run_migrations_online() -> None:
    config = context.config
    engine: Engine | None = config.attributes.get("engine")
    if engine is None:
        url = config.get_main_option("sqlalchemy.url")
        if not url:
            raise RuntimeError("no engine or sqlalchemy.url given to the migration environment")
        engine = create_sqlite_engine(Path(url.removeprefix("sqlite:///")))
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=True,
            include_object=include_object,
            render_item=render_item,
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


run_migrations_online()
