"""The audit workflow through its public services, against a real database and the shipped templates."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from app.audit.risk import HIGH, LOW
from app.audit.visits import (
    AuditError,
    AuditIncomplete,
    InputInvalid,
    RuleContradiction,
    answer_item,
    finish_audit,
    item_states,
    progress,
    remove_finding,
    set_inputs,
    start_audit,
    suggest_modules,
)
from app.models import (
    Answer,
    AnswerStatus,
    Audit,
    AuditStatus,
    Coordinator,
    Enterprise,
    Finding,
    ItemStatus,
    OutboxEntry,
    RectificationItem,
)
from app.services.workspace import Workspace
from tests.conftest import VISIT_DAY


def _start(ws: Workspace, enterprise: Enterprise, coordinator: Coordinator, **inputs: object) -> str:
    with ws.db.session() as session:
        audit = start_audit(
            session,
            enterprise_id=enterprise.id,
            coordinator_id=coordinator.id,
            visit_date=VISIT_DAY,
            modules=["CONTRACT", "WAGE"],
            inputs=inputs,
        )
        return audit.id


def _answer_all(ws: Workspace, audit_id: str, status: AnswerStatus = AnswerStatus.COMPLIANT) -> None:
    with ws.db.session() as session:
        for state in item_states(session, audit_id):
            if state.needs_answer and state.answer is None:
                answer_item(session, audit_id, state.item.id, status)


def test_suggested_modules_follow_the_enterprise_facts(ws: Workspace) -> None:
    with ws.db.session() as session:
        plain = suggest_modules(session, {"headcount": 30})
        busy = suggest_modules(
            session, {"headcount": 300, "is_construction_project": True, "dispatched": 5, "laid_off": 3}
        )
    assert {"CONTRACT", "WAGE", "HOURS", "INSURANCE", "DEMOCRACY"} <= set(plain)
    assert not {"SITEPAY", "DISPATCH", "LAYOFF", "COLLECTIVE"} & set(plain)
    assert {"SITEPAY", "DISPATCH", "LAYOFF", "COLLECTIVE"} <= set(busy)


def test_audit_pins_the_template_versions_it_started_with(
    ws: Workspace, enterprise: Enterprise, coordinator: Coordinator
) -> None:
    audit_id = _start(ws, enterprise, coordinator)
    with ws.db.session() as session:
        audit = session.get_one(Audit, audit_id)
        assert [m.module for m in audit.modules] == ["CONTRACT", "WAGE"]
        assert all(m.template_id for m in audit.modules)


def test_each_answer_is_written_with_its_outbox_mutation(
    ws: Workspace, enterprise: Enterprise, coordinator: Coordinator
) -> None:
    audit_id = _start(ws, enterprise, coordinator)
    with ws.db.session() as session:
        before = session.scalar(select(func.count()).select_from(OutboxEntry))
        answer_item(session, audit_id, "CONTRACT-03", AnswerStatus.NON_COMPLIANT, note="合同缺少工作地点条款")
    with ws.db.session() as session:
        answer = session.scalars(select(Answer).where(Answer.item_id == "CONTRACT-03")).one()
        assert answer.status is AnswerStatus.NON_COMPLIANT
        assert answer.note == "合同缺少工作地点条款"
        entities = session.scalars(select(OutboxEntry.entity).where(OutboxEntry.seq > (before or 0))).all()
        assert "answer" in entities


def test_rule_marks_item_non_compliant_from_inputs_and_withdraws_when_corrected(
    ws: Workspace, enterprise: Enterprise, coordinator: Coordinator
) -> None:
    audit_id = _start(ws, enterprise, coordinator, employees_without_contract=3)
    with ws.db.session() as session:
        state = next(s for s in item_states(session, audit_id) if s.item.id == "CONTRACT-01")
        assert state.rule_fires is True
        assert state.answer is not None
        assert state.answer.status is AnswerStatus.NON_COMPLIANT
        assert state.answer.source == "rule"
    with ws.db.session() as session:
        set_inputs(session, audit_id, {"employees_without_contract": 0})
    with ws.db.session() as session:
        state = next(s for s in item_states(session, audit_id) if s.item.id == "CONTRACT-01")
        assert state.rule_fires is False
        assert state.answer is None


def test_answering_compliant_against_a_firing_rule_is_refused(
    ws: Workspace, enterprise: Enterprise, coordinator: Coordinator
) -> None:
    audit_id = _start(ws, enterprise, coordinator, max_deduction_pct=25)
    with ws.db.session() as session, pytest.raises(RuleContradiction, match="“扣除工资”根据录入的数据判定为不符合"):
        answer_item(session, audit_id, "WAGE-07", AnswerStatus.COMPLIANT)


def test_double_wage_figure_is_shown(ws: Workspace, enterprise: Enterprise, coordinator: Coordinator) -> None:
    audit_id = _start(ws, enterprise, coordinator, months_without_contract=5)
    with ws.db.session() as session:
        state = next(s for s in item_states(session, audit_id) if s.item.id == "CONTRACT-02")
    figure = next(f for f in state.figures if f.id == "double_wage_months")
    assert figure.value == 4
    assert state.rule_fires is True


def test_inputs_are_validated_with_clear_messages(
    ws: Workspace, enterprise: Enterprise, coordinator: Coordinator
) -> None:
    audit_id = _start(ws, enterprise, coordinator)
    with ws.db.session() as session, pytest.raises(InputInvalid, match="整数"):
        set_inputs(session, audit_id, {"headcount": 12.5})
    with ws.db.session() as session, pytest.raises(InputInvalid, match="未知"):
        set_inputs(session, audit_id, {"shoe_size": 42})
    with ws.db.session() as session, pytest.raises(InputInvalid, match="不能小于"):
        set_inputs(session, audit_id, {"headcount": -1})


def test_not_checked_needs_a_reason(ws: Workspace, enterprise: Enterprise, coordinator: Coordinator) -> None:
    audit_id = _start(ws, enterprise, coordinator)
    with ws.db.session() as session, pytest.raises(AuditError, match="理由"):
        answer_item(session, audit_id, "WAGE-03", AnswerStatus.NOT_CHECKED)
    with ws.db.session() as session:
        answer = answer_item(session, audit_id, "WAGE-03", AnswerStatus.NOT_CHECKED, skip_reason="工资台账在总部")
        assert answer.skip_reason == "工资台账在总部"


def test_finish_requires_every_applicable_item(ws: Workspace, enterprise: Enterprise, coordinator: Coordinator) -> None:
    audit_id = _start(ws, enterprise, coordinator)
    with ws.db.session() as session:
        answer_item(session, audit_id, "CONTRACT-01", AnswerStatus.COMPLIANT)
    with ws.db.session() as session, pytest.raises(AuditIncomplete) as excinfo:
        finish_audit(session, audit_id)
    assert "未订立书面劳动合同的二倍工资" in excinfo.value.missing  # items are named by title, never by code
    assert "书面劳动合同订立" not in excinfo.value.missing
    assert "CONTRACT" not in str(excinfo.value)
    with ws.db.session() as session:
        assert session.get_one(Audit, audit_id).status is AuditStatus.IN_PROGRESS


def test_finish_turns_findings_into_rectification_items_with_deadlines(
    ws: Workspace, enterprise: Enterprise, coordinator: Coordinator
) -> None:
    audit_id = _start(ws, enterprise, coordinator, employees_without_contract=2)
    with ws.db.session() as session:
        answer_item(session, audit_id, "WAGE-01", AnswerStatus.NON_COMPLIANT, note="拖欠10月工资")
    _answer_all(ws, audit_id)
    with ws.db.session() as session:
        findings = finish_audit(session, audit_id, responsible_person="赵强", responsible_phone="13800000000")
        assert [f.item_id for f in findings] == ["CONTRACT-01", "WAGE-01"]
    with ws.db.session() as session:
        items = {
            f.item_id: i for f, i in session.execute(select(Finding, RectificationItem).join(RectificationItem)).all()
        }
        contract = items["CONTRACT-01"]
        assert contract.deadline == VISIT_DAY + dt.timedelta(days=30)
        assert contract.responsible_person == "赵强"
        assert contract.status is ItemStatus.OPEN
        wage = items["WAGE-01"]
        assert wage.deadline_working_days is True
        # 2026-11-10 is a Tuesday: five working days later is Tuesday 11-17.
        assert wage.deadline == dt.date(2026, 11, 17)
        finding = session.scalars(select(Finding).where(Finding.item_id == "WAGE-01")).one()
        assert finding.description == "经查，你单位未按月足额支付劳动者工资。"
        assert finding.title == "按月足额支付工资"
        assert finding.note == "拖欠10月工资"  # kept with the finding, not pasted into the statement
        assert not finding.note_on_notice
        unsigned = session.scalars(select(Finding).where(Finding.item_id == "CONTRACT-01")).one()
        assert unsigned.description == "经查，你单位有2名劳动者未订立书面劳动合同。"  # chosen by the figure
        assert any("劳动法" in basis for basis in finding.basis)
        assert session.get_one(Enterprise, enterprise.id).risk_grade == HIGH


def test_finished_audit_refuses_new_answers(ws: Workspace, enterprise: Enterprise, coordinator: Coordinator) -> None:
    audit_id = _start(ws, enterprise, coordinator)
    _answer_all(ws, audit_id)
    with ws.db.session() as session:
        assert finish_audit(session, audit_id) == []
    with ws.db.session() as session, pytest.raises(AuditError, match="已完成"):
        answer_item(session, audit_id, "WAGE-01", AnswerStatus.NON_COMPLIANT)
    with ws.db.session() as session:
        assert session.get_one(Enterprise, enterprise.id).risk_grade == LOW


def test_removing_a_finding_needs_a_reason_and_keeps_the_record(
    ws: Workspace, enterprise: Enterprise, coordinator: Coordinator
) -> None:
    audit_id = _start(ws, enterprise, coordinator)
    with ws.db.session() as session:
        answer_item(session, audit_id, "CONTRACT-04", AnswerStatus.NON_COMPLIANT)
    _answer_all(ws, audit_id)
    with ws.db.session() as session:
        (finding,) = finish_audit(session, audit_id)
    with ws.db.session() as session, pytest.raises(AuditError, match="理由"):
        remove_finding(session, finding.id, reason="  ")
    with ws.db.session() as session:
        remove_finding(session, finding.id, reason="企业当场出示已交付合同的签收记录")
    with ws.db.session() as session:
        kept = session.get_one(Finding, finding.id)
        assert kept.removed_reason == "企业当场出示已交付合同的签收记录"


def test_progress_counts_answers_per_module(ws: Workspace, enterprise: Enterprise, coordinator: Coordinator) -> None:
    audit_id = _start(ws, enterprise, coordinator)
    with ws.db.session() as session:
        answer_item(session, audit_id, "CONTRACT-01", AnswerStatus.COMPLIANT)
        answer_item(session, audit_id, "CONTRACT-02", AnswerStatus.NOT_APPLICABLE)
    with ws.db.session() as session:
        contract, wage = progress(session, audit_id)
    assert (contract.module, contract.answered) == ("CONTRACT", 2)
    assert contract.required >= 10
    assert wage.answered == 0


def test_outbox_ignores_locally_computed_enterprise_columns(
    ws: Workspace, enterprise: Enterprise, coordinator: Coordinator
) -> None:
    with ws.db.session() as session:
        before = session.scalar(select(func.max(OutboxEntry.seq))) or 0
        row = session.get_one(Enterprise, enterprise.id)
        row.risk_grade = HIGH
        row.risk_reasons = "测试"
    with ws.db.session() as session:
        assert session.scalars(select(OutboxEntry).where(OutboxEntry.seq > before)).all() == []
        session.get_one(Enterprise, enterprise.id).contact_phone = "13900000000"
    with ws.db.session() as session:
        (entry,) = session.scalars(select(OutboxEntry).where(OutboxEntry.seq > before)).all()
        assert (entry.entity, entry.op) == ("enterprise", "update")
        assert entry.payload["contact_phone"] == "13900000000"


def test_visit_observed_headcount_updates_the_registry(
    ws: Workspace, enterprise: Enterprise, coordinator: Coordinator
) -> None:
    audit_id = _start(ws, enterprise, coordinator)
    with ws.db.session() as session:
        set_inputs(session, audit_id, {"headcount": 133})
    with ws.db.session() as session:
        assert session.get_one(Enterprise, enterprise.id).headcount == 133
