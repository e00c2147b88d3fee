"""Encryption at rest: answer save p99 on the SQLCipher database next to the plain one, and start-up with unwrap.

Both databases get the same pragmas (WAL, synchronous=FULL), the same templates and the same answer loop, run in
alternating blocks in the same process so disk and CPU drift fall on both. Target: encrypted p99 ≤ 1.3× plain.
Start-up is ``open_workspace`` on an existing directory: the keyring path (the tests' file-backed keyring double,
passed explicitly — this machine has no keyring; a real Secret Service / Keychain lookup adds its own IPC time) and
the passphrase path at the production Argon2id cost, which is the part a coordinator waits for.
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import tempfile
import time
from pathlib import Path

from keyring.backends import fail

from app.audit.enterprises import EnterpriseInput, create_enterprise
from app.audit.profile import ProfileInput, save_profile
from app.audit.uscc import make_uscc
from app.audit.visits import answer_item, item_states, start_audit
from app.db import Database, open_database
from app.models import AnswerStatus
from app.services.workspace import install_packaged_templates, open_workspace
from app.storage.keys import load_data_key
from tests.keyrings import ENV as KEYRING_ENV
from tests.keyrings import FileKeyring

BLOCKS = 6
BLOCK = 100
STARTS = 5
PASSPHRASE = "bench passphrase 2026"  # noqa: S105 - a test passphrase
STATUSES = [AnswerStatus.COMPLIANT, AnswerStatus.NON_COMPLIANT, AnswerStatus.NOT_APPLICABLE]


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def _prepare(db: Database) -> tuple[str, list[str]]:
    install_packaged_templates(db)
    with db.session() as session:
        coordinator = save_profile(session, ProfileInput(name="李明", device_code="A3"))
        enterprise = create_enterprise(
            session, EnterpriseInput(uscc=make_uscc("91511703MA62XXXX0"), name="达州恒达机械有限公司")
        )
        audit = start_audit(
            session,
            enterprise_id=enterprise.id,
            coordinator_id=coordinator.id,
            visit_date=dt.date(2026, 11, 10),
            modules=["CONTRACT", "WAGE", "HOURS", "INSURANCE", "DEMOCRACY"],
        )
        return audit.id, [s.item.id for s in item_states(session, audit.id) if s.needs_answer]


def _answers(db: Database, audit_id: str, items: list[str], first: int, timings: list[float]) -> None:
    for n in range(first, first + BLOCK):
        started = time.perf_counter()
        with db.session() as session:
            answer_item(session, audit_id, items[n % len(items)], STATUSES[n % 3], note=f"记录 {n}")
        timings.append(time.perf_counter() - started)


def _saves(root: Path) -> tuple[list[float], list[float]]:
    plain = open_database(root / "plain.db")
    encrypted = open_database(root / "encrypted.db", key=os.urandom(32))
    plain_audit, plain_items = _prepare(plain)
    encrypted_audit, encrypted_items = _prepare(encrypted)
    plain_times: list[float] = []
    encrypted_times: list[float] = []
    try:
        for block in range(BLOCKS):
            _answers(plain, plain_audit, plain_items, block * BLOCK, plain_times)
            _answers(encrypted, encrypted_audit, encrypted_items, block * BLOCK, encrypted_times)
    finally:
        plain.close()
        encrypted.close()
    return plain_times, encrypted_times


def _start_ups(root: Path) -> dict[str, float]:
    keyring_dir, passphrase_dir = root / "keyring", root / "passphrase"
    os.environ[KEYRING_ENV] = str(root / "keyring.json")
    backend = FileKeyring()
    open_workspace(keyring_dir, keyring=backend).close()
    open_workspace(passphrase_dir, passphrase=PASSPHRASE, keyring=fail.Keyring()).close()  # production Argon2
    plain_db = root / "plain-start.db"
    open_database(plain_db).close()
    figures: dict[str, list[float]] = {"plain_open": [], "keyring_open": [], "passphrase_open": [], "unwrap": []}
    for _ in range(STARTS):
        started = time.perf_counter()
        open_database(plain_db).close()
        figures["plain_open"].append(time.perf_counter() - started)
        started = time.perf_counter()
        open_workspace(keyring_dir, keyring=backend).close()
        figures["keyring_open"].append(time.perf_counter() - started)
        started = time.perf_counter()
        load_data_key(passphrase_dir, passphrase=PASSPHRASE, keyring=fail.Keyring())
        figures["unwrap"].append(time.perf_counter() - started)
        started = time.perf_counter()
        open_workspace(passphrase_dir, passphrase=PASSPHRASE, keyring=fail.Keyring()).close()
        figures["passphrase_open"].append(time.perf_counter() - started)
    return {f"{name}_ms": statistics.median(values) * 1000 for name, values in figures.items()}


def run() -> dict[str, float]:
    try:
        with tempfile.TemporaryDirectory() as tmp:
            plain, encrypted = _saves(Path(tmp))
            starts = _start_ups(Path(tmp))
    finally:
        os.environ.pop(KEYRING_ENV, None)
    figures = {
        "plain_p50_ms": statistics.median(plain) * 1000,
        "plain_p99_ms": _percentile(plain, 0.99) * 1000,
        "encrypted_p50_ms": statistics.median(encrypted) * 1000,
        "encrypted_p99_ms": _percentile(encrypted, 0.99) * 1000,
        **starts,
    }
    figures["p99_ratio"] = figures["encrypted_p99_ms"] / figures["plain_p99_ms"]
    return figures


def main() -> None:
    figures = run()
    print(f"answer save, encrypted (SQLCipher) vs plain ({BLOCKS * BLOCK} answers each, alternating blocks)")
    print(f"  plain       p50 {figures['plain_p50_ms']:.2f} ms   p99 {figures['plain_p99_ms']:.2f} ms")
    print(f"  encrypted   p50 {figures['encrypted_p50_ms']:.2f} ms   p99 {figures['encrypted_p99_ms']:.2f} ms")
    print(f"  p99 ratio {figures['p99_ratio']:.2f}× (target ≤ 1.3×)")
    print(f"start-up (median of {STARTS})")
    print(f"  plain open_database                 {figures['plain_open_ms']:.1f} ms")
    print(f"  open_workspace, keyring             {figures['keyring_open_ms']:.1f} ms")
    print(f"  key unwrap, passphrase (Argon2id)   {figures['unwrap_ms']:.1f} ms")
    print(f"  open_workspace, passphrase          {figures['passphrase_open_ms']:.1f} ms")


if __name__ == "__main__":
    main()
