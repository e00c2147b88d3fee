"""The on-site health check: start a visit, capture inputs, answer items, finish into findings and items.

Every function here is one user action and runs inside the caller's unit of work; the caller commits, and only
then may the UI say "已保存". Computed rules are applied whenever inputs change: a rule that fires marks its item
non-compliant (``source="rule"``), and a rule that stops firing withdraws the answer it made, so what the record
says always follows from what the coordinator observed. Answering "符合" to an item whose rule fires is refused:
the inputs must be corrected instead, so the notice never contradicts the figures.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audit.evidence_facts import evidence_facts
from app.audit.history import audit_is_finished, record_diff, require_reason, snapshot
from app.audit.rectification import deadline_for, default_calendar
from app.audit.risk import refresh_grade
from app.audit.template_store import LoadedTemplate, current_templates, environment, input_definitions, load_templates
from app.models import (
    Answer,
    AnswerStatus,
    Audit,
    AuditModule,
    AuditStatus,
    Coordinator,
    Enterprise,
    Finding,
    RectificationItem,
    utcnow,
)
from core.checklist_schema import InputDef, Item, compile_expression
from core.clock import china_today
from core.errors import LaborCheckError
from core.expressions import EvaluationError, Value, evaluate
from core.statements import FactValue, choose_statement
from core.workdays import WorkdayCalendar

ALWAYS_ASKED = ("check", "signal")
EVIDENCE_SOURCE = "evidence"
"""An answer made by a wage check from the enterprise's own sheets (:mod:`app.audit.wage_checks`)."""
STATUS_LABELS = {
    AnswerStatus.COMPLIANT: "符合",
    AnswerStatus.NON_COMPLIANT: "不符合",
    AnswerStatus.NOT_APPLICABLE: "不适用",
    AnswerStatus.NOT_CHECKED: "未检查",
}


class AuditError(LaborCheckError):
    pass


class InputInvalid(AuditError):
    pass


class RuleContradiction(AuditError):
    pass


class AuditIncomplete(AuditError):
    def __init__(self, missing: Sequence[str]) -> None:
        self.missing = list(missing)
        shown = "、".join(self.missing[:10]) + ("等" if len(self.missing) > 10 else "")
        super().__init__(f"还有 {len(self.missing)} 个适用检查项未作答（{shown}）：请作答，或标为未检查并说明理由")


@dataclass(frozen=True)
class FigureValue:
    id: str
    label: str
    value: Value
    unit: str | None

    @property
    def text(self) -> str:
        if self.value is None:
            return f"{self.label}：待录入"
        if isinstance(self.value, bool):
            return f"{self.label}：{'是' if self.value else '否'}"
        number = f"{self.value:.1f}".rstrip("0").rstrip(".") if isinstance(self.value, float) else str(self.value)
        return f"{self.label}：{number}{self.unit or ''}"


@dataclass(frozen=True)
class ItemState:
    """One item as the coordinator sees it now: applicable?, what the rule says, the answer so far."""

    module: str
    item: Item
    template: LoadedTemplate
    applicable: bool
    rule_fires: bool | None
    figures: list[FigureValue] = field(default_factory=list)
    answer: Answer | None = None

    @property
    def needs_answer(self) -> bool:
        return self.applicable and self.item.kind in ALWAYS_ASKED

    @property
    def citations(self) -> list[str]:
        return self.template.citations(self.item)


def _truth(expression: str | None, env: Mapping[str, Value]) -> bool | None:
    if expression is None:
        return None
    try:
        value = evaluate(compile_expression(expression), env)
    except EvaluationError:
        return None
    return value if isinstance(value, bool) or value is None else bool(value)


def _figure(figure: Any, env: Mapping[str, Value]) -> FigureValue:
    try:
        value = evaluate(compile_expression(figure.expr), env)
    except EvaluationError:
        value = None
    return FigureValue(figure.id, figure.label, value, figure.unit)


def suggest_modules(session: Session, facts: Mapping[str, Value]) -> list[str]:
    """Modules suggested for a visit from the enterprise's facts (CHECKLISTS.md, last section)."""
    templates = current_templates(session)
    env = environment(templates, facts)
    return [t.module.module for t in templates if _truth(t.module.suggest_if, env) is True]


def validate_inputs(definitions: Mapping[str, InputDef], inputs: Mapping[str, Any]) -> dict[str, Value]:
    """Check types and ranges of visit inputs; ``None`` clears a value. Unknown ids are refused."""
    clean: dict[str, Value] = {}
    for key, raw in inputs.items():
        definition = definitions.get(key)
        if definition is None:
            raise InputInvalid(f"未知的录入项：{key}")
        if raw is None or raw == "":
            clean[key] = None
            continue
        if definition.type == "boolean":
            if not isinstance(raw, bool):
                raise InputInvalid(f"“{definition.label}”应填是或否")
            clean[key] = raw
            continue
        if isinstance(raw, bool) or not isinstance(raw, int | float):
            raise InputInvalid(f"“{definition.label}”应为数字")
        if definition.type == "integer" and not float(raw).is_integer():
            raise InputInvalid(f"“{definition.label}”应为整数")
        value: int | float = int(raw) if definition.type == "integer" else raw
        unit = definition.unit or ""
        if definition.min is not None and value < definition.min:
            raise InputInvalid(f"“{definition.label}”不能小于 {definition.min:g}{unit}")
        if definition.max is not None and value > definition.max:
            raise InputInvalid(f"“{definition.label}”不能大于 {definition.max:g}{unit}")
        clean[key] = value
    return clean


def start_audit(
    session: Session,
    *,
    enterprise_id: str,
    coordinator_id: str,
    visit_date: dt.date,
    modules: Sequence[str] | None = None,
    inputs: Mapping[str, Any] | None = None,
    campaign_id: str | None = None,
    co_coordinators: Sequence[str] = (),
) -> Audit:
    """Open a visit pinned to the current template versions; ``modules=None`` takes the suggested ones."""
    enterprise = session.get_one(Enterprise, enterprise_id)
    session.get_one(Coordinator, coordinator_id)
    templates = {t.module.module: t for t in current_templates(session)}
    if not templates:
        raise AuditError("没有可用的检查表：请先安装或同步检查表")
    clean = validate_inputs(input_definitions(list(templates.values())), inputs or {})
    suggested = set(suggest_modules(session, clean))
    chosen = list(modules) if modules is not None else [code for code in templates if code in suggested]
    unknown = [code for code in chosen if code not in templates]
    if unknown:
        raise AuditError(f"未知的检查模块：{'、'.join(unknown)}")
    if not chosen:
        raise AuditError("请至少选择一个检查模块")
    audit = Audit(
        enterprise_id=enterprise.id,
        coordinator_id=coordinator_id,
        campaign_id=campaign_id,
        visit_date=visit_date,
        co_coordinators="、".join(name.strip() for name in co_coordinators if name.strip()),
        inputs=clean,
        enterprise_facts={
            "name": enterprise.name,
            "uscc": enterprise.uscc,
            "industry": enterprise.industry,
            "address": enterprise.address,
            "contact_name": enterprise.contact_name,
            "contact_phone": enterprise.contact_phone,
            "headcount_last_year_end": enterprise.headcount_last_year_end,
            "headcount": enterprise.headcount,
        },
    )
    ordered = sorted(chosen, key=lambda code: templates[code].module.order)
    audit.modules = [
        AuditModule(module=code, template_id=templates[code].row_id, position=index, suggested=code in suggested)
        for index, code in enumerate(ordered)
    ]
    session.add(audit)
    session.flush()
    _apply_rules(session, audit)
    if "headcount" in clean and clean["headcount"] is not None:
        enterprise.headcount = int(clean["headcount"])
    return audit


_AUDIT_TEMPLATE_IDS: dict[str, tuple[str, ...]] = {}
"""An audit's pinned template rows, by audit id. Safe to cache: the modules of an audit are fixed when it starts."""


def _template_ids(session: Session, audit_id: str) -> tuple[str, ...]:
    row_ids = _AUDIT_TEMPLATE_IDS.get(audit_id)
    if row_ids is None:
        query = select(AuditModule.template_id).where(AuditModule.audit_id == audit_id).order_by(AuditModule.position)
        row_ids = _AUDIT_TEMPLATE_IDS[audit_id] = tuple(session.scalars(query))
    return row_ids


def audit_templates(session: Session, audit: Audit) -> list[LoadedTemplate]:
    return load_templates(session, _template_ids(session, audit.id))


def item_states(session: Session, audit_id: str) -> list[ItemState]:
    """Every item of the audit's modules, in order, with applicability, rule result, figures and answer."""
    return _states(session, audit_id, session.get_one(Audit, audit_id).inputs)


def item_state(session: Session, audit_id: str, item_id: str) -> ItemState | None:
    """One item's state; cheaper than ``item_states`` on the answer path (one answer row, one item evaluated)."""
    states = _states(session, audit_id, session.get_one(Audit, audit_id).inputs, only=item_id)
    return states[0] if states else None


def _states(session: Session, audit_id: str, inputs: Mapping[str, Any], only: str | None = None) -> list[ItemState]:
    templates = load_templates(session, _template_ids(session, audit_id))
    env = environment(templates, inputs)
    query = select(Answer).where(Answer.audit_id == audit_id)
    if only is not None:
        query = query.where(Answer.item_id == only)
    answers = {a.item_id: a for a in session.scalars(query)}
    states: list[ItemState] = []
    for template in templates:
        for item in template.module.items:
            if only is not None and item.id != only:
                continue
            applicable = _truth(item.applies_if, env) is not False
            rule = item.rule
            fires = _truth(rule.noncompliant_if, env) if rule else None
            figures = [_figure(f, env) for f in rule.figures] if rule else []
            states.append(
                ItemState(
                    module=template.module.module,
                    item=item,
                    template=template,
                    applicable=applicable,
                    rule_fires=fires if applicable else None,
                    figures=figures,
                    answer=answers.get(item.id),
                )
            )
    return states


def _editable_audit(session: Session, audit_id: str) -> Audit:
    audit = session.get(Audit, audit_id)
    if audit is None:
        raise AuditError("体检记录不存在")
    if audit.status is not AuditStatus.IN_PROGRESS:
        raise AuditError("该次体检已完成，不能再修改答案")
    return audit


def _touch(audit: Audit) -> None:
    audit.version += 1
    audit.updated_at = utcnow()


def _apply_rules(session: Session, audit: Audit) -> None:
    """Make rule answers follow the inputs: fire → non-compliant by rule; stop firing → withdraw the rule's answer."""
    for state in _states(session, audit.id, audit.inputs):
        answer = state.answer
        if state.rule_fires is True and state.needs_answer:
            if answer is None:
                session.add(
                    Answer(
                        audit_id=audit.id,
                        module=state.module,
                        item_id=state.item.id,
                        status=AnswerStatus.NON_COMPLIANT,
                        source="rule",
                        kind=state.item.kind,
                    )
                )
            elif answer.source != EVIDENCE_SOURCE and (
                answer.status is not AnswerStatus.NON_COMPLIANT or answer.source != "rule"
            ):
                answer.status = AnswerStatus.NON_COMPLIANT
                answer.source = "rule"
        elif answer is not None and answer.source == "rule":
            session.delete(answer)
    session.flush()


def set_inputs(session: Session, audit_id: str, inputs: Mapping[str, Any]) -> Audit:
    """Record visit inputs (merged into those already captured) and re-apply the computed rules."""
    audit = _editable_audit(session, audit_id)
    templates = audit_templates(session, audit)
    definitions = input_definitions(templates) | input_definitions(current_templates(session))
    clean = validate_inputs(definitions, inputs)
    audit.inputs = {**audit.inputs, **clean}
    _touch(audit)
    session.flush()
    _apply_rules(session, audit)
    if clean.get("headcount") is not None:  # a visit-observed fact: the latest observation updates the registry
        session.get_one(Enterprise, audit.enterprise_id).headcount = int(clean["headcount"])  # type: ignore[arg-type]
    return audit


def answer_item(
    session: Session,
    audit_id: str,
    item_id: str,
    status: AnswerStatus | str,
    *,
    note: str | None = None,
    skip_reason: str | None = None,
) -> Answer:
    """Record the answer to one item (insert or change). The caller's commit is the moment it is saved."""
    # The hot path of a visit: read only the two columns needed rather than loading the audit.
    row = session.execute(select(Audit.status, Audit.inputs).where(Audit.id == audit_id)).one_or_none()
    if row is None:
        raise AuditError("体检记录不存在")
    if row.status is not AuditStatus.IN_PROGRESS:
        raise AuditError("该次体检已完成，不能再修改答案")
    status = AnswerStatus(status)
    found = _states(session, audit_id, row.inputs, only=item_id)
    if not found:
        raise AuditError(f"本次体检没有检查项 {item_id}")
    state = found[0]
    if state.item.kind == "computed":
        raise AuditError(f"“{state.item.title or state.item.text}”是计算项，无需作答")
    if state.rule_fires is True and status is AnswerStatus.COMPLIANT:
        figures = "；".join(f.text for f in state.figures)
        shown = f"（{figures}）" if figures else ""
        name = state.item.title or state.item.text
        raise RuleContradiction(f"“{name}”根据录入的数据判定为不符合{shown}：如数据有误，请先更正录入数据")
    if status is AnswerStatus.NOT_CHECKED and not (skip_reason or "").strip():
        raise AuditError("标为“未检查”时必须说明理由")
    evidence = state.answer is not None and state.answer.source == EVIDENCE_SOURCE
    if evidence and status is not AnswerStatus.NON_COMPLIANT:
        raise RuleContradiction(
            f"{item_id} 根据工资考勤核查判定为不符合：如有劳动者不应计入，请在工资考勤核查中排除该劳动者并说明理由"
        )
    answer = state.answer
    if answer is None:
        answer = Answer(audit_id=audit_id, module=state.module, item_id=item_id, kind=state.item.kind, status=status)
        session.add(answer)
    answer.status = status
    answer.source = EVIDENCE_SOURCE if evidence else ("rule" if state.rule_fires is True else "user")
    if note is not None:
        answer.note = note.strip()
    answer.skip_reason = (skip_reason or "").strip() if status is AnswerStatus.NOT_CHECKED else ""
    session.flush()
    return answer


def set_answer_note(session: Session, audit_id: str, item_id: str, note: str) -> bool:
    """Change the note of an answered item, keeping its answer; whether anything changed.

    The answering screen commits notes as they are typed (and when the coordinator moves on), so a note never
    depends on pressing an answer button again.
    """
    status = session.execute(select(Audit.status).where(Audit.id == audit_id)).scalar_one_or_none()
    if status is None:
        raise AuditError("体检记录不存在")
    if status is not AuditStatus.IN_PROGRESS:
        raise AuditError("该次体检已完成，不能再修改答案")
    answer = session.scalars(select(Answer).where(Answer.audit_id == audit_id, Answer.item_id == item_id)).first()
    if answer is None:
        raise AuditError(f"{item_id} 尚未作答")
    text = note.strip()
    if answer.note == text:
        return False
    answer.note = text
    session.flush()
    return True


@dataclass(frozen=True)
class ModuleProgress:
    module: str
    title: str
    answered: int
    required: int

    @property
    def done(self) -> bool:
        return self.answered >= self.required


def progress(session: Session, audit_id: str) -> list[ModuleProgress]:
    states = item_states(session, audit_id)
    result: list[ModuleProgress] = []
    for module in dict.fromkeys(s.module for s in states):
        mine = [s for s in states if s.module == module and s.needs_answer]
        title = next(s.template.module.title for s in states if s.module == module)
        result.append(ModuleProgress(module, title, sum(1 for s in mine if s.answer is not None), len(mine)))
    return result


def finding_values(state: ItemState, env: Mapping[str, Value], facts: Mapping[str, FactValue]) -> dict[str, FactValue]:
    """What a statement may say about this item: the visit's inputs and derived values, the item's figures, and
    facts from other sources (``facts``, e.g. payroll evidence for a WAGE item), later ones overriding."""
    values: dict[str, FactValue] = dict(env)
    values.update({figure.id: figure.value for figure in state.figures})
    values.update(facts)
    return values


def finish_audit(
    session: Session,
    audit_id: str,
    *,
    responsible_person: str = "",
    responsible_phone: str = "",
    today: dt.date | None = None,
    calendar: WorkdayCalendar | None = None,
    facts: Mapping[str, Mapping[str, FactValue]] | None = None,
) -> list[Finding]:
    """Close the visit: every applicable item answered (or skipped with a reason); findings and items made.

    Each finding states what was found in the words its template item chooses for the visit's figures
    (:func:`core.statements.choose_statement`) with the facts of the visit's saved evidence (the wage check:
    :mod:`app.audit.evidence_facts`); ``facts`` adds or overrides values from other sources per item id. The
    coordinator's note goes with the finding but onto the notice only when marked for it. Deadlines count from
    the visit date, the day the notice is issued on site, in calendar or Chinese working days as each item says.
    The enterprise's risk grade is recomputed.
    """
    audit = _editable_audit(session, audit_id)
    calendar = calendar or default_calendar(session)
    states = item_states(session, audit_id)
    env = environment(audit_templates(session, audit), audit.inputs)
    missing = [s.item.title or s.item.text for s in states if s.needs_answer and s.answer is None]
    if missing:
        raise AuditIncomplete(missing)
    evidence = evidence_facts(session, audit_id)
    findings: list[Finding] = []
    for state in states:
        answer = state.answer
        if not (state.applicable and state.item.kind == "check" and answer is not None):
            continue
        if answer.status is not AnswerStatus.NON_COMPLIANT:
            continue
        item = state.item
        if item.severity is None or item.requirement is None or item.deadline is None:
            raise AuditError(
                f"检查项“{item.title or item.text}”缺少整改要求或时限"
            )  # the schema makes this unreachable
        given = {**evidence.get(item.id, {}), **(facts or {}).get(item.id, {})}
        statement = choose_statement(item, finding_values(state, env, given))
        finding = Finding(
            audit_id=audit.id,
            module=state.module,
            item_id=item.id,
            severity=item.severity,
            title=item.title or item.text,
            description=statement.zh,
            description_en=statement.en,
            note=answer.note,
            basis=state.citations,
            figures=[{"id": f.id, "label": f.label, "value": f.value, "unit": f.unit} for f in state.figures],
            source=answer.source,
            position=len(findings) + 1,
        )
        deadline = deadline_for(audit.visit_date, item.deadline.days, item.deadline.working, calendar)
        finding.item = RectificationItem(
            audit_id=audit.id,
            enterprise_id=audit.enterprise_id,
            requirement=item.requirement,
            deadline=deadline.due,
            deadline_days=item.deadline.days,
            deadline_working_days=item.deadline.working,
            deadline_estimated=deadline.estimated,
            responsible_person=responsible_person.strip(),
            responsible_phone=responsible_phone.strip(),
        )
        session.add(finding)
        findings.append(finding)
    audit.status = AuditStatus.FINISHED
    audit.finished_at = utcnow()
    _touch(audit)
    session.flush()
    refresh_grade(session, audit.enterprise_id, today or audit.visit_date)
    return findings


def remove_finding(session: Session, finding_id: str, *, reason: str) -> Finding:
    """Withdraw a finding (e.g. the enterprise showed the missing document). Kept, with the reason, never deleted."""
    if not reason.strip():
        raise AuditError("删除问题必须说明理由")
    finding = session.get(Finding, finding_id)
    if finding is None:
        raise AuditError("问题记录不存在")
    if finding.removed_at is not None:
        raise AuditError("该问题已删除")
    before = snapshot(finding, ("removed_reason", "removed_at"))
    finding.removed_reason = reason.strip()
    finding.removed_at = utcnow()
    session.flush()
    record_diff(session, finding, before, entity="finding", audit_id=finding.audit_id, reason=reason)
    audit = session.get_one(Audit, finding.audit_id)
    refresh_grade(session, audit.enterprise_id, china_today())
    return finding


VISIT_RECORD_FIELDS = ("arrived_at", "departed_at", "people_met", "documents_inspected")
MAX_VISIT_ENTRIES = 50


@dataclass(frozen=True)
class PersonMet:
    """Someone from the enterprise who received the visit."""

    name: str
    role: str = ""


def set_visit_record(
    session: Session,
    audit_id: str,
    *,
    arrived_at: dt.datetime | None,
    departed_at: dt.datetime | None,
    people_met: Sequence[PersonMet],
    documents_inspected: Sequence[str],
    reason: str | None = None,
) -> Audit:
    """Record what reviewers ask about a visit: arrival and departure, who was met, which documents were seen.

    While the visit is in progress this is ordinary data entry. Once it is finished, a change needs a reason and
    each changed field goes into the change history.
    """
    audit = session.get(Audit, audit_id)
    if audit is None:
        raise AuditError("体检记录不存在")
    finished = audit_is_finished(session, audit_id)
    text = require_reason(reason, "走访记录修改") if finished else ""
    for moment in (arrived_at, departed_at):
        if moment is not None and moment.tzinfo is None:
            raise InputInvalid("到达、离开时间缺少时区")  # a bug upstream: the UI gives aware times
    if arrived_at is not None and departed_at is not None and departed_at < arrived_at:
        raise InputInvalid("离开时间不能早于到达时间")
    people = [
        {"name": person.name.strip(), "role": person.role.strip()} for person in people_met if person.name.strip()
    ]
    if any(not person.name.strip() and person.role.strip() for person in people_met):
        raise InputInvalid("接待人员的姓名不能为空")
    documents = [doc.strip() for doc in documents_inspected if doc.strip()]
    if len(people) > MAX_VISIT_ENTRIES or len(documents) > MAX_VISIT_ENTRIES:
        raise InputInvalid(f"接待人员和查阅资料各最多 {MAX_VISIT_ENTRIES} 项")
    before = snapshot(audit, VISIT_RECORD_FIELDS)
    audit.arrived_at = arrived_at
    audit.departed_at = departed_at
    audit.people_met = people
    audit.documents_inspected = documents
    session.flush()
    if finished:
        changed = bool(record_diff(session, audit, before, entity="audit", audit_id=audit.id, reason=text))
    else:
        changed = before != snapshot(audit, VISIT_RECORD_FIELDS)
    if changed:
        _touch(audit)
    session.flush()
    return audit
