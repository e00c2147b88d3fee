"""The work ledger: one row per live rectification item, its columns, filters, 整改情况 text, xlsx and csv files."""

from __future__ import annotations

import csv
import datetime as dt
import inspect
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from openpyxl import load_workbook

from app.db import Database
from app.models import Enterprise, ItemStatus
from app.models.rectification import progress_text
from app.reports import ledger
from app.reports.ledger import HEADERS, LEDGER_TITLE, LedgerError, LedgerRow, ledger_rows, write_ledger
from tests.unit._builders import add_audit, add_campaign, add_coordinator, add_enterprise, add_item, open_test_database

TODAY = dt.date(2026, 11, 25)
UTC = dt.UTC


@dataclass
class Scene:
    campaign_a: str
    campaign_b: str
    enterprise_1: str
    uscc_1: str


@pytest.fixture
def database(tmp_path: Path) -> Iterator[Database]:
    database = open_test_database(tmp_path)
    yield database
    database.close()


@pytest.fixture
def scene(database: Database) -> Scene:
    """Two enterprises in two districts, visited in two campaigns, with items in every state on 2026-11-25."""
    with database.session() as session:
        coordinator = add_coordinator(session, name="张三")
        campaign_a = add_campaign(session, name="专项行动A")
        campaign_b = add_campaign(session, name="专项行动B")
        first = add_enterprise(session, name="达州恒达机械制造有限公司", district="达川区", risk_grade="高")
        second = add_enterprise(session, name="通川区安达物流有限公司", district="通川区", risk_grade="低")
        audit_1 = add_audit(
            session,
            enterprise=first,
            coordinator=coordinator,
            campaign=campaign_a,
            visit_date=dt.date(2026, 10, 15),
            co_coordinators="王五、赵六",
            inputs={"headcount": 140, "headcount_last_year_end": 118},
        )
        add_item(
            session,
            audit_1,
            position=0,
            description="3名劳动者未订立书面劳动合同",
            basis=["《劳动合同法》第十条", "《劳动合同法》第八十二条"],
            requirement="自用工之日起一个月内订立书面劳动合同",
            deadline=dt.date(2026, 11, 14),
        )
        add_item(
            session,
            audit_1,
            item_id="WAGE-01",
            module="WAGE",
            position=1,
            description="2026年9月工资迟发15天",
            basis=[{"law": "工资支付暂行规定", "article": "第七条"}],
            requirement="按月足额支付工资",
            deadline=dt.date(2026, 12, 10),
            status=ItemStatus.SUBMITTED,
            submitted_at=dt.datetime(2026, 11, 1, 17, 0, tzinfo=UTC),  # 2026-11-02 01:00 in Beijing
        )
        add_item(
            session,
            audit_1,
            item_id="CONTRACT-04",
            position=2,
            description="劳动合同文本未交付劳动者",
            deadline=dt.date(2026, 11, 1),
            status=ItemStatus.VERIFIED,
            verified_on=dt.date(2026, 11, 20),
            verified_by="张三",
        )
        add_item(session, audit_1, item_id="CONTRACT-05", position=3, removed_reason="经核实试用期约定合法")
        audit_2 = add_audit(
            session,
            enterprise=second,
            coordinator=coordinator,
            campaign=campaign_b,
            visit_date=dt.date(2026, 11, 3),
            co_coordinators="",
            inputs={},
            enterprise_facts={},
        )
        add_item(
            session,
            audit_2,
            item_id="HOURS-03",
            module="HOURS",
            description="月加班时间超过36小时",
            deadline=dt.date(2026, 11, 18),
            status=ItemStatus.SUBMITTED,
            submitted_at=dt.datetime(2026, 11, 10, 2, 0, tzinfo=UTC),
            deadline_estimated=True,
        )
        add_item(
            session,
            audit_2,
            item_id="HOURS-02",
            module="HOURS",
            position=1,
            description="未保证每周至少休息一日",
            deadline=dt.date(2026, 12, 20),
            responsible_person="",
            responsible_phone="",
        )
        return Scene(campaign_a.id, campaign_b.id, first.id, first.uscc)


def rows(database: Database, **filters: object) -> list[LedgerRow]:
    with database.session() as session:
        return list(ledger_rows(session, today=TODAY, **filters))  # type: ignore[arg-type]


def test_there_is_one_row_per_item_and_a_removed_finding_is_left_out(database: Database, scene: Scene) -> None:
    result = rows(database)
    assert [row.number for row in result] == [1, 2, 3, 4, 5]
    assert [row.problem for row in result] == [
        "3名劳动者未订立书面劳动合同",
        "2026年9月工资迟发15天",
        "劳动合同文本未交付劳动者",
        "月加班时间超过36小时",
        "未保证每周至少休息一日",
    ]


def test_progress_reads_as_the_coordinator_writes_it_including_days_overdue(database: Database, scene: Scene) -> None:
    assert [row.progress for row in rows(database)] == [
        "未整改，已逾期11天",
        "已提交整改材料（2026-11-02）",
        "已复查销号（2026-11-20，张三）",
        "已提交整改材料（2026-11-10），已逾期7天",
        "未整改",
    ]


def test_an_item_due_today_is_not_yet_overdue() -> None:
    text = progress_text(ItemStatus.OPEN, deadline=TODAY, today=TODAY)
    assert text == "未整改"
    assert progress_text(ItemStatus.OPEN, deadline=TODAY, today=TODAY + dt.timedelta(days=1)).endswith("已逾期1天")


def test_a_row_carries_every_column_of_the_campaign_annex(database: Database, scene: Scene) -> None:
    first = rows(database)[0]
    assert dict(zip(HEADERS, first.cells(), strict=True)) == {
        "序号": 1,
        "单位名称": "达州恒达机械制造有限公司",
        "统一社会信用代码": scene.uscc_1,
        "所属行业": "制造业",
        "地址": "四川省达州市达川区南外街道工业园区1号",
        "联系人及电话": "李四 13800000001",
        "上年底职工数量": 118,
        "目前职工数量": 140,
        "体检日期": "2026-10-15",
        "体检人员": "张三、王五、赵六",
        "存在问题": "3名劳动者未订立书面劳动合同",
        "法律依据": "《劳动合同法》第十条；《劳动合同法》第八十二条",
        "整改事项": "自用工之日起一个月内订立书面劳动合同",
        "整改时限": "2026-11-14",
        "整改负责人": "赵六 13900000002",
        "整改情况": "未整改，已逾期11天",
        "风险等级": "高",
    }


def test_the_visit_snapshot_wins_over_a_later_registry_change(database: Database, scene: Scene) -> None:
    with database.session() as session:
        session.get_one(Enterprise, scene.enterprise_1).name = "更名后的公司"
    assert rows(database)[0].enterprise_name == "达州恒达机械制造有限公司"


def test_without_a_snapshot_the_registry_and_its_headcounts_are_used(database: Database, scene: Scene) -> None:
    fourth = rows(database)[3]
    assert fourth.enterprise_name == "通川区安达物流有限公司"
    assert (fourth.headcount_last_year_end, fourth.headcount) == (120, 135)
    assert fourth.coordinators == "张三"
    assert fourth.deadline_text == "2026-11-18（预计）"
    assert rows(database)[4].responsible == ""


def test_a_structured_legal_basis_is_cited_with_book_title_marks(database: Database, scene: Scene) -> None:
    assert rows(database)[1].basis == "《工资支付暂行规定》第七条"


@pytest.mark.parametrize(
    ("status", "problems"),
    [
        ("open", ["未保证每周至少休息一日"]),
        ("submitted", ["2026年9月工资迟发15天"]),
        ("verified", ["劳动合同文本未交付劳动者"]),
        ("overdue", ["3名劳动者未订立书面劳动合同", "月加班时间超过36小时"]),
    ],
)
def test_the_status_filter_splits_items_by_their_state_today(
    database: Database, scene: Scene, status: str, problems: list[str]
) -> None:
    result = rows(database, status=status)
    assert [row.problem for row in result] == problems
    assert {row.state for row in result} == {status}
    assert [row.number for row in result] == list(range(1, len(problems) + 1))


def test_an_unknown_status_filter_is_refused(database: Database, scene: Scene) -> None:
    with pytest.raises(LedgerError, match="未知的整改状态"):
        rows(database, status="closed")


def test_the_campaign_filter_keeps_that_campaigns_visits(database: Database, scene: Scene) -> None:
    assert len(rows(database, campaign_id=scene.campaign_a)) == 3
    assert {row.enterprise_name for row in rows(database, campaign_id=scene.campaign_b)} == {"通川区安达物流有限公司"}


def test_the_district_filter_uses_the_enterprises_district(database: Database, scene: Scene) -> None:
    assert {row.enterprise_name for row in rows(database, district="通川区")} == {"通川区安达物流有限公司"}
    assert rows(database, district="通川区", status="verified") == []


def test_rows_are_streamed_not_loaded_at_once(database: Database, scene: Scene) -> None:
    with database.session() as session:
        stream = ledger_rows(session, today=TODAY)
        first = next(stream)
        assert first.number == 1
        assert inspect.isgenerator(stream)


@pytest.mark.parametrize(
    "filters",
    [{}, {"campaign_id": "c1"}, {"district": "达川区"}, {"status": "overdue"}, {"status": "verified"}],
    ids=["all", "campaign", "district", "overdue", "verified"],
)
def test_the_ledger_is_read_in_order_from_an_index_never_sorted_whole(
    database: Database, scene: Scene, filters: dict[str, str]
) -> None:
    """A district ledger must stream: SQLite may sort one audit's findings at a time, never all the rows (SQLCipher
    keeps temporary data in memory, so a whole sort grows with the ledger)."""
    query = ledger._query(TODAY, filters.get("campaign_id"), filters.get("district"), filters.get("status"))  # type: ignore[arg-type]
    with database.engine.connect() as connection:
        sql = str(query.compile(dialect=connection.dialect, compile_kwargs={"literal_binds": True}))
        plan = [row[3] for row in connection.exec_driver_sql("EXPLAIN QUERY PLAN " + sql)]
    assert plan[0] == "SCAN audit USING INDEX ix_audit_ledger_order"
    sorts = [step for step in plan if "TEMP B-TREE" in step]  # SQLite says "RIGHT PART" or "LAST 2 TERMS"
    assert sorts, plan
    assert all("RIGHT PART" in step or "LAST 2 TERMS" in step for step in sorts), plan


def test_the_xlsx_has_a_title_a_bold_frozen_header_and_the_rows_in_order(
    database: Database, scene: Scene, tmp_path: Path
) -> None:
    path = tmp_path / "台账.xlsx"
    with database.session() as session:
        assert write_ledger(ledger_rows(session, today=TODAY), path) == 5
    sheet = load_workbook(path).active
    assert sheet is not None
    assert sheet["A1"].value == LEDGER_TITLE
    assert [cell.value for cell in sheet[2]] == list(HEADERS)
    assert all(cell.font.b for cell in sheet[2])
    assert sheet.freeze_panes == "A3"
    assert 40 <= sheet.column_dimensions["K"].width < 41  # 40 characters, as Excel stores it (with its padding)
    assert sheet["K3"].alignment.wrap_text
    values = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=3)]
    assert [row[0] for row in values] == [1, 2, 3, 4, 5]
    assert values[0][1] == "达州恒达机械制造有限公司"
    assert values[0][6:8] == [118, 140]
    assert values[0][15] == "未整改，已逾期11天"
    assert values[3][13] == "2026-11-18（预计）"
    assert values[2][15] == "已复查销号（2026-11-20，张三）"
    assert sheet.auto_filter.ref == "A2:Q7"
    assert sheet.print_title_rows == "$1:$2"
    assert sheet.page_setup.orientation == "landscape"
    assert [str(merged) for merged in sheet.merged_cells.ranges] == ["A1:Q1"]
    assert sheet["K3"].border.left.style == "thin"
    sized = load_workbook(path, read_only=True).active
    assert (sized.max_row, sized.max_column) == (7, 17)  # the sheet says its size (a reader asking gets it)


def test_the_csv_is_utf8_with_bom_header_first_and_the_same_values(
    database: Database, scene: Scene, tmp_path: Path
) -> None:
    path = tmp_path / "ledger.CSV"
    with database.session() as session:
        write_ledger(ledger_rows(session, today=TODAY, status="overdue"), path)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    with path.open(encoding="utf-8-sig", newline="") as file:
        table = list(csv.reader(file))
    assert table[0] == list(HEADERS)
    assert [row[0] for row in table[1:]] == ["1", "2"]
    assert table[1][15] == "未整改，已逾期11天"
    assert table[2][15] == "已提交整改材料（2026-11-10），已逾期7天"
    assert table[2][6] == "120"


def test_text_that_looks_like_a_formula_stays_text(database: Database, scene: Scene, tmp_path: Path) -> None:
    with database.session() as session:
        row = next(ledger_rows(session, today=TODAY))
    hostile = LedgerRow(**{**{f: getattr(row, f) for f in row.__slots__}, "problem": '=HYPERLINK("http://x","y")'})
    write_ledger([hostile], tmp_path / "a.xlsx")
    write_ledger([hostile], tmp_path / "a.csv")
    cell = load_workbook(tmp_path / "a.xlsx").active["K3"]
    assert cell.data_type == "s"
    assert cell.value == '=HYPERLINK("http://x","y")'
    with (tmp_path / "a.csv").open(encoding="utf-8-sig", newline="") as file:
        assert list(csv.reader(file))[1][10] == '\'=HYPERLINK("http://x","y")'


def test_control_characters_pasted_into_text_do_not_break_the_xlsx(
    database: Database, scene: Scene, tmp_path: Path
) -> None:
    with database.session() as session:
        row = next(ledger_rows(session, today=TODAY))
    pasted = LedgerRow(**{**{f: getattr(row, f) for f in row.__slots__}, "problem": "工资\x07表\x00缺失"})
    write_ledger([pasted], tmp_path / "a.xlsx")
    assert load_workbook(tmp_path / "a.xlsx").active["K3"].value == "工资表缺失"


def test_an_unknown_suffix_is_a_clear_error_and_writes_nothing(
    database: Database, scene: Scene, tmp_path: Path
) -> None:
    with pytest.raises(LedgerError, match=r"\.xlsx.*\.csv"):
        write_ledger([], tmp_path / "ledger.pdf")
    assert not any(p.name.endswith(".pdf") for p in tmp_path.iterdir())


def test_progress_is_reported_while_writing_and_at_the_end(
    database: Database, scene: Scene, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ledger, "PROGRESS_EVERY", 2)
    for name in ("a.xlsx", "a.csv"):
        seen: list[int] = []
        with database.session() as session:
            write_ledger(ledger_rows(session, today=TODAY), tmp_path / name, on_progress=seen.append)
        assert seen == [2, 4, 5]


def test_a_failed_export_leaves_the_previous_file_and_no_temporary_file(
    database: Database, scene: Scene, tmp_path: Path
) -> None:
    path = tmp_path / "out" / "ledger.csv"
    path.parent.mkdir()
    path.write_text("previous ledger", encoding="utf-8")

    def broken() -> Iterator[LedgerRow]:
        with database.session() as session:
            yield next(ledger_rows(session, today=TODAY))
        raise RuntimeError("database went away")

    with pytest.raises(RuntimeError, match="went away"):
        write_ledger(broken(), path)
    assert path.read_text(encoding="utf-8") == "previous ledger"
    assert list(path.parent.iterdir()) == [path]
