"""The rectification notice PDF, read back: content in order, fonts embedded, text inside the margins, A4,
pagination rules, determinism, and the trust marks (hash and QR) only where the notice is signed."""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess
from pathlib import Path

import pdfplumber
import pytest
from pypdf import PdfReader

from app.models import Notice, NoticeStatus
from app.reports.notice_pdf import render_notice, short_hash
from app.sync.protocol import verification_url
from bench.notice_samples import sample_notice, signature_blobs
from core.fonts import NoticeFonts, load_notice_fonts
from core.official_page import MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, PAGE_HEIGHT, PAGE_WIDTH

LONG_NAME = "达州市达川区三里坪街道恒达机械制造与精密零部件加工销售有限责任公司第二分公司"
HEADING = re.compile(r"^[一二三四五六七八九十]+、")


@pytest.fixture(scope="module")
def fonts() -> NoticeFonts:
    return load_notice_fonts()


def _render(notice: Notice, fonts: NoticeFonts, *, server: str = "https://lc.dachuan.example.cn") -> bytes:
    url = verification_url(server, notice.id, notice.content_hash) if server and notice.content_hash else ""
    return render_notice(notice, signature_blobs().__getitem__, fonts=fonts, verification_url=url)


def _flat(pdf: bytes) -> str:
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        return "".join(re.sub(r"\s+", "", page.extract_text() or "") for page in document.pages)


def _body_lines(page: pdfplumber.page.Page) -> list[str]:
    """Text lines inside the text block (the footer band below it is left out)."""
    inside = page.within_bbox((0, 0, PAGE_WIDTH, PAGE_HEIGHT - MARGIN_BOTTOM))
    return [line for line in (inside.extract_text() or "").splitlines() if line.strip()]


def _cn_date(day: str) -> str:
    value = dt.date.fromisoformat(day)
    return f"{value.year}年{value.month}月{value.day}日"


def test_every_finding_basis_deadline_and_the_number_are_printed_in_order(fonts: NoticeFonts) -> None:
    notice = sample_notice(10)
    text = _flat(_render(notice, fonts))
    expected = [notice.number.replace(" ", "")]
    for problem in notice.content["problems"]:
        expected += [problem["description"], *problem["basis"], _cn_date(problem["deadline"]) + "前完成整改"]
    position = 0
    for piece in expected:
        found = text.find(piece, position)
        assert found >= 0, f"missing or out of order: {piece}"
        position = found + len(piece)
    assert "劳动用工法治体检整改通知书" in text
    assert "达州恒达机械制造有限公司：" in text
    assert "（5个工作日）" in text  # working-day deadlines say so
    assert text.count("该年度法定节假日安排尚未公布") == 1  # the estimated ones: one note, once
    assert "注：第五项、第七项的整改期限在2027年" in text
    assert "陈述意见、说明情况" in text
    assert "复查" in text
    assert "特此通知。" in text


def test_every_font_is_embedded_and_subset(fonts: NoticeFonts, tmp_path: Path) -> None:
    path = tmp_path / "notice.pdf"
    path.write_bytes(_render(sample_notice(10), fonts))
    listing = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    rows = listing.splitlines()[2:]
    assert rows, listing
    for row in rows:
        name, rest = row.split()[0], row.split()[1:]
        assert "+" in name, f"not subset: {row}"
        assert rest[-5:-3] == ["yes", "yes"], f"not embedded and subset: {row}"  # emb sub


@pytest.mark.parametrize(
    ("findings", "name", "long_requirements"),
    [(1, "达州恒达机械制造有限公司", False), (10, LONG_NAME, True), (40, LONG_NAME, True)],
)
def test_pages_are_a4_and_every_character_stays_inside_the_margins(
    fonts: NoticeFonts, findings: int, name: str, long_requirements: bool
) -> None:
    pdf = _render(sample_notice(findings, enterprise_name=name, long_requirements=long_requirements), fonts)
    tolerance = 0.5
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        assert len(document.pages) >= (1 if findings == 1 else 3)
        for page in document.pages:
            assert abs(float(page.width) - 595.28) < 1
            assert abs(float(page.height) - 841.89) < 1
            for char in page.chars:
                assert char["x0"] >= MARGIN_LEFT - tolerance, char["text"]
                assert char["x1"] <= PAGE_WIDTH - MARGIN_RIGHT + tolerance, (char["text"], char["x1"])
                assert char["top"] >= MARGIN_TOP - tolerance, char["text"]
                in_body = char["bottom"] <= PAGE_HEIGHT - MARGIN_BOTTOM + tolerance
                in_footer = char["top"] >= PAGE_HEIGHT - MARGIN_BOTTOM and char["bottom"] <= PAGE_HEIGHT - 15
                assert in_body or in_footer, (char["text"], char["top"])
        assert name in "".join(re.sub(r"\s+", "", p.extract_text() or "") for p in document.pages)


def test_forty_findings_paginate_without_orphaned_headings_or_signatures(fonts: NoticeFonts) -> None:
    pdf = _render(sample_notice(40, enterprise_name=LONG_NAME, long_requirements=True), fonts)
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        pages = [_body_lines(page) for page in document.pages]
        footers = [
            page.within_bbox((0, PAGE_HEIGHT - MARGIN_BOTTOM, PAGE_WIDTH, PAGE_HEIGHT)).extract_text()
            for page in document.pages
        ]
    for number, lines in enumerate(pages, start=1):
        assert not HEADING.match(lines[-1].strip()), f"page {number} ends with a heading: {lines[-1]}"
        assert f"— {number} —" in footers[number - 1]
    signoff = next(index for index, lines in enumerate(pages) if any("特此通知" in line for line in lines))
    lines = pages[signoff]
    closing = next(index for index, line in enumerate(lines) if "特此通知" in line)
    assert closing >= 2, "the sign-off needs two lines of text before it on its page"
    assert any("2026年11月10日" in line for line in lines[closing:]), "the 落款 stands on the page of 特此通知"
    assert any("体检人员" in line for line in pages[-1]), "the signatures are on the last page"


def test_page_one_renders_with_pdftoppm(fonts: NoticeFonts, tmp_path: Path) -> None:
    path = tmp_path / "notice.pdf"
    path.write_bytes(_render(sample_notice(10), fonts))
    subprocess.run(["pdftoppm", "-r", "30", "-f", "1", "-l", "1", "-gray", str(path), str(tmp_path / "p")], check=True)
    image = next(tmp_path.glob("p*.pgm")).read_bytes()
    pixels = image.split(b"\n", 3)[3]
    dark = sum(1 for value in pixels if value < 128)
    assert dark > 500, "page 1 rendered blank"


def test_a_signed_notice_renders_to_the_same_bytes_every_time(fonts: NoticeFonts) -> None:
    first = _render(sample_notice(10), fonts)
    second = _render(sample_notice(10), fonts)
    assert first == second
    assert b"2000" not in PdfReader(io.BytesIO(first)).metadata["/CreationDate"].encode()


def test_metadata_names_the_notice_the_issuer_and_the_signing_time(fonts: NoticeFonts) -> None:
    notice = sample_notice(1)
    info = PdfReader(io.BytesIO(_render(notice, fonts))).metadata
    assert info.title == f"劳动用工法治体检整改通知书（{notice.number}）"
    assert info.author == "达州市达川区协调劳动关系三方办公室"
    assert "达州恒达机械制造有限公司" in info.subject
    assert info["/CreationDate"].startswith("D:20261110113000+08'00'")  # 03:30 UTC is 11:30 in China


def _qr_rectangles(pdf: bytes) -> int:
    reader = PdfReader(io.BytesIO(pdf))
    return sum(page.get_contents().get_data().count(b" re") for page in reader.pages)


def test_signed_notice_shows_the_short_hash_and_a_qr_of_its_verification_address(fonts: NoticeFonts) -> None:
    notice = sample_notice(1)
    pdf = _render(notice, fonts)
    text = _flat(pdf)
    assert short_hash(notice.content_hash or "").replace(" ", "") in text
    assert "扫码核对签署内容" in text
    assert _qr_rectangles(pdf) > 150


def test_without_a_server_address_the_hash_is_printed_without_a_qr(fonts: NoticeFonts) -> None:
    notice = sample_notice(1)
    pdf = _render(notice, fonts, server="")
    assert short_hash(notice.content_hash or "").replace(" ", "") in _flat(pdf)
    assert _qr_rectangles(pdf) < 20


def test_a_draft_is_marked_and_carries_no_hash_no_qr_no_signatures(fonts: NoticeFonts) -> None:
    pdf = _render(sample_notice(3, status=NoticeStatus.DRAFT), fonts)
    text = _flat(pdf)
    assert "草稿" in text
    assert "未经签署" in text
    assert "核验码" not in text
    assert _qr_rectangles(pdf) < 20
    assert not any(page.images for page in pdfplumber.open(io.BytesIO(pdf)).pages)


def test_a_voided_notice_is_marked_with_its_reason(fonts: NoticeFonts) -> None:
    pdf = _render(sample_notice(2, status=NoticeStatus.VOIDED), fonts)
    text = _flat(pdf)
    assert "作废" in text
    assert "整改期限计算有误，已重新出具" in text


def test_signed_notice_carries_both_signature_images(fonts: NoticeFonts) -> None:
    with pdfplumber.open(io.BytesIO(_render(sample_notice(1), fonts))) as document:
        assert sum(len(page.images) for page in document.pages) == 2


def test_a_qr_address_for_other_content_is_refused(fonts: NoticeFonts) -> None:
    notice = sample_notice(1)
    with pytest.raises(ValueError, match="content hash"):
        render_notice(
            notice, signature_blobs().__getitem__, fonts=fonts, verification_url="https://x/verify/1?h=" + "0" * 64
        )


def test_cli_exports_the_latest_signed_notice_and_says_when_there_is_none(
    ws, enterprise, coordinator, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    from app.cli import main
    from tests.unit.test_notices import _finished_audit, _signed_notice

    notice_id = _signed_notice(ws, enterprise, coordinator)
    with ws.db.session() as session:
        notice = session.get_one(Notice, notice_id)
        audit_id, number = notice.audit_id, notice.number
    output = tmp_path / "out" / "notice.pdf"
    assert main(["notice", audit_id, "-o", str(output), "--data-dir", str(ws.paths.root)]) == 0
    assert number.replace(" ", "") in _flat(output.read_bytes())

    from tests.conftest import add_enterprise

    other = add_enterprise(ws, name="达州无通知书公司", body="91511703MA62YYYY0")
    bare = _finished_audit(ws, other, coordinator)
    assert main(["notice", bare, "-o", str(tmp_path / "x.pdf"), "--data-dir", str(ws.paths.root)]) == 1
