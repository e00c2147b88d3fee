"""The office console in a real browser (Debian's chromium through Playwright), with a real laptop syncing.

The whole flow of the issue: sign in as office → import a departmental sheet → assign a visit plan → a laptop
syncs, receives the plan, pushes finished audits → the dashboard, ledger and plan show them → export the ledger
and read it back with openpyxl → sign out. And what a browser alone can show: a hostile enterprise name stays text,
no page breaks the Content-Security-Policy, the pages refuse to be framed, the language switches.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from playwright.sync_api import expect
from sqlalchemy import select

from app.models import Enterprise
from app.sync.assignments import my_assignments
from app.sync.pull import get_cursor
from core.clock import china_today
from tests.console.conftest import HOSTILE, PASSWORD, A, Seeded
from tests.sync._helpers import do_sync, finished_audit
from tests.sync.conftest import make_laptop


def sign_in(page: Any, seeded: Seeded, username: str) -> None:
    page.goto(f"{seeded.url}/console/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("#sign-in")
    page.wait_for_url("**/dashboard")


def departmental_sheet(path: Path, rows: list[tuple[str, str, str]]) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.append(["统一社会信用代码", "企业名称", "情况"])
    for row in rows:
        sheet.append(list(row))
    book.save(path)
    return path


def test_the_office_runs_the_campaign_from_the_browser_and_a_laptop_takes_part(
    sqlite_console: Seeded, page: Any, tmp_path: Path
) -> None:
    seeded = sqlite_console
    district = seeded.districts[A]
    codes = {entity_id: code for code, entity_id in seeded.enterprises[A].items()}
    hengda = next(eid for eid, code in codes.items() if code.startswith("91511703MA62XX000"))
    chuandong = next(eid for eid, code in codes.items() if code.startswith("91511703MA62XX001"))
    laptop = make_laptop(tmp_path, "li", seeded.url)
    try:
        do_sync(laptop, "li")

        sign_in(page, seeded, "office")
        assert page.inner_text("#kpi-registry") == "5"

        # 风险摸排: a tax department's sheet with one bad row is refused whole, then imported good rows only.
        sheet = departmental_sheet(
            tmp_path / "tax.xlsx",
            [(codes[hengda], "达州恒达机械制造有限公司", "欠缴税款12万元"), ("91511703MA62XX999X", "不存在", "x")],
        )
        page.click("nav >> text=风险摸排")
        page.select_option("#import-kind", "tax_arrears")
        page.fill("#import-source", "区税务局")
        page.set_input_files("#import-file", str(sheet))
        page.click("#import-submit")
        assert "未导入任何数据" in page.inner_text("#import-report")
        assert "统一社会信用代码不正确" in page.inner_text("#import-rows")
        page.select_option("#import-kind", "tax_arrears")
        page.fill("#import-source", "区税务局")
        page.set_input_files("#import-file", str(sheet))
        page.select_option("#import-mode", "good")
        page.click("#import-submit")
        assert "已导入 1 条" in page.inner_text("#import-report")
        first = page.locator("#risk-ranking tbody tr").first
        assert "达州恒达机械制造有限公司" in first.inner_text()
        assert "欠缴税费（来源：区税务局）" in first.inner_text()

        # A visit plan for the two riskiest, to 李明.
        page.check(f"input[name=enterprise][value='{hengda}']")
        page.check(f"input[name=enterprise][value='{chuandong}']")
        page.fill("#plan-name", "第一批重点走访")
        page.select_option("#plan-assignee", str(seeded.users["li"]))
        page.fill("#plan-target", (china_today() + dt.timedelta(days=20)).isoformat())
        page.click("#plan-submit")
        page.wait_for_url("**/plans/*")
        assert page.inner_text("#plan-progress").endswith("0/2")

        # The laptop receives the plan at its next sync, riskiest first, and pushes finished audits.
        do_sync(laptop, "li")
        with laptop.db.session() as session:
            mine = my_assignments(session, get_cursor(session, "username"))
            assert [row.enterprise_id for row in mine] == [hengda, chuandong]
            assert mine[0].reasons == ["欠缴税费（来源：区税务局）"]
            local = session.scalars(select(Enterprise.id).where(Enterprise.id.in_([hengda, chuandong]))).all()
        assert sorted(local) == sorted([hengda, chuandong])
        finished_audit(laptop, hengda, photos=0, visit_date=china_today())
        finished_audit(laptop, chuandong, photos=0, seed=1, visit_date=china_today())
        summary = do_sync(laptop, "li")
        assert not summary.errors

        page.reload()
        assert page.inner_text("#plan-progress").endswith("2/2")
        page.click("nav >> text=总览")
        assert page.inner_text("#kpi-visited") == "2"
        assert page.inner_text("#kpi-findings") == "2"
        assert page.locator(".chart[data-drawn=true]").count() == 6
        assert "李明" in page.inner_text("#coordinator-progress")

        page.click("nav >> text=台账")
        assert page.inner_text("#ledger-count").startswith("共 2 项")
        rows = page.locator("#ledger tbody tr")
        assert rows.count() == 2
        page.select_option("#filter-sort", "enterprise")
        expect(page.locator("#ledger tbody tr").first).to_contain_text("达州川东商贸有限公司")
        page.select_option("#filter-dir", "desc")
        expect(page.locator("#ledger tbody tr").first).to_contain_text("达州恒达机械制造有限公司")
        page.select_option("#filter-severity", "低")
        expect(page.locator("#ledger-count")).to_have_text(re.compile(r"^共 0 项"))
        assert "severity=" in page.url, "filters are in the address (htmx pushes it): a link reproduces the view"
        page.select_option("#filter-severity", "")
        expect(page.locator("#ledger-count")).to_have_text(re.compile(r"^共 2 项"))

        with page.expect_download() as waiting:
            page.click("#export-xlsx")
        exported = tmp_path / "ledger.xlsx"
        waiting.value.save_as(exported)
        workbook = load_workbook(exported, read_only=True)
        values = list(workbook.worksheets[0].iter_rows(values_only=True))
        workbook.close()
        assert values[0][0] == "劳动用工法治“体检”服务工作台账"
        assert values[1][:3] == ("序号", "单位名称", "统一社会信用代码")
        assert len(values) == 4
        assert {row[1] for row in values[2:]} == {"达州恒达机械制造有限公司", "达州川东商贸有限公司"}
        assert {row[9] for row in values[2:]} == {"李明"}

        page.click("#sign-out")
        page.wait_for_url("**/console/login")
        page.goto(f"{seeded.url}/console/d/{district}/dashboard")
        assert "/console/login" in page.url
        assert page.problems == []  # type: ignore[attr-defined]
    finally:
        laptop.close()


def test_a_hostile_enterprise_name_is_shown_as_text(sqlite_console: Seeded, page: Any) -> None:
    sign_in(page, sqlite_console, "office")
    district = sqlite_console.districts[A]
    page.goto(f"{sqlite_console.url}/console/d/{district}/risk")
    hostile = page.locator("#risk-ranking a", has_text="<script>")
    assert hostile.inner_text() == HOSTILE
    hostile.click()
    page.wait_for_selector("#enterprise-name")
    assert page.inner_text("#enterprise-name") == HOSTILE
    assert page.locator("img").count() == 0
    assert page.locator("main script").count() == 0
    page.goto(f"{sqlite_console.url}/console/d/{district}/ledger?name=%3Cscript%3E")
    assert page.input_value("#filter-name") == "<script>"
    assert page.problems == []  # type: ignore[attr-defined]


def test_no_page_breaks_the_content_security_policy_and_none_can_be_framed(sqlite_console: Seeded, page: Any) -> None:
    sign_in(page, sqlite_console, "boss")
    district = sqlite_console.districts[A]
    for path in ("dashboard", "risk", "plans", "ledger", "followup", "conflicts", "reports", "admin/users"):
        page.goto(f"{sqlite_console.url}/console/d/{district}/{path}")
        page.wait_for_load_state("load")
    assert page.problems == []  # type: ignore[attr-defined]
    page.set_content(f'<iframe id="frame" src="{sqlite_console.url}/console/login"></iframe>', wait_until="load")
    frame = page.frame_locator("#frame")
    assert frame.locator("#username").count() == 0, "the console must refuse to be framed"


def test_the_language_switches_to_english_and_back(sqlite_console: Seeded, page: Any) -> None:
    sign_in(page, sqlite_console, "office")
    page.click("#switch-language")
    page.wait_for_load_state("load")
    assert "Dashboard" in page.inner_text("nav")
    assert page.inner_text("#switch-language") == "中文"
    page.click("nav >> text=Ledger")
    assert "Work ledger" in page.inner_text("h1")
    page.click("#switch-language")
    assert "台账" in page.inner_text("nav")
    assert page.problems == []  # type: ignore[attr-defined]
