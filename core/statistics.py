"""The campaign figures (专项行动工作情况): one definition over plain rows, for the laptop and the district server.

Every figure a screen, a report, a ledger total or the command line shows is computed here, from three kinds of
plain row that either side can produce from its own storage:

* :class:`VisitRow` — one finished health check (体检) in scope;
* :class:`ItemRow` — one rectification item of a finding that stands (a finding withdrawn with a reason is not
  passed in: it is not a problem any more);
* :class:`EnterpriseRow` — one enterprise of the registry in scope (the district's list), with its current risk
  grade.

:func:`compute_statistics` turns them into :class:`CampaignStatistics`. Nothing reads a clock or a database: the
same rows and the same ``today`` give the same figures, so the laptop's statistics page, its summary PDF, its
ledger and the office's dashboard and district report agree by construction.

What the figures count (each :class:`Figure` carries this as its label, so no figure is shown without it):

* enterprises checked are distinct enterprises with at least one finished visit in scope; visits count each one;
* a finding is one problem that stands, and has exactly one rectification item, so findings and items are equal;
* an item's state for ``today`` is one of five disjoint states (:func:`item_state`): verified (已复查销号); within
  its deadline with or without the enterprise's rectification material; past its deadline with or without it.
  "Overdue" is never stored: it is judged for ``today`` (the date in Asia/Shanghai);
* high-risk enterprises are counted twice, each labelled: among the enterprises checked in scope, and among the
  whole registry passed in (the risk survey grades some before any visit).

Stability: the row types, :func:`compute_statistics`, :func:`item_state`, :func:`item_totals` and the figure keys
of :data:`HEADLINE_KEYS` are the API the office console relies on; new figures are added, existing keys keep
their meaning.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final, Literal

__all__ = [
    "HEADLINE_KEYS",
    "HIGH_RISK",
    "ITEM_STATES",
    "SEVERITIES",
    "CampaignStatistics",
    "Count",
    "EnterpriseRow",
    "Figure",
    "HighRiskEnterprise",
    "ItemProgress",
    "ItemRow",
    "ItemState",
    "ItemStatus",
    "ItemTotals",
    "Scope",
    "VisitRow",
    "compute_statistics",
    "item_state",
    "item_totals",
    "past_deadline",
    "percent",
]

ItemStatus = Literal["open", "submitted", "verified"]
"""The stored status of a rectification item: open → submitted (the enterprise sent material) → verified."""

ItemState = Literal["verified", "open", "submitted", "overdue_open", "overdue_submitted"]
"""An item's state for a day: the five are disjoint and cover every item."""

ITEM_STATES: Final[tuple[ItemState, ...]] = ("verified", "open", "submitted", "overdue_open", "overdue_submitted")
SEVERITIES: Final = ("高", "中", "低")
HIGH_RISK: Final = "高"


def past_deadline(deadline: dt.date, today: dt.date) -> bool:
    """Whether an item not yet verified is overdue on ``today``: the deadline day itself is within the deadline
    (an item due today is not overdue until tomorrow). The statistics, the ledger and the risk rules ask this."""
    return deadline < today


def item_state(status: ItemStatus | str, deadline: dt.date, today: dt.date) -> ItemState:
    """The one definition of an item's state on ``today``: past the deadline and not verified is overdue.

    The deadline day itself is within the deadline (an item due today is not overdue until tomorrow).
    """
    if status == "verified":
        return "verified"
    late = past_deadline(deadline, today)
    if status == "submitted":
        return "overdue_submitted" if late else "submitted"
    return "overdue_open" if late else "open"


def percent(part: int, whole: int) -> str:
    """A share as printed in reports: one decimal and a percent sign; "—" when there is nothing to share."""
    return f"{part / whole * 100:.1f}%" if whole else "—"


# --------------------------------------------------------------------------------------------------- the rows


@dataclass(frozen=True, slots=True)
class VisitRow:
    """One finished health check in scope."""

    audit_id: str
    enterprise_id: str


@dataclass(frozen=True, slots=True)
class ItemRow:
    """One rectification item of a standing finding.

    ``module_title`` and ``item_title`` are what people read (检查项目 and 检查项 names); the codes (``module``,
    ``item``) group rows and are never shown.
    """

    item_id: str
    audit_id: str
    enterprise_id: str
    module: str
    module_title: str
    item: str
    item_title: str
    severity: str
    status: ItemStatus
    deadline: dt.date


@dataclass(frozen=True, slots=True)
class EnterpriseRow:
    """One enterprise of the registry in scope, with its current risk grade (高/中/低, or None if not graded)."""

    enterprise_id: str
    name: str
    uscc: str
    risk_grade: str | None
    risk_reasons: str = ""


# ------------------------------------------------------------------------------------------------- the figures


@dataclass(frozen=True, slots=True)
class Figure:
    """A number and what it counts: ``label`` is the full Chinese statement of the count, ``unit`` its measure."""

    key: str
    value: int
    label: str
    unit: str

    @property
    def text(self) -> str:
        return f"{self.label}：{self.value}{self.unit}"


@dataclass(frozen=True, slots=True)
class Count:
    """A count under a name people read (a module's or an item's title, a severity)."""

    key: str
    title: str
    count: int


@dataclass(frozen=True, slots=True)
class ItemTotals:
    """Items by state for a day. The five states are disjoint; the sums below are named for what they add."""

    verified: int = 0
    open: int = 0
    submitted: int = 0
    overdue_open: int = 0
    overdue_submitted: int = 0

    @property
    def total(self) -> int:
        return self.verified + self.open + self.submitted + self.overdue_open + self.overdue_submitted

    @property
    def not_verified(self) -> int:
        """整改中：not yet verified, whatever the deadline."""
        return self.total - self.verified

    @property
    def overdue(self) -> int:
        """逾期未销号：past the deadline and not verified, whether or not material was sent."""
        return self.overdue_open + self.overdue_submitted

    @property
    def awaiting_verification(self) -> int:
        """企业已报送整改材料待复查：material sent, not yet verified, whatever the deadline."""
        return self.submitted + self.overdue_submitted

    @property
    def verified_rate(self) -> float:
        """整改销号率: verified over all items (0 when there are none)."""
        return self.verified / self.total if self.total else 0.0

    def count(self, state: ItemState) -> int:
        return int(getattr(self, state))


ItemProgress = ItemTotals
"""The name the summary and the screens used before the five-state split; the same type."""


def item_totals(states: Iterable[ItemState]) -> ItemTotals:
    """Count item states (e.g. the ledger's rows): the totals the ledger page and the CLI print."""
    counts = Counter(states)
    return ItemTotals(**{state: counts.get(state, 0) for state in ITEM_STATES})


@dataclass(frozen=True, slots=True)
class HighRiskEnterprise:
    """A checked enterprise whose current grade is 高, with its unverified and overdue items in scope."""

    name: str
    uscc: str
    reasons: str
    open_items: int
    """Items not yet verified (整改中), overdue ones included."""
    overdue_items: int


@dataclass(frozen=True, slots=True)
class Scope:
    """What the figures are about: a campaign (专项行动) or, with no campaign, every finished visit."""

    name: str
    campaign_id: str | None = None
    district: str = ""
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None


HEADLINE_KEYS: Final = (
    "enterprises_checked",
    "audits",
    "findings",
    "enterprises_with_findings",
    "items_verified",
    "items_awaiting_verification",
    "items_overdue",
    "high_risk_checked",
    "high_risk_registry",
    "registry_enterprises",
)
"""The headline figures in the order reports print them (:meth:`CampaignStatistics.headline`)."""


@dataclass(frozen=True)
class CampaignStatistics:
    """Every figure of a scope for one day. Build it with :func:`compute_statistics`."""

    scope: Scope
    today: dt.date
    enterprises_checked: int
    audits: int
    findings: int
    enterprises_with_findings: int
    items: ItemTotals
    by_module: tuple[Count, ...]
    """Findings per checklist module, most first (ties by module title)."""
    by_severity: tuple[Count, ...]
    """Findings per severity: 高, 中, 低 always (possibly 0), then any other level found."""
    by_item: tuple[Count, ...]
    """Findings per checklist item, most first, named by the item's title."""
    high_risk: tuple[HighRiskEnterprise, ...]
    """The enterprises checked in scope whose current grade is 高, by name."""
    high_risk_registry: int
    registry_enterprises: int

    # Back-compatible names used by the screens.
    @property
    def campaign_id(self) -> str | None:
        return self.scope.campaign_id

    @property
    def campaign_name(self) -> str:
        return self.scope.name

    @property
    def high_risk_checked(self) -> int:
        return len(self.high_risk)

    def figure(self, key: str) -> Figure:
        """A headline figure by key (see :data:`HEADLINE_KEYS`), labelled with what it counts."""
        return _labels(self)[key]

    def headline(self) -> list[Figure]:
        """The headline figures in :data:`HEADLINE_KEYS` order, each labelled with what it counts."""
        labels = _labels(self)
        return [labels[key] for key in HEADLINE_KEYS]


def _labels(stats: CampaignStatistics) -> dict[str, Figure]:
    scope = "本专项行动" if stats.scope.campaign_id is not None else "全部体检记录"
    items = stats.items
    entries = (
        ("enterprises_checked", stats.enterprises_checked, f"{scope}中完成体检的企业（同一企业多次体检计一家）", "家"),
        ("audits", stats.audits, f"{scope}中完成的体检", "次"),
        ("findings", stats.findings, f"{scope}中发现的问题（每个问题形成一项整改事项）", "个"),
        ("enterprises_with_findings", stats.enterprises_with_findings, "存在问题的企业", "家"),
        ("items_verified", items.verified, "已复查销号的整改事项", "项"),
        ("items_awaiting_verification", items.awaiting_verification, "企业已报送整改材料、待复查的整改事项", "项"),
        ("items_overdue", items.overdue, "超过整改期限仍未销号的整改事项", "项"),
        ("high_risk_checked", len(stats.high_risk), f"{scope}体检企业中风险等级为高的企业", "家"),
        ("high_risk_registry", stats.high_risk_registry, "企业名录中风险等级为高的企业（含尚未体检的）", "家"),
        ("registry_enterprises", stats.registry_enterprises, "企业名录中的企业", "家"),
    )
    figures = [Figure(key, value, label, unit) for key, value, label, unit in entries]
    return {figure.key: figure for figure in figures}


def compute_statistics(
    visits: Iterable[VisitRow],
    items: Iterable[ItemRow],
    registry: Iterable[EnterpriseRow],
    *,
    today: dt.date,
    scope: Scope,
) -> CampaignStatistics:
    """The figures of ``scope`` for ``today``.

    ``visits`` are the finished visits in scope; ``items`` the items of their standing findings (items of other
    visits are ignored, so a caller may pass a superset); ``registry`` every enterprise of the registry in scope
    (streamed: only the checked and the high-risk ones are kept).
    """
    audit_ids: set[str] = set()
    checked: set[str] = set()
    for visit in visits:
        audit_ids.add(visit.audit_id)
        checked.add(visit.enterprise_id)

    states: Counter[ItemState] = Counter()
    modules: Counter[str] = Counter()
    module_titles: dict[str, str] = {}
    severities: Counter[str] = Counter()
    by_item: Counter[str] = Counter()
    item_titles: dict[str, str] = {}
    with_findings: set[str] = set()
    per_enterprise: dict[str, Counter[ItemState]] = {}
    for row in items:
        if row.audit_id not in audit_ids:
            continue
        state = item_state(row.status, row.deadline, today)
        states[state] += 1
        modules[row.module] += 1
        module_titles.setdefault(row.module, row.module_title or row.module)
        severities[row.severity] += 1
        by_item[row.item] += 1
        item_titles.setdefault(row.item, row.item_title)
        with_findings.add(row.enterprise_id)
        per_enterprise.setdefault(row.enterprise_id, Counter())[state] += 1

    registry_size = 0
    high_registry = 0
    high_checked: list[EnterpriseRow] = []
    for enterprise in registry:
        registry_size += 1
        if enterprise.risk_grade == HIGH_RISK:
            high_registry += 1
            if enterprise.enterprise_id in checked:
                high_checked.append(enterprise)

    def unverified(enterprise_id: str) -> int:
        counts = per_enterprise.get(enterprise_id, Counter())
        return sum(count for state, count in counts.items() if state != "verified")

    def overdue(enterprise_id: str) -> int:
        counts = per_enterprise.get(enterprise_id, Counter())
        return counts["overdue_open"] + counts["overdue_submitted"]

    known = [Count(level, level, severities.get(level, 0)) for level in SEVERITIES]
    other = [Count(level, level, count) for level, count in sorted(severities.items()) if level not in SEVERITIES]
    return CampaignStatistics(
        scope=scope,
        today=today,
        enterprises_checked=len(checked),
        audits=len(audit_ids),
        findings=sum(states.values()),
        enterprises_with_findings=len(with_findings),
        items=ItemTotals(**{state: states.get(state, 0) for state in ITEM_STATES}),
        by_module=tuple(
            sorted(
                (Count(module, module_titles[module], count) for module, count in modules.items()),
                key=lambda entry: (-entry.count, entry.title),
            )
        ),
        by_severity=tuple(known + other),
        by_item=tuple(
            sorted(
                (Count(item, item_titles[item], count) for item, count in by_item.items()),
                key=lambda entry: (-entry.count, entry.title),
            )
        ),
        high_risk=tuple(
            HighRiskEnterprise(
                name=enterprise.name,
                uscc=enterprise.uscc,
                reasons=enterprise.risk_reasons,
                open_items=unverified(enterprise.enterprise_id),
                overdue_items=overdue(enterprise.enterprise_id),
            )
            for enterprise in sorted(high_checked, key=lambda row: (row.name, row.uscc))
        ),
        high_risk_registry=high_registry,
        registry_enterprises=registry_size,
    )
