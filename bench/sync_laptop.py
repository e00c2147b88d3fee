"""The laptop side of ``bench_sync``'s pull, a program of its own (``python -m bench.sync_laptop``): it imports
only what a laptop's sync imports (not the server, Pillow or the benchmark's seeding code, which a
``multiprocessing`` child would import again with the parent's main module), so its resident memory before and
during the pull is a laptop's. Reads the password on stdin and prints its figures as JSON."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import keyring

from app.audit.enterprises import name_initials
from app.audit.profile import ProfileInput, save_profile
from app.models import save_settings
from app.services.workspace import Workspace
from app.sync.service import sign_in, sync
from bench import memory_mb, open_bench_workspace
from tests.keyrings import FileKeyring


def laptop(root: Path, name: str, url: str) -> Workspace:
    """A fresh laptop data directory set up to sync with ``url``."""
    ws = open_bench_workspace(root / name)
    with ws.db.session() as session:
        save_profile(session, ProfileInput(name=name, device_code="A3", district="达川区", organisation="达川区人社局"))
        save_settings(session, server_url=url, server_consent=True)
    return ws


def pull(directory: str, base: str, user: str, password: str) -> dict[str, float]:
    """A fresh laptop's first pull: rows, seconds, and this process's peak resident memory and memory before."""
    keyring.set_keyring(FileKeyring())  # the parent's keyring file (LABORCHECK_TEST_KEYRING is inherited)
    ws = laptop(Path(directory).parent, Path(directory).name, base)
    sign_in(ws, user, password)
    before = memory_mb("VmRSS")
    started = time.perf_counter()
    pulled = sync(ws, username=user, initials=name_initials)  # the laptop's own page size
    elapsed = time.perf_counter() - started
    ws.close()
    return {"rows": pulled.received, "seconds": elapsed, "peak_mb": memory_mb("VmHWM"), "before_mb": before}


if __name__ == "__main__":
    directory, base, user = sys.argv[1:4]
    print(json.dumps(pull(directory, base, user, sys.stdin.readline().strip())))
