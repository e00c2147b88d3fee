"""Benchmarks (``make bench``): figures to read, never assertions in the test suite.

Benchmarks work on throw-away data directories and never touch the machine's keyring: they open them with an
explicit key source (:func:`open_bench_workspace`: a passphrase, keyring's ``fail`` backend, and a low Argon2
cost, so a start-up is not dominated by the key derivation), and child processes get the same through the
environment (:func:`bench_environment`). ``bench_encryption`` measures the production unwrap paths on their own.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.services.workspace import Workspace

BENCH_PASSPHRASE = "bench passphrase 2026"  # noqa: S105 - protects throw-away benchmark data only


def open_bench_workspace(path: str | os.PathLike[str]) -> Workspace:
    """Open (or make) a benchmark data directory with the passphrase path, whatever keyring the machine has."""
    from keyring.backends import fail

    from app.services.workspace import open_workspace
    from app.storage.keys import Argon2Params

    cheap = Argon2Params(time_cost=1, memory_cost=8, parallelism=1)
    return open_workspace(Path(path), passphrase=BENCH_PASSPHRASE, keyring=fail.Keyring(), argon2_for_tests=cheap)


def bench_environment() -> dict[str, str]:
    """For a child process opening a directory made by :func:`open_bench_workspace` (CLI or GUI)."""
    return {"LABORCHECK_PASSPHRASE": BENCH_PASSPHRASE, "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}


def memory_mb(field: str, pid: int | str = "self") -> float:
    """MB of a process from /proc: ``VmRSS`` (resident now) or ``VmHWM`` (its peak resident memory); NaN if the
    field is missing. Not ``ru_maxrss``: that keeps the peak of the process it was forked from (Linux carries it
    over ``exec``), for a child the bench's own."""
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return float("nan")
