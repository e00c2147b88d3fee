"""待体检: the office's assignments for this coordinator, riskiest first, opening the enterprise or its visit."""

from __future__ import annotations

from typing import Any

from pytestqt.qtbot import QtBot

from app.sync.protocol import ChangeRow, ChangesPage
from app.sync.pull import apply_page, set_cursor
from app.ui.assignments_page import AssignmentsPage
from app.ui.context import UiContext


def assignment(entity_id: str, enterprise: str, name: str, score: int, **extra: Any) -> ChangeRow:
    data = {
        "id": entity_id,
        "plan_name": "第一批重点走访",
        "enterprise_id": enterprise,
        "enterprise_name": name,
        "assignee_id": 3,
        "assignee": "li",
        "assignee_name": "李明",
        "target_date": "2026-12-20",
        "assigned_on": "2026-12-01",
        "risk_grade": "高" if score >= 20000 else "中",
        "risk_score": score,
        "reasons": ["有欠薪投诉记录（来源：12345热线）"] if score >= 20000 else ["欠缴税费（来源：区税务局）"],
        **extra,
    }
    return ChangeRow(seq=score, entity="visit_assignment", entity_id=entity_id, op="upsert", data=data)


def test_the_list_shows_my_assignments_riskiest_first_and_opens_them(qtbot: QtBot, ui_ctx: UiContext) -> None:
    rows = [
        assignment("a1", "e1", "达州川东商贸有限公司", 10001),
        assignment("a2", "e2", "达州恒达机械制造有限公司", 20001),
        assignment("a3", "e3", "别人的企业", 30000, assignee="chen", assignee_name="陈静"),
        assignment("a4", "e4", "已取消的企业", 25000, status="cancelled"),
    ]
    with ui_ctx.session() as session:
        set_cursor(session, "username", "li")
        apply_page(session, ChangesPage(rows=rows, next_since=30000, has_more=False))
    page = AssignmentsPage(ui_ctx)
    qtbot.addWidget(page)
    assert page.table.rowCount() == 2
    assert [page.table.item(row, 1).text() for row in range(2)] == ["达州恒达机械制造有限公司", "达州川东商贸有限公司"]
    assert page.table.item(0, 0).text() == "高"
    assert page.table.item(0, 2).text() == "体检"
    assert "12345热线" in page.table.item(0, 4).text()
    assert page.empty.isHidden()

    with qtbot.waitSignal(page.enterprise_activated) as opened:
        page.open_button.click()
    assert opened.args == ["e2"]
    page.table.selectRow(1)
    with qtbot.waitSignal(page.new_visit_requested) as started:
        page.visit_button.click()
    assert started.args == ["e1"]


def test_an_empty_list_says_where_assignments_come_from(qtbot: QtBot, ui_ctx: UiContext) -> None:
    page = AssignmentsPage(ui_ctx)
    qtbot.addWidget(page)
    assert page.table.rowCount() == 0
    assert not page.empty.isHidden()
    assert not page.open_button.isEnabled()
    assert not page.visit_button.isEnabled()
