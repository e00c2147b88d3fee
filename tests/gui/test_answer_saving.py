""" "已保存" tells the truth: it appears only after the commit returned, and a refusal is shown instead."""

from __future__ import annotations

import sqlite3

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from app.audit.visits import start_audit
from app.db import LocalSession
from app.models import Answer, AnswerStatus, Coordinator, Enterprise
from app.ui.answer_page import AnswerPage
from app.ui.context import UiContext
from tests.gui.conftest import GUI_TODAY


def open_page(
    qtbot: QtBot, ctx: UiContext, coordinator: Coordinator, enterprise: Enterprise, **inputs: object
) -> AnswerPage:
    with ctx.session() as session:
        audit_id = start_audit(
            session,
            enterprise_id=enterprise.id,
            coordinator_id=coordinator.id,
            visit_date=GUI_TODAY,
            modules=["CONTRACT", "DISPATCH"],
            inputs=inputs,
        ).id
    page = AnswerPage(ctx)
    qtbot.addWidget(page)
    page.show()
    page.set_audit(audit_id)
    return page


def answers(ctx: UiContext, audit_id: str) -> dict[str, Answer]:
    with ctx.session() as session:
        return {a.item_id: a for a in session.scalars(select(Answer).where(Answer.audit_id == audit_id))}


def test_saved_mark_is_not_shown_when_the_commit_fails(
    qtbot: QtBot, ui_ctx: UiContext, coordinator: Coordinator, enterprise: Enterprise, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = open_page(qtbot, ui_ctx, coordinator, enterprise)
    item = page.item_id
    assert page.audit_id is not None
    assert item is not None

    def failing_commit(self: LocalSession) -> None:
        raise OperationalError("COMMIT", {}, sqlite3.OperationalError("disk I/O error"))

    with monkeypatch.context() as patch:
        patch.setattr(LocalSession, "commit", failing_commit)
        with qtbot.waitSignal(page.save_failed):
            qtbot.keyClick(page.items, "1")
    assert not page.saved_label.isVisible()
    assert page.error.isVisible()
    assert "laborcheck.log" in page.error.text()
    assert page.item_id == item  # did not move on
    assert item not in answers(ui_ctx, page.audit_id)

    with qtbot.waitSignal(page.saved):
        qtbot.keyClick(page.items, "1")
    assert page.saved_label.isVisible()
    assert page.saved_label.text().startswith("已保存")
    assert not page.error.isVisible()
    assert answers(ui_ctx, page.audit_id)[item].status is AnswerStatus.COMPLIANT


def test_compliant_answer_against_the_figures_is_refused_with_the_figures_shown(
    qtbot: QtBot, ui_ctx: UiContext, coordinator: Coordinator, enterprise: Enterprise
) -> None:
    page = open_page(qtbot, ui_ctx, coordinator, enterprise, contracted=40, dispatched=10)
    assert page.audit_id is not None
    qtbot.keyClick(page.items, Qt.Key.Key_Right)
    assert page.module == "DISPATCH"
    page.go_to("DISPATCH-01")
    assert "20%" in page.figures.text()  # 10 / (40 + 10)
    assert page.verdict.isVisible()
    qtbot.keyClick(page.items, "1")
    assert page.error.isVisible()
    assert "根据录入的数据判定为不符合" in page.error.text()
    assert not page.saved_label.isVisible()
    assert answers(ui_ctx, page.audit_id)["DISPATCH-01"].source == "rule"
    assert answers(ui_ctx, page.audit_id)["DISPATCH-01"].status is AnswerStatus.NON_COMPLIANT
