"""Writing small files so that a power cut leaves either the old file or the new one, never half of either."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from filelock import FileLock

LOCK_FILE = ".open.lock"


def fsync_directory(directory: Path) -> None:
    """Make a rename or a new entry in ``directory`` durable. Windows cannot open a directory; NTFS journals it."""
    if os.name == "nt":
        return
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def fsync_file(path: Path) -> None:
    with path.open("rb+") as file:
        os.fsync(file.fileno())


def write_atomically(target: Path, data: bytes, *, temp_prefix: str | None = None) -> None:
    """Write ``data`` to a temporary file beside ``target``, fsync it, rename it over ``target``, fsync the folder.

    The temporary file is ``.{target name}-….tmp`` unless ``temp_prefix`` names another (the blob store's
    ``.incoming-`` files, which its sweeps recognise)."""
    prefix = temp_prefix if temp_prefix is not None else f".{target.name}-"
    descriptor, temp_name = tempfile.mkstemp(dir=target.parent, prefix=prefix, suffix=".tmp")
    try:
        with os.fdopen(descriptor, "wb") as temp:
            temp.write(data)
            temp.flush()
            os.fsync(temp.fileno())
        os.replace(temp_name, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp_name)
        raise
    fsync_directory(target.parent)


@contextlib.contextmanager
def exclusive_lock(directory: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``directory`` while a key is made or the directory converted: the GUI and the CLI
    starting together must not both do it. ``filelock`` locks with ``flock`` on POSIX and ``msvcrt.locking`` on
    Windows, so the promise holds on a coordinator's Windows laptop too (it used to be a no-op without ``fcntl``)."""
    with FileLock(directory / LOCK_FILE, mode=0o600):
        yield
