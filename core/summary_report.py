"""The campaign summary (专项行动工作情况报告) as a PDF in the notice's official style.

The district sends a written summary with figures at the end of a campaign (DOMAIN.md, step 6). This document
states the figures of :func:`core.statistics.compute_statistics` in prose — the laptop's campaign summary over its
own rows, the district office's report to the city over the district's rows (``server.console``) — then in
tables (problems by module, by severity and by item, rectification progress, high-risk enterprises), and ends
with the issuing body and date.
Typical cases are the coordinator's own writing and are not generated. The creation date is the report date, so a
summary made twice on one day from the same data is the same file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Final

from reportlab.lib.colors import Color, black
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle

from core.clock import CHINA_TZ
from core.fonts import NoticeFonts
from core.official_page import (
    BODY_CHAR_SPACE,
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
from core.statistics import CampaignStatistics, ItemState, percent
from core.typesetting import Align, TextBlock

CELL_SIZE: Final = 12.0
HEADER_FILL: Final = Color(0.92, 0.92, 0.92)


def _numeric(value: object) -> bool:
    return isinstance(value, int | float) or (isinstance(value, str) and (value.endswith("%") or value == "—"))


class ReportWriter:
    """Paragraphs, headings and captioned tables in the official style (the summary's and the city report's)."""

    def __init__(self, fonts: NoticeFonts) -> None:
        self.fonts = fonts

    def body(self, text: str, *, indent: bool = True, **options: object) -> TextBlock:
        return TextBlock(
            [(text, self.fonts.body)],
            size=BODY_SIZE,
            leading=LEADING,
            first_indent=2 * CHAR if indent else 0,
            char_space=BODY_CHAR_SPACE,
            **options,  # type: ignore[arg-type]
        )

    def heading(self, text: str) -> TextBlock:
        return TextBlock(
            [(text, self.fonts.heading)],
            size=BODY_SIZE,
            leading=LEADING,
            first_indent=2 * CHAR,
            keep_with_next=True,
            char_space=BODY_CHAR_SPACE,
        )

    def cell(self, text: object, *, header: bool = False, align: Align = "left") -> TextBlock:
        font = self.fonts.heading if header else self.fonts.body
        return TextBlock([(str(text), font)], size=CELL_SIZE, leading=CELL_SIZE * 1.45, align=align)

    def table(self, caption: str, header: Sequence[str], rows: Sequence[Sequence[object]], widths: Sequence[float]):  # type: ignore[no-untyped-def]
        """A captioned table that splits across pages by rows, the caption and header repeated on each page (a
        caption kept with a whole table would leave the page before it half empty)."""
        scale = TEXT_WIDTH / sum(widths)
        title = TextBlock([(caption, self.fonts.heading)], size=CELL_SIZE + 1, leading=LEADING, align="center")
        data: list[list[object]] = [[title] + [""] * (len(header) - 1)]
        data.append([self.cell(text, header=True, align="center") for text in header])
        for row in rows:
            data.append([self.cell(value, align="right" if _numeric(value) else "left") for value in row])
        table = Table(data, colWidths=[width * scale for width in widths], repeatRows=2)
        table.setStyle(
            TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, -1), self.fonts.body),
                    ("SPAN", (0, 0), (-1, 0)),
                    ("GRID", (0, 1), (-1, -1), 0.6, black),
                    ("BACKGROUND", (0, 1), (-1, 1), HEADER_FILL),
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 4),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 4),
                ]
            )
        )
        table.spaceBefore = 0.3 * LEADING
        return [table, Spacer(1, 0.4 * LEADING)]

    def finish(
        self, story: list[Flowable], *, title: str, issuing_body: str, issued_on: dt.date, subject: str
    ) -> bytes:
        """Close a report as every report closes (特此报告, the issuing body and date kept together) and build it."""
        story.append(
            KeepTogether(
                [
                    self.body("特此报告。", space_before=0.3 * LEADING),
                    Spacer(1, 0.4 * LEADING),
                    Signoff(issuing_body, issued_on, self.fonts, seal_label=""),
                ]
            )
        )
        created = dt.datetime.combine(issued_on, dt.time(0, 0), tzinfo=CHINA_TZ)
        return build_pdf(
            story,
            decor=PageDecor(fonts=self.fonts),
            title=title,
            author=issuing_body,
            subject=subject,
            created=created,
        )


def _period(stats: CampaignStatistics) -> str:
    if stats.scope.starts_on and stats.scope.ends_on:
        return f"（{chinese_date(stats.scope.starts_on)}至{chinese_date(stats.scope.ends_on)}）"
    return ""


ITEM_STATE_ROWS: Final[tuple[tuple[ItemState, str], ...]] = (
    ("verified", "已复查销号"),
    ("open", "整改期限内，企业尚未报送整改材料"),
    ("submitted", "整改期限内，企业已报送整改材料待复查"),
    ("overdue_open", "已逾期，企业尚未报送整改材料"),
    ("overdue_submitted", "已逾期，企业已报送整改材料待复查"),
)
"""Table 3's rows: the five disjoint item states of :func:`core.statistics.item_state`, worded as the ledger's
整改情况 column words them, so each row can be counted in the ledger."""
TOP_ITEMS: Final = 10


def opening_text(stats: CampaignStatistics) -> str:
    """The report's first paragraph: every headline figure, each with what it counts."""
    items = stats.items
    scope_checked = "本次专项行动" if stats.scope.campaign_id is not None else "已体检"
    return (
        f"截至{chinese_date(stats.today)}，{stats.scope.name}{_period(stats)}共对{stats.enterprises_checked}家企业"
        f"开展劳动用工法治体检{stats.audits}次，其中{stats.enterprises_with_findings}家企业存在问题，"
        f"共发现问题{stats.findings}个，均已形成整改事项。目前已复查销号{items.verified}项，整改销号率"
        f"{percent(items.verified, items.total)}；企业已报送整改材料待复查{items.awaiting_verification}项；"
        f"超过整改期限仍未销号{items.overdue}项。{scope_checked}的{stats.enterprises_checked}家企业中，"
        f"风险等级为高的{stats.high_risk_checked}家；企业名录在册{stats.registry_enterprises}家企业中，"
        f"风险等级为高的共{stats.high_risk_registry}家，含尚未体检的企业。现将有关情况报告如下："
    )


def render_summary(stats: CampaignStatistics, *, fonts: NoticeFonts, issuing_body: str, issued_on: dt.date) -> bytes:
    """The summary as PDF bytes, dated ``issued_on`` (figures as of ``stats.today``)."""
    writer = ReportWriter(fonts)
    items = stats.items
    title = f"关于{stats.scope.name}工作情况的报告"
    story: list[Flowable] = [
        TextBlock(
            [(title, fonts.title)],
            size=TITLE_SIZE,
            leading=LEADING,
            align="center",
            stroke=0.5 if fonts.bold_title else 0.0,
        ),
        Spacer(1, 0.5 * LEADING),
        writer.body(opening_text(stats)),
        writer.heading("一、发现问题情况"),
    ]
    top = "、".join(f"{module.title}{module.count}个" for module in stats.by_module[:3])
    story.append(
        writer.body(f"按检查项目分，问题主要集中在{top}等方面。" if top else "本次专项行动未发现需要整改的问题。")
    )
    story += writer.table(
        "表1　发现问题分类统计（按检查项目）",
        ["序号", "检查项目", "问题数", "占比"],
        [
            [index, module.title, module.count, percent(module.count, stats.findings)]
            for index, module in enumerate(stats.by_module, start=1)
        ]
        + [["", "合计", stats.findings, percent(stats.findings, stats.findings)]],
        [1, 5, 1.6, 1.6],
    )
    story += writer.table(
        "表2　发现问题分类统计（按严重程度）",
        ["严重程度", "问题数", "占比"],
        [[level.title, level.count, percent(level.count, stats.findings)] for level in stats.by_severity],
        [3, 2, 2],
    )
    if stats.by_item:
        shown = stats.by_item[:TOP_ITEMS]
        caption = "表3　发现较多的问题（按检查项）" if len(stats.by_item) > TOP_ITEMS else "表3　发现问题（按检查项）"
        story += writer.table(
            caption,
            ["序号", "检查项", "问题数"],
            [[index, item.title, item.count] for index, item in enumerate(shown, start=1)],
            [1, 7, 1.6],
        )
    story.append(writer.heading("二、整改落实情况"))
    story.append(
        writer.body(
            f"整改事项共{items.total}项：已复查销号{items.verified}项；整改期限内的{items.open + items.submitted}项，"
            f"其中企业已报送整改材料待复查{items.submitted}项；已逾期的{items.overdue}项，其中企业已报送整改材料"
            f"待复查{items.overdue_submitted}项。对逾期未销号的事项，将逐项跟踪督促，并提高有关企业的风险等级。"
        )
    )
    story += writer.table(
        "表4　整改事项进展统计",
        ["整改情况", "事项数", "占比"],
        [[label, items.count(state), percent(items.count(state), items.total)] for state, label in ITEM_STATE_ROWS]
        + [["合计", items.total, percent(items.total, items.total)]],
        [5, 1.6, 1.6],
    )
    story.append(writer.heading("三、高风险企业情况"))
    if stats.high_risk:
        story.append(
            writer.body(
                f"经综合研判，{scope_name(stats)}体检企业中风险等级为高的有{stats.high_risk_checked}家，"
                "需提前介入、主动上门，重点跟踪指导。"
            )
        )
        story += writer.table(
            "表5　高风险企业名单",
            ["序号", "单位名称", "统一社会信用代码", "未销号事项", "其中逾期", "风险因素"],
            [
                [index, row.name, row.uscc, row.open_items, row.overdue_items, row.reasons]
                for index, row in enumerate(stats.high_risk, start=1)
            ],
            [0.8, 3.3, 4.0, 1.2, 1.2, 3.9],
        )
    else:
        story.append(writer.body(f"{scope_name(stats)}体检企业中目前没有风险等级为高的企业。"))
    return writer.finish(
        story, title=title, issuing_body=issuing_body, issued_on=issued_on, subject=f"{stats.scope.name}工作情况统计"
    )


def scope_name(stats: CampaignStatistics) -> str:
    return "本次专项行动" if stats.scope.campaign_id is not None else "已"


__all__ = ["ITEM_STATE_ROWS", "ReportWriter", "opening_text", "render_summary"]
