"""The annex (附件) of a rectification notice: the wage-check evidence behind its findings, in the notice's style.

GB/T 9704-2012 7.3.7 puts an annex after the document on a new page: "附件" in 3号黑体 on the first line at the
left edge, the title centred in the title face on the third line, then the content formatted as the body (the
grid of 22 lines of 28 characters, :mod:`core.official_page`); page numbers run on. The body names the annex one
empty line below its text, indented two characters (7.3.4 附件说明: "附件：工资支付和工作时间核查明细", no
punctuation after the name). Each section is one rule with its legal basis and a table (worker, masked ID number
or 工号, month, the figure, the legal line, the shortfall), and the sum of what is owed.

Everything printed comes from the notice's frozen content (``content["annex"]``), never from the live check, so a
signed notice prints the annex it was signed with. A table longer than the printed cap says how many rows more
the exported table holds.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from reportlab.lib.colors import black
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak, Table, TableStyle

from core.fonts import NoticeFonts
from core.official_page import BODY_CHAR_SPACE, BODY_SIZE, CHAR, LEADING, TEXT_WIDTH, TITLE_SIZE, chinese_numeral
from core.typesetting import TextBlock

__all__ = ["annex_flowables", "annex_line", "annex_note"]

TABLE_SIZE = 10.5
"""五号: the size official annex tables use, small enough for seven columns on the 156 mm text block."""


def annex_line(content: Mapping[str, Any]) -> str | None:
    """The body's line naming the annex (None without an annex)."""
    annex = content.get("annex")
    if not annex:
        return None
    return f"附件：{annex.get('title') or '核查明细'}"


def annex_note(content: Mapping[str, Any], body: Callable[[str], TextBlock]) -> list[TextBlock]:
    """附件说明 (GB/T 9704 7.3.4): one empty line below the text, then "附件：" and the annex's name, indented
    two characters like the body. ``body`` sets a body paragraph on the notice's grid. Empty without an annex."""
    line = annex_line(content)
    if line is None:
        return []
    return [body("\u3000"), body(line)]


def _cell(text: str, font: str, align: str = "left") -> TextBlock:
    return TextBlock([(text, font)], size=TABLE_SIZE, leading=TABLE_SIZE * 1.35, align=align)  # type: ignore[arg-type]


_FIGURE = re.compile(r"^[\d.,\-—]+$")


def _align(column: int, text: str) -> str:
    """Figures (amounts, counts, dates) to the right, words (the weeks without rest) to the left."""
    return "right" if column >= 4 and _FIGURE.match(text) else "left"


def _widths(count: int) -> list[float]:
    fixed = [9 * mm, 16 * mm, 40 * mm, 21 * mm]
    rest = (TEXT_WIDTH - sum(fixed)) / max(1, count - len(fixed))
    return fixed + [rest] * (count - len(fixed))


def _table(section: Mapping[str, Any], fonts: NoticeFonts) -> Table:
    columns = [str(name) for name in section.get("columns") or []]
    rows: list[list[Any]] = [[_cell(name, fonts.heading, "center") for name in columns]]
    for row in section.get("rows") or []:
        rows.append([_cell(str(value), fonts.body, _align(index, str(value))) for index, value in enumerate(row)])
    total = str(section.get("total") or "")
    if total:
        rows.append(
            [_cell("合计", fonts.heading, "center"), *([""] * (len(columns) - 2)), _cell(total, fonts.heading, "right")]
        )
    table = Table(rows, colWidths=_widths(len(columns)), repeatRows=1)
    style = [
        ("FONTNAME", (0, 0), (-1, -1), fonts.body),
        ("GRID", (0, 0), (-1, -1), 0.5, black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 2),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
    ]
    if total:
        style.append(("SPAN", (0, len(rows) - 1), (-2, len(rows) - 1)))
    table.setStyle(TableStyle(style))
    table.spaceBefore = 0.2 * LEADING
    table.spaceAfter = 0.4 * LEADING
    return table


def _body(text: str, font: str, **options: Any) -> TextBlock:
    """A paragraph on the notice's grid: 3号, 22 lines of 28 characters, first line indented two characters."""
    options.setdefault("first_indent", 2 * CHAR)
    return TextBlock([(text, font)], size=BODY_SIZE, leading=LEADING, char_space=BODY_CHAR_SPACE, **options)


def annex_flowables(content: Mapping[str, Any], fonts: NoticeFonts) -> list[Flowable]:
    """The annex pages (empty list without an annex), after GB/T 9704 7.3.7: a new page, "附件" in 黑体 on the
    first line at the left edge, the title centred in the title face on the third line, one empty line, then the
    text on the body's grid; each section's heading is a first-level heading (一、) in 黑体."""
    annex = content.get("annex")
    if not annex:
        return []
    title = str(annex.get("title") or "核查明细")
    story: list[Flowable] = [
        PageBreak(),
        _body("附件", fonts.heading, first_indent=0),
        TextBlock(
            [(title, fonts.title)],
            size=TITLE_SIZE,
            leading=LEADING,
            align="center",
            stroke=0.6 if fonts.bold_title else 0.0,
            space_before=LEADING,
            space_after=LEADING,
        ),
    ]
    months = str(annex.get("months") or "")
    intro = (
        f"以下明细依据你单位提供的{months}工资表和考勤记录逐人逐月核查形成。身份证号码仅显示前三位和后四位；"
        "金额单位为元，时间单位为小时。"
    )
    story.append(_body(intro, fonts.body))
    for number, section in enumerate(annex.get("sections") or [], start=1):
        heading = f"{chinese_numeral(number)}、{section.get('title')}（{section.get('citation')}）"
        story.append(_body(heading, fonts.heading, keep_with_next=True))
        story.append(_table(section, fonts))
        omitted = int(section.get("omitted") or 0)
        if omitted:
            story.append(_body(f"另有{omitted}条明细未列出，见随本通知书提供的电子核查明细表。", fonts.body))
    return story
