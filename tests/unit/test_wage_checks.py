"""A wage check inside a visit: kept with the audit, feeding its items, excluding with history, printed as the
notice's annex and exported to xlsx — with ID numbers masked in every output and the raw sheets encrypted."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import pypdf
import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from app.audit.notices import create_notice
from app.audit.visits import RuleContradiction, answer_item, finish_audit, item_states, start_audit
from app.audit.wage_checks import current_check, load_evidence
from app.models import Answer, AnswerStatus, Attachment, ChangeHistory, Coordinator, Enterprise, Finding, Publication
from app.reports.notice_pdf import render_notice
from app.reports.wage_evidence_xlsx import write_evidence_xlsx
from app.services import wage_evidence
from app.services.workspace import Workspace
from core.fonts import load_notice_fonts
from core.publications import MINIMUM_WAGE, validate_publication
from tests.unit._wage_sheets import TABLE, Month, Worker, attendance_csv, id_number, monthly_workbook

VISIT = dt.date(2026, 12, 20)


def publish_table(ws: Workspace) -> None:
    """The office's table as a sync would have left it on the laptop."""
    publication = validate_publication(MINIMUM_WAGE, TABLE.model_dump(mode="json"))
    with ws.db.session() as session:
        session.add(Publication(id="pub-1", kind=MINIMUM_WAGE, key=publication.key, version=1,
                                content=publication.content, content_hash=publication.content_hash))  # fmt: skip


def sheets(tmp_path: Path) -> tuple[Path, Path, list[Worker]]:
    workers = [Worker(name, id_number(n), f"A{n:03d}") for n, name in enumerate(["张三", "李四", "王五"])]
    months = []
    for month in (dt.date(2026, 9, 1), dt.date(2026, 10, 1)):
        for worker in workers:
            base = Decimal(2000) if worker.name == "张三" else Decimal(3500)
            deduction = Decimal(900) if worker.name == "李四" and month.month == 10 else Decimal(0)
            pay = dt.date(2026, month.month + 1, 15)
            months.append(Month(worker, month, base, Decimal(200), Decimal(100), Decimal(250), deduction, pay))
    payroll = tmp_path / "恒达工资表2026.xlsx"
    payroll.write_bytes(monthly_workbook(months))
    punches = [(workers[2], dt.date(2026, 9, 7) + dt.timedelta(days=n), "08:00", "17:00") for n in range(7)]
    attendance = tmp_path / "考勤导出.csv"
    attendance.write_bytes(attendance_csv(punches, "gbk"))
    return payroll, attendance, workers


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


def _run(ws: Workspace, audit_id: str, tmp_path: Path) -> tuple[str, list[Worker]]:
    payroll, attendance, workers = sheets(tmp_path)
    prep = wage_evidence.prepare(ws, audit_id, [payroll], [attendance])
    assert prep.suggested_standard == ("测试省", "第一档")  # the enterprise's district is listed for 第一档
    options = wage_evidence.CheckOptions(region="测试省", grade="第一档", pay_day=15, pay_month_offset=1)
    outcome = wage_evidence.run(ws, prep, options)
    assert outcome.ok, outcome.loaded.report_lines()
    return wage_evidence.save(ws, prep, outcome), workers


def _answers(ws: Workspace, audit_id: str) -> dict[str, Answer]:
    with ws.db.session() as session:
        rows = session.scalars(select(Answer).where(Answer.audit_id == audit_id)).all()
        session.expunge_all()
        return {row.item_id: row for row in rows}


STATEMENTS = {
    # 张三: 2,000 + 200 + 100 − 200 overtime − 100 night allowance = 2,000 < 2,330 in September and October.
    "WAGE-04": "经查，你单位2026年9月至10月有1名提供正常劳动的劳动者月工资低于当地月最低工资标准，差额合计660元"
    "，明细见附件。",
    # 李四 in October: 900 deducted from 3,800 = 23.68% (> 20%: 140 over); 2,900 left is not below the minimum.
    "WAGE-07": "经查，你单位2026年10月有1名劳动者当月被扣除的工资超过当月工资的百分之二十，超出部分合计140元，明细见附件。",
    # October's wages were paid on Sunday 15 November: due on Friday the 13th (第七条), two days late.
    "WAGE-01": "经查，你单位2026年10月有3名劳动者的工资未在约定日期支付，涉及金额8,250元，最长迟延2天，明细见附件。",
    "HOURS-02": "经查，你单位2026年9月有1名劳动者共计1周未休息，未保证每周至少休息一日，明细见附件。",
}


def _finish(ws: Workspace, audit_id: str, note: str = "") -> dict[str, Finding]:
    with ws.db.session() as session:
        for state in item_states(session, audit_id):
            if state.needs_answer and state.answer is None:
                answer_item(session, audit_id, state.item.id, AnswerStatus.COMPLIANT)
        if note:
            answer_item(session, audit_id, "WAGE-04", AnswerStatus.NON_COMPLIANT, note=note)
        finish_audit(session, audit_id, responsible_person="赵强")
        findings = {f.item_id: f for f in session.scalars(select(Finding))}
        session.expunge_all()
        return findings


def test_a_saved_check_answers_its_items_and_the_findings_state_the_templates_words_with_its_facts(
    ws: Workspace, audit_id: str, tmp_path: Path
) -> None:
    _run(ws, audit_id, tmp_path)
    answers = _answers(ws, audit_id)
    assert {item for item, answer in answers.items() if answer.source == "evidence"} == set(STATEMENTS)
    assert all(answers[item].status is AnswerStatus.NON_COMPLIANT for item in STATEMENTS)
    assert all(answers[item].note == "" for item in STATEMENTS)  # the statement is the finding's, not a note
    with ws.db.session() as session:
        preview = wage_evidence.statements(ws, audit_id, _check(ws, audit_id).summary["facts"])
        assert {item: chosen.zh for item, chosen in preview.items()} == STATEMENTS
        with pytest.raises(RuleContradiction, match="工资考勤核查"):
            answer_item(session, audit_id, "WAGE-04", AnswerStatus.COMPLIANT)
    # The coordinator's own note stays a note: printed only when marked for the notice.
    findings = _finish(ws, audit_id, note="企业称张三为学徒")
    assert {item: findings[item].description for item in STATEMENTS} == STATEMENTS
    assert findings["WAGE-04"].note == "企业称张三为学徒"
    assert findings["WAGE-04"].description_en == (
        "The inspection found monthly wages for normal work below the local monthly minimum wage in September to "
        "October 2026 (workers: 1; 660 yuan short in total). Details are in the annex."
    )


def test_raw_sheets_are_kept_encrypted_as_evidence(ws: Workspace, audit_id: str, tmp_path: Path) -> None:
    _run(ws, audit_id, tmp_path)
    payroll = (tmp_path / "恒达工资表2026.xlsx").read_bytes()
    with ws.db.session() as session:
        kept = session.scalars(select(Attachment).where(Attachment.kind == "sheet")).all()
        assert sorted(a.original_name for a in kept) == ["恒达工资表2026.xlsx", "考勤导出.csv"]
        sha = next(a.sha256 for a in kept if a.original_name.endswith(".xlsx"))
    assert ws.blobs.get(sha) == payroll
    on_disk = (ws.paths.blobs / sha[:2] / sha[2:]).read_bytes()
    assert payroll[:200] not in on_disk


def test_excluding_a_worker_is_recorded_and_withdraws_what_only_they_caused(
    ws: Workspace, audit_id: str, tmp_path: Path
) -> None:
    check_id, workers = _run(ws, audit_id, tmp_path)
    zhang = next(w for w in load_evidence(ws.blobs, _check(ws, audit_id)).workers if w.name == "张三")
    with pytest.raises(Exception, match="理由"):
        wage_evidence.exclude(ws, check_id, zhang.key, excluded=True, reason=" ")
    wage_evidence.exclude(ws, check_id, zhang.key, excluded=True, reason="张三为学徒工，另有协议（核实中）")
    assert "WAGE-04" not in _answers(ws, audit_id)
    with ws.db.session() as session:
        history = session.scalars(select(ChangeHistory).where(ChangeHistory.entity == "wage_check")).one()
        assert history.field == "excluded_worker"
        assert history.new_value == f'"张三（511***********{workers[0].id_number[-4:]}）"'
        assert history.reason == "张三为学徒工，另有协议（核实中）"
    wage_evidence.exclude(ws, check_id, zhang.key, excluded=False, reason="核实后不属学徒工")
    assert _answers(ws, audit_id)["WAGE-04"].source == "evidence"
    # Excluding 王五 takes one of the three late payments and his week without rest out of what is stated.
    wang = next(w for w in load_evidence(ws.blobs, _check(ws, audit_id)).workers if w.name == "王五")
    wage_evidence.exclude(ws, check_id, wang.key, excluded=True, reason="王五为非全日制，另行核查")
    assert "HOURS-02" not in _answers(ws, audit_id)
    findings = _finish(ws, audit_id)
    assert findings["WAGE-01"].description == (
        "经查，你单位2026年10月有2名劳动者的工资未在约定日期支付，涉及金额4,700元，最长迟延2天，明细见附件。"
    )
    assert "HOURS-02" not in findings


def _check(ws: Workspace, audit_id: str):  # type: ignore[no-untyped-def]
    with ws.db.session() as session:
        found = current_check(session, audit_id)
        assert found is not None
        session.expunge(found)
        return found


def test_the_notice_prints_the_annex_with_masked_ids_and_the_export_matches(
    ws: Workspace, audit_id: str, tmp_path: Path
) -> None:
    _, workers = _run(ws, audit_id, tmp_path)
    findings = _finish(ws, audit_id)
    with ws.db.session() as session:
        notice = create_notice(session, audit_id, issued_on=VISIT)
        session.flush()
        annex = notice.content["annex"]
        pdf = render_notice(notice, ws.blobs.get, fonts=load_notice_fonts())
    assert findings["WAGE-04"].description == STATEMENTS["WAGE-04"]
    assert annex["months"] == "2026年9月至10月"
    titles = [section["title"] for section in annex["sections"]]
    # October's wages were paid on Sunday 15 November: due on Friday the 13th (第七条), two days late.
    assert titles == [
        "月工资低于当地月最低工资标准",
        "每月扣除工资超过当月工资的百分之二十",
        "工资未在约定日期支付",
        "未保证每周至少休息一日",
    ]
    rest = annex["sections"][3]
    assert rest["columns"] == ["序号", "姓名", "身份证号/工号", "月份", "未休息的周数", "未休息的周"]
    assert [row[3:] for row in rest["rows"]] == [["2026年9月", "1", "9月7日至9月13日"]]
    late = annex["sections"][2]["rows"]
    assert [(row[1], row[3], row[5], row[6]) for row in late] == [
        (name, "2026年10月", "2026-11-13", "2") for name in ("张三", "李四", "王五")
    ]
    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    compact = "".join(text.split())
    assert "附件：工资支付和工作时间核查明细" in compact
    assert STATEMENTS["WAGE-04"] in compact  # the finding's heading on the notice
    assert "511***********" + workers[0].id_number[-4:] in compact
    assert all(worker.id_number not in compact for worker in workers)
    assert "660.00" in compact
    (tmp_path / "notice.pdf").write_bytes(pdf)

    check = _check(ws, audit_id)
    target = tmp_path / "export" / "明细.xlsx"
    target.parent.mkdir()
    evidence = load_evidence(ws.blobs, check)
    rows = write_evidence_xlsx(evidence, check.exclusions, target)
    assert list(target.parent.iterdir()) == [target]  # the rows' scratch files (names, pay) are gone
    sheet = load_workbook(target, read_only=True).worksheets[0]
    table = list(sheet.iter_rows(values_only=True))
    assert len(table) == rows + 1
    assert all(worker.id_number not in str(row) for row in table for worker in workers)
    assert (table[1][1], table[1][4], table[1][5]) == ("张三", "2026-09", "WAGE-04")
    first = evidence.violations[0]
    assert table[1][8:11] == (float(first.figure), float(first.limit), float(first.shortfall))  # numbers, not text
