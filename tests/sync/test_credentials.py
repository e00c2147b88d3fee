"""The token lives in a secure keyring or nowhere: a headless machine asks for the password at each sync."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import keyring
import pytest
from keyring.backends import fail

from app.sync import credentials
from app.sync.client import SyncClient
from app.sync.service import PasswordRequired
from tests.sync._helpers import do_sync
from tests.sync.conftest import District


def test_the_token_is_kept_in_the_keyring_and_reused(district: District, laptop: Any, suite_keyring: Any) -> None:
    ws = laptop("李明")
    do_sync(ws, "li")
    assert suite_keyring.entries(credentials.SERVICE) == [(credentials.SERVICE, f"li@{district.server.url}")]
    from app.sync.service import sync

    sync(ws)  # no password: the stored token is enough


def test_without_a_secure_keyring_nothing_is_stored_and_the_password_is_asked_each_time(
    district: District, laptop: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    keyring.set_keyring(fail.Keyring())
    assert not credentials.secure_store_available()
    monkeypatch.setenv("LABORCHECK_PASSPHRASE", "laptop passphrase")  # no keyring: the data key needs one too
    issued: list[str] = []
    real_sign_in = SyncClient.sign_in

    def spy(self: SyncClient, request: Any) -> Any:
        answer = real_sign_in(self, request)
        issued.append(answer.token)
        return answer

    monkeypatch.setattr(SyncClient, "sign_in", spy)
    ws = laptop("李明")
    do_sync(ws, "li")  # with the password: works, token kept in memory only
    from app.sync.service import sync

    with pytest.raises(PasswordRequired, match="密钥环"):
        sync(ws, username="li")
    written = b"".join(
        path.read_bytes() for path in tmp_path.rglob("*") if path.is_file() and "blobs" not in path.parts
    )
    assert len(issued) == 1
    assert issued[0].encode() not in written
    assert credentials.load_token(district.server.url, "li") is None
