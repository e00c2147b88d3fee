"""Office publications (the minimum-wage table) travel from ``laborcheck-server publish`` to laptops at sync and
are validated again at the edge: a damaged document is refused and logged, the last good one stays."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import select

from app.models import ConflictLog, Publication
from core.minimum_wage import MinimumWageTable
from core.publications import MINIMUM_WAGE
from server import admin
from server.cli import main
from server.feed import put_record
from server.models import Record
from tests.sync._helpers import do_sync
from tests.sync.conftest import OTHER_DISTRICT, District

HEADER = "地区,档次,月最低工资标准,小时最低工资标准,执行日期,发布文件,不含个人缴纳社会保险费和住房公积金,适用地区\n"
ROWS = "测试省,第一档,2330,24,2026-07-01,测府规〔2026〕1号,否,达川区\n测试省,第二档,2200,22,2026-07-01,测府规〔2026〕1号,是,\n"


def _tables(ws: Any) -> dict[str, tuple[int, dict[str, Any]]]:
    with ws.db.session() as session:
        return {row.key: (row.version, row.content) for row in session.scalars(select(Publication))}


def test_a_published_minimum_wage_table_reaches_the_laptop_and_a_new_version_replaces_it(
    district: District, laptop: Any, tmp_path: Path
) -> None:
    table = tmp_path / "最低工资.csv"
    table.write_bytes((HEADER + ROWS).encode("gbk"))
    with district.db.session() as session:
        assert admin.publish_documents(session, MINIMUM_WAGE, table) == ["最低工资标准 测试省（第1版）"]
    with district.db.session() as session:
        assert admin.publish_documents(session, MINIMUM_WAGE, table) == []  # unchanged: no new version
    ws = laptop("li")
    do_sync(ws, "li")
    version, content = _tables(ws)["测试省"]
    assert version == 1
    parsed = MinimumWageTable.model_validate(content)
    assert [(rate.grade, str(rate.monthly)) for rate in parsed.rates] == [("第一档", "2330.00"), ("第二档", "2200.00")]

    table.write_text(HEADER + ROWS + "测试省,第一档,2500,26,2027-01-01,测府规〔2026〕9号,否,达川区\n", "utf-8")
    with district.db.session() as session:
        assert admin.publish_documents(session, MINIMUM_WAGE, table) == ["最低工资标准 测试省（第2版）"]
    do_sync(ws, "li")
    version, content = _tables(ws)["测试省"]
    assert version == 2
    assert len(content["rates"]) == 3


def test_a_damaged_publication_is_refused_at_the_edge_and_the_last_good_one_stays(
    district: District, laptop: Any, tmp_path: Path
) -> None:
    table = tmp_path / "最低工资.csv"
    table.write_text(HEADER + ROWS, "utf-8")
    with district.db.session() as session:
        admin.publish_documents(session, MINIMUM_WAGE, table)
    ws = laptop("li")
    do_sync(ws, "li")
    with district.db.session() as session:
        record = session.scalars(select(Record).where(Record.entity == "publication")).one()
        damaged = {**(record.data or {}), "content": {**record.data["content"], "rates": [{"grade": "x"}]}}  # type: ignore[index]
        put_record(
            session,
            entity="publication",
            entity_id=record.entity_id,
            data=damaged,
            writer="intruder",
            district_id=None,
            natural_key=record.natural_key,
        )
    do_sync(ws, "li")
    version, content = _tables(ws)["测试省"]
    assert version == 1
    assert len(content["rates"]) == 2
    with ws.db.session() as session:
        logged = session.scalars(select(ConflictLog).where(ConflictLog.entity == "publication")).one()
    assert logged.resolution.startswith("区办发布的资料未被采用：最低工资标准内容有误")


def test_a_publication_for_another_district_stays_there(district: District, laptop: Any, tmp_path: Path) -> None:
    table = tmp_path / "table.json"
    table.write_text('{"region": "别省", "rates": [{"grade": "一类", "monthly": "2000", "effective_from": '
                     '"2026-01-01", "document": "别〔2026〕1号"}]}', "utf-8")  # fmt: skip
    with district.db.session() as session:
        assert admin.publish_documents(session, MINIMUM_WAGE, table, OTHER_DISTRICT) == ["最低工资标准 别省（第1版）"]
    ws = laptop("li")
    do_sync(ws, "li")
    assert _tables(ws) == {}


def test_the_publish_command_refuses_a_bad_file_naming_the_row(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'server.db'}"
    from server.db import open_server_database

    open_server_database(url).close()
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "测试省,第一档,abc,24,2026-07-01,文,否,\n", "utf-8")
    assert main(["publish", "--database-url", url, MINIMUM_WAGE, str(bad)]) == 1
    good = tmp_path / "good.csv"
    good.write_text(HEADER + ROWS, "utf-8")
    assert main(["publish", "--database-url", url, MINIMUM_WAGE, str(good)]) == 0
