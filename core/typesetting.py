"""Chinese line breaking and the paragraph flowable that the official documents are set with.

Why our own breaker rather than ReportLab's ``wordWrap="CJK"``: ReportLab only keeps closing punctuation off the
start of a line; it lets a line end with an opening bracket (“《” alone at the end of a line), splits phone
numbers and 文号 codes anywhere, and gives no control over justification. The rules here are those of Chinese
typesetting (禁则, after GB/T 15834 usage and the W3C "Requirements for Chinese Text Layout"):

* a line never starts with closing punctuation (，。、；：？！）》」』】〕” … and the second half of —— or ……);
* a line never ends with opening punctuation (（《「『【〔“);
* a run of Latin letters and digits (``0818-2345678``, ``A3-017``, ``2026``) is not split unless it alone is
  wider than a line, or it is longer than twelve characters and keeping it whole would leave three characters'
  room empty (an 18-character credit code breaks rather than spread a line thin);
* lines are justified by spreading the remaining space evenly between characters (the last line of a
  paragraph is set flush left), which is how a 28-characters-a-line grid stays straight at the right margin;
* a character grid: ``char_space`` is added after every glyph, so a 3号 (16 pt) face set with the official
  pitch puts exactly 28 characters on a 156 mm line (GB/T 9704 5.2.4), the first glyph at the left edge of the
  text block and the 28th ending at its right edge;
* closing punctuation that would start a line is squeezed onto the end of the line before (标点挤压: a full-width
  mark is half blank), and only when that is not possible is a character carried over (推出);
* a paragraph's last line never holds a single character (孤字): a character is brought down from the line above.

Every glyph stays inside the text block: nothing hangs into the margin.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Final, Literal

from reportlab.lib.colors import Color, black
from reportlab.pdfbase.pdfmetrics import getFont, stringWidth
from reportlab.platypus import Flowable

CANNOT_START: Final = frozenset("，。、；：？！）》」』】〕〉”’…—·%‰℃,.;:!?)]}°・～")
CANNOT_END: Final = frozenset("（《「『【〔〈“‘([{")
_LATIN_RUN: Final = re.compile(r"[A-Za-z0-9][A-Za-z0-9.\-/:%@_+#&=?~]*|.", re.DOTALL)

Align = Literal["justify", "left", "center", "right"]
LONG_RUN: Final = 12
"""Latin runs longer than this (credit codes, account numbers) may break between characters; shorter ones
(phone numbers, 文号 parts, dates) never do."""


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


def units_of(runs: Sequence[Run], size: float, max_width: float, char_space: float = 0.0) -> list[Unit]:
    """Cut runs into units; a Latin run wider than a whole line is cut into characters so it can break.

    A unit's width includes ``char_space`` after each of its characters (the grid pitch).
    """
    result: list[Unit] = []
    for text, font in runs:
        for match in _LATIN_RUN.finditer(text):
            piece = match.group(0)
            if piece == "\n":
                continue
            width = _width(piece, font, size) + len(piece) * char_space
            if len(piece) > 1 and width > max_width:
                result.extend(Unit(char, font, _width(char, font, size) + char_space) for char in piece)
            else:
                result.append(Unit(piece, font, width))
    return result


PUNCTUATION: Final = CANNOT_START | CANNOT_END | frozenset("、，。；：？！")


def letters(text: str) -> int:
    """Characters that are not punctuation or spaces: what makes a line more than a lone character."""
    return sum(1 for char in text if char not in PUNCTUATION and not char.isspace())


def _violates(units: Sequence[Unit], at: int) -> bool:
    """Would a break before ``units[at]`` start a line with closing or end one with opening punctuation?"""
    return units[at].text[0] in CANNOT_START or units[at - 1].text[-1] in CANNOT_END


def break_units(
    units: Sequence[Unit], width: float, first_indent: float = 0.0, *, squeeze: float = 0.0, trailing: float = 0.0
) -> list[Line]:
    """Greedy line breaking with the 禁则 above. Spaces at a line's start are dropped.

    ``trailing`` is the spacing included in each unit's width that the last glyph of a line does not need (the
    grid's ``char_space``); ``squeeze`` is how far one closing mark may overrun a line to stay on it (one
    character for full-width punctuation). The paragraph's last line gets at least two letters when it can.
    """
    units = list(units)
    lines: list[Line] = []
    start, count, epsilon = 0, len(units), 1e-3
    while start < count:
        indent = first_indent if not lines else 0.0
        available = width - indent + trailing
        end, used = start, 0.0
        while end < count and used + units[end].width <= available + epsilon:
            used += units[end].width
            end += 1
        if (
            end < count
            and len(units[end].text) > LONG_RUN
            and available - used > 3 * units[end].width / len(units[end].text) * 2
        ):
            # A long code (a credit code, an account number) would leave a gap of three characters or more and
            # spread the line: it is broken between its characters instead.
            run = units[end]
            per_char = (run.width - len(run.text) * trailing) / max(_width(run.text, run.font, 1.0), 1e-9)
            units[end : end + 1] = [
                Unit(char, run.font, _width(char, run.font, per_char) + trailing) for char in run.text
            ]
            count = len(units)
            continue
        if end == start:
            end = start + 1  # one unit wider than the line: it stands alone rather than looping forever
        elif (
            end < count
            and squeeze
            and units[end].text in CANNOT_START
            and used + units[end].width <= (available + squeeze + epsilon)
        ):
            end += 1  # 标点挤压: the mark stays on this line, set a little tighter
        if end < count and _violates(units, end):
            candidate = end
            while candidate > start + 1 and _violates(units, candidate):
                candidate -= 1
            if not _violates(units, candidate):
                end = candidate
            elif len(units[end - 1].text) > 1:
                # Only a Latin run fills the line and closing punctuation follows: cut the run's last character
                # over to the next line rather than start that line with the punctuation.
                run = units[end - 1]
                per_char = (run.width - len(run.text) * trailing) / max(_width(run.text, run.font, 1.0), 1e-9)
                units[end - 1 : end] = [
                    Unit(char, run.font, _width(char, run.font, per_char) + trailing) for char in run.text
                ]
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
    return _no_lone_last_character(lines)


def _no_lone_last_character(lines: list[Line]) -> list[Line]:
    """Bring characters down from the line above until the last line holds two letters (孤字 is a typesetting
    fault): the line above then has one character fewer and is justified across the width."""
    if len(lines) < 2:
        return lines
    last, above = lines[-1], lines[-2]
    moved = 0
    while letters(last.text) < 2 and len(above.units) > 2 and moved < 3:
        unit = above.units[-1]
        rest = above.units[:-1]
        if unit.text in CANNOT_START or rest[-1].text in CANNOT_END:
            break  # moving it would start the last line with a closing mark or end the line above with an opening one
        above = Line(rest, above.indent, last=False)
        last = Line((unit, *last.units), last.indent, last=True)
        moved += 1
    return [*lines[:-2], above, last]


def break_lines(
    text: str, font: str, size: float, width: float, first_indent: float = 0.0, char_space: float = 0.0
) -> list[str]:
    """The lines ``text`` breaks into (plain strings): the testable core of :class:`TextBlock`."""
    units = units_of([(text, font)], size, width, char_space)
    lines = break_units(units, width, first_indent, squeeze=size, trailing=char_space)
    return [line.text for line in lines]


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
        char_space: float = 0.0,
        _lines: list[Line] | None = None,
    ) -> None:
        super().__init__()
        self.runs = tuple(runs)
        self.char_space = char_space
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
            units = units_of(self.runs, self.size, width - self.first_indent, self.char_space)
            lines = break_units(units, width, self.first_indent, squeeze=self.size, trailing=self.char_space)
            self._layout = _Layout(width, lines)
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
            char_space=self.char_space,
            _lines=lines,
        )

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        lines = self.lines(available_width)
        fit = int((available_height + 1e-3) // self.leading)
        if fit >= len(lines):
            return [self]
        keep = self.keep_lines  # no orphan at the foot of a page, no widow at the head of the next
        fit = min(fit, len(lines) - keep)
        if fit < keep:
            return []
        return [self._part(lines[:fit], self.spaceBefore, 0.0), self._part(lines[fit:], 0.0, self.spaceAfter)]

    def baseline_offset(self) -> float:
        """From the bottom of a line's cell to its baseline: the em box (what pdfplumber measures as a character's
        top and bottom) is centred in the cell, using the face's real descent."""
        font = self.runs[0][1] if self.runs else ""
        descent = _descent(font)
        return (self.leading - self.size) / 2 - descent * self.size

    def draw(self) -> None:
        canvas = self.canv
        canvas.saveState()
        canvas.setFillColor(self.color)
        if self.stroke:
            canvas.setStrokeColor(self.color)
            canvas.setLineWidth(self.stroke)
        offset = self.baseline_offset()
        for number, line in enumerate(self.lines(self.width)):
            baseline = self.height - (number + 1) * self.leading + offset
            self._draw_line(line, baseline)
        canvas.restoreState()

    def _draw_line(self, line: Line, baseline: float) -> None:
        glyphs = len(line.text)
        natural = line.width - self.char_space  # the last glyph needs no spacing after it
        room = self.width - line.indent - natural
        x, spacing = line.indent, self.char_space
        if room < 0 and glyphs > 1:
            spacing += room / (glyphs - 1)  # a squeezed closing mark: the line is set tighter, never past the edge
        elif self.align == "center":
            x += room / 2
        elif self.align == "right":
            x += room
        elif self.align == "justify" and not line.last and glyphs > 1:
            spacing += room / (glyphs - 1)
        # Every glyph is placed at its own position rather than left to the Tc operator: PDF readers differ on
        # whether Tc follows the last glyph of a string, and ReportLab splits CJK text into many strings.
        text = self.canv.beginText(x, baseline)
        if self.stroke:
            text.setTextRenderMode(2)
        font = ""
        for unit in line.units:
            if unit.font != font:
                font = unit.font
                text.setFont(font, self.size)
            for char in unit.text:
                text.setTextOrigin(x, baseline)
                text.textOut(char)
                x += _width(char, font, self.size) + spacing
        self.canv.drawText(text)


def _descent(font: str) -> float:
    """The face's descent as a fraction of the em (negative), as the PDF's font descriptor states it."""
    try:
        face = getFont(font).face
    except (KeyError, AttributeError):
        return -0.12
    return float(face.descent) / 1000.0


__all__ = [
    "CANNOT_END",
    "CANNOT_START",
    "PUNCTUATION",
    "Line",
    "Run",
    "TextBlock",
    "Unit",
    "break_lines",
    "break_units",
    "letters",
    "units_of",
]
