"""``laborcheck-server`` administration commands against a fresh SQLite database."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from sqlalchemy import select

from app.checklists.loader import default_template_dir, load_template_set, module_snapshot
from server.cli import main
from server.db import open_server_database
from server.models import Record, User


def test_the_server_commands_set_up_a_district(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite:///{tmp_path / 'server.db'}"
    base = ["--database-url", url]
    monkeypatch.setattr("sys.stdin", io.StringIO("admin-password-1\n"))
    assert main(["init", *base, "--district", "达川区", "--admin", "root", "--password-stdin"]) == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("coordinator-pw-1\n"))
    assert main(["user", "add", *base, "li", "--role", "coordinator", "--district", "达川区", "--password-stdin"]) == 0
    assert main(["user", "disable", *base, "li"]) == 0
    registry = tmp_path / "registry.csv"
    registry.write_text(
        "统一社会信用代码,企业名称,职工人数\n91511703MA62XXXX0A,达州恒达机械制造有限公司,120\n", "utf-8"
    )
    assert main(["enterprise", "import", *base, str(registry), "--district", "达川区"]) == 0
    snapshots = tmp_path / "snapshots"
    snapshots.mkdir()
    template_set = load_template_set(default_template_dir())
    for module in template_set.modules:
        (snapshots / f"{module.module}.json").write_text(
            json.dumps(module_snapshot(template_set, module.module), ensure_ascii=False), "utf-8"
        )
    assert main(["template", "publish", *base, str(snapshots)]) == 0
    assert main(["campaign", "add", *base, "冬季专项行动", "--district", "达川区", "--starts-on", "2026-11-01"]) == 0
    assert main(["device", "revoke", *base, "no-such-device"]) == 1
    db = open_server_database(url)
    with db.session() as session:
        entities = sorted({record.entity for record in session.scalars(select(Record))})
        assert entities == ["campaign", "enterprise", "template"]
        templates = session.scalars(select(Record).where(Record.entity == "template")).all()
        assert len(templates) == len(template_set.modules)
        assert session.scalars(select(User).where(User.username == "li")).one().disabled
    db.close()
    assert main(["template", "publish", *base, str(snapshots)]) == 0  # publishing again changes nothing


def test_a_server_worker_loads_the_pinyin_dictionaries_before_its_first_request(tmp_path: Path) -> None:
    """A worker converts the first enterprise name a laptop pushes: loading pypinyin then (0.5 s of CPU) would
    stall that push and every push queued behind it, so the worker's entry point loads it as it starts."""
    import os
    import subprocess
    import sys

    probe = "import sys, server.asgi; print('pypinyin.phrases_dict' in sys.modules)"
    env = {
        **os.environ,
        "LABORCHECK_SERVER_DATABASE_URL": f"sqlite:///{tmp_path / 'server.db'}",
        "LABORCHECK_SERVER_BLOBS": str(tmp_path / "blobs"),
    }
    result = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "True"


def test_a_server_worker_keeps_what_it_loaded_out_of_the_cyclic_collectors_walks(tmp_path: Path) -> None:
    """A worker's imports and app (~350,000 objects) live as long as it does: a full collection walking them cost
    ~0.1 s of CPU in the middle of a push. The entry point freezes them and collects the youngest generation after
    10,000 allocations, so a push batch's garbage does not set the collector off hundreds of times."""
    import os
    import subprocess
    import sys

    probe = "import gc, server.asgi; print(gc.get_freeze_count(), gc.get_threshold()[0])"
    env = {
        **os.environ,
        "LABORCHECK_SERVER_DATABASE_URL": f"sqlite:///{tmp_path / 'server.db'}",
        "LABORCHECK_SERVER_BLOBS": str(tmp_path / "blobs"),
    }
    result = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True)
    frozen, threshold = map(int, result.stdout.split())
    assert frozen > 100_000  # the imports and the app, not a handful
    assert threshold == 10_000
