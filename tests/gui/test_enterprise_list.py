"""The enterprise list over 100 000 enterprises: filters answer from the database, pages load as it scrolls."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from app.models import Enterprise
from app.services.workspace import Workspace
from app.ui.context import UiContext
from app.ui.enterprises_page import EnterprisesPage
from tests.gui.conftest import bulk_enterprises

COUNT = 100_000


def test_list_of_100k_enterprises_filters_searches_and_scrolls(qtbot: QtBot, ws: Workspace, ui_ctx: UiContext) -> None:
    bulk_enterprises(ws, COUNT)
    page = EnterprisesPage(ui_ctx)
    qtbot.addWidget(page)
    page.resize(1200, 700)
    page.show()
    model = page.model
    with qtbot.waitSignal(model.total_changed, timeout=20_000):
        page.refresh()
    assert model.total == COUNT
    assert model.rowCount() == model.page_size

    # scrolling to the end pages more rows in, off the UI thread
    with qtbot.waitSignal(model.rows_loaded, timeout=20_000):
        page.table.scrollToBottom()
    assert model.rowCount() == 2 * model.page_size

    # a filter: the counted total is the database's
    with qtbot.waitSignal(model.total_changed, timeout=20_000):
        page.grade.setCurrentIndex(page.grade.findData("高"))
    with ui_ctx.session() as session:
        high = session.scalar(select(func.count()).select_from(Enterprise).where(Enterprise.risk_grade == "高"))
    assert model.total == high
    assert {row.risk_grade for row in model.rows()} == {"高"}

    # typing searches after the debounce; the code prefix finds exactly one enterprise
    with ui_ctx.session() as session:
        code = session.scalar(select(Enterprise.uscc).where(Enterprise.risk_grade == "高").limit(1))
    assert code is not None
    with qtbot.waitSignal(model.total_changed, timeout=20_000):
        qtbot.keyClicks(page.search, code)
    assert [row.uscc for row in model.rows()] == [code]
    assert model.total == 1
    assert page.selected_id() == model.rows()[0].id

    with qtbot.waitSignal(page.enterprise_activated) as activated:
        qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert activated.args == [model.rows()[0].id]
