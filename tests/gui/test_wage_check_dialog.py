"""The wage check in the window: load the sheets, correct a column, check, read the report, save, exclude a worker,
export, and print the notice with its annex — every button pressed, work off the UI thread; the same dialog in
English shows no Chinese but the enterprise's own data."""

from __future__ import annotations

import io
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pypdf
import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QSpinBox,
    QTableView,
    QTableWidget,
    QWidget,
)
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.audit.notices import create_notice
from app.audit.visits import answer_item, finish_audit, item_states, start_audit
from app.models import Answer, AnswerStatus, ChangeHistory, Coordinator, Enterprise, Finding
from app.reports.notice_pdf import render_notice
from app.services import wage_evidence
from app.services.workspace import Workspace
from app.ui.context import UiContext
from app.ui.i18n import install_translator
from app.ui.wage_check_dialog import UNCHECKED, WageCheckDialog
from app.wage_evidence.columns import Field
from core.fonts import load_notice_fonts
from tests.unit._wage_sheets import TABLE
from tests.unit.test_wage_checks import STATEMENTS, VISIT, publish_table, sheets

TIMEOUT = 60_000
HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


@pytest.fixture
def audit_id(ws: Workspace, coordinator: Coordinator, enterprise: Enterprise) -> str:
    publish_table(ws)
    with ws.db.session() as session:
        return start_audit(
            session,
            enterprise_id=enterprise.id,
            coordinator_id=coordinator.id,
            visit_date=VISIT,
            modules=["WAGE", "HOURS"],
        ).id


def _load(
    qtbot: QtBot, dialog: WageCheckDialog, payroll: Path, attendance: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """添加工资表… and 添加考勤表… (the file dialog answers with our files), then 读取表格."""
    monkeypatch.setattr("app.ui.wage_check_dialog.QFileDialog.getOpenFileNames", lambda *a, **k: ([str(payroll)], ""))
    dialog.add_payroll.click()
    monkeypatch.setattr(
        "app.ui.wage_check_dialog.QFileDialog.getOpenFileNames", lambda *a, **k: ([str(attendance)], "")
    )
    dialog.add_attendance.click()
    assert dialog.payroll_list.count() == 1
    assert dialog.attendance_list.count() == 1
    with qtbot.waitSignal(dialog.read_files().finished, timeout=TIMEOUT):  # type: ignore[union-attr]
        pass
    assert dialog.pages.currentIndex() == 1


def test_a_coordinator_loads_maps_reviews_saves_excludes_exports_and_prints(
    qtbot: QtBot, ui_ctx: UiContext, ws: Workspace, audit_id: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    payroll, attendance, workers = sheets(tmp_path)
    dialog = WageCheckDialog(ui_ctx, audit_id)
    qtbot.addWidget(dialog)
    dialog.resize(1366, 768)
    dialog.show()
    _load(qtbot, dialog, payroll, attendance, monkeypatch)
    assert dialog.standard.currentText() == "测试省 · 第一档"
    dialog.pay_day.setValue(15)
    layout = dialog.prep.sheets[0].layout  # type: ignore[union-attr]
    assert layout.fields[5] is Field.ALLOWANCE  # 应发项目/夜班津贴, guessed
    # The coordinator says the night allowance column is not used: it then counts towards the minimum wage.
    dialog.set_field(5, None)
    assert 5 not in layout.fields
    dialog.set_field(5, Field.ALLOWANCE)
    samples = [dialog.columns.item(row, 1).text() for row in range(dialog.columns.rowCount())]
    assert all(worker.id_number not in "".join(samples) for worker in workers)  # the preview masks ID numbers
    dialog.grab().save(str(tmp_path / "wage-mapping-zh.png"))
    with qtbot.waitSignal(dialog.run_check().finished, timeout=TIMEOUT):  # type: ignore[union-attr]
        pass
    assert dialog.pages.currentIndex() == 2
    summary = dialog.summary.toPlainText()
    # What each item will state, worded by the template with the check's facts, before anything is saved.
    assert all(statement in summary for statement in STATEMENTS.values())
    # 王五 punched on 7 days of September's 22 working days: his September is not compared, and says so.
    assert "未核查：月工资低于当地月最低工资标准：2026年9月，当月出勤天数少于当月工作日" in summary
    dialog.rule_filter.setCurrentIndex(dialog.rule_filter.findData(UNCHECKED))
    assert [dialog.model.index(0, column).data() for column in (0, 2, 4, 5)] == [
        "王五",
        "2026-09",
        "出勤7天",
        "工作日22天",
    ]
    dialog.rule_filter.setCurrentIndex(0)
    assert dialog.model.rowCount() > 0
    # No empty band between the summary and the table: the summary is as tall as its lines.
    qtbot.waitUntil(lambda: dialog.table.geometry().top() - dialog.summary.geometry().bottom() < 30, timeout=TIMEOUT)
    dialog.grab().save(str(tmp_path / "wage-results-zh.png"))

    dialog.save_button.click()
    assert dialog.check_id is not None
    with ws.db.session() as session:
        answer = session.scalars(select(Answer).where(Answer.item_id == "WAGE-04")).one()
        assert answer.source == "evidence"

    zhang_row = next(
        row for row in range(dialog.model.rowCount()) if dialog.model.rows[row].rule.value == "minimum_wage"
    )
    dialog.table.selectRow(zhang_row)
    monkeypatch.setattr("app.ui.wage_check_dialog.ask_reason", lambda *a, **k: "学徒期，另有协议")
    dialog.exclude_button.click()
    assert "已排除 1 名劳动者" in dialog.summary.toPlainText()
    assert STATEMENTS["WAGE-04"] not in dialog.summary.toPlainText()
    with ws.db.session() as session:
        assert (
            session.scalars(select(ChangeHistory).where(ChangeHistory.entity == "wage_check")).one().reason
            == "学徒期，另有协议"
        )
        assert session.scalars(select(Answer).where(Answer.item_id == "WAGE-04")).first() is None
    dialog.table.selectRow(zhang_row)
    dialog.exclude_button.click()  # take 张三 back in, with a reason too
    assert "已排除" not in dialog.summary.toPlainText()
    target = tmp_path / "明细.xlsx"
    monkeypatch.setattr("app.ui.wage_check_dialog.QFileDialog.getSaveFileName", lambda *a, **k: (str(target), ""))
    dialog.export_button.click()
    book = load_workbook(target, read_only=True)
    exported = list(book.worksheets[0].iter_rows(values_only=True))
    assert len(exported) == dialog.model.rowCount() + 1
    unchecked = list(book.worksheets[1].iter_rows(values_only=True))
    assert (unchecked[1][0], unchecked[1][3]) == ("王五", "2026年9月")
    assert str(unchecked[1][5]).startswith("出勤7天，当月工作日22天；")
    dialog.grab().save(str(tmp_path / "wage-saved-zh.png"))
    dialog.new_button.click()  # 重新读取表格… goes back to the files
    assert dialog.pages.currentIndex() == 0

    with ws.db.session() as session:
        for state in item_states(session, audit_id):
            if state.needs_answer and state.answer is None:
                answer_item(session, audit_id, state.item.id, AnswerStatus.COMPLIANT)
        finish_audit(session, audit_id, responsible_person="赵强")
        assert (
            session.scalars(select(Finding.description).where(Finding.item_id == "WAGE-04")).one()
            == (STATEMENTS["WAGE-04"])
        )
        notice = create_notice(session, audit_id, issued_on=VISIT)
        pdf = render_notice(notice, ws.blobs.get, fonts=load_notice_fonts())
    (tmp_path / "notice-with-annex.pdf").write_bytes(pdf)
    text = "".join("".join(page.extract_text().split()) for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    assert "附件工资支付和工作时间核查明细" in text
    assert all(worker.id_number not in text for worker in workers)
    if os.environ.get("LABORCHECK_KEEP_SCREENSHOTS"):
        keep = Path(os.environ["LABORCHECK_KEEP_SCREENSHOTS"])
        for name in ("wage-mapping-zh.png", "wage-results-zh.png", "wage-saved-zh.png", "notice-with-annex.pdf"):
            (keep / name).write_bytes((tmp_path / name).read_bytes())


# --- English ------------------------------------------------------------------------------------------------------


@pytest.fixture
def english(qapp: QApplication) -> Iterator[None]:
    install_translator(qapp, "en")
    try:
        yield
    finally:
        install_translator(qapp, "zh_CN")


def widget_texts(root: QWidget) -> list[tuple[str, str]]:
    """Every text a user can read in ``root`` and its children, hidden pages included, with where it is."""
    found: list[tuple[str, str]] = [("title", root.windowTitle())]
    for widget in root.findChildren(QWidget):
        name = f"{type(widget).__name__}:{widget.objectName()}"
        texts: list[str] = [widget.toolTip()]
        if isinstance(widget, QLabel | QAbstractButton):
            texts.append(widget.text())
        elif isinstance(widget, QLineEdit):
            texts += [widget.text(), widget.placeholderText()]
        elif isinstance(widget, QPlainTextEdit):
            texts.append(widget.toPlainText())
        elif isinstance(widget, QComboBox):
            texts += [widget.itemText(index) for index in range(widget.count())]
        elif isinstance(widget, QListWidget):
            texts += [widget.item(index).text() for index in range(widget.count())]
        elif isinstance(widget, QSpinBox):
            texts += [widget.suffix(), widget.specialValueText()]
        elif isinstance(widget, QAbstractSpinBox):
            texts.append(widget.text())
        if isinstance(widget, QTableWidget):
            for column in range(widget.columnCount()):
                header = widget.horizontalHeaderItem(column)
                texts.append(header.text() if header else "")
        elif isinstance(widget, QTableView):
            model = widget.model()
            for column in range(model.columnCount()):
                texts.append(str(model.headerData(column, Qt.Orientation.Horizontal) or ""))
                for row in range(model.rowCount()):
                    texts.append(str(model.index(row, column).data() or ""))
        found += [(name, text) for text in texts if text]
    return found


def _data(ws: Workspace, dialog: WageCheckDialog, tmp_path: Path) -> list[str]:
    """What the enterprise and the office wrote, shown as it is in every language: names, files and sheets,
    the sheets' own column labels and values, the published standard's region, grade and document."""
    data = [worker.name for worker in (dialog.model.evidence.workers if dialog.model.evidence else [])]
    data += [path.name for path in tmp_path.iterdir()]
    if dialog.prep is not None:
        for choice in dialog.prep.sheets:
            data.append(choice.layout.sheet.label)
            data += choice.layout.labels
            data += [sample for column in range(len(choice.layout.labels)) for sample in choice.layout.samples(column)]
    data += [TABLE.region, *TABLE.grades, *(rate.document for rate in TABLE.rates)]
    return sorted({piece for piece in data if piece}, key=len, reverse=True)


def _han_outside_data(texts: list[tuple[str, str]], data: list[str]) -> list[str]:
    offences = []
    for where, text in texts:
        rest = text
        for piece in data:
            rest = rest.replace(piece, "")
        if HAN.search(rest):
            offences.append(f"{where}: {text!r}")
    return offences


def test_in_english_the_dialog_shows_no_chinese_but_the_enterprises_data(
    qtbot: QtBot,
    qapp: QApplication,
    ui_ctx: UiContext,
    ws: Workspace,
    audit_id: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    english: None,
) -> None:
    payroll, attendance, _workers = sheets(tmp_path)
    dialog = WageCheckDialog(ui_ctx, audit_id)
    qtbot.addWidget(dialog)
    dialog.resize(1366, 768)
    dialog.show()
    assert dialog.windowTitle() == "Wage and attendance check"
    _load(qtbot, dialog, payroll, attendance, monkeypatch)
    dialog.pay_day.setValue(15)
    assert _han_outside_data(widget_texts(dialog), _data(ws, dialog, tmp_path)) == []
    dialog.grab().save(str(tmp_path / "wage-mapping-en.png"))
    with qtbot.waitSignal(dialog.run_check().finished, timeout=TIMEOUT):  # type: ignore[union-attr]
        pass
    summary = dialog.summary.toPlainText()
    assert "Checked 3 workers (September to October 2026)." in summary
    assert (
        "The inspection found monthly wages for normal work below the local monthly minimum wage in September to "
        "October 2026 (workers: 1; 660 yuan short in total). Details are in the annex."
    ) in summary
    for index in range(dialog.rule_filter.count()):  # every filter of the table, the not-checked months too
        dialog.rule_filter.setCurrentIndex(index)
        assert _han_outside_data(widget_texts(dialog), _data(ws, dialog, tmp_path)) == [], (
            dialog.rule_filter.currentText()
        )
    dialog.rule_filter.setCurrentIndex(0)
    dialog.save_button.click()
    assert _han_outside_data(widget_texts(dialog), _data(ws, dialog, tmp_path)) == []
    qtbot.waitUntil(lambda: dialog.table.geometry().top() - dialog.summary.geometry().bottom() < 30, timeout=TIMEOUT)
    dialog.grab().save(str(tmp_path / "wage-results-en.png"))
    # Switched back live: the open dialog reads in Chinese again.
    install_translator(qapp, "zh_CN")
    assert dialog.windowTitle() == "工资考勤核查"
    assert dialog.save_button.text() == "保存为本次体检证据"
    assert STATEMENTS["WAGE-04"] in dialog.summary.toPlainText()
    assert dialog.model.headerData(0, Qt.Orientation.Horizontal) == "姓名"
    saved = wage_evidence.saved_evidence(ws, audit_id)
    assert saved is not None
    if os.environ.get("LABORCHECK_KEEP_SCREENSHOTS"):
        keep = Path(os.environ["LABORCHECK_KEEP_SCREENSHOTS"])
        for name in ("wage-mapping-en.png", "wage-results-en.png"):
            (keep / name).write_bytes((tmp_path / name).read_bytes())


FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "wage"


def test_an_xls_payroll_and_an_ods_attendance_grid_are_mapped_checked_and_a_run_can_be_cancelled(
    qtbot: QtBot, ui_ctx: UiContext, ws: Workspace, audit_id: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = WageCheckDialog(ui_ctx, audit_id)
    qtbot.addWidget(dialog)
    dialog.resize(1366, 768)
    dialog.show()
    dialog.add_files("payroll", [FIXTURES / "工资表2026年9月.csv"])
    dialog.clear_button.click()  # 清空: the wrong file is gone
    assert dialog.payroll_list.count() == 0
    _load(qtbot, dialog, FIXTURES / "工资表2026年9月.xls", FIXTURES / "考勤表2026年9月.ods", monkeypatch)
    assert [dialog.sheet_box.itemText(index) for index in range(dialog.sheet_box.count())] == [
        "工资表：工资表2026年9月.xls「2026年9月」",
        "考勤表（按日排列）：考勤表2026年9月.ods「2026年9月」",
    ]
    dialog.sheet_box.setCurrentIndex(1)
    assert dialog.sheet_month.isEnabled()  # a grid's month can be given
    assert not dialog.sheet_pay_date.isEnabled()
    assert dialog.sheet_month.text() == "2026-09"
    day_one = next(row for row in range(dialog.columns.rowCount()) if dialog.columns.item(row, 0).text() == "1")
    combo = dialog.columns.cellWidget(day_one, 2)
    assert isinstance(combo, QComboBox)
    assert combo.currentText() == "当日考勤（按日排列的考勤表）"
    dialog.back_to_files.click()  # ← 返回 and forward again keep the mapping
    assert dialog.pages.currentIndex() == 0
    dialog.pages.setCurrentIndex(1)
    task = dialog.run_check()
    assert task is not None
    with qtbot.waitSignal(task.cancelled, timeout=TIMEOUT):
        dialog.cancel_button.click()  # 取消: nothing is kept
    assert dialog.status.text() == "已取消，未保存任何数据。"
    assert dialog.pages.currentIndex() == 1
    with qtbot.waitSignal(dialog.run_check().finished, timeout=TIMEOUT):  # type: ignore[union-attr]
        pass
    summary = dialog.summary.toPlainText()
    assert "经查，你单位2026年9月有1名劳动者单日延长工作时间超过三小时，单日最长延长4小时，明细见附件。" in summary
    assert (
        "经查，你单位2026年9月有1名提供正常劳动的劳动者月工资低于当地月最低工资标准，差额合计330元，明细见附件。"
        in summary
    )
    dialog.back_to_mapping.click()  # ← 修改列对应
    assert dialog.pages.currentIndex() == 1
    dialog.close_button.click()  # 关闭
    assert not dialog.isVisible()


def test_the_visit_page_opens_the_wage_check_and_says_which_items_it_judged(
    qtbot: QtBot, ui_ctx: UiContext, ws: Workspace, audit_id: str, tmp_path: Path
) -> None:
    from app.ui.answer_page import AnswerPage
    from tests.unit.test_wage_checks import _run

    _run(ws, audit_id, tmp_path)
    page = AnswerPage(ui_ctx)
    qtbot.addWidget(page)
    page.show()
    page.set_audit(audit_id)
    page.wage_button.click()  # 工资考勤核查…
    dialog = page.findChild(WageCheckDialog)
    assert dialog is not None
    assert dialog.pages.currentIndex() == 2  # the saved check, its results
    assert STATEMENTS["WAGE-04"] in dialog.summary.toPlainText()
    with qtbot.waitSignal(dialog.finished, timeout=TIMEOUT):
        dialog.close_button.click()
    page._show_item("WAGE-04")
    assert page.verdict.text().startswith("根据工资考勤核查判定为“不符合”")
    assert page.status_buttons[AnswerStatus.NON_COMPLIANT].isChecked()
