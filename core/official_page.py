"""The page of an official document after GB/T 9704-2012 (党政机关公文格式), shared by the notice and the summary.

A4 paper; text block (版心) 156 mm × 225 mm with margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm;
body in 3号 (16 pt) on a grid of 22 lines of 28 characters; title in 2号 (22 pt); page numbers in 4号 (14 pt) as
"— 1 —", 7 mm below the text block, odd pages on the right and even pages on the left, one character in from the
edge of the text block. Everything a page prints besides the flowing text is drawn here, so the two documents
cannot drift apart.

Determinism: a document is built with ReportLab's ``invariant`` mode (fixed document id derived from content,
no "now" anywhere) and its creation date is set from the caller's moment (a notice's signing time), so the same
record always gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Final

from reportlab.lib.colors import Color, black
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate

from core.clock import CHINA_TZ
from core.fonts import NoticeFonts

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_TOP: Final = 37 * mm
MARGIN_BOTTOM: Final = 35 * mm
MARGIN_LEFT: Final = 28 * mm
MARGIN_RIGHT: Final = 26 * mm
TEXT_WIDTH: Final = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT
TEXT_HEIGHT: Final = PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
BODY_SIZE: Final = 16.0
TITLE_SIZE: Final = 22.0
PAGE_NUMBER_SIZE: Final = 14.0
LEADING: Final = 28.9
"""225 mm / 22 lines is 28.99 pt; a hair less so that float rounding never costs the 22nd line."""
CHAR: Final = BODY_SIZE
RED: Final = Color(0.80, 0.0, 0.0)
GREY: Final = Color(0.45, 0.45, 0.45)


@dataclass(frozen=True)
class Watermark:
    """A large diagonal word on every page (草稿, 作废), drawn under the text."""

    text: str
    color: Color


@dataclass(frozen=True)
class PageDecor:
    """What every page carries besides the flowing text."""

    fonts: NoticeFonts
    footer_note: str = ""
    watermark: Watermark | None = None


class _FixedTime:
    """Stands in for ReportLab's TimeStamp: the creation date printed into the PDF's metadata."""

    def __init__(self, moment: dt.datetime) -> None:
        local = moment.astimezone(CHINA_TZ)
        offset = local.utcoffset() or dt.timedelta(0)
        minutes = int(offset.total_seconds() // 60)
        self.t = local.timestamp()
        self.lt = local.timetuple()
        self.YMDhms = tuple(local.timetuple())[:6]
        self.dhh = minutes // 60
        self.dmm = minutes % 60
        self.tzname = "Asia/Shanghai"


def _canvas_maker(moment: dt.datetime, font: str) -> Callable[..., Canvas]:
    def make(*args: Any, **kwargs: Any) -> Canvas:
        kwargs["invariant"] = 1
        kwargs["initialFontName"] = font  # else every page names Helvetica, a font that is never embedded
        canvas = Canvas(*args, **kwargs)
        canvas._doc._timeStamp = _FixedTime(moment)
        return canvas

    return make


def draw_page_number(canvas: Canvas, number: int, font: str) -> None:
    label = f"— {number} —"
    baseline = MARGIN_BOTTOM - 7 * mm - PAGE_NUMBER_SIZE * 0.8
    canvas.setFont(font, PAGE_NUMBER_SIZE)
    canvas.setFillColor(Color(0, 0, 0))
    if number % 2:
        canvas.drawRightString(PAGE_WIDTH - MARGIN_RIGHT - PAGE_NUMBER_SIZE, baseline, label)
    else:
        canvas.drawString(MARGIN_LEFT + PAGE_NUMBER_SIZE, baseline, label)


def _decorate(decor: PageDecor) -> Callable[[Canvas, BaseDocTemplate], None]:
    def on_page(canvas: Canvas, document: BaseDocTemplate) -> None:
        canvas.saveState()
        number = canvas.getPageNumber()
        if decor.watermark is not None:
            canvas.setFillColor(decor.watermark.color)
            canvas.setFont(decor.fonts.heading, 110)
            canvas.translate(PAGE_WIDTH / 2, PAGE_HEIGHT / 2)
            canvas.rotate(35)
            canvas.drawCentredString(0, -40, decor.watermark.text)
            canvas.rotate(-35)
            canvas.translate(-PAGE_WIDTH / 2, -PAGE_HEIGHT / 2)
        draw_page_number(canvas, number, decor.fonts.title)
        if decor.footer_note:
            canvas.setFont(decor.fonts.body, 9)
            canvas.setFillColor(GREY)
            baseline = MARGIN_BOTTOM - 7 * mm - PAGE_NUMBER_SIZE * 0.8
            if number % 2:
                canvas.drawString(MARGIN_LEFT, baseline, decor.footer_note)
            else:
                canvas.drawRightString(PAGE_WIDTH - MARGIN_RIGHT, baseline, decor.footer_note)
        canvas.restoreState()

    return on_page


class Signoff(Flowable):  # type: ignore[misc]
    """落款: the issuing body centred over the date, the date four characters in from the right, and the seal
    area — a dashed circle (42 mm, a common seal size) pressing on both, as GB/T 9704 places the seal."""

    SEAL: Final = 42 * mm
    DATE_BASE: Final = 12.0
    """The date's baseline; the seal circle may reach a little below, into the space before what follows."""

    def __init__(
        self, issuing_body: str, day: dt.date, fonts: NoticeFonts, *, seal_label: str, aside: Flowable | None = None
    ) -> None:
        super().__init__()
        self.aside = aside
        self.issuing_body = issuing_body
        self.day = chinese_date(day)
        self.fonts = fonts
        self.seal_label = seal_label

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = available_width
        # The seal's top may rise into the line above (GB/T 9704: within one line of the text), so that line's
        # height is not reserved again here.
        self.height = self.DATE_BASE + 1.2 * LEADING + self.SEAL / 2 - 0.8 * LEADING
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        date_right = self.width - 4 * CHAR
        date_width = canvas.stringWidth(self.day, self.fonts.body, BODY_SIZE)
        centre = date_right - date_width / 2
        body_width = canvas.stringWidth(self.issuing_body, self.fonts.body, BODY_SIZE)
        centre = min(centre, self.width - body_width / 2)
        date_base = self.DATE_BASE
        body_base = date_base + LEADING
        canvas.saveState()
        if self.seal_label:  # a placeholder for where the seal goes: only on a draft, never on a signed document
            canvas.setStrokeColor(Color(0.85, 0.45, 0.45))
            canvas.setDash(3, 2)
            canvas.setLineWidth(0.6)
            seal_centre_y = body_base + 0.2 * LEADING
            canvas.circle(centre, seal_centre_y, self.SEAL / 2, stroke=1, fill=0)
            canvas.setFillColor(Color(0.85, 0.45, 0.45))
            canvas.setFont(self.fonts.body, 9)
            canvas.drawCentredString(centre, seal_centre_y + self.SEAL / 2 - 14, self.seal_label)
        canvas.setFillColor(black)
        canvas.setFont(self.fonts.body, BODY_SIZE)
        canvas.drawCentredString(centre, body_base, self.issuing_body)
        canvas.drawRightString(date_right, date_base, self.day)
        canvas.restoreState()
        if self.aside is not None:
            room = max(0.0, min(centre - self.SEAL / 2, centre - body_width / 2) - 8)
            self.aside.wrap(room, self.height)
            self.aside.drawOn(canvas, 0, 0)


def build_pdf(
    story: Sequence[Flowable],
    *,
    decor: PageDecor,
    title: str,
    author: str,
    subject: str,
    created: dt.datetime,
) -> bytes:
    """Lay ``story`` out on official pages and return the PDF bytes (same inputs, same bytes)."""
    buffer = io.BytesIO()
    document = BaseDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN_LEFT,
        rightMargin=MARGIN_RIGHT,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        title=title,
        author=author,
        subject=subject,
        creator="LaborCheck 劳动用工法治体检",
        producer="LaborCheck (ReportLab)",
        invariant=1,
        pageCompression=1,
    )
    frame = Frame(
        MARGIN_LEFT,
        MARGIN_BOTTOM,
        TEXT_WIDTH,
        TEXT_HEIGHT,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="body",
    )
    document.addPageTemplates([PageTemplate(id="official", frames=[frame], onPage=_decorate(decor))])
    document.build(list(story), canvasmaker=_canvas_maker(created, decor.fonts.body))
    return buffer.getvalue()


def chinese_date(day: dt.date) -> str:
    """成文日期 as GB/T 9704-2012 writes it: Arabic numerals, full year, no leading zeros (2026年1月5日)."""
    return f"{day.year}年{day.month}月{day.day}日"


def chinese_moment(moment: dt.datetime) -> str:
    """A stored UTC instant as read in China: 2026年11月10日 11:30."""
    local = moment.astimezone(CHINA_TZ)
    return f"{chinese_date(local.date())} {local:%H:%M}"


_DIGITS: Final = "零一二三四五六七八九"


def chinese_numeral(number: int) -> str:
    """一 … 九十九: the sequence numbers of first-level headings (一、二、…)."""
    if not 0 < number < 100:
        return str(number)
    tens, ones = divmod(number, 10)
    if tens == 0:
        return _DIGITS[ones]
    head = "" if tens == 1 else _DIGITS[tens]
    return head + "十" + (_DIGITS[ones] if ones else "")


__all__ = [
    "BODY_SIZE",
    "CHAR",
    "GREY",
    "LEADING",
    "MARGIN_BOTTOM",
    "MARGIN_LEFT",
    "MARGIN_RIGHT",
    "MARGIN_TOP",
    "PAGE_HEIGHT",
    "PAGE_WIDTH",
    "RED",
    "TEXT_HEIGHT",
    "TEXT_WIDTH",
    "TITLE_SIZE",
    "PageDecor",
    "Signoff",
    "Watermark",
    "build_pdf",
    "chinese_date",
    "chinese_moment",
    "chinese_numeral",
    "draw_page_number",
]
