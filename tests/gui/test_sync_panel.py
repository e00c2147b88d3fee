"""The sync page against a real server on a loopback port (SQLite backend): button, conflicts, password, cancel."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import keyring
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from sqlalchemy import func, select

from app.audit.attachments import add_document
from app.audit.enterprises import update_enterprise
from app.models import ConflictLog, OutboxEntry, save_settings
from app.services.workspace import Workspace
from app.sync import credentials
from app.sync.client import SyncClient
from app.sync.protocol import PushRequest, PushResponse
from app.sync.service import sign_in, sync_status
from app.ui.app import STYLE_SHEET
from app.ui.context import UiContext
from app.ui.i18n import install_translator
from app.ui.sync_panel import SyncPanel
from server.models import AppliedMutation, Record
from tests.gui.conftest import GUI_TODAY
from tests.keyrings import InsecureKeyring
from tests.sync._helpers import do_sync, finished_audit, first_enterprise
from tests.sync.conftest import PASSWORD, District, district, free_port, laptop
from tests.sync.test_end_to_end import office_client

__all__ = ["district", "laptop"]  # fixtures shared with the sync tests

WAIT_MS = 30_000


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    """The SQLite server backend is enough for the GUI (the protocol is proven on both in tests/sync)."""
    return f"sqlite:///{tmp_path / 'server.db'}"


@pytest.fixture
def make_panel(qtbot: Any) -> Iterator[Any]:
    contexts: list[UiContext] = []

    def factory(ws: Workspace) -> SyncPanel:
        ctx = UiContext(ws, today=lambda: GUI_TODAY)
        contexts.append(ctx)
        panel = SyncPanel(ctx)
        qtbot.addWidget(panel)
        panel.resize(1366, 768)
        panel.show()
        return panel

    yield factory
    for ctx in contexts:
        ctx.tasks.cancel_all()
        ctx.tasks.wait_for_done(10_000)
    QApplication.processEvents()


def outbox_count(ws: Workspace) -> int:
    with ws.db.session() as session:
        return int(session.scalar(select(func.count()).select_from(OutboxEntry)) or 0)


def wait_idle(qtbot: Any, panel: SyncPanel) -> None:
    qtbot.waitUntil(lambda: not panel.is_syncing(), timeout=WAIT_MS)


def test_the_sync_button_sends_the_audit_and_empties_the_outbox(
    qtbot: Any, district: District, laptop: Any, make_panel: Any
) -> None:
    ws = laptop("李明")
    sign_in(ws, "li", PASSWORD)  # token in the (secure, in-memory) keyring: no prompt
    panel = make_panel(ws)
    panel.start_sync()
    wait_idle(qtbot, panel)
    audit_id = finished_audit(ws, first_enterprise(ws))
    panel.refresh()
    assert outbox_count(ws) > 0
    assert "仅在本机" in panel.pending_label.text()

    qtbot.mouseClick(panel.sync_button, Qt.MouseButton.LeftButton)
    assert panel.is_syncing()
    wait_idle(qtbot, panel)

    assert panel.password_dialog is None
    assert outbox_count(ws) == 0
    assert panel.pending_label.text() == "无"
    assert panel.last_summary is not None
    assert panel.last_summary.sent > 0
    assert "发送" in panel.summary_label.text()
    assert panel.progress.value() == panel.progress.maximum()
    with district.db.session() as session:
        audit = session.get(Record, ("audit", audit_id))
        assert audit is not None
        assert audit.data is not None
        assert audit.data["status"] == "finished"
    with ws.db.session() as session:
        assert sync_status(session).last_success is not None


def test_a_conflict_is_listed_and_marked_reviewed(
    qtbot: Any, district: District, laptop: Any, make_panel: Any, tmp_path: Path
) -> None:
    ws = laptop("李明")
    sign_in(ws, "li", PASSWORD)
    panel = make_panel(ws)
    panel.start_sync()
    wait_idle(qtbot, panel)
    enterprise_id = first_enterprise(ws)
    office = office_client(district)
    office.patch(f"/enterprises/{enterprise_id}", json={"fields": {"name": "达州恒达机械股份有限公司"}})
    office.close()
    with ws.db.session() as session:
        update_enterprise(session, enterprise_id, name="达州恒达机械制造（集团）有限公司")

    qtbot.mouseClick(panel.sync_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, panel)

    table = panel.conflict_table
    assert table.isVisible()
    assert table.rowCount() == 1
    cells = [table.item(0, column).text() for column in range(table.columnCount())]
    assert cells[:4] == [
        "企业：达州恒达机械股份有限公司",
        "企业名称",
        "达州恒达机械制造（集团）有限公司",
        "达州恒达机械股份有限公司",
    ]
    assert cells[4]  # the resolution in words
    assert panel.conflicts_label.text() == "1 条"
    panel.setStyleSheet(STYLE_SHEET)  # as the application shows it
    assert panel.grab().save(str(tmp_path / "sync-panel-zh.png"))

    table.selectRow(0)
    qtbot.mouseClick(panel.review_button, Qt.MouseButton.LeftButton)

    with ws.db.session() as session:
        reviewed = session.scalars(select(ConflictLog.reviewed_at)).one()
    assert reviewed is not None
    assert table.rowCount() == 0
    assert panel.no_conflicts.isVisible()
    assert panel.conflicts_label.text() == "无"


def test_without_a_secure_keyring_the_panel_asks_for_the_password_and_says_why(
    qtbot: Any, district: District, laptop: Any, make_panel: Any, tmp_path: Path
) -> None:
    ws = laptop("李明")
    do_sync(ws, "li")  # the registry, while the keyring was still secure
    finished_audit(ws, first_enterprise(ws))
    backend = InsecureKeyring(tmp_path / "plaintext-store.json")
    keyring.set_keyring(backend)  # restored by the suite_keyring fixture
    assert not credentials.secure_store_available()
    panel = make_panel(ws)

    qtbot.mouseClick(panel.sync_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.password_dialog is not None, timeout=WAIT_MS)
    dialog = panel.password_dialog
    assert dialog is not None
    assert "密钥环" in dialog.reason.text()
    assert "不会把登录凭据保存在文件中" in dialog.reason.text()
    dialog.username.setText("li")
    dialog.password.setText(PASSWORD)
    dialog.accept()
    wait_idle(qtbot, panel)

    assert outbox_count(ws) == 0
    assert backend.entries(credentials.SERVICE) == []  # the token stayed in memory for that one sync
    panel.start_sync()  # the next sync asks again
    qtbot.waitUntil(lambda: panel.password_dialog is not None, timeout=WAIT_MS)
    assert panel.password_dialog.username.text() == "li"  # type: ignore[union-attr]
    panel.password_dialog.reject()  # type: ignore[union-attr]


def test_cancel_stops_between_requests_and_the_next_sync_finishes_the_rest(
    qtbot: Any, district: District, laptop: Any, make_panel: Any
) -> None:
    ws = laptop("李明")
    do_sync(ws, "li")
    audit_ids = [finished_audit(ws, first_enterprise(ws), photos=0, seed=n) for n in range(2)]
    total = outbox_count(ws)
    gate = threading.Event()
    pushes: list[int] = []

    class GatedClient(SyncClient):
        def push_json(self, body: bytes) -> PushResponse:  # what the sync service sends a batch through
            if pushes:
                gate.wait(WAIT_MS / 1000)  # hold the second batch until the test has pressed 取消
            pushes.append(len(PushRequest.model_validate_json(body).mutations))
            return super().push_json(body)

    panel = make_panel(ws)
    panel.sync_options = {"batch_size": 5, "client_factory": lambda url, token: GatedClient(url, token=token)}
    qtbot.mouseClick(panel.sync_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(pushes) >= 1 and panel.cancel_button.isEnabled(), timeout=WAIT_MS)
    qtbot.mouseClick(panel.cancel_button, Qt.MouseButton.LeftButton)
    assert not panel.cancel_button.isEnabled()
    gate.set()
    wait_idle(qtbot, panel)

    assert panel.phase_label.text() == "已取消"
    assert "已取消" in panel.summary_label.text()
    left = outbox_count(ws)
    assert 0 < left < total
    with district.db.session() as session:
        applied = int(session.scalar(select(func.count()).select_from(AppliedMutation)) or 0)
    assert applied == total - left  # what the server applied is exactly what left the outbox

    panel.sync_options = {}
    panel.start_sync()
    wait_idle(qtbot, panel)
    assert outbox_count(ws) == 0
    with district.db.session() as session:
        assert int(session.scalar(select(func.count()).select_from(AppliedMutation)) or 0) == total
        assert all(session.get(Record, ("audit", audit_id)) is not None for audit_id in audit_ids)


def test_without_consent_the_panel_says_so_and_consenting_enables_sync(
    qtbot: Any, district: District, laptop: Any, make_panel: Any
) -> None:
    ws = laptop("李明")
    with ws.db.session() as session:
        save_settings(session, server_consent=False)
    panel = make_panel(ws)

    assert panel.consent_box.isVisible()
    assert district.server.url in panel.consent_label.text()
    assert not panel.sync_button.isEnabled()
    assert panel.start_sync() is None
    assert panel.probe_now() is None  # not even a probe before consent
    with qtbot.waitSignal(panel.settings_requested, timeout=1000):
        qtbot.mouseClick(panel.settings_button, Qt.MouseButton.LeftButton)

    qtbot.mouseClick(panel.consent_button, Qt.MouseButton.LeftButton)

    assert not panel.consent_box.isVisible()
    assert panel.sync_button.isEnabled()
    with ws.db.session() as session:
        assert sync_status(session).consent


def test_the_probe_offers_a_sync_when_the_server_answers_and_changes_wait(
    qtbot: Any, district: District, laptop: Any, make_panel: Any
) -> None:
    ws = laptop("李明")
    do_sync(ws, "li")
    finished_audit(ws, first_enterprise(ws), photos=0)
    with ws.db.session() as session:
        save_settings(session, server_url=f"http://127.0.0.1:{free_port()}")  # nobody listens there
    panel = make_panel(ws)
    assert panel.probe_timer.isActive()
    assert panel.probe_timer.interval() == 60_000

    panel.probe_now()
    qtbot.waitUntil(lambda: panel.last_probe is not None, timeout=WAIT_MS)
    assert panel.last_probe is not None
    assert not panel.last_probe.reachable
    assert not panel.offer_box.isVisible()

    with ws.db.session() as session:
        save_settings(session, server_url=district.server.url)  # the server is reachable now
    panel.last_probe = None
    with qtbot.waitSignal(panel.offer_changed, timeout=WAIT_MS) as offered:
        panel.probe_now()
    assert "尚未同步" in offered.args[0]
    assert panel.offer_box.isVisible()
    assert outbox_count(ws) > 0  # offered, not synced

    qtbot.mouseClick(panel.offer_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, panel)
    assert outbox_count(ws) == 0
    assert not panel.offer_box.isVisible()


def test_an_old_client_is_told_plainly_to_update(
    qtbot: Any, district: District, laptop: Any, make_panel: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.sync import protocol, service

    ws = laptop("李明")
    sign_in(ws, "li", PASSWORD)
    panel = make_panel(ws)
    monkeypatch.setattr(service, "PROTOCOL_VERSION", protocol.PROTOCOL_VERSION - 100)

    panel.start_sync()
    wait_idle(qtbot, panel)

    assert "请先更新" in panel.summary_label.text()
    assert "请先更新" in panel.error_label.text()


def test_the_sync_page_says_which_published_template_this_laptop_cannot_use(
    qtbot: Any, district: District, laptop: Any, make_panel: Any, tmp_path: Path
) -> None:
    from app.checklists.loader import default_template_dir, load_template_set, module_snapshot
    from tests.sync.test_template_publication import _publish_unchecked

    template_set = load_template_set(default_template_dir())
    broken = module_snapshot(template_set, "CONTRACT")
    shipped = broken["module"]["version"]
    broken["module"]["version"] = shipped + 1
    broken["module"]["items"][0]["rule"]["noncompliant_if"] = "x >>"
    _publish_unchecked(district.db, broken)
    ws = laptop("李明")
    sign_in(ws, "li", PASSWORD)
    panel = make_panel(ws)
    assert panel.templates_label.text() == "无"

    qtbot.mouseClick(panel.sync_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, panel)
    text = panel.templates_label.text()
    assert f"CONTRACT 第 {shipped + 1} 版无法使用，本机继续使用第 {shipped} 版，已报告区办" in text
    assert "item CONTRACT-01: rule.noncompliant_if" in text
    QApplication.processEvents()
    panel.grab().save(str(tmp_path / "sync-panel-unusable-template.png"))


@pytest.mark.parametrize(
    ("language", "line"),
    [("zh_CN", "上传附件：{done} / {total} KB"), ("en", "Uploading attachments: {done} / {total} KB")],
)
def test_the_progress_moves_during_a_batch_of_documents_in_the_interface_language(
    qtbot: Any, qapp: QApplication, district: District, laptop: Any, make_panel: Any, language: str, line: str
) -> None:
    ws = laptop("李明")
    do_sync(ws, "li")
    audit_id = finished_audit(ws, first_enterprise(ws), photos=0)
    documents = [b"%PDF-1.4\n" + bytes(700_000) for _ in range(2)]
    documents[1] = documents[1][:-1] + b"\x01"  # two different documents
    with ws.db.session() as session:
        for index, data in enumerate(documents):
            add_document(
                session, ws.blobs, audit_id=audit_id, item_id=None, data=data, original_name=f"合同{index}.pdf"
            )
    gate, reported = threading.Event(), []

    class HeldHalfway(SyncClient):
        def upload_batch(self, blobs: Any, sent: Any = None) -> Any:
            def hold(count: int) -> None:
                sent(count)
                reported.append(count)
                if len(reported) == 2:
                    gate.wait(WAIT_MS / 1000)  # the body is half sent: the test reads the page now

            return super().upload_batch(blobs, hold)

    install_translator(qapp, language)
    try:
        panel = make_panel(ws)
        panel.sync_options = {"client_factory": lambda url, token: HeldHalfway(url, token=token)}
        qtbot.mouseClick(panel.sync_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: len(reported) == 2, timeout=WAIT_MS)
        total = sum(len(data) for data in documents) // 1024
        halfway = line.format(done=sum(reported) // 1024, total=total)
        qtbot.waitUntil(lambda: panel.phase_label.text() == halfway, timeout=WAIT_MS)
        assert 0 < panel.progress.value() < panel.progress.maximum()
        gate.set()
        wait_idle(qtbot, panel)
        assert outbox_count(ws) == 0
    finally:
        gate.set()
        install_translator(qapp, "zh_CN")
