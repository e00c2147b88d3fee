"""``laborcheck sync``: consent recorded, password from stdin, summary printed; nothing syncs without consent."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.audit.workspace import open_workspace
from app.cli import main
from app.models import Enterprise, load_settings
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
