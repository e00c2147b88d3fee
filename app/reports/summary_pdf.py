"""The campaign summary (专项行动工作情况报告) as a PDF in the notice's official style.

The district sends a written summary with figures at the end of a campaign (DOMAIN.md, step 6). This document
states the figures of :func:`app.reports.statistics.campaign_statistics` in prose, then in four tables (problems
by module, by severity, rectification progress, high-risk enterprises), and ends with the issuing body and date.
Typical cases are the coordinator's own writing and are not generated. The creation date is the report date, so a
summary made twice on one day from the same data is the same file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Final

from reportlab.lib.colors import Color, black
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle

from app.reports.statistics import CampaignStatistics
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
from core.typesetting import Align, TextBlock

CELL_SIZE: Final = 12.0
HEADER_FILL: Final = Color(0.92, 0.92, 0.92)


def _numeric(value: object) -> bool:
    return isinstance(value, int | float) or (isinstance(value, str) and (value.endswith("%") or value == "—"))


def _percent(part: int, whole: int) -> str:
    return f"{part / whole * 100:.1f}%" if whole else "—"


class _Writer:
    def __init__(self, fonts: NoticeFonts) -> None:
        self.fonts = fonts

    def body(self, text: str, *, indent: bool = True, **options: object) -> TextBlock:
        return TextBlock(
            [(text, self.fonts.body)],
            size=BODY_SIZE,
            leading=LEADING,
            first_indent=2 * CHAR if indent else 0,
            **options,  # type: ignore[arg-type]
        )

    def heading(self, text: str) -> TextBlock:
        return TextBlock(
            [(text, self.fonts.heading)], size=BODY_SIZE, leading=LEADING, first_indent=2 * CHAR, keep_with_next=True
        )

    def cell(self, text: object, *, header: bool = False, align: Align = "left") -> TextBlock:
        font = self.fonts.heading if header else self.fonts.body
        return TextBlock([(str(text), font)], size=CELL_SIZE, leading=CELL_SIZE * 1.45, align=align)

    def table(self, caption: str, header: Sequence[str], rows: Sequence[Sequence[object]], widths: Sequence[float]):  # type: ignore[no-untyped-def]
        scale = TEXT_WIDTH / sum(widths)
        data = [[self.cell(text, header=True, align="center") for text in header]]
        for row in rows:
            data.append([self.cell(value, align="right" if _numeric(value) else "left") for value in row])
        table = Table(data, colWidths=[width * scale for width in widths], repeatRows=1)
        table.setStyle(
            TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, -1), self.fonts.body),
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


def _period(stats: CampaignStatistics) -> str:
    if stats.starts_on and stats.ends_on:
        return f"（{chinese_date(stats.starts_on)}至{chinese_date(stats.ends_on)}）"
    return ""


def render_summary(stats: CampaignStatistics, *, fonts: NoticeFonts, issuing_body: str, issued_on: dt.date) -> bytes:
    """The summary as PDF bytes, dated ``issued_on`` (figures as of ``stats.today``)."""
    writer = _Writer(fonts)
    items = stats.items
    title = f"关于{stats.campaign_name}工作情况的报告"
    story: list[Flowable] = [
        TextBlock([(title, fonts.title)], size=TITLE_SIZE, leading=TITLE_SIZE * 1.5, align="center", stroke=0.5),
        Spacer(1, 0.5 * LEADING),
        writer.body(
            f"截至{chinese_date(stats.today)}，{stats.campaign_name}{_period(stats)}"
            f"共对{stats.enterprises_checked}家企业开展劳动用工法治体检{stats.audits}次，发现问题{stats.findings}个，"
            f"形成整改事项{items.total}项，其中已复查销号{items.verified}项，整改销号率"
            f"{_percent(items.verified, items.total)}；逾期未整改{items.overdue}项；"
            f"列为高风险的企业{len(stats.high_risk)}家。现将有关情况报告如下："
        ),
        writer.heading("一、发现问题情况"),
    ]
    top = "、".join(f"{module.title}（{module.findings}个）" for module in stats.by_module[:3])
    story.append(
        writer.body(f"按检查项目分，问题主要集中在{top}等方面。" if top else "本次专项行动未发现需要整改的问题。")
    )
    story += writer.table(
        "表1　发现问题分类统计（按检查项目）",
        ["序号", "检查项目", "问题数", "占比"],
        [
            [index, module.title, module.findings, _percent(module.findings, stats.findings)]
            for index, module in enumerate(stats.by_module, start=1)
        ]
        + [["", "合计", stats.findings, _percent(stats.findings, stats.findings)]],
        [1, 5, 1.6, 1.6],
    )
    story += writer.table(
        "表2　发现问题分类统计（按严重程度）",
        ["严重程度", "问题数", "占比"],
        [[level, count, _percent(count, stats.findings)] for level, count in stats.by_severity],
        [3, 2, 2],
    )
    story.append(writer.heading("二、整改落实情况"))
    story.append(
        writer.body(
            f"整改事项共{items.total}项：已复查销号{items.verified}项，企业已报送整改材料待复查{items.submitted}项，"
            f"尚在整改期限内{items.open}项，逾期未整改{items.overdue}项。"
            "对逾期未整改的事项，将逐项跟踪督促，并提高有关企业的风险等级。"
        )
    )
    story += writer.table(
        "表3　整改事项进展统计",
        ["整改情况", "事项数", "占比"],
        [
            ["已复查销号", items.verified, _percent(items.verified, items.total)],
            ["已报送整改材料待复查", items.submitted, _percent(items.submitted, items.total)],
            ["整改期限内", items.open, _percent(items.open, items.total)],
            ["逾期未整改", items.overdue, _percent(items.overdue, items.total)],
            ["合计", items.total, _percent(items.total, items.total)],
        ],
        [4, 2, 2],
    )
    story.append(writer.heading("三、高风险企业情况"))
    if stats.high_risk:
        story.append(
            writer.body(f"经综合研判，{len(stats.high_risk)}家企业风险等级为高，需提前介入、主动上门，重点跟踪指导。")
        )
        story += writer.table(
            "表4　高风险企业名单",
            ["序号", "单位名称", "统一社会信用代码", "未销号事项", "逾期事项", "风险因素"],
            [
                [index, row.name, row.uscc, row.open_items + row.overdue_items, row.overdue_items, row.reasons]
                for index, row in enumerate(stats.high_risk, start=1)
            ],
            [0.8, 3.3, 4.0, 1.2, 1.2, 3.9],
        )
    else:
        story.append(writer.body("目前没有风险等级为高的企业。"))
    story.append(
        KeepTogether(
            [
                writer.body("特此报告。", space_before=0.3 * LEADING),
                Spacer(1, 0.4 * LEADING),
                Signoff(issuing_body, issued_on, fonts, seal_label="（印章）"),
            ]
        )
    )
    created = dt.datetime.combine(issued_on, dt.time(0, 0), tzinfo=CHINA_TZ)
    return build_pdf(
        story,
        decor=PageDecor(fonts=fonts),
        title=title,
        author=issuing_body,
        subject=f"{stats.campaign_name}工作情况统计",
        created=created,
    )


__all__ = ["render_summary"]
