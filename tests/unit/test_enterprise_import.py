"""Ledger import: xlsx and csv (UTF-8, UTF-8 with BOM, GBK), all-or-nothing, precise line-by-line reports."""

from __future__ import annotations

import csv
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
from openpyxl import Workbook

import app.models  # noqa: F401 - registers every table before the database opens
from app.audit.enterprise_import import (
    EnterpriseImportError,
    ImportReport,
    RowStatus,
    format_report,
    import_enterprises,
    parse_headcount,
    parse_is_key,
    split_contact,
)
from app.audit.enterprise_search import search_enterprises
from app.audit.enterprises import EnterpriseInput, create_enterprise
from app.audit.uscc import make_uscc
from app.db import Database, open_database
from app.models import Enterprise

HEADER: list[object] = [
    "序号",
    "单位名称",
    "统一社会信用代码",
    "所属行业",
    "地址",
    "所属区县",
    "联系人",
    "联系电话",
    "上年底职工数量",
    "目前职工数量",
    "是否重点企业",
]
CODE_A = make_uscc("91511702MA6BQ1T0X")
CODE_B = make_uscc("91511703MA62N8RL1")
CODE_C = make_uscc("92511702MA6CGUX22")
GOOD_ROWS: list[list[object]] = [
    [
        1,
        "达州恒达机械有限公司",
        CODE_A,
        "制造业",
        "达川区西外镇工业园1号",
        "达川区",
        "王敏",
        "0818-2345678",
        "120人",
        "1,200",
        "是",
    ],
    [
        2,
        "四川宏图物流有限公司",
        CODE_B,
        "交通运输业",
        "通川区朝阳路8号",
        "通川区",
        "李强",
        "13800000000",
        35,
        40.0,
        "否",
    ],
    [3, "达川区老李面馆", CODE_C.lower(), "餐饮业", "", "达川区", "", "", "", " 8 人", ""],
]


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = open_database(tmp_path / "laborcheck.db")
    yield database
    database.close()


def write_xlsx(
    path: Path, rows: Sequence[Sequence[object]], *, title: str | None = "劳动用工法治体检服务工作台账"
) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    if title is not None:
        sheet.append([title])
    for row in rows:
        sheet.append(list(row))
    workbook.save(path)
    return path


def write_csv(path: Path, rows: Sequence[Sequence[object]], encoding: str) -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        csv.writer(handle).writerows(["" if cell is None else cell for cell in row] for row in rows)
    return path


def run_import(db: Database, path: Path, *, accept_partial: bool = False) -> ImportReport:
    with db.session() as session:
        return import_enterprises(session, path, accept_partial=accept_partial)


def stored(db: Database) -> dict[str, Enterprise]:
    with db.session() as session:
        return {enterprise.uscc: enterprise for enterprise in session.query(Enterprise)}


def assert_good_rows_stored(db: Database) -> None:
    registry = stored(db)
    assert set(registry) == {CODE_A, CODE_B, CODE_C}
    hengda = registry[CODE_A]
    assert (hengda.name, hengda.industry, hengda.district) == ("达州恒达机械有限公司", "制造业", "达川区")
    assert (hengda.contact_name, hengda.contact_phone) == ("王敏", "0818-2345678")
    assert (hengda.headcount_last_year_end, hengda.headcount, hengda.is_key) == (120, 1200, True)
    assert hengda.name_initials.startswith("dzhdjx")
    hongtu = registry[CODE_B]
    assert (hongtu.headcount_last_year_end, hongtu.headcount, hongtu.is_key) == (35, 40, False)
    noodles = registry[CODE_C]
    assert (noodles.headcount_last_year_end, noodles.headcount, noodles.address) == (None, 8, "")


def test_a_good_xlsx_ledger_with_a_title_row_is_imported(db: Database, tmp_path: Path) -> None:
    report = run_import(db, write_xlsx(tmp_path / "台账.xlsx", [HEADER, *GOOD_ROWS]))
    assert report.applied
    assert [(row.line, row.status) for row in report.rows] == [
        (3, RowStatus.CREATED),
        (4, RowStatus.CREATED),
        (5, RowStatus.CREATED),
    ]
    assert report.unknown_headers == []
    assert format_report(report) == "导入完成：新增3家，更新0家，无变化0家"
    assert_good_rows_stored(db)


@pytest.mark.parametrize("encoding", ["gbk", "utf-8-sig", "utf-8", "gb18030"])
def test_a_good_csv_ledger_is_imported_whatever_its_encoding(db: Database, tmp_path: Path, encoding: str) -> None:
    report = run_import(db, write_csv(tmp_path / "台账.csv", [HEADER, *GOOD_ROWS], encoding))
    assert report.applied
    assert report.totals[RowStatus.CREATED] == 3
    assert [row.line for row in report.rows] == [2, 3, 4]
    assert_good_rows_stored(db)


def test_imported_enterprises_are_searchable_at_once(db: Database, tmp_path: Path) -> None:
    run_import(db, write_xlsx(tmp_path / "台账.xlsx", [HEADER, *GOOD_ROWS]))
    with db.session() as session:
        assert [e.uscc for e in search_enterprises(session, "恒达")] == [CODE_A]
        assert [e.uscc for e in search_enterprises(session, "hdjx")] == [CODE_A]
        assert [e.uscc for e in search_enterprises(session, "宏图物流")] == [CODE_B]


def test_a_file_with_one_bad_row_imports_nothing_and_names_the_line(db: Database, tmp_path: Path) -> None:
    bad_code = CODE_B[:-1] + ("0" if CODE_B[-1] != "0" else "1")
    rows: list[list[object]] = [HEADER, GOOD_ROWS[0], [2, "四川宏图物流有限公司", bad_code, "交通运输业"], GOOD_ROWS[2]]
    report = run_import(db, write_xlsx(tmp_path / "台账.xlsx", rows))
    assert not report.applied
    assert stored(db) == {}
    assert [(row.line, row.status) for row in report.rows] == [
        (3, RowStatus.CREATED),
        (4, RowStatus.ERROR),
        (5, RowStatus.CREATED),
    ]
    assert format_report(report).splitlines() == [
        "未导入任何数据：1行有错误（见下）。请改正后重新导入，或选择只导入无误的2行（其中新增2家，更新0家）",
        f"第4行：统一社会信用代码校验位应为{CODE_B[-1]}，实际为{bad_code[-1]}",
    ]


def test_accept_partial_imports_the_good_rows_and_lists_the_bad_ones(db: Database, tmp_path: Path) -> None:
    rows: list[list[object]] = [
        HEADER,
        GOOD_ROWS[0],
        [2, "", "91511702MA6BQ1T0", "", "", "", "", "", "约百人"],
        GOOD_ROWS[2],
    ]
    report = run_import(db, write_csv(tmp_path / "台账.csv", rows, "gbk"), accept_partial=True)
    assert report.applied
    assert set(stored(db)) == {CODE_A, CODE_C}
    assert format_report(report).splitlines() == [
        "导入完成：新增2家，更新0家，无变化0家；1行有错误，未导入（见下）",
        "第3行：统一社会信用代码应为18位，实际为16位（91511702MA6BQ1T0）",
        "第3行：单位名称未填写",
        "第3行：上年底职工数量“约百人”无法识别为人数，请填写整数，例如120",
    ]


def test_a_code_repeated_in_the_file_is_an_error_on_the_later_row(db: Database, tmp_path: Path) -> None:
    rows: list[list[object]] = [HEADER, GOOD_ROWS[0], GOOD_ROWS[1], [4, "达州恒达机械厂", f" {CODE_A.lower()} "]]
    report = run_import(db, write_xlsx(tmp_path / "台账.xlsx", rows, title=None))
    assert not report.applied
    assert report.error_rows[0].line == 4
    assert report.error_rows[0].messages == [f"统一社会信用代码{CODE_A}与第2行重复"]


def test_an_existing_code_updates_the_registry_and_blank_cells_keep_stored_values(db: Database, tmp_path: Path) -> None:
    with db.session() as session:
        create_enterprise(
            session,
            EnterpriseInput(uscc=CODE_A, name="达州恒达机械厂", address="旧地址", contact_name="张三", headcount=99),
        )
    rows: list[list[object]] = [HEADER, [1, "达州恒达机械有限公司", CODE_A, "制造业", "", "", "", "", "", "130"]]
    report = run_import(db, write_xlsx(tmp_path / "台账.xlsx", rows))
    assert [row.status for row in report.rows] == [RowStatus.UPDATED]
    hengda = stored(db)[CODE_A]
    assert (hengda.name, hengda.industry, hengda.headcount) == ("达州恒达机械有限公司", "制造业", 130)
    assert (hengda.address, hengda.contact_name) == ("旧地址", "张三")
    assert hengda.name_initials.startswith("dzhdjxyxgs")


def test_importing_the_same_file_twice_leaves_the_second_time_unchanged(db: Database, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "台账.xlsx", [HEADER, *GOOD_ROWS])
    run_import(db, path)
    again = run_import(db, path)
    assert again.totals[RowStatus.UNCHANGED] == 3
    assert format_report(again) == "导入完成：新增0家，更新0家，无变化3家"


def test_a_missing_required_column_stops_the_import_naming_it(db: Database, tmp_path: Path) -> None:
    header = [cell for cell in HEADER if cell != "统一社会信用代码"]
    path = write_xlsx(tmp_path / "台账.xlsx", [header, ["1", "达州恒达机械有限公司"]])
    with pytest.raises(EnterpriseImportError, match="缺少必需的列：统一社会信用代码（表头在第2行）"):
        run_import(db, path)


def test_a_file_without_a_recognisable_header_is_refused(db: Database, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "x.csv", [["a", "b"], ["1", "2"]], "utf-8")
    with pytest.raises(EnterpriseImportError, match="没有找到表头"):
        run_import(db, path)


def test_unknown_headers_are_reported_and_their_columns_ignored(db: Database, tmp_path: Path) -> None:
    rows = [["单位名称", "统一社会信用代码", "法定代表人", "备注"], ["达州恒达机械有限公司", CODE_A, "赵六", "x"]]
    report = run_import(db, write_csv(tmp_path / "台账.csv", rows, "utf-8-sig"))
    assert report.unknown_headers == ["法定代表人"]
    assert "以下列未识别，已忽略：法定代表人" in format_report(report)
    assert set(stored(db)) == {CODE_A}


def test_english_headers_and_the_combined_contact_column_are_understood(db: Database, tmp_path: Path) -> None:
    rows = [
        ["name", "USCC", "Industry", "contact", "headcount", "is_key"],
        ["达州恒达机械有限公司", CODE_A, "制造业", "王敏", "12", "Y"],
    ]
    run_import(db, write_csv(tmp_path / "en.csv", rows, "utf-8"))
    assert (stored(db)[CODE_A].contact_name, stored(db)[CODE_A].is_key) == ("王敏", True)
    rows = [["单位名称", "统一社会信用代码", "联系人及电话"], ["四川宏图物流有限公司", CODE_B, "李强 13800000000"]]
    run_import(db, write_xlsx(tmp_path / "combined.xlsx", rows))
    hongtu = stored(db)[CODE_B]
    assert (hongtu.contact_name, hongtu.contact_phone) == ("李强", "13800000000")


def test_a_code_that_excel_turned_into_a_number_is_reported_with_the_fix(db: Database, tmp_path: Path) -> None:
    rows: list[list[object]] = [["单位名称", "统一社会信用代码"], ["达州恒达机械有限公司", 915117025012345678]]
    report = run_import(db, write_xlsx(tmp_path / "台账.xlsx", rows, title=None))
    assert report.error_rows[0].messages[0].startswith("统一社会信用代码被Excel存成了数字")


def test_old_excel_files_are_refused_with_what_to_do(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "台账.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(EnterpriseImportError, match=r"另存为\.xlsx"):
        run_import(db, path)


def test_a_damaged_xlsx_is_a_clear_error(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "台账.xlsx"
    path.write_bytes(b"not a zip")
    with pytest.raises(EnterpriseImportError, match="无法打开Excel文件"):
        run_import(db, path)


def test_a_header_only_file_imports_nothing_and_says_so(db: Database, tmp_path: Path) -> None:
    report = run_import(db, write_csv(tmp_path / "empty.csv", [HEADER, [""] * len(HEADER)], "utf-8"))
    assert report.rows == []
    assert format_report(report) == "文件中没有企业数据"


@pytest.mark.parametrize(
    ("cell", "expected"),
    [(None, None), ("", None), (120, 120), (120.0, 120), ("120人", 120), ("1,200", 1200), ("１，２００ 名", 1200)],
)
def test_headcounts_are_read_sensibly(cell: object, expected: int | None) -> None:
    assert parse_headcount(cell, "目前职工数量") == expected


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("约百人", "目前职工数量“约百人”无法识别为人数"),
        ("100-120", "目前职工数量“100-120”无法识别为人数"),
        ("1,20", "目前职工数量“1,20”无法识别为人数"),
        (-5, "目前职工数量不能为负数（-5）"),
        ("-5", "目前职工数量不能为负数（-5）"),
        (12.5, "目前职工数量应为整数，实际为12.5"),
    ],
)
def test_headcounts_that_cannot_be_read_are_reported_not_guessed(cell: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_headcount(cell, "目前职工数量")


def test_key_enterprise_flags_accept_the_usual_spellings() -> None:
    assert [parse_is_key(v) for v in ("是", "Y", "√", 1, "否", "n", "×", 0, "", None)] == [
        True,
        True,
        True,
        True,
        False,
        False,
        False,
        False,
        None,
        None,
    ]
    with pytest.raises(ValueError, match="请填写“是”或“否”"):
        parse_is_key("也许")


def test_split_contact_separates_name_and_phone() -> None:
    assert split_contact("张三 13800000000") == ("张三", "13800000000")
    assert split_contact("李四/0818-2345678") == ("李四", "0818-2345678")
    assert split_contact("王五") == ("王五", "")


def test_a_write_failure_rolls_back_the_whole_import(db: Database, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "台账.xlsx", [HEADER, *GOOD_ROWS])
    with pytest.raises(RuntimeError), db.session() as session:
        report = import_enterprises(session, path)
        assert report.applied
        raise RuntimeError("power cut before commit")
    assert stored(db) == {}


def test_excel_unicode_text_export_is_read_as_utf16_with_tabs(db: Database, tmp_path: Path) -> None:
    rows: list[list[object]] = [
        ["单位名称（必填）", "统一社会信用代码*", "所属区域"],
        ["达州恒达机械有限公司", CODE_A, "达川区"],
    ]
    path = tmp_path / "台账.txt"
    path.write_bytes("\r\n".join("\t".join(str(cell) for cell in row) for row in rows).encode("utf-16"))
    report = run_import(db, path)
    assert report.totals[RowStatus.CREATED] == 1
    assert stored(db)[CODE_A].district == "达川区"
