"""GB/T 9704-2012 measured on the rendered notice with pdfplumber, not assumed from the code that draws it.

Every figure the standard gives is checked where a reader would measure it: characters per line and their
pitch, the line pitch and 22 lines on a full page, the margins, the distances of the head of page one (mark,
文号, red separator, title, addressee), the page number's place and that the footer holds nothing else, that no
page but the last is under two-thirds full, no lone character on a line, no orphan or widow, the seal placeholder
on drafts only and the verification code once, on the last page.
"""

from __future__ import annotations

import functools
import io
import itertools
from dataclasses import dataclass

import pdfplumber
import pytest

from app.models import Notice, NoticeStatus
from app.reports.notice_pdf import render_notice, short_hash
from app.sync.protocol import verification_url
from bench.notice_samples import sample_notice, signature_blobs
from core.fonts import NoticeFonts, load_notice_fonts
from core.official_page import (
    BODY_SIZE,
    CHAR,
    CHARS_PER_LINE,
    LEADING,
    LINES_PER_PAGE,
    MARGIN_BOTTOM,
    MARGIN_LEFT,
    MARGIN_RIGHT,
    MARGIN_TOP,
    MARK_TOP,
    PAGE_HEIGHT,
    PAGE_NUMBER_GAP,
    PAGE_NUMBER_SIZE,
    PAGE_WIDTH,
    RED_LINE_GAP,
    TEXT_HEIGHT,
    TITLE_SIZE,
)
from core.typesetting import CANNOT_START, letters

RIGHT = PAGE_WIDTH - MARGIN_RIGHT
BOTTOM = PAGE_HEIGHT - MARGIN_BOTTOM
CELL = (LEADING - BODY_SIZE) / 2
LONG_NAME = "达州市达川区三里坪街道恒达机械制造与精密零部件加工销售有限责任公司第二分公司"


@dataclass
class TextLine:
    top: float
    bottom: float
    x0: float
    x1: float
    size: float
    chars: list[dict[str, object]]

    @property
    def text(self) -> str:
        return "".join(str(char["text"]) for char in self.chars)


@functools.lru_cache(maxsize=256)
def body_lines(page: pdfplumber.page.Page) -> list[TextLine]:
    """The lines of body-size text inside the text block, top to bottom (the watermark and table cells left out)."""
    chosen = [
        char
        for char in page.chars
        if abs(float(char["size"]) - BODY_SIZE) <= 0.01 and float(char["top"]) <= BOTTOM  # type: ignore[arg-type]
    ]
    rows: list[list[dict[str, object]]] = []
    for char in sorted(chosen, key=lambda char: float(char["top"])):  # type: ignore[arg-type]
        if rows and abs(float(char["top"]) - float(rows[-1][0]["top"])) < 2:  # type: ignore[arg-type]
            rows[-1].append(char)
        else:
            rows.append([char])
    lines = []
    for chars in rows:
        chars.sort(key=lambda char: float(char["x0"]))  # type: ignore[arg-type]
        lines.append(
            TextLine(
                top=float(chars[0]["top"]),  # type: ignore[arg-type]
                bottom=float(chars[0]["bottom"]),  # type: ignore[arg-type]
                x0=float(chars[0]["x0"]),  # type: ignore[arg-type]
                x1=float(chars[-1]["x1"]),  # type: ignore[arg-type]
                size=BODY_SIZE,
                chars=chars,
            )
        )
    return lines


@pytest.fixture(scope="module")
def fonts() -> NoticeFonts:
    return load_notice_fonts()


def _render(notice: Notice, fonts: NoticeFonts) -> bytes:
    url = verification_url("https://lc.dachuan.example.cn", notice.id, notice.content_hash or "")
    return render_notice(
        notice, signature_blobs().__getitem__, fonts=fonts, verification_url=url if notice.content_hash else ""
    )


@pytest.fixture(scope="module")
def documents(fonts: NoticeFonts) -> dict[str, bytes]:
    return {
        "1": _render(sample_notice(1), fonts),
        "3": _render(sample_notice(3), fonts),
        "10": _render(sample_notice(10), fonts),
        "40": _render(sample_notice(40, enterprise_name=LONG_NAME, long_requirements=True), fonts),
        "draft": _render(sample_notice(3, status=NoticeStatus.DRAFT), fonts),
    }


@functools.lru_cache(maxsize=8)
def _pages(pdf: bytes) -> list[pdfplumber.page.Page]:
    """Parsed once per document: pdfplumber keeps each page's characters once read."""
    return list(pdfplumber.open(io.BytesIO(pdf)).pages)


def _is_full(line: TextLine, following: TextLine | None) -> bool:
    """A line that is not the last of its paragraph: the next line below continues it (starts at the margin)."""
    return (
        following is not None
        and abs(following.x0 - MARGIN_LEFT) < 0.5
        and abs(following.top - line.top - LEADING) < 0.5
    )


def test_a_full_line_holds_28_characters_at_the_grid_pitch_from_margin_to_margin(documents: dict[str, bytes]) -> None:
    measured: list[int] = []
    for pdf in documents.values():
        for page in _pages(pdf):
            lines = body_lines(page)
            following_lines: list[TextLine | None] = [*lines[1:], None]
            for line, following in zip(lines, following_lines[: len(lines)], strict=True):
                if not _is_full(line, following):
                    continue
                assert line.x1 == pytest.approx(RIGHT, abs=0.3), (line.text, line.x1)  # justified to the edge
                assert line.x0 >= MARGIN_LEFT - 0.3
                wide = all(ord(str(char["text"])) > 0x2E80 for char in line.chars)
                if wide and abs(line.x0 - MARGIN_LEFT) < 0.3:
                    count = len(line.chars)
                    if count == CHARS_PER_LINE + 1 and str(line.chars[-1]["text"]) in CANNOT_START:
                        count -= 1  # 标点挤压: a closing mark squeezed onto a full line
                    measured.append(count)
                    pitches = [
                        float(b["x0"]) - float(a["x0"]) for a, b in zip(line.chars, line.chars[1:], strict=False)
                    ]  # type: ignore[arg-type]
                    if len(line.chars) == CHARS_PER_LINE:
                        assert all(pitch == pytest.approx(CHAR, abs=0.01) for pitch in pitches)
    assert len(measured) > 100
    share = measured.count(CHARS_PER_LINE) / len(measured)
    # The few others carry an unbreakable run (a credit code, a 文号) over, or keep a closing mark off a line's start.
    assert share > 0.95, sorted(set(measured))
    assert pytest.approx(156 * 72 / 25.4 / 28, abs=0.02) == CHAR


def test_a_full_page_holds_22_lines_at_the_standard_line_pitch(documents: dict[str, bytes]) -> None:
    full_pages = 0
    for pdf in documents.values():
        for page in _pages(pdf)[1:]:
            lines = body_lines(page)
            pitches = [b.top - a.top for a, b in itertools.pairwise(lines)]
            for pitch in pitches:
                assert pitch == pytest.approx(LEADING, abs=0.05) or pitch > LEADING, pitch
            if len(lines) == LINES_PER_PAGE:
                full_pages += 1
                assert lines[0].top == pytest.approx(MARGIN_TOP + CELL, abs=0.3)
                assert lines[-1].bottom == pytest.approx(BOTTOM - CELL, abs=0.3)
    assert full_pages >= 3
    assert pytest.approx(225 * 72 / 25.4 / 22, abs=0.01) == LEADING


def test_nothing_is_set_outside_the_text_block_but_the_page_number(documents: dict[str, bytes]) -> None:
    for pdf in documents.values():
        for number, page in enumerate(_pages(pdf), start=1):
            outside = [
                char for char in page.chars
                if float(char["x0"]) < MARGIN_LEFT - 0.3 or float(char["x1"]) > RIGHT + 0.3  # type: ignore[arg-type]
                or float(char["top"]) < MARGIN_TOP - 0.3 or float(char["bottom"]) > BOTTOM + 0.3  # type: ignore[arg-type]
            ]  # fmt: skip
            text = "".join(str(char["text"]) for char in outside).replace(" ", "")
            assert text == f"—{number}—", (number, text)
            top = min(float(char["top"]) for char in outside)  # type: ignore[arg-type]
            assert top == pytest.approx(BOTTOM + PAGE_NUMBER_GAP, abs=0.3)
            assert all(float(char["size"]) == pytest.approx(PAGE_NUMBER_SIZE) for char in outside)  # type: ignore[arg-type]
            if number % 2:
                assert max(float(char["x1"]) for char in outside) == pytest.approx(RIGHT - PAGE_NUMBER_SIZE, abs=0.3)  # type: ignore[arg-type]
            else:
                assert min(float(char["x0"]) for char in outside) == pytest.approx(
                    MARGIN_LEFT + PAGE_NUMBER_SIZE, abs=0.3
                )  # type: ignore[arg-type]


def test_the_head_of_page_one_keeps_the_standards_distances(documents: dict[str, bytes]) -> None:
    for name in ("1", "draft"):
        page = _pages(documents[name])[0]
        notice = sample_notice(1)
        mark = [char for char in page.chars if TITLE_SIZE + 1 < float(char["size"]) < 60]  # type: ignore[arg-type]
        mark_top = min(float(char["top"]) for char in mark)  # type: ignore[arg-type]
        mark_bottom = max(float(char["bottom"]) for char in mark)  # type: ignore[arg-type]
        assert "".join(str(char["text"]) for char in mark) == notice.content["issuing_body"]
        assert all(char["non_stroking_color"] == (0.8, 0, 0) for char in mark)
        assert mark_top == pytest.approx(MARGIN_TOP + MARK_TOP, abs=0.3)
        lines = body_lines(page)
        number = next(line for line in lines if "〔2026〕" in line.text)
        assert number.top - mark_bottom == pytest.approx(2 * LEADING + CELL, abs=0.3)  # 下空二行
        reds = [line for line in page.lines if line["stroking_color"] == (0.8, 0, 0)]
        assert len(reds) == 1
        red = float(reds[0]["top"])
        assert reds[0]["x0"] == pytest.approx(MARGIN_LEFT, abs=0.3)
        assert reds[0]["x1"] == pytest.approx(RIGHT, abs=0.3)  # as wide as the text block
        assert red - number.bottom == pytest.approx(RED_LINE_GAP, abs=0.3)  # 发文字号之下4mm
        title = [char for char in page.chars if float(char["size"]) == pytest.approx(TITLE_SIZE)]  # type: ignore[arg-type]
        title_top = min(float(char["top"]) for char in title)  # type: ignore[arg-type]
        title_bottom = max(float(char["bottom"]) for char in title)  # type: ignore[arg-type]
        assert "".join(str(char["text"]) for char in title) == "劳动用工法治体检整改通知书"
        assert title_top - red == pytest.approx(2 * LEADING + (LEADING - TITLE_SIZE) / 2, abs=0.3)  # 下空二行
        addressee = next(line for line in lines if line.top > title_bottom)
        assert addressee.text.endswith("：")
        assert addressee.x0 == pytest.approx(MARGIN_LEFT, abs=0.3)  # 居左顶格
        expected = title_bottom + (LEADING - TITLE_SIZE) / 2 + LEADING + CELL  # 标题下空一行
        assert addressee.top == pytest.approx(expected, abs=0.3)


def test_no_page_but_the_last_is_under_two_thirds_full(documents: dict[str, bytes]) -> None:
    for name, pdf in documents.items():
        pages = _pages(pdf)
        for number, page in enumerate(pages[:-1], start=1):
            inside = [char for char in page.chars if float(char["bottom"]) <= BOTTOM + 0.3]  # type: ignore[arg-type]
            lowest = max(float(char["bottom"]) for char in inside)  # type: ignore[arg-type]
            assert lowest - MARGIN_TOP >= TEXT_HEIGHT * 2 / 3, (name, number, lowest)


def test_no_line_holds_a_lone_character_and_no_paragraph_leaves_one_line_on_a_page(
    documents: dict[str, bytes],
) -> None:
    indent = MARGIN_LEFT + 2 * CHAR
    for name, pdf in documents.items():
        pages = [body_lines(page) for page in _pages(pdf)]
        for number, lines in enumerate(pages, start=1):
            for line in lines:
                assert letters(line.text) >= 2, (name, number, line.text)
            if number < len(pages) and len(pages[number]) > 1:
                last, following = lines[-1], pages[number][0]
                continues = abs(following.x0 - MARGIN_LEFT) < 0.3 and not following.text.endswith("：")
                starts = abs(last.x0 - indent) < 0.3
                # an orphan: a paragraph's first line alone at the foot of a page, the rest over the page
                assert not (starts and continues), (name, number, last.text)
                # a widow: a paragraph's last line alone at the head of the next page
                after = pages[number][1]
                if continues:
                    assert abs(after.x0 - MARGIN_LEFT) < 0.3, (name, number + 1, following.text)


def test_the_sign_off_stands_with_two_lines_of_text_before_it(documents: dict[str, bytes]) -> None:
    for name, pdf in documents.items():
        for page in _pages(pdf):
            lines = body_lines(page)
            dates = [index for index, line in enumerate(lines) if line.text == "2026年11月10日" and line.x0 > 300]
            if not dates:
                continue
            closing = next(index for index, line in enumerate(lines) if line.text.strip() == "特此通知。")
            assert closing >= 1, name  # 特此通知 and at least one more line of text stand before the 落款
            assert dates[0] > closing


def test_the_seal_placeholder_is_on_drafts_only_and_the_verification_code_once_on_the_last_page(
    documents: dict[str, bytes],
) -> None:
    def text_of(pdf: bytes) -> list[str]:
        return ["".join(str(char["text"]) for char in page.chars) for page in _pages(pdf)]

    assert any("（印章）" in page for page in text_of(documents["draft"]))
    assert not any("核验码" in page for page in text_of(documents["draft"]))
    for name in ("1", "3", "10", "40"):
        pages = text_of(documents[name])
        assert not any("印章" in page for page in pages), name
        code = short_hash(sample_notice(1).content_hash or "")
        joined = "".join(pages).replace(" ", "")
        assert joined.count("核验码") == 1, name
        assert "核验码" in pages[-1], name
        assert joined.count(code.replace(" ", "")[:8]) <= 1 or name != "1"
