"""Every screen of the application, on realistic data: the catalogue the language walk, the 1366×768 fit test and
``make screenshots`` go through, so a new page or dialog is added in one place and checked by all three.

A :class:`Scene` is a small demo district (the real services seed it) plus a visit in progress, a finished visit
with a history, a draft notice and an archived stub. Each entry of :data:`SCREENS` shows one screen in a
:class:`~app.ui.main_window.MainWindow` and returns the widget to look at (the window for a page, the dialog for
a dialog, shown without blocking). :func:`data_texts` lists every text that comes from data — enterprise names,
template content, notes — so a language check can tell data from interface text.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image
from PySide6.QtCharts import QAbstractBarSeries, QBarCategoryAxis, QChart, QChartView, QPieSeries
from PySide6.QtCore import QCoreApplication, QElapsedTimer, QEventLoop, QModelIndex, QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QProgressBar,
    QStatusBar,
    QTableView,
    QTableWidget,
    QTabWidget,
    QTextEdit,
    QToolBar,
    QTreeView,
    QTreeWidget,
    QWidget,
)
from sqlalchemy import select, text

from app.audit.profile import active_coordinator
from app.audit.rectification import update_item
from app.audit.visits import answer_item, finish_audit, item_states, start_audit
from app.models import AnswerStatus, Audit, Enterprise, RectificationItem
from app.services.demo_district import seed_demo
from app.services.workspace import Workspace
from app.ui.answer_page import InputsDialog
from app.ui.context import UiContext
from app.ui.enterprise_form import EnterpriseForm
from app.ui.findings_page import BulkEditDialog
from app.ui.history_view import HistoryDialog
from app.ui.import_dialog import ImportDialog
from app.ui.main_window import FOLLOWUP, LEDGER, STATISTICS, SYNC, MainWindow
from app.ui.new_visit_dialog import NewVisitDialog
from app.ui.notice_dialog import NoticeDialog
from app.ui.photo_mask_dialog import PhotoMaskDialog
from app.ui.settings_dialog import FirstRunDialog, SettingsDialog
from app.ui.sign_in_dialog import PasswordDialog
from app.ui.signature_pad import SignaturePad
from app.ui.visit_record_dialog import VisitRecordDialog
from app.ui.wage_check_dialog import WageCheckDialog

SCREEN_SIZE = (1366, 768)


@dataclass(frozen=True)
class Scene:
    enterprise_id: str
    """A visited enterprise with items (verified and overdue ones)."""
    in_progress: str
    """A visit being answered."""
    finished: str
    """A finished visit whose notice is still a draft, with a correction in its history."""
    photo: Path
    """A photo file, for the masking dialog."""


def build_scene(ws: Workspace, today: dt.date, directory: Path, *, enterprises: int = 40, audits: int = 10) -> Scene:
    """Seed a small demo district and the visits every screen needs (what ``scripts/screenshots.py`` shows)."""
    with ws.db.session() as session:
        seed_demo(session, ws.blobs, today=today, enterprises=enterprises, audits=audits)
    with ws.db.session() as session:
        coordinator = active_coordinator(session)
        assert coordinator is not None
        audited = set(session.scalars(select(Audit.enterprise_id)))
        fresh = [e for e in session.scalars(select(Enterprise).order_by(Enterprise.name)) if e.id not in audited]
        visited = session.scalars(select(Enterprise).where(Enterprise.id.in_(audited)).order_by(Enterprise.name))
        shown = next(iter(visited))
        made: list[str] = []
        for enterprise, finish in ((fresh[0], False), (fresh[1], True)):
            audit = start_audit(
                session,
                enterprise_id=enterprise.id,
                coordinator_id=coordinator.id,
                visit_date=today,
                modules=["CONTRACT", "WAGE", "HOURS"],
                inputs={"headcount": enterprise.headcount or 60},
            )
            asked = [state for state in item_states(session, audit.id) if state.needs_answer]
            for index, state in enumerate(asked if finish else asked[:5]):
                status = AnswerStatus.NON_COMPLIANT if index in (1, 4, 7) else AnswerStatus.COMPLIANT
                answer_item(session, audit.id, state.item.id, status, note="现场查阅劳动合同台账")
            if finish:
                finish_audit(session, audit.id, responsible_person=enterprise.contact_name, today=today)
            made.append(audit.id)
    with ws.db.session() as session:
        first = session.scalars(select(RectificationItem).where(RectificationItem.audit_id == made[1])).first()
        assert first is not None
        update_item(session, first.id, responsible_phone="13800001111")
    photo = directory / "工资表.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), (200, 180, 160)).save(buffer, "JPEG")
    photo.write_bytes(buffer.getvalue())
    return Scene(shown.id, made[0], made[1], photo)


def settle(ctx: UiContext, rounds: int = 3) -> None:
    """Let every background task finish and its result reach the widgets (bounded: 30 s)."""
    app = QApplication.instance()
    assert app is not None
    clock = QElapsedTimer()
    clock.start()
    quiet = 0
    while quiet < rounds and clock.elapsed() < 30_000:
        ctx.tasks.wait_for_done(5_000)
        QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        quiet = 0 if ctx.tasks.is_busy() else quiet + 1


def sign_pad(pad: SignaturePad, seed: int) -> None:
    """Synthetic strokes through real mouse events, so the notice screen shows signatures being captured."""
    for stroke in range(3):
        x0 = 40 + stroke * 120 + seed * 7
        points = [QPoint(x0 + 9 * i, 85 + (30 if (i + stroke + seed) % 2 else -28)) for i in range(11)]
        QTest.mousePress(pad, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, points[0])
        for point in points[1:]:
            QTest.mouseMove(pad, point)
        QTest.mouseRelease(pad, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, points[-1])


def _page(show: Callable[[MainWindow, Scene], None]) -> Callable[[MainWindow, Scene], QWidget]:
    def open_page(window: MainWindow, scene: Scene) -> QWidget:
        show(window, scene)
        return window

    return open_page


def _dialog(make: Callable[[MainWindow, Scene], QWidget]) -> Callable[[MainWindow, Scene], QWidget]:
    def open_dialog(window: MainWindow, scene: Scene) -> QWidget:
        dialog = make(window, scene)
        dialog.show()
        return dialog

    return open_dialog


def _notice(window: MainWindow, scene: Scene) -> QWidget:
    dialog = NoticeDialog(window.ctx, scene.finished, window)
    dialog.show()
    settle(window.ctx)
    sign_pad(dialog.coordinator_box.pad, 0)
    sign_pad(dialog.enterprise_box.pad, 3)
    return dialog


def _history(window: MainWindow, scene: Scene) -> QWidget:
    return HistoryDialog(window.ctx, audit_id=scene.finished, title="", parent=window)


SCREENS: dict[str, Callable[[MainWindow, Scene], QWidget]] = {
    "enterprise-list": _page(lambda w, s: w.show_nav(0)),
    "enterprise": _page(lambda w, s: w.show_enterprise(s.enterprise_id)),
    "answering": _page(lambda w, s: w.open_audit(s.in_progress)),
    "findings": _page(lambda w, s: w.show_findings(s.finished)),
    "follow-up": _page(lambda w, s: w.show_nav(FOLLOWUP)),
    "ledger": _page(lambda w, s: w.show_nav(LEDGER)),
    "statistics": _page(lambda w, s: w.show_nav(STATISTICS)),
    "sync": _page(lambda w, s: w.show_nav(SYNC)),
    "new-visit": _dialog(lambda w, s: NewVisitDialog(w.ctx, s.enterprise_id, w)),
    "enterprise-form": _dialog(lambda w, s: EnterpriseForm(w.ctx, s.enterprise_id, w)),
    "settings": _dialog(lambda w, s: SettingsDialog(w.ctx, w)),
    "first-run": _dialog(lambda w, s: FirstRunDialog(w.ctx, w)),
    "import": _dialog(lambda w, s: ImportDialog(w.ctx, w)),
    "notice": _notice,
    "visit-record": _dialog(lambda w, s: VisitRecordDialog(w.ctx, s.finished, w)),
    "inputs": _dialog(lambda w, s: InputsDialog(w.ctx, s.in_progress, w)),
    "history": _dialog(_history),
    "bulk-edit": _dialog(lambda w, s: BulkEditDialog(3, dt.date(2026, 11, 20), w)),
    "sign-in": _dialog(lambda w, s: PasswordDialog(QCoreApplication.translate("SyncPanel", "需要登录"), "li", w)),
    "photo-mask": _dialog(lambda w, s: PhotoMaskDialog(s.photo, w)),
    "wage-check": _dialog(lambda w, s: WageCheckDialog(w.ctx, s.in_progress, w)),
}
"""Screen name → how to show it. Pages return the window; dialogs return themselves, shown (not exec'd)."""


def open_screen(name: str, window: MainWindow, scene: Scene) -> QWidget:
    widget = SCREENS[name](window, scene)
    if widget is not window:
        widget.resize(widget.size().boundedTo(window.size()))
    settle(window.ctx)
    return widget


def close_screen(widget: QWidget, window: MainWindow) -> None:
    if widget is not window:
        widget.close()
        widget.deleteLater()
        settle(window.ctx)


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


DATA_COLUMNS = {
    "enterprise": ("name", "uscc", "industry", "address", "district", "contact_name", "contact_phone", "risk_reasons"),
    "campaign": ("name", "district"),
    "coordinator": ("name", "badge_no", "organisation", "district", "issuing_body", "notice_prefix"),
    "audit": ("co_coordinators",),
    "answer": ("note", "skip_reason"),
    "finding": ("description", "basis", "removed_reason"),
    "rectification_item": (
        "requirement",
        "responsible_person",
        "responsible_phone",
        "submitted_note",
        "verified_by",
        "verification_note",
    ),
    "follow_up": ("note", "evidence_reference"),
    "notice": ("number", "enterprise_signer", "coordinator_signer", "void_reason"),
    "attachment": ("original_name", "caption"),
    "risk_indicator": ("source", "value"),
    "change_history": ("old_value", "new_value", "reason", "who"),
    "template": ("content",),
    "conflict_log": ("local_value", "server_value", "resolution"),
}
"""Where data lives: every string in these columns is the coordinator's or the office's, not interface text."""


def data_texts(ws: Workspace) -> list[str]:
    """Every data string of the workspace, longest first (JSON columns walked), for telling data from UI text."""
    found: set[str] = set()
    with ws.db.engine.connect() as connection:
        for table, columns in DATA_COLUMNS.items():
            for row in connection.execute(text(f"SELECT {', '.join(columns)} FROM {table}")):
                for value in row:
                    if not isinstance(value, str) or not value:
                        continue
                    found.add(value)
                    if value[:1] in '[{"':
                        with contextlib.suppress(ValueError):
                            found.update(_strings(json.loads(value)))
    parts = {piece for value in found for piece in value.splitlines() if piece.strip()}
    # One character is a code (a severity 高/中/低 in the templates), not data: stripping it would hide UI text.
    return sorted((text for text in found | parts if len(text.strip()) >= 2), key=len, reverse=True)


def _plain(value: str) -> str:
    return re.sub(r"<[^>]+>", "", value) if "<" in value and ">" in value else value


def _model_texts(view: QAbstractItemView, where: str, limit: int = 60) -> Iterator[tuple[str, str]]:
    if isinstance(view, QListWidget):
        for row in range(min(view.count(), limit)):
            yield f"{where} row {row}", view.item(row).text()
            widget = view.itemWidget(view.item(row))
            if widget is not None:
                yield from ((f"{where} row {row} {w}", text) for w, text in widget_texts(widget))
        return
    if isinstance(view, QTableWidget):
        for column in range(view.columnCount()):
            header = view.horizontalHeaderItem(column)
            if header is not None and not view.isColumnHidden(column):
                yield f"{where} header {column}", header.text()
        for row in range(min(view.rowCount(), limit)):
            for column in range(view.columnCount()):
                item = view.item(row, column)
                if item is not None and not view.isColumnHidden(column):
                    yield f"{where} cell {row},{column}", item.text()
        return
    if isinstance(view, QTreeWidget):
        header = view.headerItem()
        yield from ((f"{where} header {c}", header.text(c)) for c in range(view.columnCount()))
        stack = [view.topLevelItem(i) for i in range(min(view.topLevelItemCount(), limit))]
        while stack:
            item = stack.pop()
            yield from ((f"{where} item", item.text(c)) for c in range(view.columnCount()))
            stack.extend(item.child(i) for i in range(min(item.childCount(), limit)))
        return
    model = view.model()
    if model is None:
        return
    for column in range(model.columnCount(QModelIndex())):
        if isinstance(view, QTableView | QTreeView) and _hidden_column(view, column):
            continue
        header = model.headerData(column, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole)
        if isinstance(header, str):
            yield f"{where} header {column}", header

    def rows(parent: QModelIndex, depth: int) -> Iterator[tuple[str, str]]:
        for row in range(min(model.rowCount(parent), limit)):
            for column in range(model.columnCount(parent)):
                index = model.index(row, column, parent)
                value = index.data(Qt.ItemDataRole.DisplayRole)
                if isinstance(value, str) and value:
                    yield f"{where} cell {row},{column}", value
                if depth < 2 and model.rowCount(index) > 0:
                    yield from rows(index, depth + 1)

    yield from rows(QModelIndex(), 0)


def _hidden_column(view: QTableView | QTreeView, column: int) -> bool:
    return view.isColumnHidden(column)


def widget_texts(top: QWidget) -> list[tuple[str, str]]:
    """(where, text) of every piece of text a user can read in ``top`` and its visible children."""
    found: list[tuple[str, str]] = []
    if top.windowTitle():
        found.append((f"{type(top).__name__} title", top.windowTitle()))
    widgets = [top, *top.findChildren(QWidget)]
    for widget in widgets:
        if widget is not top and not widget.isVisibleTo(top):
            continue
        where = f"{type(widget).__name__}#{widget.objectName() or '?'}"
        if isinstance(widget, QLabel):
            found.append((where, _plain(widget.text())))
        elif isinstance(widget, QAbstractButton):
            found.append((where, widget.text()))
        elif isinstance(widget, QLineEdit | QPlainTextEdit | QTextEdit):
            found.append((f"{where} placeholder", widget.placeholderText()))
        elif isinstance(widget, QComboBox):
            found.extend((f"{where} item {i}", widget.itemText(i)) for i in range(widget.count()))
        elif isinstance(widget, QProgressBar) and widget.isTextVisible():
            found.append((where, widget.text()))
        elif isinstance(widget, QAbstractItemView) and not isinstance(widget, QHeaderView):
            found.extend(_model_texts(widget, where))
        elif isinstance(widget, QChartView):
            found.extend(_chart_texts(widget.chart(), where))
        if isinstance(widget, QGroupBox):
            found.append((f"{where} title", widget.title()))
        if isinstance(widget, QTabWidget):
            found.extend((f"{where} tab {i}", widget.tabText(i)) for i in range(widget.count()))
        if isinstance(widget, QToolBar):
            found.extend((f"{where} action", action.text()) for action in widget.actions())
        if isinstance(widget, QStatusBar) and widget.currentMessage():
            found.append((f"{where} message", widget.currentMessage()))
    return [(where, value) for where, value in found if value and value.strip()]


def _chart_texts(chart: QChart | None, where: str) -> Iterator[tuple[str, str]]:
    if chart is None:
        return
    if chart.title():
        yield f"{where} chart title", chart.title()
    for axis in chart.axes():
        if axis.titleText():
            yield f"{where} axis title", axis.titleText()
        if isinstance(axis, QBarCategoryAxis):
            yield from ((f"{where} category", _plain(category.replace("<br>", ""))) for category in axis.categories())
    for series in chart.series():
        if series.name():
            yield f"{where} series", series.name()
        if isinstance(series, QAbstractBarSeries):
            for bar_set in series.barSets():
                yield f"{where} bar set", bar_set.label()
        if isinstance(series, QPieSeries):
            for slice_ in series.slices():
                yield f"{where} slice", slice_.label()


__all__ = [
    "SCREENS",
    "SCREEN_SIZE",
    "Scene",
    "build_scene",
    "close_screen",
    "data_texts",
    "open_screen",
    "settle",
    "sign_pad",
    "widget_texts",
]
