"""The page of an official document after GB/T 9704-2012 (党政机关公文格式), shared by the notice and the summary.

A4 paper; text block (版心) 156 mm × 225 mm with margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm;
body in 3号 (16 pt) on a grid of exactly 22 lines of 28 characters: the line pitch is 225 mm / 22 and the
character pitch puts the 28th character's right edge on the text block's right edge (5.2.4). Title in 2号
(22 pt). The head of the first page (版头, 7.2) is measured as the standard gives it: the issuing body's mark
(发文机关标志) 35 mm below the top of the text block, the 文号 two empty lines below it, the red separator 4 mm
below the 文号, the title two empty lines below the red line, the addressee one empty line below the title. Page
numbers in 4号 (14 pt) song face as "— 1 —", the top of the line 7 mm below the text block, odd pages on the
right and even pages on the left, one character in from the edge (7.5); the footer carries nothing else.
Everything a page prints besides the flowing text is drawn here, so the notice and the summary (and the
office's reports) cannot drift apart.

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
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate

from core.clock import CHINA_TZ
from core.fonts import NoticeFonts

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_TOP: Final[float] = 37 * mm
MARGIN_BOTTOM: Final[float] = 35 * mm
MARGIN_LEFT: Final[float] = 28 * mm
MARGIN_RIGHT: Final[float] = 26 * mm
TEXT_WIDTH: Final[float] = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT
TEXT_HEIGHT: Final[float] = PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
BODY_SIZE: Final = 16.0
TITLE_SIZE: Final = 22.0
PAGE_NUMBER_SIZE: Final = 14.0
LINES_PER_PAGE: Final = 22
CHARS_PER_LINE: Final = 28
LEADING: Final[float] = TEXT_HEIGHT / LINES_PER_PAGE
"""The line pitch: 225 mm / 22 = 28.99 pt."""
CHAR: Final[float] = (TEXT_WIDTH - BODY_SIZE) / (CHARS_PER_LINE - 1)
"""The character pitch: 27 pitches and one 16 pt glyph fill 156 mm exactly (15.79 pt)."""
BODY_CHAR_SPACE: Final[float] = CHAR - BODY_SIZE
"""Spacing after every body glyph that gives :data:`CHAR` (negative: 3号 is a little wider than 156 mm / 28)."""
MARK_TOP: Final[float] = 35 * mm
"""发文机关标志: its top edge 35 mm below the top of the text block (7.2.1, 下行文)."""
MARK_SIZE: Final = 30.0
RED_LINE_GAP: Final[float] = 4 * mm
"""The red separator 4 mm below the 文号 (7.2.4)."""
PAGE_NUMBER_GAP: Final[float] = 7 * mm
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


def em_baseline(font: str, size: float, em_top: float) -> float:
    """The baseline that puts the top of a glyph's em box (as a PDF reader measures it) at ``em_top``."""
    return em_top - size - _descent(font) * size


def _descent(font: str) -> float:
    try:
        return float(pdfmetrics.getFont(font).face.descent) / 1000.0
    except (KeyError, AttributeError):
        return -0.12


def draw_page_number(canvas: Canvas, number: int, font: str) -> None:
    """ "— N —" in 4号, its top 7 mm below the text block, one character in from the outer edge (7.5)."""
    label = f"— {number} —"
    baseline = em_baseline(font, PAGE_NUMBER_SIZE, MARGIN_BOTTOM - PAGE_NUMBER_GAP)
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
        draw_page_number(canvas, number, decor.fonts.song)
        canvas.restoreState()

    return on_page


@dataclass(frozen=True)
class HeaderGeometry:
    """Where the head of the first page puts things, as distances down from the top of the text block (pt)."""

    mark_size: float

    @property
    def mark_bottom(self) -> float:
        return MARK_TOP + self.mark_size

    @property
    def number_cell(self) -> float:
        """The 文号's line: two empty lines below the mark (发文机关标志下空二行)."""
        return self.mark_bottom + 2 * LEADING

    @property
    def number_bottom(self) -> float:
        return self.number_cell + (LEADING - BODY_SIZE) / 2 + BODY_SIZE

    @property
    def red_line(self) -> float:
        return self.number_bottom + RED_LINE_GAP

    @property
    def title_cell(self) -> float:
        """The title's first line: two empty lines below the red separator (红色分隔线下空二行)."""
        return self.red_line + 2 * LEADING

    def addressee_cell(self, title_lines: int) -> float:
        """The addressee: one empty line below the title (标题下空一行)."""
        return self.title_cell + (title_lines + 1) * LEADING


class OfficialHeader(Flowable):  # type: ignore[misc]
    """版头 and title of the first page: mark, 文号, red separator, title, at the standard's distances.

    ``banner`` (a draft's or a voided notice's red line of warning) is set in the space above the mark, so the
    head is measured the same whatever the document's state.
    """

    def __init__(
        self, fonts: NoticeFonts, *, mark: str, number: str, title: str, banner: str = "", mark_color: Color = RED
    ) -> None:
        super().__init__()
        self.fonts = fonts
        self.mark = mark
        self.number = number
        self.title = title
        self.banner = banner
        self.mark_color = mark_color
        self.mark_size = MARK_SIZE
        self.title_lines = [title]

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = available_width
        natural = pdfmetrics.stringWidth(self.mark, self.fonts.title, MARK_SIZE) if self.mark else 0.0
        self.mark_size = MARK_SIZE if natural <= available_width else MARK_SIZE * available_width / natural
        title_width = pdfmetrics.stringWidth(self.title, self.fonts.title, TITLE_SIZE)
        if title_width > available_width:  # 回行: halves, the longer line first (a trapezoid, 7.3.1)
            middle = (len(self.title) + 1) // 2
            self.title_lines = [self.title[:middle], self.title[middle:]]
        geometry = HeaderGeometry(self.mark_size)
        self.height = geometry.addressee_cell(len(self.title_lines))
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        geometry = HeaderGeometry(self.mark_size)
        top = self.height  # the flowable's top is the top of the text block
        centre = self.width / 2
        canvas.saveState()
        if self.banner:
            canvas.setFillColor(RED)
            canvas.setFont(self.fonts.body, BODY_SIZE)
            canvas.drawCentredString(centre, em_baseline(self.fonts.body, BODY_SIZE, top - 4 * mm), self.banner)
        if self.fonts.bold_title:  # a light song face stands in for 小标宋: thicken its strokes
            canvas.setLineWidth(0.6)
            canvas.setStrokeColor(self.mark_color)
        if self.mark:
            canvas.setFillColor(self.mark_color)
            baseline = em_baseline(self.fonts.title, self.mark_size, top - MARK_TOP)
            self._centred(self.mark, self.mark_size, baseline)
        canvas.setFillColor(black)
        canvas.setFont(self.fonts.body, BODY_SIZE)
        number_top = top - geometry.number_cell - (LEADING - BODY_SIZE) / 2
        canvas.drawCentredString(centre, em_baseline(self.fonts.body, BODY_SIZE, number_top), self.number)
        canvas.setStrokeColor(RED)
        canvas.setLineWidth(1.0)
        red = top - geometry.red_line
        canvas.line(0, red, self.width, red)
        canvas.setFillColor(black)
        canvas.setStrokeColor(black)
        canvas.setLineWidth(0.5)
        for index, line in enumerate(self.title_lines):
            line_top = top - geometry.title_cell - index * LEADING - (LEADING - TITLE_SIZE) / 2
            self._centred(line, TITLE_SIZE, em_baseline(self.fonts.title, TITLE_SIZE, line_top))
        canvas.restoreState()

    def _centred(self, text: str, size: float, baseline: float) -> None:
        canvas = self.canv
        width = pdfmetrics.stringWidth(text, self.fonts.title, size)
        line = canvas.beginText((self.width - width) / 2, baseline)
        line.setFont(self.fonts.title, size)
        if self.fonts.bold_title:
            line.setTextRenderMode(2)
        line.textOut(text)
        canvas.drawText(line)


class Signoff(Flowable):  # type: ignore[misc]
    """落款 after GB/T 9704 7.3.5.1: two empty lines below the text (room for the seal, whose top stays within a
    line of the text), the issuing body centred over the date, the date four characters in from the right.

    ``seal_label`` draws a dashed circle where the seal goes (42 mm, a common seal size) pressing on both: only
    an unsigned draft shows it, a signed document gets the real seal. ``aside`` is set to the left of the block.
    """

    SEAL: Final = 42 * mm
    LINES: Final = 4
    """Two empty lines, the issuing body, the date."""

    def __init__(
        self,
        issuing_body: str,
        day: dt.date,
        fonts: NoticeFonts,
        *,
        seal_label: str = "",
        aside: Flowable | None = None,
    ) -> None:
        super().__init__()
        self.aside = aside
        self.issuing_body = issuing_body
        self.day = chinese_date(day)
        self.fonts = fonts
        self.seal_label = seal_label

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = available_width
        self.height = self.LINES * LEADING
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        date_right = self.width - 4 * CHAR
        date_width = canvas.stringWidth(self.day, self.fonts.body, BODY_SIZE)
        centre = date_right - date_width / 2
        body_width = canvas.stringWidth(self.issuing_body, self.fonts.body, BODY_SIZE)
        centre = min(centre, self.width - body_width / 2)
        cell_offset = (LEADING - BODY_SIZE) / 2
        body_base = em_baseline(self.fonts.body, BODY_SIZE, 2 * LEADING - cell_offset)
        date_base = em_baseline(self.fonts.body, BODY_SIZE, LEADING - cell_offset)
        canvas.saveState()
        if self.seal_label:  # a placeholder for where the seal goes: only on a draft, never on a signed document
            canvas.setStrokeColor(Color(0.85, 0.45, 0.45))
            canvas.setDash(3, 2)
            canvas.setLineWidth(0.6)
            seal_centre_y = self.height - 0.4 * LEADING - self.SEAL / 2
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
        MARGIN_BOTTOM - 0.01,  # float rounding must never cost the 22nd line
        TEXT_WIDTH,
        TEXT_HEIGHT + 0.01,
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
    "BODY_CHAR_SPACE",
    "BODY_SIZE",
    "CHAR",
    "CHARS_PER_LINE",
    "GREY",
    "LEADING",
    "LINES_PER_PAGE",
    "MARGIN_BOTTOM",
    "MARGIN_LEFT",
    "MARGIN_RIGHT",
    "MARGIN_TOP",
    "MARK_TOP",
    "PAGE_HEIGHT",
    "PAGE_NUMBER_GAP",
    "PAGE_WIDTH",
    "RED",
    "RED_LINE_GAP",
    "TEXT_HEIGHT",
    "TEXT_WIDTH",
    "TITLE_SIZE",
    "HeaderGeometry",
    "OfficialHeader",
    "PageDecor",
    "Signoff",
    "Watermark",
    "build_pdf",
    "chinese_date",
    "chinese_moment",
    "chinese_numeral",
    "draw_page_number",
    "em_baseline",
]
