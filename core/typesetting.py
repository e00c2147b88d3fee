"""Chinese line breaking and the paragraph flowable that the official documents are set with.

Why our own breaker rather than ReportLab's ``wordWrap="CJK"``: ReportLab only keeps closing punctuation off the
start of a line; it lets a line end with an opening bracket (“《” alone at the end of a line), splits phone
numbers and 文号 codes anywhere, and gives no control over justification. The rules here are those of Chinese
typesetting (禁则, after GB/T 15834 usage and the W3C "Requirements for Chinese Text Layout"):

* a line never starts with closing punctuation (，。、；：？！）》」』】〕” … and the second half of —— or ……);
* a line never ends with opening punctuation (（《「『【〔“);
* a run of Latin letters and digits (``0818-2345678``, ``A3-017``, ``2026``) is not split unless it alone is
  wider than a line;
* lines are justified by spreading the remaining space evenly between characters (the last line of a
  paragraph is set flush left), which is how a 28-characters-a-line grid stays straight at the right margin.

When a break would violate a rule, characters are carried over to the next line (推出), never hung into the
margin: every glyph stays inside the text block.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Final, Literal

from reportlab.lib.colors import Color, black
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable

CANNOT_START: Final = frozenset("，。、；：？！）》」』】〕〉”’…—·%‰℃,.;:!?)]}°・～")
CANNOT_END: Final = frozenset("（《「『【〔〈“‘([{")
_LATIN_RUN: Final = re.compile(r"[A-Za-z0-9][A-Za-z0-9.\-/:%@_+#&=?~]*|.", re.DOTALL)

Align = Literal["justify", "left", "center", "right"]


@dataclass(frozen=True, slots=True)
class Unit:
    """An unbreakable piece of text in one font: a Chinese character, a punctuation mark or a Latin run."""

    text: str
    font: str
    width: float


@dataclass(frozen=True, slots=True)
class Line:
    units: tuple[Unit, ...]
    indent: float
    last: bool

    @property
    def text(self) -> str:
        return "".join(unit.text for unit in self.units)

    @property
    def width(self) -> float:
        return sum(unit.width for unit in self.units)


Run = tuple[str, str]
"""(text, font name): a paragraph is a sequence of runs so a label can be set in another face."""

_width_cache: dict[tuple[str, str, float], float] = {}


def _width(text: str, font: str, size: float) -> float:
    key = (text, font, size)
    found = _width_cache.get(key)
    if found is None:
        found = _width_cache[key] = stringWidth(text, font, size)
    return found


def units_of(runs: Sequence[Run], size: float, max_width: float) -> list[Unit]:
    """Cut runs into units; a Latin run wider than a whole line is cut into characters so it can break."""
    result: list[Unit] = []
    for text, font in runs:
        for match in _LATIN_RUN.finditer(text):
            piece = match.group(0)
            if piece == "\n":
                continue
            width = _width(piece, font, size)
            if len(piece) > 1 and width > max_width:
                result.extend(Unit(char, font, _width(char, font, size)) for char in piece)
            else:
                result.append(Unit(piece, font, width))
    return result


def _violates(units: Sequence[Unit], at: int) -> bool:
    """Would a break before ``units[at]`` start a line with closing or end one with opening punctuation?"""
    return units[at].text[0] in CANNOT_START or units[at - 1].text[-1] in CANNOT_END


def break_units(units: Sequence[Unit], width: float, first_indent: float = 0.0) -> list[Line]:
    """Greedy line breaking with carry-over for the 禁则 above. Spaces at a line's start are dropped."""
    units = list(units)
    lines: list[Line] = []
    start, count, epsilon = 0, len(units), 1e-6
    while start < count:
        indent = first_indent if not lines else 0.0
        available = width - indent
        end, used = start, 0.0
        while end < count and used + units[end].width <= available + epsilon:
            used += units[end].width
            end += 1
        if end == start:
            end = start + 1  # one unit wider than the line: it stands alone rather than looping forever
        elif end < count:
            candidate = end
            while candidate > start + 1 and _violates(units, candidate):
                candidate -= 1
            if not _violates(units, candidate):
                end = candidate
            elif len(units[end - 1].text) > 1:
                # Only a Latin run fills the line and closing punctuation follows: cut the run's last character
                # over to the next line rather than start that line with the punctuation.
                run = units[end - 1]
                size = run.width / max(_width(run.text, run.font, 1.0), 1e-9)
                units[end - 1 : end] = [Unit(char, run.font, _width(char, run.font, size)) for char in run.text]
                count = len(units)
                continue
        piece = list(units[start:end])
        while piece and piece[-1].text == " ":
            piece.pop()
        lines.append(Line(tuple(piece), indent, last=end >= count))
        start = end
        while start < count and units[start].text == " ":
            start += 1
    if lines and not lines[-1].last:
        lines[-1] = Line(lines[-1].units, lines[-1].indent, last=True)
    return lines


def break_lines(text: str, font: str, size: float, width: float, first_indent: float = 0.0) -> list[str]:
    """The lines ``text`` breaks into (plain strings): the testable core of :class:`TextBlock`."""
    units = units_of([(text, font)], size, width)
    return [line.text for line in break_units(units, width, first_indent)]


@dataclass
class _Layout:
    width: float
    lines: list[Line] = field(default_factory=list)


class TextBlock(Flowable):  # type: ignore[misc]
    """A paragraph set with :func:`break_units`: justified, with a first-line indent, splittable across pages.

    ``keep_lines`` is the fewest lines left at the foot of a page or carried to the next when the paragraph
    splits (orphans and widows); a paragraph shorter than twice that moves whole. ``stroke`` thickens the
    glyph outlines (fill and stroke) to stand in for a bold face where the system has only a light one.
    """

    def __init__(
        self,
        runs: Sequence[Run],
        *,
        size: float,
        leading: float,
        first_indent: float = 0.0,
        align: Align = "justify",
        color: Color = black,
        stroke: float = 0.0,
        space_before: float = 0.0,
        space_after: float = 0.0,
        keep_with_next: bool = False,
        keep_lines: int = 2,
        _lines: list[Line] | None = None,
    ) -> None:
        super().__init__()
        self.runs = tuple(runs)
        self.size = size
        self.leading = leading
        self.first_indent = first_indent
        self.align: Align = align
        self.color = color
        self.stroke = stroke
        self.spaceBefore = space_before
        self.spaceAfter = space_after
        self.keepWithNext = keep_with_next
        self.keep_lines = keep_lines
        self._fixed = _lines
        self._layout = _Layout(-1.0)

    @property
    def text(self) -> str:
        return "".join(text for text, _font in self.runs)

    def lines(self, width: float) -> list[Line]:
        if self._fixed is not None:
            return self._fixed
        if self._layout.width != width:
            units = units_of(self.runs, self.size, width - self.first_indent)
            self._layout = _Layout(width, break_units(units, width, self.first_indent))
        return self._layout.lines

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = available_width
        self.height = len(self.lines(available_width)) * self.leading
        return self.width, self.height

    def _part(self, lines: list[Line], space_before: float, space_after: float) -> TextBlock:
        return TextBlock(
            self.runs,
            size=self.size,
            leading=self.leading,
            align=self.align,
            color=self.color,
            stroke=self.stroke,
            space_before=space_before,
            space_after=space_after,
            keep_lines=self.keep_lines,
            _lines=lines,
        )

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        lines = self.lines(available_width)
        fit = int((available_height + 1e-6) // self.leading)
        if fit >= len(lines):
            return [self]
        keep = min(self.keep_lines, max(1, len(lines) // 2))
        fit = min(fit, len(lines) - keep)
        if fit < keep:
            return []
        return [self._part(lines[:fit], self.spaceBefore, 0.0), self._part(lines[fit:], 0.0, self.spaceAfter)]

    def draw(self) -> None:
        canvas = self.canv
        canvas.saveState()
        canvas.setFillColor(self.color)
        if self.stroke:
            canvas.setStrokeColor(self.color)
            canvas.setLineWidth(self.stroke)
        descent = self.size * 0.14
        for number, line in enumerate(self.lines(self.width)):
            baseline = self.height - (number + 1) * self.leading + (self.leading - self.size) / 2 + descent
            self._draw_line(line, baseline)
        canvas.restoreState()

    def _draw_line(self, line: Line, baseline: float) -> None:
        natural = line.width
        room = self.width - line.indent - natural
        x, spacing = line.indent, 0.0
        glyphs = len(line.text)
        if self.align == "center":
            x += room / 2
        elif self.align == "right":
            x += room
        elif self.align == "justify" and not line.last and glyphs > 1 and room > 0:
            spacing = room / (glyphs - 1)
        text = self.canv.beginText(x, baseline)
        if self.stroke:
            text.setTextRenderMode(2)
        text.setCharSpace(spacing)
        font = ""
        for unit in line.units:
            if unit.font != font:
                font = unit.font
                text.setFont(font, self.size)
            text.textOut(unit.text)
        self.canv.drawText(text)


__all__ = ["CANNOT_END", "CANNOT_START", "Line", "Run", "TextBlock", "Unit", "break_lines", "break_units", "units_of"]
