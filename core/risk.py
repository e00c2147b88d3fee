"""Enterprise risk grade (风险等级 高/中/低) with the reasons that produced it: the one definition.

The laptop grades an enterprise from its own database (``app.audit.risk``) and the district office's console ranks
the whole district from the server's records (``server.console.risk``); both hand plain facts to :func:`grade`,
so the two cannot disagree. Nothing here touches a database.

The grade is the health check's own early-warning level, not labour inspection's credit grade A/B/C
(人社部规〔2016〕1号); an imported credit grade is only one input. The policy, in order:

* 高 — an overdue item of severity 高; two or more open items of severity 高; a wage-arrears complaint on record;
  an imported credit grade C.
* 中 — any open item of severity 高; any overdue item; three or more open items of severity 中; tax or
  social-insurance arrears, loan default, or a logistics anomaly reported by another department; an imported
  credit grade B; a risk signal (e.g. 欠薪风险预警) recorded on the latest visit, named by its title.
* 低 — none of the above.

"Open" means not yet verified (submitted counts as open: the enterprise's word is not a verification), and a
finding removed with a reason does not count: callers pass only such items. Every reason is kept, as a
:class:`RiskFactor` that says its kind, count and source, so the grade can be explained to the office (in
Chinese on paper, in either language on a screen).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Final

from core.statistics import past_deadline

HIGH: Final = "高"
MEDIUM: Final = "中"
LOW: Final = "低"
GRADES: Final = (HIGH, MEDIUM, LOW)
GRADE_ORDER: Final = {HIGH: 2, MEDIUM: 1, LOW: 0}

INDICATOR_LABELS: Final = {
    "wage_complaint": "欠薪投诉",
    "tax_arrears": "欠缴税费",
    "social_insurance_arrears": "欠缴社会保险费",
    "loan_default": "贷款逾期",
    "logistics_anomaly": "物流异常",
    "credit_grade": "劳动保障守法诚信等级",
}
"""The departmental indicators the office imports (缴税、缴费、还贷、物流, complaints, credit grade)."""
INDICATOR_KINDS: Final = tuple(INDICATOR_LABELS)
MEDIUM_INDICATORS: Final = frozenset({"tax_arrears", "social_insurance_arrears", "loan_default", "logistics_anomaly"})
CREDIT_GRADES: Final = ("A", "B", "C")


@dataclass(frozen=True, slots=True)
class OpenItem:
    """A rectification item not yet verified, of a finding that still counts."""

    severity: str
    deadline: dt.date


@dataclass(frozen=True, slots=True)
class Indicator:
    """A departmental risk signal about the enterprise (``kind`` from :data:`INDICATOR_KINDS`)."""

    kind: str
    value: str = ""
    source: str = ""


@dataclass(frozen=True)
class ReasonWords:
    """The words of risk reasons in one language, as format strings: ``{n}`` a count, ``{signal}`` a checklist
    item's title, ``{indicator}`` an indicator's name (from ``indicators``, by kind), ``{grade}`` a credit grade,
    ``{source}`` the department that reported it."""

    overdue_high: str
    open_high: str
    overdue: str
    open_medium: str
    signal: str
    on_record: str
    credit_grade: str
    source: str
    indicators: Mapping[str, str]
    untitled_signal: str | None = None
    """Shown for a risk signal whose item has no title; None: the item's id."""


CHINESE_REASONS: Final = ReasonWords(
    overdue_high="{n} 项严重问题逾期未整改",
    open_high="{n} 项严重问题未整改",
    overdue="{n} 项整改已逾期",
    open_medium="{n} 项一般问题未整改",
    signal="最近一次体检记录了风险信号：{signal}",
    on_record="有{indicator}记录",
    credit_grade="{indicator}为{grade}级",
    source="（来源：{source}）",
    indicators=INDICATOR_LABELS,
    untitled_signal="风险预警",
)


@dataclass(frozen=True, slots=True)
class RiskFactor:
    """One reason for the grade.

    ``code`` says which rule fired: ``overdue_high``, ``open_high``, ``overdue``, ``open_medium`` (with ``count``),
    ``indicator`` (with ``kind``, ``value`` and ``source``) or ``signal`` (with the checklist ``item_id`` and the
    item's ``title``: codes such as WAGE-09 are never shown to people).
    """

    code: str
    level: str
    count: int = 0
    kind: str = ""
    value: str = ""
    source: str = ""
    item_id: str = ""
    title: str = ""

    @property
    def text(self) -> str:
        """The reason in Chinese, as the laptop, the notice ledger and the district report print it."""
        return self.render(CHINESE_REASONS)

    def render(self, words: ReasonWords) -> str:
        """The reason in ``words``' language: which words a reason takes is decided here, for every language,
        screen and report (the laptop passes its translated words, the console its English ones)."""
        counted = {
            "overdue_high": words.overdue_high,
            "open_high": words.open_high,
            "overdue": words.overdue,
            "open_medium": words.open_medium,
        }.get(self.code)
        if counted is not None:
            return counted.format(n=self.count)
        if self.code == "signal":
            untitled = words.untitled_signal if words.untitled_signal is not None else self.item_id
            return words.signal.format(signal=self.title or untitled)
        name = words.indicators.get(self.kind, self.kind)
        source = words.source.format(source=self.source) if self.source else ""
        if self.kind == "wage_complaint":
            return words.on_record.format(indicator=name) + source
        if self.kind == "credit_grade":
            return words.credit_grade.format(indicator=name, grade=self.value) + source
        return name + source

    def __str__(self) -> str:
        return self.text

    def to_json(self) -> dict[str, str | int]:
        """The factor as stored with a grade (the console's read model, a visit assignment)."""
        return {
            "code": self.code,
            "level": self.level,
            "count": self.count,
            "kind": self.kind,
            "value": self.value,
            "source": self.source,
            "item_id": self.item_id,
            "title": self.title,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> RiskFactor:
        """A stored factor back (unknown keys ignored, missing ones empty)."""

        def text(name: str) -> str:
            value = data.get(name)
            return str(value) if value is not None else ""

        count = data.get("count")
        return cls(
            code=text("code"),
            level=text("level"),
            count=count if isinstance(count, int) and not isinstance(count, bool) else 0,
            kind=text("kind"),
            value=text("value"),
            source=text("source"),
            item_id=text("item_id"),
            title=text("title"),
        )


@dataclass(frozen=True, slots=True)
class RiskGrade:
    grade: str
    factors: tuple[RiskFactor, ...] = ()

    @property
    def reasons(self) -> list[str]:
        return [factor.text for factor in self.factors]

    @property
    def summary(self) -> str:
        return "；".join(self.reasons) if self.reasons else "未发现风险因素"

    @property
    def score(self) -> int:
        """The ranking key of the risk survey: the grade first, then how many reasons of each level."""
        high = sum(1 for factor in self.factors if factor.level == HIGH)
        medium = sum(1 for factor in self.factors if factor.level == MEDIUM)
        return GRADE_ORDER[self.grade] * 10_000 + min(high, 99) * 100 + min(medium, 99)


def grade(
    open_items: Iterable[OpenItem],
    indicators: Iterable[Indicator],
    signals: Iterable[tuple[str, str]],
    today: dt.date,
) -> RiskGrade:
    """The grade for ``today`` from the enterprise's open items, its indicators and the risk signals recorded
    non-compliant on its latest finished visit (``(item id, item title)``)."""
    items = list(open_items)
    open_high = sum(1 for item in items if item.severity == HIGH)
    open_medium = sum(1 for item in items if item.severity == MEDIUM)
    overdue = [item for item in items if past_deadline(item.deadline, today)]
    overdue_high = sum(1 for item in overdue if item.severity == HIGH)

    high: list[RiskFactor] = []
    medium: list[RiskFactor] = []
    if overdue_high:
        high.append(RiskFactor("overdue_high", HIGH, overdue_high))
    if open_high >= 2:
        high.append(RiskFactor("open_high", HIGH, open_high))
    elif open_high == 1:
        medium.append(RiskFactor("open_high", MEDIUM, 1))
    if len(overdue) > overdue_high:
        medium.append(RiskFactor("overdue", MEDIUM, len(overdue) - overdue_high))
    if open_medium >= 3:
        medium.append(RiskFactor("open_medium", MEDIUM, open_medium))

    for indicator in indicators:
        value = indicator.value.strip().upper()
        factor = RiskFactor("indicator", MEDIUM, kind=indicator.kind, value=value, source=indicator.source)
        if indicator.kind == "wage_complaint":
            high.append(RiskFactor("indicator", HIGH, kind=indicator.kind, source=indicator.source))
        elif indicator.kind == "credit_grade" and value == "C":
            high.append(RiskFactor("indicator", HIGH, kind=indicator.kind, value=value, source=indicator.source))
        elif indicator.kind == "credit_grade" and value == "B":
            medium.append(factor)
        elif indicator.kind in MEDIUM_INDICATORS:
            medium.append(RiskFactor("indicator", MEDIUM, kind=indicator.kind, source=indicator.source))

    medium.extend(RiskFactor("signal", MEDIUM, item_id=item_id, title=title) for item_id, title in signals)
    if high:
        return RiskGrade(HIGH, tuple(high + medium))
    if medium:
        return RiskGrade(MEDIUM, tuple(medium))
    return RiskGrade(LOW)


__all__ = [
    "CREDIT_GRADES",
    "GRADES",
    "GRADE_ORDER",
    "HIGH",
    "INDICATOR_KINDS",
    "INDICATOR_LABELS",
    "LOW",
    "MEDIUM",
    "MEDIUM_INDICATORS",
    "Indicator",
    "OpenItem",
    "RiskFactor",
    "RiskGrade",
    "grade",
]
