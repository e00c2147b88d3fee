"""A coordinator's rhythm: no needless questions, no stops on items the figures already decided, fewer clicks."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.audit.enterprises import EnterpriseInput, create_enterprise
from app.audit.uscc import make_uscc
from app.audit.visits import start_audit
from app.models import Coordinator, Enterprise
from app.services.workspace import Workspace
from app.ui.answer_page import AnswerPage
from app.ui.context import UiContext
from app.ui.main_window import MainWindow
from app.ui.new_visit_dialog import NewVisitDialog
from tests.gui.conftest import GUI_TODAY


def test_answering_moves_on_past_the_items_the_figures_already_judged(
    qtbot: QtBot, ui_ctx: UiContext, ws: Workspace, coordinator: Coordinator, enterprise: Enterprise
) -> None:
    with ws.db.session() as session:
        audit_id = start_audit(
            session,
            enterprise_id=enterprise.id,
            coordinator_id=coordinator.id,
            visit_date=GUI_TODAY,
            modules=["WAGE"],
            inputs={"lowest_monthly_wage": 1800, "local_minimum_wage": 2000},  # WAGE-04 fires
        ).id
    page = AnswerPage(ui_ctx)
    qtbot.addWidget(page)
    page.show()
    page.set_audit(audit_id)
    judged = page.state("WAGE-04")
    assert judged is not None
    assert judged.rule_fires is True
    page.go_to("WAGE-03")
    qtbot.keyClick(page.items, "1")
    assert page.item_id == "WAGE-05"  # WAGE-04 was passed over: the figures decided it
    assert page.error.isHidden()
    page.go_to("WAGE-04")  # still reachable by hand
    assert page.item_id == "WAGE-04"


def test_enter_in_the_search_box_opens_the_only_hit(
    qtbot: QtBot, ui_ctx: UiContext, ws: Workspace, coordinator: Coordinator, enterprise: Enterprise
) -> None:
    with ws.db.session() as session:
        create_enterprise(session, EnterpriseInput(uscc=make_uscc("91511703MA63YYYY0"), name="达州华川物流有限公司"))
    window = MainWindow(ui_ctx)
    qtbot.addWidget(window)
    window.show()
    page = window.enterprises
    page.search.setFocus()
    qtbot.keyClicks(page.search, "hcwl")  # 华川物流 by its pinyin initials: one hit
    qtbot.keyClick(page.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.current_page() is window.detail, timeout=5_000)
    assert window.detail.title.text() == "达州华川物流有限公司"

    window.show_nav(0)
    page.search.clear()
    qtbot.keyClick(page.search, Qt.Key.Key_Return)  # everything: several hits, the list gets the focus
    qtbot.waitUntil(lambda: not page.model.loading and page.model.rowCount() == 2, timeout=5_000)
    assert window.current_page() is page


def test_a_construction_enterprise_gets_the_migrant_wage_module_suggested(
    qtbot: QtBot, ui_ctx: UiContext, ws: Workspace, coordinator: Coordinator
) -> None:
    with ws.db.session() as session:
        builder = create_enterprise(
            session,
            EnterpriseInput(uscc=make_uscc("91511703MA64KKKK0"), name="达州宏远建筑工程有限公司", industry="建筑业"),
        ).id
        shop = create_enterprise(
            session, EnterpriseInput(uscc=make_uscc("91511703MA65WWWX0"), name="达州利民超市", industry="批发和零售业")
        ).id
    for enterprise_id, expected in ((builder, True), (shop, False)):
        dialog = NewVisitDialog(ui_ctx, enterprise_id)
        qtbot.addWidget(dialog)
        assert ("SITEPAY" in dialog.chosen_modules()) is expected
        assert dialog.inputs.values()["is_construction_project"] is (True if expected else None)
