"""A city from the command line: districts report to it, its user signs in to the console (never to sync)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from sqlalchemy import select

from server.cli import main
from server.db import open_server_database
from server.models import City, District, User


def test_a_city_and_its_user_are_added_from_the_command_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite:///{tmp_path / 'server.db'}"
    base = ["--database-url", url]
    monkeypatch.setattr("sys.stdin", io.StringIO("admin-password-1\n"))
    assert main(["init", *base, "--district", "达川区", "--admin", "root", "--password-stdin"]) == 0
    assert main(["district", "add", *base, "通川区"]) == 0
    assert main(["city", "add", *base, "达州市", "达川区", "通川区"]) == 0
    assert main(["city", "add", *base, "达州市", "不存在区"]) == 1
    monkeypatch.setattr("sys.stdin", io.StringIO("city-password-1\n"))
    assert main(["user", "add", *base, "dazhou", "--role", "city", "--city", "达州市", "--password-stdin"]) == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("city-password-1\n"))
    assert main(["user", "add", *base, "nocity", "--role", "city", "--password-stdin"]) == 1
    db = open_server_database(url)
    with db.session() as session:
        city = session.scalars(select(City)).one()
        assert sorted(session.scalars(select(District.name).where(District.city_id == city.id))) == ["达川区", "通川区"]
        user = session.scalars(select(User).where(User.username == "dazhou")).one()
        assert (user.role, user.city_id, user.district_id) == ("city", city.id, None)
    db.close()
