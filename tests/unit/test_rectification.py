"""Rectification items: edit, submit, verify on follow-up, overdue, and the risk grade that follows."""

from __future__ import annotations

import datetime as dt

import pytest

from app.audit.rectification import (
    FollowUpInvalid,
    ItemNotEditable,
    Verification,
    open_items,
    record_follow_up,
    submit_item,
    update_item,
)
from app.audit.risk import HIGH, LOW, MEDIUM, grade_enterprise
from app.audit.visits import answer_item, finish_audit, item_states, start_audit
from app.models import AnswerStatus, Coordinator, Enterprise, ItemStatus, RectificationItem, RiskIndicator
from app.services.workspace import Workspace
from tests.conftest import VISIT_DAY, add_enterprise


def _items(ws: Workspace, enterprise: Enterprise, coordinator: Coordinator, failing: dict[str, str]) -> list[str]:
    """Finish a CONTRACT+WAGE audit with the given items non-compliant; return their rectification item ids."""
    with ws.db.session() as session:
        audit = start_audit(
            session,
            enterprise_id=enterprise.id,
            coordinator_id=coordinator.id,
            visit_date=VISIT_DAY,
            modules=["CONTRACT", "WAGE"],
        )
        for item_id, note in failing.items():
            answer_item(session, audit.id, item_id, AnswerStatus.NON_COMPLIANT, note=note)
        for state in item_states(session, audit.id):
            if state.needs_answer and state.answer is None:
                answer_item(session, audit.id, state.item.id, AnswerStatus.COMPLIANT)
        findings = finish_audit(session, audit.id, responsible_person="赵强")
        return [f.item.id for f in findings if f.item is not None]


def test_one_open_high_item_grades_medium_two_grade_high(
    ws: Workspace, enterprise: Enterprise, coordinator: Coordinator
) -> None:
    _items(ws, enterprise, coordinator, {"WAGE-01": "拖欠工资"})
    with ws.db.session() as session:
        assert grade_enterprise(session, enterprise.id, VISIT_DAY).grade == MEDIUM
    other = add_enterprise(ws, name="达州宏图建筑劳务有限公司", body="91511703MA62YYYY0")
    _items(ws, other, coordinator, {"WAGE-01": "拖欠工资", "CONTRACT-09": "扣押身份证"})
    with ws.db.session() as session:
        grade = grade_enterprise(session, other.id, VISIT_DAY)
    assert grade.grade == HIGH
    assert "2 项严重问题未整改" in grade.reasons


def test_overdue_high_item_grades_high_and_verification_clears_it(
    ws: Workspace, enterprise: Enterprise, coordinator: Coordinator
) -> None:
    (item_id,) = _items(ws, enterprise, coordinator, {"WAGE-01": "拖欠工资"})
    later = VISIT_DAY + dt.timedelta(days=40)
    with ws.db.session() as session:
        grade = grade_enterprise(session, enterprise.id, later)
        assert grade.grade == HIGH
        assert "逾期" in grade.summary
        (row,) = open_items(session, later)
        assert row.overdue_days > 0
        assert "已逾期" in row.item.progress_text(later)
    with ws.db.session() as session:
        record_follow_up(
            session,
            enterprise_id=enterprise.id,
            coordinator_id=coordinator.id,
            visit_date=later,
            method="on_site",
            note="已补发工资并提供银行流水",
            verifications=[Verification(item_id, "核对银行代发记录")],
            document_reference="工资代发银行流水（2026年12月）",
        )
    with ws.db.session() as session:
        item = session.get_one(RectificationItem, item_id)
        assert item.status is ItemStatus.VERIFIED
        assert item.verified_by == "李明"
        assert item.follow_up_id is not None
        assert session.get_one(Enterprise, enterprise.id).risk_grade == LOW
        assert open_items(session, later) == []


def test_submitted_is_not_verified(ws: Workspace, enterprise: Enterprise, coordinator: Coordinator) -> None:
    (item_id,) = _items(ws, enterprise, coordinator, {"WAGE-01": "拖欠工资"})
    with ws.db.session() as session:
        submit_item(session, item_id, note="企业称已补发")
    with ws.db.session() as session:
        item = session.get_one(RectificationItem, item_id)
        assert item.status is ItemStatus.SUBMITTED
        assert grade_enterprise(session, enterprise.id, VISIT_DAY).grade == MEDIUM


def test_items_are_edited_until_verified(ws: Workspace, enterprise: Enterprise, coordinator: Coordinator) -> None:
    (item_id,) = _items(ws, enterprise, coordinator, {"CONTRACT-04": ""})
    with ws.db.session() as session:
        update_item(
            session,
            item_id,
            requirement="向全部劳动者交付劳动合同文本",
            deadline=dt.date(2026, 12, 1),
            reason="企业申请延期",
        )
    with ws.db.session() as session, pytest.raises(ItemNotEditable, match="早于"):
        update_item(session, item_id, deadline=VISIT_DAY - dt.timedelta(days=3), reason="改期")
    with ws.db.session() as session:
        record_follow_up(
            session,
            enterprise_id=enterprise.id,
            coordinator_id=coordinator.id,
            visit_date=dt.date(2026, 11, 20),
            method="documents",
            note="企业寄来劳动合同签收表",
            verifications=[Verification(item_id)],
            document_reference="劳动合同签收表（企业盖章）",
        )
    with ws.db.session() as session, pytest.raises(ItemNotEditable, match="销号"):
        update_item(session, item_id, requirement="x", reason="改写")
    with ws.db.session() as session:
        item = session.get_one(RectificationItem, item_id)
        assert item.requirement == "向全部劳动者交付劳动合同文本"
        assert item.deadline == dt.date(2026, 12, 1)


def test_follow_up_refuses_items_of_another_enterprise(
    ws: Workspace, enterprise: Enterprise, coordinator: Coordinator
) -> None:
    (item_id,) = _items(ws, enterprise, coordinator, {"CONTRACT-04": ""})
    other = add_enterprise(ws, name="达州宏图建筑劳务有限公司", body="91511703MA62YYYY0")
    with ws.db.session() as session, pytest.raises(FollowUpInvalid, match="不属于"):
        record_follow_up(
            session,
            enterprise_id=other.id,
            coordinator_id=coordinator.id,
            visit_date=VISIT_DAY,
            method="on_site",
            note="现场核实",
            verifications=[Verification(item_id)],
            document_reference="劳动合同签收表",
        )


@pytest.mark.parametrize(
    ("kind", "value", "grade"),
    [
        ("wage_complaint", "2起", HIGH),
        ("credit_grade", "C", HIGH),
        ("credit_grade", "B", MEDIUM),
        ("credit_grade", "A", LOW),
        ("tax_arrears", "3个月", MEDIUM),
        ("social_insurance_arrears", "", MEDIUM),
    ],
)
def test_imported_indicators_raise_the_grade(
    ws: Workspace, enterprise: Enterprise, kind: str, value: str, grade: str
) -> None:
    with ws.db.session() as session:
        session.add(RiskIndicator(enterprise_id=enterprise.id, kind=kind, value=value, source="区税务局"))
    with ws.db.session() as session:
        result = grade_enterprise(session, enterprise.id, VISIT_DAY)
    assert result.grade == grade
    if grade != LOW:
        assert "区税务局" in result.summary


def test_risk_signal_on_latest_visit_grades_medium(
    ws: Workspace, enterprise: Enterprise, coordinator: Coordinator
) -> None:
    _items(ws, enterprise, coordinator, {"WAGE-09": "近三月欠缴社保"})
    with ws.db.session() as session:
        grade = grade_enterprise(session, enterprise.id, VISIT_DAY)
    assert grade.grade == MEDIUM
    assert "欠薪风险预警" in grade.summary  # named by the item, never by its code
    assert "WAGE-09" not in grade.summary
