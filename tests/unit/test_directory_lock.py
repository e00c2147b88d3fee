"""The data-directory lock keeps a second process out while the first makes the key or converts the directory.

It is ``filelock`` underneath (flock on POSIX, ``msvcrt.locking`` on Windows): the lock used to be a no-op where
``fcntl`` is missing, so on Windows the GUI and the CLI starting together could both create a key.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from filelock import FileLock, Timeout

from app.storage.durable_files import LOCK_FILE, exclusive_lock

HOLDER = """
import sys
from pathlib import Path
from app.storage.durable_files import exclusive_lock
with exclusive_lock(Path(sys.argv[1])):
    print("locked", flush=True)
    sys.stdin.readline()
print("released", flush=True)
"""


def test_a_second_process_cannot_take_the_lock_while_the_first_holds_it(tmp_path: Path) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(tmp_path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert holder.stdout is not None
    assert holder.stdin is not None
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(Timeout):
            FileLock(tmp_path / LOCK_FILE, timeout=0).acquire()
        holder.stdin.write("\n")
        holder.stdin.flush()
        assert holder.stdout.readline().strip() == "released"
    finally:
        holder.communicate(timeout=30)
    with exclusive_lock(tmp_path), pytest.raises(Timeout):  # free again once the holder let go, then held by us
        FileLock(tmp_path / LOCK_FILE, timeout=0).acquire()
