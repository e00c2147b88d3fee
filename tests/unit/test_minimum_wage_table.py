"""The published minimum-wage table: its schema (the same on the server and the laptop), the office's CSV, and
the text encodings office files come in."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from core.minimum_wage import (
    MinimumWageError,
    MinimumWageTable,
    grades_for_area,
    minimum_for_month,
    parse_minimum_wage_csv,
)
from core.publications import (
    HOLIDAY_CALENDAR,
    MINIMUM_WAGE,
    PublicationInvalid,
    canonical_hash,
    holiday_schedule,
    validate_publication,
)
from core.text_files import TextEncodingError, decode_text, detect_encoding

CSV = """地区,档次,月最低工资标准,小时最低工资标准,执行日期,发布文件,不含个人缴纳社会保险费和住房公积金,适用地区
测试省,第一档,"2,330",24,2026-07-01,测府规〔2026〕1号,否,甲区、乙区
测试省,第二档,2200,22,2026年7月1日,测府规〔2026〕1号,是,丙县
测试省,第一档,2100,22,2025/01/01,测府规〔2024〕9号,否,甲区、乙区
"""


def test_the_office_csv_becomes_a_table_with_every_field() -> None:
    (table,) = parse_minimum_wage_csv(CSV)
    assert table.region == "测试省"
    assert table.grades == ["第一档", "第二档"]
    july = minimum_for_month(table, "第一档", dt.date(2026, 7, 1))
    assert july is not None
    assert (july.monthly, july.hourly, july.document) == (Decimal("2330.00"), Decimal("24.00"), "测府规〔2026〕1号")
    second = minimum_for_month(table, "第二档", dt.date(2026, 8, 1))
    assert second is not None
    assert second.excludes_personal_contributions is True
    assert grades_for_area([table], "丙县") == [("测试省", "第二档")]
    assert minimum_for_month(table, "第二档", dt.date(2026, 6, 1)) is None


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("测试省,第一档,0,24,2026-07-01,文,否,", "第2行：月最低工资标准：应为正数"),
        ("测试省,第一档,abc,24,2026-07-01,文,否,", "第2行：月最低工资标准：“abc”不是金额"),
        ("测试省,第一档,2330,24,2026-02-30,文,否,", "第2行：执行日期“2026-02-30”不存在"),
        ("测试省,第一档,2330.123,24,2026-02-01,文,否,", "第2行：月最低工资标准：最多保留两位小数"),
        ("测试省,第一档,2330,24,2026-02-01,文,也许,", "第2行：“不含个人缴纳社会保险费和住房公积金”应填是或否"),
    ],
)
def test_a_bad_row_is_refused_naming_the_row_and_field(line: str, message: str) -> None:
    header = CSV.splitlines()[0]
    with pytest.raises(MinimumWageError) as caught:
        parse_minimum_wage_csv(f"{header}\n{line}\n")
    assert str(caught.value) == message


def test_two_rates_for_one_grade_on_one_day_are_refused() -> None:
    header = CSV.splitlines()[0]
    rows = "测试省,第一档,2330,24,2026-07-01,甲,否,\n测试省,第一档,2340,24,2026-07-01,乙,否,\n"
    with pytest.raises(MinimumWageError, match="第一档 在 2026-07-01 有两条标准"):
        parse_minimum_wage_csv(header + "\n" + rows)


def test_a_missing_column_is_named() -> None:
    with pytest.raises(MinimumWageError, match="缺少必需的列：发布文件"):
        parse_minimum_wage_csv("地区,档次,月最低工资标准,执行日期\n测试省,一,1,2026-01-01\n")


def test_a_publication_is_validated_and_hashed_the_same_on_every_side() -> None:
    (table,) = parse_minimum_wage_csv(CSV)
    raw = table.model_dump(mode="json")
    first = validate_publication(MINIMUM_WAGE, raw)
    again = validate_publication(MINIMUM_WAGE, first.content)
    assert first.key == "测试省"
    assert first.content_hash == again.content_hash == canonical_hash(first.content)
    assert MinimumWageTable.model_validate(first.content) == table


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"region": "测试省", "rates": []}, "标准"),
        ({"region": "测试省", "rates": [{"grade": "一", "monthly": "-1", "effective_from": "2026-01-01", "document": "x"}]},
         "月最低工资标准"),
        ({"region": "测试省", "rates": [], "extra": 1}, "extra"),
        ("not a table", "最低工资标准内容有误"),
    ],
)  # fmt: skip
def test_a_damaged_or_hostile_publication_is_refused(raw: object, message: str) -> None:
    with pytest.raises(PublicationInvalid, match=message):
        validate_publication(MINIMUM_WAGE, raw)
    with pytest.raises(PublicationInvalid, match="未知的发布类型"):
        validate_publication("no_such_kind", {})


def test_csv_encodings_are_decided_by_an_explicit_rule() -> None:
    text = "姓名,应发工资\n张三,3000\n"
    assert decode_text(text.encode("utf-8")) == text
    assert decode_text(b"\xef\xbb\xbf" + text.encode("utf-8")) == text
    assert decode_text(text.encode("gbk")) == text
    assert decode_text(text.encode("utf-16")) == text
    assert detect_encoding(text.encode("gbk")) == "gb18030"
    # A sample cut inside a character is still UTF-8.
    assert detect_encoding(text.encode("utf-8")[:4]) == "utf-8"
    with pytest.raises(TextEncodingError, match="UTF-8 或 GBK"):
        decode_text(b"\x80\x80\xff\xfe" * 3)


def test_a_holiday_schedule_is_a_publication_kind_checked_and_hashed_like_the_others() -> None:
    """The office's second kind of document (SYNC.md, "Holiday calendars"): keyed by year, days sorted and
    deduplicated into one canonical content, refused with the reason the schedule check gives."""
    raw = {"year": 2030, "holidays": ["2030-01-02", "2030-01-01", "2030-01-01"], "workdays": ["2030-01-05"]}
    first = validate_publication(HOLIDAY_CALENDAR, raw)
    assert first.key == "2030"
    assert first.content["holidays"] == ["2030-01-01", "2030-01-02"]
    assert validate_publication(HOLIDAY_CALENDAR, first.content).content_hash == first.content_hash
    schedule = holiday_schedule(first.content)
    assert (schedule.year, schedule.workdays) == (2030, frozenset({dt.date(2030, 1, 5)}))
    with pytest.raises(PublicationInvalid, match="调休上班日应是周六或周日"):
        validate_publication(HOLIDAY_CALENDAR, {"year": 2030, "holidays": ["2030-01-01"], "workdays": ["2030-01-03"]})
    with pytest.raises(PublicationInvalid, match="节假日安排内容有误"):
        validate_publication(HOLIDAY_CALENDAR, {"year": 2030, "holidays": [], "script": "x"})
