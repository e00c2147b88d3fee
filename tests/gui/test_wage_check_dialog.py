"""The wage check in the window: load the sheets, correct a column, check, read the report, save, exclude a worker,
export, and print the notice with its annex — every button pressed, work off the UI thread."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pypdf
import pytest
from openpyxl import load_workbook
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.audit.notices import create_notice
from app.audit.visits import answer_item, finish_audit, item_states, start_audit
from app.models import Answer, AnswerStatus, ChangeHistory, Coordinator, Enterprise
from app.reports.notice_pdf import render_notice
from app.services.workspace import Workspace
from app.ui.context import UiContext
from app.ui.wage_check_dialog import WageCheckDialog
from app.wage_evidence.columns import Field
from core.fonts import load_notice_fonts
from tests.unit.test_wage_checks import VISIT, publish_table, sheets

TIMEOUT = 60_000


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


def test_a_coordinator_loads_maps_reviews_saves_excludes_exports_and_prints(
    qtbot: QtBot, ui_ctx: UiContext, ws: Workspace, audit_id: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    payroll, attendance, workers = sheets(tmp_path)
    dialog = WageCheckDialog(ui_ctx, audit_id)
    qtbot.addWidget(dialog)
    dialog.resize(1366, 768)
    dialog.show()
    monkeypatch.setattr("app.ui.wage_check_dialog.QFileDialog.getOpenFileNames", lambda *a, **k: ([str(payroll)], ""))
    # 添加工资表… and 添加考勤表… (the file dialog answers with our files)
    buttons = {button.text(): button for button in dialog.findChildren(type(dialog.read_button))}
    buttons["添加工资表…"].click()
    monkeypatch.setattr(
        "app.ui.wage_check_dialog.QFileDialog.getOpenFileNames", lambda *a, **k: ([str(attendance)], "")
    )
    buttons["添加考勤表…"].click()
    assert dialog.payroll_list.count() == 1
    assert dialog.attendance_list.count() == 1
    with qtbot.waitSignal(dialog.read_files().finished, timeout=TIMEOUT):  # type: ignore[union-attr]
        pass
    assert dialog.pages.currentIndex() == 1
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
    assert "差额合计660.00元" in dialog.summary.toPlainText()
    assert dialog.model.rowCount() > 0
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
    exported = list(load_workbook(target, read_only=True).worksheets[0].iter_rows(values_only=True))
    assert len(exported) == dialog.model.rowCount() + 1
    dialog.grab().save(str(tmp_path / "wage-saved-zh.png"))

    with ws.db.session() as session:
        for state in item_states(session, audit_id):
            if state.needs_answer and state.answer is None:
                answer_item(session, audit_id, state.item.id, AnswerStatus.COMPLIANT)
        finish_audit(session, audit_id, responsible_person="赵强")
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
