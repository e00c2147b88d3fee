"""One set of figures: core.statistics' definitions, and the property that the summary counts what the ledger lists.

The property test builds random campaigns in a real data directory — enterprises with random risk grades, finished
and unfinished visits, findings (some withdrawn with a reason) whose items are open, submitted or verified with
deadlines before, on and after the day — then checks every figure of the summary against counts made by hand from
the ledger's own rows (what a district office would do with the exported spreadsheet), and the two figures the
ledger cannot show (visits and the registry) against the tables.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from app.models import Audit, AuditStatus, Coordinator, Enterprise, ItemStatus, Template
from app.reports.ledger import HEADERS, ledger_rows, ledger_totals
from app.reports.statistics import campaign_statistics
from app.reports.summary_pdf import ITEM_STATE_ROWS, opening_text
from app.services.workspace import Workspace
from core.statistics import (
    HEADLINE_KEYS,
    EnterpriseRow,
    ItemRow,
    Scope,
    VisitRow,
    compute_statistics,
    item_state,
)
from tests.unit._builders import add_audit, add_campaign, add_coordinator, add_enterprise, add_item, add_template

TODAY = dt.date(2026, 11, 20)
MODULES = (("CONTRACT", "劳动合同管理"), ("WAGE", "工资支付"), ("HOURS", "工时与休息休假"))


def test_an_item_is_overdue_from_the_day_after_its_deadline_and_never_once_verified() -> None:
    day = dt.date(2026, 11, 20)
    assert item_state("open", day, day) == "open"
    assert item_state("open", day - dt.timedelta(days=1), day) == "overdue_open"
    assert item_state("submitted", day, day) == "submitted"
    assert item_state("submitted", day - dt.timedelta(days=1), day) == "overdue_submitted"
    assert item_state("verified", day - dt.timedelta(days=400), day) == "verified"


def _item(audit: str, enterprise: str, state: str, deadline: dt.date, module: str = "WAGE") -> ItemRow:
    return ItemRow(
        item_id=f"{audit}-{state}-{deadline}",
        audit_id=audit,
        enterprise_id=enterprise,
        module=module,
        module_title="工资支付",
        item=f"{module}-01",
        item_title="按月足额支付工资",
        severity="高",
        status=state,  # type: ignore[arg-type]
        deadline=deadline,
    )


def test_high_risk_is_counted_among_the_checked_and_in_the_registry_each_labelled() -> None:
    registry = [
        EnterpriseRow("a", "甲公司", "1", "高"),
        EnterpriseRow("b", "乙公司", "2", "高"),
        EnterpriseRow("c", "丙公司", "3", "低"),
        EnterpriseRow("d", "丁公司", "4", None),
    ]
    visits = [VisitRow("v1", "a"), VisitRow("v2", "c"), VisitRow("v3", "a")]
    items = [
        _item("v1", "a", "open", TODAY - dt.timedelta(days=3)),
        _item("v1", "a", "submitted", TODAY),
        _item("v2", "c", "verified", TODAY),
        _item("elsewhere", "b", "open", TODAY),  # a visit out of scope: not counted
    ]
    stats = compute_statistics(visits, items, registry, today=TODAY, scope=Scope("专项行动", campaign_id="c1"))
    assert (stats.enterprises_checked, stats.audits, stats.findings, stats.enterprises_with_findings) == (2, 3, 3, 2)
    assert (stats.high_risk_checked, stats.high_risk_registry, stats.registry_enterprises) == (1, 2, 4)
    assert [(row.name, row.open_items, row.overdue_items) for row in stats.high_risk] == [("甲公司", 2, 1)]
    assert [figure.key for figure in stats.headline()] == list(HEADLINE_KEYS)
    checked, registered = stats.figure("high_risk_checked"), stats.figure("high_risk_registry")
    assert checked.label != registered.label
    assert "本专项行动体检企业中" in checked.label
    assert "企业名录中" in registered.label
    assert "含尚未体检" in registered.label
    assert [(entry.title, entry.count) for entry in stats.by_item] == [("按月足额支付工资", 3)]


# --------------------------------------------------------------------------------------------- the property


STATUSES = (ItemStatus.OPEN, ItemStatus.SUBMITTED, ItemStatus.VERIFIED)
item_strategy = st.tuples(
    st.sampled_from(range(len(MODULES))),
    st.sampled_from(("高", "中", "低")),
    st.sampled_from(STATUSES),
    st.integers(min_value=-20, max_value=20),  # deadline relative to the day: before, on, after
    st.integers(min_value=1, max_value=3),  # which item of the module
    st.booleans(),  # True: the finding stands; False: withdrawn with a reason
)
visit_strategy = st.tuples(
    st.integers(min_value=0, max_value=4),  # which enterprise
    st.booleans(),  # finished?
    st.lists(item_strategy, max_size=5),
)
campaign_strategy = st.tuples(
    st.lists(st.sampled_from(("高", "中", "低", None)), min_size=1, max_size=5),
    st.lists(visit_strategy, max_size=6),
)


class _World:
    """One workspace for all examples: every example is a new campaign, so the figures are scoped to it."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        with ws.db.session() as session:
            self.coordinator_id = add_coordinator(session).id
            self.templates = [add_template(session, code, 90, title=title).id for code, title in MODULES]

    def build(self, grades: list[str | None], visits: list[Any]) -> str:
        with self.ws.db.session() as session:
            coordinator = session.get_one(Coordinator, self.coordinator_id)
            templates = [session.get_one(Template, row_id) for row_id in self.templates]
            campaign = add_campaign(session, name="随机专项行动")
            enterprises = [add_enterprise(session, risk_grade=grade) for grade in grades]
            for which, finished, items in visits:
                audit = add_audit(
                    session,
                    enterprise=enterprises[which % len(enterprises)],
                    coordinator=coordinator,
                    templates=templates,
                    campaign=campaign,
                    status=AuditStatus.FINISHED if finished else AuditStatus.IN_PROGRESS,
                )
                for position, (module, severity, status, offset, number, stands) in enumerate(items):
                    code = MODULES[module][0]
                    add_item(
                        session,
                        audit,
                        item_id=f"{code}-0{number}",
                        module=code,
                        position=position,
                        severity=severity,
                        status=status,
                        deadline=TODAY + dt.timedelta(days=offset),
                        removed_reason=None if stands else "企业补交了材料",
                    )
            return campaign.id


@pytest.fixture
def world(ws: Workspace) -> _World:
    return _World(ws)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(campaign=campaign_strategy)
def test_every_summary_figure_is_the_count_made_from_the_ledger_rows(world: _World, campaign: Any) -> None:
    grades, visits = campaign
    campaign_id = world.build(grades, visits)
    with world.ws.db.session() as session:
        stats = campaign_statistics(session, today=TODAY, campaign_id=campaign_id)
        rows = list(ledger_rows(session, today=TODAY, campaign_id=campaign_id))
        cells = [dict(zip(HEADERS, row.cells(), strict=True)) for row in rows]
        finished = session.execute(
            select(func.count(), func.count(func.distinct(Audit.enterprise_id)))
            .select_from(Enterprise)
            .join_from(Enterprise, Audit)
            .where(Audit.campaign_id == campaign_id, Audit.status == AuditStatus.FINISHED)
        ).one()
        registry = session.execute(
            select(func.count(), func.count().filter(Enterprise.risk_grade == "高")).select_from(Enterprise)
        ).one()

    # The ledger lists only finished visits' standing findings, one row per item.
    progress = [str(cell["整改情况"]) for cell in cells]
    overdue = [text for text in progress if "已逾期" in text]
    by_state = {
        "verified": sum(text.startswith("已复查销号") for text in progress),
        "open": sum(text == "未整改" for text in progress),
        "submitted": sum(text.startswith("已提交整改材料") and "已逾期" not in text for text in progress),
        "overdue_open": sum(text.startswith("未整改") for text in overdue),
        "overdue_submitted": sum(text.startswith("已提交整改材料") for text in overdue),
    }
    assert stats.findings == len(cells) == stats.items.total
    for state, _label in ITEM_STATE_ROWS:
        assert stats.items.count(state) == by_state[state], state
    assert stats.items.overdue == len(overdue)
    assert stats.items.awaiting_verification == sum(text.startswith("已提交整改材料") for text in progress)
    assert stats.enterprises_with_findings == len({cell["统一社会信用代码"] for cell in cells})
    assert {entry.key: entry.count for entry in stats.by_module} == dict(Counter(row.module for row in rows))
    assert {entry.key: entry.count for entry in stats.by_severity if entry.count} == dict(
        Counter(row.severity for row in rows)
    )
    assert {entry.key: entry.count for entry in stats.by_item} == dict(Counter(row.item_code for row in rows))
    high_in_ledger = {cell["统一社会信用代码"] for cell in cells if cell["风险等级"] == "高"}
    assert high_in_ledger <= {row.uscc for row in stats.high_risk}
    for enterprise in stats.high_risk:
        mine = [row for row in rows if row.uscc == enterprise.uscc]
        assert enterprise.open_items == sum(row.state != "verified" for row in mine)
        assert enterprise.overdue_items == sum(row.state == "overdue" for row in mine)

    totals = ledger_totals(rows)
    assert totals.items == stats.items
    assert totals.enterprises == stats.enterprises_with_findings
    assert (stats.audits, stats.enterprises_checked) == tuple(finished)
    assert (stats.registry_enterprises, stats.high_risk_registry) == tuple(registry)

    # The summary's text states exactly these figures.
    opening = opening_text(stats)
    for piece in (
        f"共对{stats.enterprises_checked}家企业",
        f"{stats.audits}次",
        f"共发现问题{len(cells)}个",
        f"已复查销号{by_state['verified']}项",
        f"超过整改期限仍未销号{len(overdue)}项",
        f"风险等级为高的{stats.high_risk_checked}家",
        f"风险等级为高的共{registry[1]}家",
    ):
        assert piece in opening, piece
