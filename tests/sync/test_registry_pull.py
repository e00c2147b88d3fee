"""A registry pull: the server computes each enterprise's pinyin initials (core.initials) when it writes the
enterprise and sends them; the laptop stores them as they are, and searches by them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from app.audit.enterprise_search import search_enterprises, search_index_is_consistent
from app.models import Enterprise
from core.initials import name_initials
from server.models import Record
from tests.sync._helpers import do_sync
from tests.sync.conftest import District


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
