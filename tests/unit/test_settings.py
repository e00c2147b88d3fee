"""Application settings: typed, with defaults, stored per data directory, overridable by the environment."""

from __future__ import annotations

import pytest

from app.models import AppSettings, load_settings, save_settings
from app.services.workspace import Workspace


def test_defaults_until_saved_and_kept_after(ws: Workspace) -> None:
    with ws.db.session() as session:
        assert load_settings(session) == AppSettings()
        save_settings(session, server_url="https://lc.dazhou.example", language="en")
    with ws.db.session() as session:
        settings = load_settings(session)
    assert settings.server_url == "https://lc.dazhou.example"
    assert settings.language == "en"
    assert settings.server_consent is False


def test_environment_overrides_the_server(ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LABORCHECK_SERVER", "http://127.0.0.1:8765")
    with ws.db.session() as session:
        save_settings(session, server_url="https://stored.example")
        assert load_settings(session).server_url == "http://127.0.0.1:8765"


@pytest.mark.parametrize(
    ("changes", "error"),
    [({"colour": "red"}, KeyError), ({"server_consent": "yes"}, TypeError), ({"language": "fr"}, ValueError)],
)
def test_bad_settings_are_refused(ws: Workspace, changes: dict[str, object], error: type[Exception]) -> None:
    with ws.db.session() as session, pytest.raises(error):
        save_settings(session, **changes)
