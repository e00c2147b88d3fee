"""The local database: one SQLite file, opened the same way by the GUI, the CLI and the tests.

A coordinator's laptop can lose power in the middle of a visit, so the connection is set up for durability first:
WAL journal, ``synchronous=FULL`` (a commit is on disk when it returns), foreign keys enforced and a busy timeout
so a second process (the CLI while the GUI runs) waits instead of failing. Migrations run on every open, so a
newer build upgrades an older data directory before anything reads it.

Opening is one function taking a URL builder so that an encrypted engine (SQLCipher) can slot in without touching
callers.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import URL, Engine, create_engine, event, text
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool

from core.errors import LaborCheckError

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
SCHEMA_HEAD = "0012"
"""The newest migration. Checked cheaply on every open, so Alembic (a slow import) loads only when the schema
must move; a test keeps it equal to Alembic's own head."""
BUSY_TIMEOUT_MS = 10_000


HAND_MADE_TABLE_PREFIXES = ("enterprise_fts",)
"""Tables created by hand in migrations (the FTS index and its shadow tables), invisible to the models."""


HAND_MADE_INDEXES = frozenset({"ix_audit_ledger_order"})
"""Expression indexes created by hand in migrations (SQLAlchemy does not reflect them), invisible to the models."""


def include_object(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
    """Alembic filter: compare everything but the hand-made tables and indexes."""
    if type_ == "index" and name in HAND_MADE_INDEXES:
        return False
    return not (type_ == "table" and name is not None and name.startswith(HAND_MADE_TABLE_PREFIXES))


class LocalSession(Session):
    """The session class of the laptop database; the outbox hooks onto it (see ``app.models.sync``)."""


class DatabaseKeyMismatch(LaborCheckError):
    def __init__(self, path: Path) -> None:
        super().__init__(
            f"数据库 {path} 无法用本数据目录的密钥解开（密钥文件与数据库不匹配，或文件已损坏）。数据没有被改动。"
        )


CACHE_KIB = 65536
"""SQLite's page cache per connection, in KiB (``PRAGMA cache_size`` takes a negative number for KiB)."""
BULK_CACHE_KIB = 8192
"""The page cache while pages of a pull are written (:meth:`Database.bulk_session`)."""


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def sqlcipher_url(path: Path, key: bytes) -> URL:
    """SQLCipher with a raw 256-bit key (``x'…'``): no key derivation on each new connection."""
    return URL.create("sqlite+pysqlcipher", password=f"x'{key.hex()}'", database=str(path))


def _apply_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin (SQLAlchemy's documented pysqlite
    # recipe): otherwise the driver's implicit transactions break SAVEPOINTs, and a nested rollback could
    # release work the caller never committed.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        if _is_sqlcipher(dbapi_connection):
            # SQLCipher writes "hmac check failed" lines to stderr on a wrong key; we raise a clear error instead.
            cursor.execute("PRAGMA cipher_log_level = NONE")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        # 64 MB page cache: the 1–2 character name search scans the name index (measured: p95 24 → 16 ms at 100k).
        cursor.execute(f"PRAGMA cache_size=-{CACHE_KIB}")
    finally:
        cursor.close()


def _is_sqlcipher(dbapi_connection: Any) -> bool:
    return type(dbapi_connection).__module__.startswith("sqlcipher3")


def create_sqlite_engine(path: Path, key: bytes | None = None) -> Engine:
    """An engine whose every connection carries the durability pragmas; encrypted (SQLCipher) when given a key.

    The encrypted engine keeps the plain engine's pool (``QueuePool``; the SQLCipher dialect would pick a
    per-thread pool), so both behave the same towards the GUI's worker threads.
    """
    connect_args = {"timeout": BUSY_TIMEOUT_MS / 1000}
    if key is None:
        engine = create_engine(sqlite_url(path), connect_args=connect_args)
    else:
        engine = create_engine(sqlcipher_url(path, key), connect_args=connect_args, poolclass=QueuePool)
    event.listen(engine, "connect", _apply_pragmas)
    event.listen(engine, "begin", _begin)
    return engine


def _begin(connection: Any) -> None:
    connection.exec_driver_sql("BEGIN")


def alembic_config(engine: Engine) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["engine"] = engine
    return config


def migrate(engine: Engine, revision: str = "head") -> None:
    """Upgrade the schema to ``revision`` (idempotent: a current database is left as it is)."""
    from alembic import command

    command.upgrade(alembic_config(engine), revision)


def schema_is_current(engine: Engine) -> bool:
    with engine.connect() as connection:
        try:
            version = connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
        except OperationalError:  # no alembic_version table: a new database
            return False
    return version == SCHEMA_HEAD


@dataclass
class Database:
    """An open data directory's database: the engine and the one way to get a session."""

    engine: Engine
    sessions: sessionmaker[LocalSession]

    @contextmanager
    def session(self) -> Iterator[LocalSession]:
        """A unit of work: commits when the block ends normally, rolls back on an exception."""
        session = self.sessions()
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    @contextmanager
    def bulk_session(self) -> Iterator[LocalSession]:
        """A session for writing page after page (a registry pull), on one connection whose page cache is held at
        :data:`BULK_CACHE_KIB` meanwhile; the caller commits each page. A first pull of 100 000 enterprises
        touches every page of their tables and its search index, and the search cache would grow to its full
        64 MB in the middle of a sync on a laptop that may have little to spare: writing needs only a small cache.
        Afterwards the connection gets its cache back, emptied, and fills it again as searches read.
        Rolls back what is uncommitted on an exception, like :meth:`session`."""
        session = self.sessions()
        try:
            session.execute(text(f"PRAGMA cache_size=-{BULK_CACHE_KIB}"))
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            try:
                session.execute(text(f"PRAGMA cache_size=-{CACHE_KIB}"))
            except DatabaseError:
                pass  # a broken connection: the pool replaces it, with the full cache (``_apply_pragmas``)
            finally:
                session.close()

    def close(self) -> None:
        self.engine.dispose()


def open_database(path: Path, *, key: bytes | None = None, run_migrations: bool = True) -> Database:
    """Open (creating if needed) the database at ``path`` and bring its schema up to date.

    With ``key`` the file is a SQLCipher database; a key that does not fit is :class:`DatabaseKeyMismatch`,
    raised before anything is written.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    engine = create_sqlite_engine(path, key)
    if key is not None:
        try:
            with engine.connect() as connection:
                connection.exec_driver_sql("SELECT count(*) FROM sqlite_master").scalar()
        except DatabaseError as error:
            engine.dispose()
            if "not a database" in str(error.orig).lower():  # SQLITE_NOTADB: SQLCipher's answer to a wrong key
                raise DatabaseKeyMismatch(path) from None
            raise  # a full or read-only disk is not a key problem: the caller says what it is
    if run_migrations and not schema_is_current(engine):
        migrate(engine)
    return Database(engine, sessionmaker(engine, class_=LocalSession, expire_on_commit=False))
