"""``laborcheck sync``: consent recorded, password from stdin, summary printed; nothing syncs without consent."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.cli import main
from app.models import Enterprise, load_settings
from app.services.workspace import open_workspace
from app.sync.service import sync_status
from tests.sync.conftest import PASSWORD, District


def test_sync_from_the_command_line_records_consent_and_pulls(
    district: District, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "cli-laptop"
    assert main(["sync", "--data-dir", str(data)]) == 1
    assert "--server" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    code = main(
        ["sync", "--data-dir", str(data), "--server", district.server.url, "--yes", "--user", "li", "--password-stdin"]
    )
    assert code == 0
    assert "同步完成" in capsys.readouterr().out
    ws = open_workspace(data)
    with ws.db.session() as session:
        settings = load_settings(session)
        assert (settings.server_url, settings.server_consent) == (district.server.url, True)
        assert session.scalar(select(func.count()).select_from(Enterprise)) == 3
        assert sync_status(session).last_success is not None
    ws.close()


def test_sync_archives_what_the_office_allows_and_pull_back_restores_it(
    district: District, laptop, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import text

    from tests.sync._helpers import do_sync, first_enterprise
    from tests.sync.test_retention_sync import _closed, _set_retention

    ws = laptop("li")
    do_sync(ws, "li")
    audit_id = _closed(ws, first_enterprise(ws))
    do_sync(ws, "li")
    with ws.db.session() as session:  # a visit closed long ago (raw SQL: history, not a change to send)
        session.execute(text("UPDATE audit SET finished_at = '2025-03-01 02:00:00.000000'"))
        session.execute(text("UPDATE rectification_item SET verified_on = '2025-04-01'"))
    data = str(ws.paths.root)
    ws.close()
    _set_retention(district.db, 180)

    assert main(["sync", "--data-dir", data]) == 0
    assert "1 次已同步的体检只在本机保留摘要" in capsys.readouterr().out
    assert main(["audit", "list", "--data-dir", data]) == 0
    assert "本机已归档" in capsys.readouterr().out
    assert main(["audit", "export", audit_id, "-o", str(Path(data) / "x.json"), "--data-dir", data]) == 1
    assert "请先从服务器取回" in capsys.readouterr().err

    assert main(["audit", "pull-back", audit_id, "--data-dir", data]) == 0
    assert "已取回：答案" in capsys.readouterr().out
    assert main(["audit", "list", "--data-dir", data]) == 0
    assert "本机已归档" not in capsys.readouterr().out
