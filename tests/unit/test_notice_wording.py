"""What the notice says: one notice per checklist item, headed by the item's statement of one fact; the
coordinator's note only where marked; the caveat on estimated deadlines once and only when one applies; statements
reworded before signing and recorded in the history."""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from app.audit.findings import FindingNotEditable, edit_finding
from app.audit.history import ReasonRequired
from app.audit.notices import create_notice, refresh_draft
from app.checklists.loader import default_template_dir, load_template_set
from app.models import ChangeHistory, Coordinator, Enterprise, Finding, Notice, NoticeStatus
from app.reports.notice_pdf import estimated_note, render_notice
from app.services.workspace import Workspace
from bench.notice_samples import sample_content, sample_notice, signature_blobs
from core.checklist_schema import Item, TemplateSet
from core.fonts import NoticeFonts, load_notice_fonts
from core.statements import choose_statement
from core.workdays import WorkdayCalendar, compute_deadline
from tests.unit.test_notices import _finished_audit, _signed_notice

ISSUED = dt.date(2026, 11, 10)
HEADING = re.compile(r"[一二三四五六七八九十]+、(经查，你单位[^。]*。)")


@pytest.fixture(scope="module")
def templates() -> TemplateSet:
    return load_template_set(default_template_dir())


@pytest.fixture(scope="module")
def fonts() -> NoticeFonts:
    return load_notice_fonts()


def _problem(templates: TemplateSet, item: Item) -> dict[str, Any]:
    assert item.deadline is not None
    assert item.requirement is not None
    deadline = compute_deadline(
        ISSUED, item.deadline.days, working_days=item.deadline.working, calendar=WorkdayCalendar()
    )
    return {
        "position": 1,
        "item_id": item.id,
        "title": item.title,
        "severity": item.severity,
        "description": choose_statement(item, {}).zh,
        "basis": templates.citations(item),
        "requirement": item.requirement,
        "deadline": deadline.due.isoformat(),
        "deadline_days": item.deadline.days,
        "deadline_working_days": item.deadline.working,
        "deadline_estimated": deadline.estimated,
        "responsible_person": "王芳",
        "responsible_phone": "",
    }


def _text(pdf: bytes) -> str:
    return "".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages).replace("\n", "")


def test_one_notice_per_checklist_item_states_one_fact_without_nested_brackets_or_repeated_boilerplate(
    templates: TemplateSet, fonts: NoticeFonts
) -> None:
    checks = [item for module in templates.modules for item in module.items if item.kind == "check"]
    assert len(checks) == 79  # the other two items (a risk signal, a computed scale) make no finding
    for item in checks:
        notice = sample_notice(1, status=NoticeStatus.DRAFT)  # no signature images: quicker, same wording
        notice.content = {**notice.content, "problems": [_problem(templates, item)]}
        text = _text(render_notice(notice, signature_blobs().__getitem__, fonts=fonts))
        headings = HEADING.findall(text)
        assert headings == [choose_statement(item, {}).zh], item.id
        heading = headings[0]
        assert "或者" not in heading, item.id
        assert "，或" not in heading, item.id
        depth = deepest = 0
        for char in text:
            depth += char in "（("  # 〔〕 inside （） is how a document number is cited: 《…》（劳部发〔1994〕489号）
            depth -= char in "）)"
            deepest = max(deepest, depth)
        assert deepest <= 1, item.id
        sentences = [sentence for sentence in re.split(r"[。；]", text) if len(sentence) > 6]
        repeated = {sentence for sentence in sentences if sentences.count(sentence) > 1}
        assert not repeated, (item.id, repeated)
        assert "现场查阅资料" not in text
        assert item.id not in text  # no internal code on the notice


def test_the_holiday_caveat_appears_once_and_only_when_a_deadline_falls_in_an_unknown_year(fonts: NoticeFonts) -> None:
    content = sample_content(10)
    problems = content["problems"]
    estimated = [index for index, problem in enumerate(problems, start=1) if problem["deadline_estimated"]]
    assert estimated  # the sample's 90-day deadline lands in 2027
    assert estimated_note(problems).count("法定节假日安排尚未公布") == 1
    text = _text(render_notice(sample_notice(10), signature_blobs().__getitem__, fonts=fonts))
    assert text.count("法定节假日安排尚未公布") == 1
    known = [{**problem, "deadline_estimated": False} for problem in problems]
    assert estimated_note(known) == ""
    notice = sample_notice(3)
    assert not any(problem["deadline_estimated"] for problem in notice.content["problems"])
    assert "尚未公布" not in _text(render_notice(notice, signature_blobs().__getitem__, fonts=fonts))


def test_the_note_reaches_the_notice_only_when_marked_and_edits_are_recorded_until_signing(
    ws: Workspace, enterprise: Enterprise, coordinator: Coordinator
) -> None:
    audit_id = _finished_audit(ws, enterprise, coordinator)  # CONTRACT-03 with the note 缺少工作地点条款
    with ws.db.session() as session:
        finding = session.scalars(select(Finding).where(Finding.audit_id == audit_id, Finding.note != "")).first()
        assert finding is not None
        finding_id = finding.id
        notice = create_notice(session, audit_id, issued_on=ISSUED)
        assert "note" not in notice.content["problems"][0]  # kept in the record, not printed
        with pytest.raises(ReasonRequired):
            edit_finding(session, finding_id, note_on_notice=True, reason=" ")
        edit_finding(
            session,
            finding_id,
            statement="经查，你单位劳动合同文本缺少工作地点条款",
            note_on_notice=True,
            reason="写明所缺条款",
        )
        notice = refresh_draft(session, notice.id)
        problem = next(p for p in notice.content["problems"] if p["item_id"] == finding.item_id)
        assert problem["description"] == "经查，你单位劳动合同文本缺少工作地点条款。"
        assert problem["note"] == "缺少工作地点条款"
        history = session.scalars(select(ChangeHistory).where(ChangeHistory.entity_id == finding_id)).all()
        assert {row.field for row in history} == {"description", "note_on_notice"}
        assert {row.reason for row in history} == {"写明所缺条款"}


def test_a_signed_notices_statements_cannot_be_edited(
    ws: Workspace, enterprise: Enterprise, coordinator: Coordinator
) -> None:
    notice_id = _signed_notice(ws, enterprise, coordinator)
    with ws.db.session() as session:
        audit_id = session.get_one(Notice, notice_id).audit_id
        finding = session.scalars(select(Finding).where(Finding.audit_id == audit_id)).first()
        assert finding is not None
        with pytest.raises(FindingNotEditable, match="已签署"):
            edit_finding(session, finding.id, statement="经查，你单位另有情况。", reason="想改")
