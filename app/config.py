"""Where LaborCheck keeps its data, and the few settings that are not stored in the database.

One typed object with defaults; the environment (``LABORCHECK_HOME``) and the command line (``--data-dir``)
override it, in that order of precedence: command line, environment, platform default.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "LaborCheck"
ENV_HOME = "LABORCHECK_HOME"


@dataclass(frozen=True)
class Paths:
    """The files of one data directory. Everything a coordinator records lives below ``root``."""

    root: Path

    @property
    def database(self) -> Path:
        return self.root / "laborcheck.db"

    @property
    def blobs(self) -> Path:
        return self.root / "blobs"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def exports(self) -> Path:
        return self.root / "exports"

    def ensure(self) -> Paths:
        """Create the directory tree (idempotent) and return self for chaining."""
        for path in (self.root, self.blobs, self.logs):
            path.mkdir(parents=True, exist_ok=True)
        return self


def default_data_dir() -> Path:
    """The platform's per-user data directory (e.g. ``~/.local/share/LaborCheck`` on Linux)."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def resolve_paths(data_dir: str | os.PathLike[str] | None = None) -> Paths:
    """Pick the data directory: explicit argument, then ``LABORCHECK_HOME``, then the platform default."""
    if data_dir:
        root = Path(data_dir)
    elif os.environ.get(ENV_HOME):
        root = Path(os.environ[ENV_HOME])
    else:
        root = default_data_dir()
    return Paths(root.expanduser().resolve())
