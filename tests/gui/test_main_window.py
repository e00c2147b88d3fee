"""The main window shows the enterprise list first and builds the other navigation pages right after."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from app.ui.context import UiContext
from app.ui.main_window import NAV_PAGES, SYNC, MainWindow


def test_only_the_enterprise_list_is_built_before_the_window_shows(qtbot: QtBot, ui_ctx: UiContext) -> None:
    window = MainWindow(ui_ctx)
    qtbot.addWidget(window)
    assert window._nav[0] is window.enterprises
    assert window._nav[1:] == [None] * (len(NAV_PAGES) - 1)
    assert window.current_page() is window.enterprises

    window.show()
    qtbot.waitUntil(lambda: None not in window._nav, timeout=10_000)  # built right after the first show

    assert [type(page).__name__ for page in window._nav] == [
        "EnterprisesPage",
        "FollowUpPage",
        "LedgerPage",
        "StatisticsPage",
        "SyncPanel",
        "AssignmentsPage",
    ]
    assert window.stack.count() == len(NAV_PAGES)
    window.show_nav(SYNC)
    assert window.current_page() is window._nav[SYNC]
    window.sync_panel.offer_changed.emit("服务器可以连接，有 3 条修改待同步。")  # type: ignore[attr-defined]
    assert window.sync_offer.isVisibleTo(window)  # the probe's offer reaches the status bar


def test_a_page_asked_for_before_the_deferred_build_is_built_once(qtbot: QtBot, ui_ctx: UiContext) -> None:
    window = MainWindow(ui_ctx)
    qtbot.addWidget(window)
    ledger = window.ledger
    assert window.ledger is ledger
    window.build_all_pages()
    assert window.ledger is ledger
    assert window.stack.count() == len(NAV_PAGES)
