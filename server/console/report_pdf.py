"""The district's written report (书面材料) to the city, and the city's report over its districts, as PDF.

Laid out like the laptop's campaign summary — GB/T 9704 official pages from :mod:`core.official_page`, the
notice fonts, :class:`core.typesetting.TextBlock` for Chinese line breaking — and built from the dashboard's
figures (:func:`server.console.figures.dashboard_figures`), so the report, the dashboard and the ledger state the
same numbers for the same day. A report made twice on one day from the same data is the same file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from reportlab.lib.colors import Color, black
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle

from core.clock import CHINA_TZ
from core.fonts import NoticeFonts
from core.official_page import (
    BODY_SIZE,
    CHAR,
    LEADING,
    TEXT_WIDTH,
    TITLE_SIZE,
    PageDecor,
    Signoff,
    build_pdf,
    chinese_date,
)
from core.risk import HIGH, INDICATOR_LABELS
from core.typesetting import Align, TextBlock
from server.console.figures import Figures

CELL_SIZE: Final = 12.0
HEADER_FILL: Final = Color(0.92, 0.92, 0.92)
STATE_ROWS: Final = (
    ("verified", "已复查销号"),
    ("submitted", "已报送整改材料待复查"),
    ("open", "整改期限内"),
    ("overdue", "逾期未整改"),
)


def percent(part: int, whole: int) -> str:
    return f"{part / whole * 100:.1f}%" if whole else "—"


@dataclass(frozen=True)
class ReportScope:
    """What the report covers: a campaign or a date range (or everything), named as the title says it."""

    name: str
    campaign_name: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None

    @property
    def period(self) -> str:
        if self.since and self.until:
            return f"（{chinese_date(self.since)}至{chinese_date(self.until)}）"
        if self.since:
            return f"（{chinese_date(self.since)}以来）"
        if self.until:
            return f"（截至{chinese_date(self.until)}）"
        return ""


class _Writer:
    def __init__(self, fonts: NoticeFonts) -> None:
        self.fonts = fonts

    def title(self, text: str) -> TextBlock:
        return TextBlock([(text, self.fonts.title)], size=TITLE_SIZE, leading=TITLE_SIZE * 1.5, align="center")

    def body(self, text: str, *, space_before: float = 0.0) -> TextBlock:
        return TextBlock(
            [(text, self.fonts.body)],
            size=BODY_SIZE,
            leading=LEADING,
            first_indent=2 * CHAR,
            space_before=space_before,
        )

    def heading(self, text: str) -> TextBlock:
        return TextBlock(
            [(text, self.fonts.heading)], size=BODY_SIZE, leading=LEADING, first_indent=2 * CHAR, keep_with_next=True
        )

    def cell(self, text: object, *, header: bool = False, align: Align = "left") -> TextBlock:
        font = self.fonts.heading if header else self.fonts.body
        return TextBlock([(str(text), font)], size=CELL_SIZE, leading=CELL_SIZE * 1.45, align=align)

    def table(
        self, caption: str, header: Sequence[str], rows: Sequence[Sequence[object]], widths: Sequence[float]
    ) -> list[Flowable]:
        scale = TEXT_WIDTH / sum(widths)
        data = [[self.cell(text, header=True, align="center") for text in header]]
        for row in rows:
            data.append([self.cell(value, align="right" if _numeric(value) else "left") for value in row])
        table = Table(data, colWidths=[width * scale for width in widths], repeatRows=1)
        table.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.6, black),
                    ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 4),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 4),
                ]
            )
        )
        title = TextBlock(
            [(caption, self.fonts.heading)],
            size=CELL_SIZE + 1,
            leading=LEADING,
            align="center",
            keep_with_next=True,
            space_before=0.3 * LEADING,
        )
        return [title, table, Spacer(1, 0.4 * LEADING)]


def _numeric(value: object) -> bool:
    return isinstance(value, int | float) or (isinstance(value, str) and (value.endswith("%") or value == "—"))


def _headline(figures: Figures, who: str, scope: ReportScope) -> str:
    items = figures.items
    return (
        f"截至{chinese_date(figures.today)}，{who}{scope.name}{scope.period}企业名录共{figures.registry}家，"
        f"列入走访计划{figures.planned}家、已走访{figures.planned_visited}家；共对{figures.visited}家企业开展劳动用工"
        f"法治体检{figures.audits}次，发现问题{figures.findings}个，形成整改事项{figures.items_total}项，其中已复查"
        f"销号{items['verified']}项，整改销号率{percent(items['verified'], figures.items_total)}；逾期未整改"
        f"{items['overdue']}项；风险等级为高的企业{figures.grades.get(HIGH, 0)}家。现将有关情况报告如下："
    )


def render_district_report(
    figures: Figures,
    *,
    district: str,
    scope: ReportScope,
    indicators: Sequence[tuple[str, int]],
    fonts: NoticeFonts,
    issuing_body: str,
    issued_on: dt.date,
) -> bytes:
    """The district's report to the city (indicators: departmental data by kind, as imported)."""
    writer = _Writer(fonts)
    items = figures.items
    total = figures.items_total
    title = f"关于{district}{scope.name}工作情况的报告"
    story: list[Flowable] = [
        writer.title(title),
        Spacer(1, 0.5 * LEADING),
        writer.body(_headline(figures, district, scope)),
        writer.heading("一、风险摸排和走访安排"),
    ]
    shared = "、".join(f"{INDICATOR_LABELS.get(kind, kind)}{count}条" for kind, count in indicators if count)
    story.append(
        writer.body(
            (f"汇总税务、社保、金融、物流等部门共享数据{shared}，" if shared else "")
            + f"结合体检发现的问题综合研判企业风险等级：高风险{figures.grades.get('高', 0)}家、中风险"
            f"{figures.grades.get('中', 0)}家、低风险{figures.grades.get('低', 0)}家。按风险高低安排协调员上门体检，"
            f"列入走访计划{figures.planned}家，已走访{figures.planned_visited}家。"
        )
    )
    story.append(writer.heading("二、发现问题情况"))
    top = "、".join(f"{title}（{count}个）" for _, title, count in figures.by_module[:3])
    story.append(writer.body(f"按检查项目分，问题主要集中在{top}等方面。" if top else "未发现需要整改的问题。"))
    story += writer.table(
        "表1　发现问题分类统计（按检查项目）",
        ["序号", "检查项目", "问题数", "占比"],
        [
            [index, module_title, count, percent(count, figures.findings)]
            for index, (_, module_title, count) in enumerate(figures.by_module, start=1)
        ]
        + [["", "合计", figures.findings, percent(figures.findings, figures.findings)]],
        [1, 5, 1.6, 1.6],
    )
    story += writer.table(
        "表2　发现问题分类统计（按严重程度）",
        ["严重程度", "问题数", "占比"],
        [[level, count, percent(count, figures.findings)] for level, count in figures.by_severity],
        [3, 2, 2],
    )
    story.append(writer.heading("三、整改落实情况"))
    story.append(
        writer.body(
            f"整改事项共{total}项：已复查销号{items['verified']}项，企业已报送整改材料待复查{items['submitted']}项，"
            f"尚在整改期限内{items['open']}项，逾期未整改{items['overdue']}项。对逾期未整改的事项，已列入复查队列"
            "逐项跟踪督促，并提高有关企业的风险等级。"
        )
    )
    story += writer.table(
        "表3　整改事项进展统计",
        ["整改情况", "事项数", "占比"],
        [[label, items[state], percent(items[state], total)] for state, label in STATE_ROWS]
        + [["合计", total, percent(total, total)]],
        [4, 2, 2],
    )
    story += writer.table(
        "表4　各协调员工作情况",
        ["协调员", "计划走访", "体检次数", "整改中", "逾期", "已销号"],
        [
            [
                entry.name,
                f"{entry.planned_done}/{entry.planned}",
                entry.audits,
                entry.items.get("open", 0) + entry.items.get("submitted", 0),
                entry.items.get("overdue", 0),
                entry.items.get("verified", 0),
            ]
            for entry in figures.coordinators
        ],
        [3, 1.6, 1.4, 1.4, 1.2, 1.4],
    )
    story.append(writer.heading("四、高风险企业情况"))
    if figures.high_risk:
        story.append(
            writer.body(
                f"经综合研判，{figures.grades.get(HIGH, 0)}家企业风险等级为高，需提前介入、主动上门，重点跟踪指导。"
                f"风险最高的{len(figures.high_risk)}家如下："
            )
        )
        story += writer.table(
            "表5　高风险企业名单",
            ["序号", "单位名称", "统一社会信用代码", "未销号事项", "逾期事项", "风险因素"],
            [
                [index, row.name, row.uscc, row.open_items, row.overdue_items, _reasons(row.factors)]
                for index, row in enumerate(figures.high_risk, start=1)
            ],
            [0.8, 3.3, 4.0, 1.2, 1.2, 3.9],
        )
    else:
        story.append(writer.body("目前没有风险等级为高的企业。"))
    return _finish(writer, story, title, issuing_body, issued_on, f"{district}{scope.name}工作情况统计")


def _reasons(factors: object) -> str:
    from core.risk import RiskFactor

    texts = []
    for factor in factors if isinstance(factors, list) else []:
        if isinstance(factor, dict):
            texts.append(RiskFactor.from_json(factor).text)
    return "；".join(texts)


def render_city_report(
    districts: Sequence[tuple[str, Figures]],
    *,
    city: str,
    scope: ReportScope,
    fonts: NoticeFonts,
    issuing_body: str,
    issued_on: dt.date,
) -> bytes:
    """The city's report: its districts side by side, with city totals (each district's own figures)."""
    writer = _Writer(fonts)
    title = f"关于{city}{scope.name}工作情况的报告"
    registry = sum(f.registry for _, f in districts)
    visited = sum(f.visited for _, f in districts)
    audits = sum(f.audits for _, f in districts)
    findings = sum(f.findings for _, f in districts)
    total = sum(f.items_total for _, f in districts)
    verified = sum(f.items["verified"] for _, f in districts)
    overdue = sum(f.items["overdue"] for _, f in districts)
    high = sum(f.grades.get(HIGH, 0) for _, f in districts)
    today = max((f.today for _, f in districts), default=issued_on)
    story: list[Flowable] = [
        writer.title(title),
        Spacer(1, 0.5 * LEADING),
        writer.body(
            f"截至{chinese_date(today)}，全市{len(districts)}个区县{scope.name}{scope.period}企业名录共{registry}家，"
            f"共对{visited}家企业开展劳动用工法治体检{audits}次，发现问题{findings}个，形成整改事项{total}项，"
            f"已复查销号{verified}项，整改销号率{percent(verified, total)}；逾期未整改{overdue}项；"
            f"风险等级为高的企业{high}家。各区县情况如下："
        ),
    ]
    story += writer.table(
        "表1　各区县工作情况",
        ["区县", "名录企业", "体检企业", "体检次数", "发现问题", "整改事项", "已销号", "销号率", "逾期", "高风险"],
        [
            [
                name,
                f.registry,
                f.visited,
                f.audits,
                f.findings,
                f.items_total,
                f.items["verified"],
                percent(f.items["verified"], f.items_total),
                f.items["overdue"],
                f.grades.get(HIGH, 0),
            ]
            for name, f in districts
        ]
        + [["合计", registry, visited, audits, findings, total, verified, percent(verified, total), overdue, high]],
        [2.2, 1.4, 1.4, 1.4, 1.4, 1.4, 1.3, 1.5, 1.1, 1.2],
    )
    return _finish(writer, story, title, issuing_body, issued_on, f"{city}{scope.name}工作情况统计")


def _finish(
    writer: _Writer, story: list[Flowable], title: str, issuing_body: str, issued_on: dt.date, subject: str
) -> bytes:
    story.append(
        KeepTogether(
            [
                writer.body("特此报告。", space_before=0.3 * LEADING),
                Spacer(1, 0.4 * LEADING),
                Signoff(issuing_body, issued_on, writer.fonts, seal_label="（印章）"),
            ]
        )
    )
    created = dt.datetime.combine(issued_on, dt.time(0, 0), tzinfo=CHINA_TZ)
    return build_pdf(
        story,
        decor=PageDecor(fonts=writer.fonts),
        title=title,
        author=issuing_body,
        subject=subject,
        created=created,
    )
