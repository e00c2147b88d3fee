"""A registry pull: the server computes each enterprise's pinyin initials (core.initials) when it writes the
enterprise and sends them; the laptop stores them as they are, and searches by them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text

from app.audit.enterprise_search import search_enterprises, search_index_is_consistent
from app.audit.enterprises import EnterpriseInput, create_enterprise
from app.audit.uscc import make_uscc
from app.models import Enterprise
from app.sync import pull
from core.initials import name_initials
from server import admin
from server.models import Record
from tests.sync._helpers import do_sync
from tests.sync.conftest import DISTRICT, District


def test_the_laptop_stores_the_servers_initials_and_finds_by_them(district: District, laptop: Any) -> None:
    with district.db.session() as session:
        served = {
            record.entity_id: record.data
            for record in session.scalars(select(Record).where(Record.entity == "enterprise"))
            if record.data is not None
        }
    assert all(data["name_initials"] == name_initials(data["name"]) for data in served.values())
    marked = next(entity_id for entity_id, data in served.items() if data["name"] == "达州川东商贸有限公司")
    with district.db.session() as session:  # initials the laptop could not have made itself: the server's are used
        record = session.get_one(Record, ("enterprise", marked))
        record.data = {**(record.data or {}), "name_initials": "zzserver"}
    ws = laptop("李明")
    do_sync(ws, "li")
    with ws.db.session() as session:
        stored = {e.id: e.name_initials for e in session.scalars(select(Enterprise))}
        assert stored[marked] == "zzserver"
        assert [hit.name for hit in search_enterprises(session, "hdjx")] == ["达州恒达机械制造有限公司"]
        assert [hit.id for hit in search_enterprises(session, "zzserver")] == [marked]
        assert search_index_is_consistent(session)


def test_a_large_page_of_new_enterprises_is_indexed_in_one_statement_and_the_trigger_stays(
    district: District, laptop: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A first pull brings a whole registry: new enterprises are indexed for search together, not by the per-row
    trigger, which is back in place afterwards (an enterprise added later, on the laptop or by a pull, is found)."""
    monkeypatch.setattr(pull, "BULK_INDEX_ROWS", 1)  # every page takes the bulk path (a real one has 500+ rows)
    ws = laptop("李明")
    do_sync(ws, "li")
    with ws.db.session() as session:
        assert [hit.name for hit in search_enterprises(session, "恒达机械")] == ["达州恒达机械制造有限公司"]
        assert search_index_is_consistent(session)
        triggers = "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name = 'enterprise_fts_after_insert'"
        assert session.execute(text(triggers)).scalar_one() == 1
    registry = tmp_path / "more.csv"
    registry.write_text(
        f"统一社会信用代码,企业名称\n{make_uscc('91511703MA62WW009')},达州新来食品有限公司\n", encoding="utf-8"
    )
    with district.db.session() as session:
        admin.import_enterprises(session, DISTRICT, registry)
    do_sync(ws, "li")  # a second bulk page on top of indexed rows: only the new ones are added to the index
    with ws.db.session() as session:
        create_enterprise(session, EnterpriseInput(uscc=make_uscc("91511703MA62WW010"), name="达州本机录入有限公司"))
    with ws.db.session() as session:
        assert [hit.name for hit in search_enterprises(session, "新来食品")] == ["达州新来食品有限公司"]
        assert [hit.name for hit in search_enterprises(session, "本机录入")] == ["达州本机录入有限公司"]
        assert [hit.name for hit in search_enterprises(session, "恒达机械")] == ["达州恒达机械制造有限公司"]
        assert search_index_is_consistent(session)
        # Written through the driver, the pulled rows are stored exactly as the ORM stores the local one.
        raw = {
            row[0]: row[1:]
            for row in session.execute(
                text(
                    "SELECT name, typeof(created_at), length(created_at), typeof(updated_at), typeof(is_key), is_key,"
                    " typeof(risk_reasons), risk_reasons, typeof(version) FROM enterprise"
                )
            )
        }
        assert raw["达州新来食品有限公司"] == raw["达州本机录入有限公司"]
        assert raw["达州恒达机械制造有限公司"] == raw["达州本机录入有限公司"]
        pulled = session.scalars(select(Enterprise).where(Enterprise.name == "达州新来食品有限公司")).one()
        assert pulled.created_at.tzinfo is not None
        assert pulled.is_key is False


def test_a_pull_writes_with_a_small_page_cache_and_gives_the_search_cache_back(
    district: District, laptop: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A first pull touches every page of the registry: with the search's 64 MB cache the laptop's memory would
    grow by as much mid-sync, so pages are written with a small cache; searches get the full cache again."""
    from app import db as app_db

    seen: list[int] = []
    apply_page = pull.apply_page

    def watched(session: Any, page: Any, **kwargs: Any) -> int:
        seen.append(session.execute(text("PRAGMA cache_size")).scalar_one())
        return apply_page(session, page, **kwargs)

    monkeypatch.setattr("app.sync.service.apply_page", watched)
    ws = laptop("李明")
    do_sync(ws, "li")
    assert set(seen) == {-app_db.BULK_CACHE_KIB}  # every page (and there were some)
    with ws.db.session() as session:
        assert session.execute(text("PRAGMA cache_size")).scalar_one() == -app_db.CACHE_KIB
        assert session.scalar(select(Enterprise.id)) is not None  # the pulled pages were committed
