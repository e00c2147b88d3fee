"""Server settings: where the database and the blobs live, and the sync horizons."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path

ENV_DATABASE_URL = "LABORCHECK_SERVER_DATABASE_URL"
ENV_BLOB_DIR = "LABORCHECK_SERVER_BLOBS"
DEFAULT_DATABASE = "sqlite:///laborcheck-server.db"


@dataclass(frozen=True)
class ServerSettings:
    database_url: str = DEFAULT_DATABASE
    blob_dir: Path = Path("laborcheck-server-blobs")
    tombstone_horizon: dt.timedelta = field(default=dt.timedelta(days=180))
    console_idle: dt.timedelta = field(default=dt.timedelta(minutes=30))
    """A console session ends after this long without a request."""
    console_lifetime: dt.timedelta = field(default=dt.timedelta(hours=12))
    """A console session ends this long after sign-in, however active."""
    secure_cookies: bool | None = None
    """Mark the console's cookies Secure: True/False, or None to follow the request (https, or a proxy's
    ``X-Forwarded-Proto: https`` when uvicorn trusts it)."""

    @classmethod
    def from_env(cls, database_url: str | None = None, blob_dir: str | None = None) -> ServerSettings:
        return cls(
            database_url=database_url or os.environ.get(ENV_DATABASE_URL) or DEFAULT_DATABASE,
            blob_dir=Path(blob_dir or os.environ.get(ENV_BLOB_DIR) or "laborcheck-server-blobs"),
        )
