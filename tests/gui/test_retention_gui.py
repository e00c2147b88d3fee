"""Archived audits in the GUI, against a real server: marked on the enterprise page, pulled back from the findings
page (with the password asked when no token is stored), and the office's period shown on the sync page."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import keyring
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from sqlalchemy import func, select

from app.models import Answer, ArchivedAudit, Audit
from app.services.workspace import Workspace
from app.ui.app import STYLE_SHEET
from app.ui.context import UiContext
from app.ui.enterprise_detail import EnterpriseDetail
from app.ui.findings_page import FindingsPage
from app.ui.sync_panel import SyncPanel
from tests.gui.conftest import GUI_TODAY
from tests.keyrings import InsecureKeyring
from tests.sync._helpers import do_sync, first_enterprise
from tests.sync.conftest import PASSWORD, District, district, laptop
from tests.sync.test_retention_sync import DAYS, _closed, _retention, _set_retention

__all__ = ["district", "laptop"]  # fixtures shared with the sync tests

WAIT_MS = 30_000


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'server.db'}"


@pytest.fixture
def contexts() -> Iterator[list[UiContext]]:
    made: list[UiContext] = []
    yield made
    for ctx in made:
        ctx.tasks.cancel_all()
        ctx.tasks.wait_for_done(10_000)
    QApplication.processEvents()


def _archived_laptop(district: District, laptop: Any) -> tuple[Workspace, str]:
    ws = laptop("李明")
    do_sync(ws, "li")
    audit_id = _closed(ws, first_enterprise(ws))
    _set_retention(district.db, DAYS)
    assert do_sync(ws, "li", retention=_retention(ws)).archived == 1
    return ws, audit_id


def _answers(ws: Workspace, audit_id: str) -> int:
    with ws.db.session() as session:
        return int(session.scalar(select(func.count()).select_from(Answer).where(Answer.audit_id == audit_id)) or 0)


def test_an_archived_audit_is_marked_and_pulled_back_from_the_findings_page(
    qtbot: Any, district: District, laptop: Any, contexts: list[UiContext], tmp_path: Path
) -> None:
    ws, audit_id = _archived_laptop(district, laptop)
    ctx = UiContext(ws, today=lambda: GUI_TODAY)
    contexts.append(ctx)
    with ws.db.session() as session:
        enterprise_id = session.get_one(Audit, audit_id).enterprise_id

    detail = EnterpriseDetail(ctx)
    qtbot.addWidget(detail)
    detail.set_enterprise(enterprise_id)
    assert "本机已归档" in detail.visits.item(0, 1).text()

    page = FindingsPage(ctx)
    qtbot.addWidget(page)
    page.setStyleSheet(STYLE_SHEET)
    page.resize(1366, 768)
    page.show()
    page.set_audit(audit_id)
    assert page.archived.isVisible()
    assert f"（{DAYS} 天）" in page.archived.text.text()
    assert "服务器上保存完整记录" in page.archived.text.text()
    assert page.table.rowCount() == 1  # the findings stay on the laptop
    QApplication.processEvents()
    assert page.grab().save(str(tmp_path / "gui-archived-zh.png"))

    qtbot.mouseClick(page.archived.pull_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not page.archived.isVisible(), timeout=WAIT_MS)

    assert _answers(ws, audit_id) > 1
    assert "已从服务器取回" in page.status.text()
    with ws.db.session() as session:
        assert session.get_one(ArchivedAudit, audit_id).restored_at is not None
    detail.refresh()
    assert "本机已归档" not in detail.visits.item(0, 1).text()


def test_pulling_back_without_a_stored_token_asks_for_the_password(
    qtbot: Any, district: District, laptop: Any, contexts: list[UiContext], tmp_path: Path
) -> None:
    ws, audit_id = _archived_laptop(district, laptop)
    keyring.set_keyring(InsecureKeyring(tmp_path / "plaintext-store.json"))  # restored by the suite_keyring fixture
    ctx = UiContext(ws, today=lambda: GUI_TODAY)
    contexts.append(ctx)
    page = FindingsPage(ctx)
    qtbot.addWidget(page)
    page.set_audit(audit_id)

    page.archived.pull_back()
    qtbot.waitUntil(lambda: page.archived.password_dialog is not None, timeout=WAIT_MS)
    dialog = page.archived.password_dialog
    assert dialog is not None
    assert dialog.username.text() == "li"
    dialog.password.setText("wrong-password")
    dialog.accept()
    qtbot.waitUntil(lambda: page.archived.task is None, timeout=WAIT_MS)
    assert page.archived.isVisibleTo(page)  # refused: still archived, the reason shown
    assert _answers(ws, audit_id) == 0

    page.archived.pull_back()
    qtbot.waitUntil(lambda: page.archived.password_dialog is not None, timeout=WAIT_MS)
    page.archived.password_dialog.password.setText(PASSWORD)  # type: ignore[union-attr]
    page.archived.password_dialog.accept()  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: _answers(ws, audit_id) > 0, timeout=WAIT_MS)


def test_the_sync_page_shows_the_offices_period(
    qtbot: Any, district: District, laptop: Any, contexts: list[UiContext]
) -> None:
    ws, _audit_id = _archived_laptop(district, laptop)
    ctx = UiContext(ws, today=lambda: GUI_TODAY)
    contexts.append(ctx)
    panel = SyncPanel(ctx)
    qtbot.addWidget(panel)
    panel.refresh()
    assert f"区办设定 {DAYS} 天" in panel.retention_label.text()
    assert "目前已归档 1 次" in panel.retention_label.text()
