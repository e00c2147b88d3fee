"""Font discovery: the settings' font first, then shipped and system fonts, and a clear error instead of boxes;
and the Chinese line-breaking rules the documents are set with."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from core.fonts import (
    FontNotFound,
    candidates,
    converted_path,
    covers,
    default_cache_dir,
    load_notice_fonts,
    plan_notice_fonts,
    system_font_dirs,
)
from core.typesetting import CANNOT_END, CANNOT_START, break_lines

UMING = Path("/usr/share/fonts/truetype/arphic/uming.ttc")
WQY = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def test_no_chinese_font_anywhere_is_a_clear_error_naming_what_to_install(tmp_path: Path) -> None:
    with pytest.raises(FontNotFound) as caught:
        load_notice_fonts("", search_dirs=[tmp_path / "empty", tmp_path])
    message = str(caught.value)
    assert "apt-get install fonts-noto-cjk-extra fonts-arphic-uming" in message
    assert "simfang.ttf" in message


@pytest.mark.skipif(not DEJAVU.exists(), reason="needs a Latin-only TrueType font to disguise")
def test_a_latin_only_font_under_a_chinese_name_is_not_used(tmp_path: Path) -> None:
    shutil.copy(DEJAVU, tmp_path / "simfang.ttf")
    with pytest.raises(FontNotFound):
        load_notice_fonts("", search_dirs=[tmp_path])


@pytest.mark.skipif(not (UMING.exists() and WQY.exists()), reason="needs fonts-arphic-uming and fonts-wqy-microhei")
def test_linux_faces_take_song_for_title_and_body_and_hei_for_headings() -> None:
    fonts = load_notice_fonts("", search_dirs=[UMING.parent, WQY.parent])
    by_name = {file.name: file for file in fonts.files}
    assert by_name[fonts.body].path == UMING
    assert by_name[fonts.title].path == UMING
    assert by_name[fonts.heading].path == WQY


@pytest.mark.skipif(not WQY.exists(), reason="needs fonts-wqy-microhei")
def test_the_font_chosen_in_settings_serves_every_role(tmp_path: Path) -> None:
    fonts = load_notice_fonts(f"{WQY}#0", search_dirs=[tmp_path])
    assert fonts.title == fonts.body == fonts.heading == fonts.kai
    assert fonts.files[0].path == WQY


@pytest.mark.skipif(not UMING.exists(), reason="needs fonts-arphic-uming")
def test_an_unusable_settings_font_falls_back_to_discovery(tmp_path: Path) -> None:
    fonts = load_notice_fonts(str(tmp_path / "missing.ttf"), search_dirs=[UMING.parent])
    assert fonts.files[0].path == UMING


def test_discovery_order_is_setting_then_directories_in_order(tmp_path: Path) -> None:
    shipped, system = tmp_path / "resources", tmp_path / "system"
    shipped.mkdir()
    system.mkdir()
    (system / "simhei.ttf").write_bytes(b"")
    (shipped / "wqy-microhei.ttc").write_bytes(b"")
    found = candidates("/opt/chosen.ttf#2", search_dirs=[shipped, system])
    assert [(font.path.name, font.index) for font in found] == [
        ("chosen.ttf", 2),
        ("wqy-microhei.ttc", 0),
        ("simhei.ttf", 0),
    ]


@pytest.fixture(scope="module")
def font() -> str:
    return load_notice_fonts().body


def test_no_line_starts_with_closing_or_ends_with_opening_punctuation(font: str) -> None:
    text = (
        "依照《劳动合同法》第十条、第八十二条的规定，用人单位自用工之日起一个月内（含本数）应当订立书面劳动合同。"
        "逾期未订立的，应当向劳动者每月支付二倍的工资；联系电话：0818-2345678，文号：达川人社体检〔2026〕A3-017号。"
        "“整改一条、消除一条”……请于期限内报送！"
    ) * 3
    for width in [16 * n + 0.5 for n in range(6, 29)]:
        lines = break_lines(text, font, 16, width, first_indent=32)
        assert "".join(lines) == text
        for line in lines[1:]:
            assert line[0] not in CANNOT_START, (width, line)
        for line in lines[:-1]:
            assert line[-1] not in CANNOT_END, (width, line)
        joined = "\n".join(lines)
        assert "0818-2345678" in joined.replace("\n", "")
        assert "0818-\n" not in joined
        assert "\n2345678" not in joined


def test_a_closing_mark_is_squeezed_onto_the_line_else_the_character_before_it_is_carried(font: str) -> None:
    # Exactly four characters fit: "。" would start line two, so it is squeezed onto line one (标点挤压) ...
    assert break_lines("一二三四。五六", font, 16, 64.5) == ["一二三四。", "五六"]
    # ... unless two marks follow: then "四" moves down with them.
    lines = break_lines("一二三四。”五六", font, 16, 64.5)
    assert lines[0] == "一二三"
    assert lines[1].startswith("四。”")
    lines = break_lines("一二三《四五》", font, 16, 64.5)
    assert lines == ["一二三", "《四五》"]


LXGW = Path("/usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Regular.ttf")
NOTO_BLACK = Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Black.ttc")


def _fake_font_folder(folder: Path, names: dict[str, Path]) -> Path:
    """A font folder laid out like a real system's, with real Chinese TrueType files under the expected names."""
    folder.mkdir(parents=True)
    for name, source in names.items():
        shutil.copy(source, folder / name)
    return folder


@pytest.mark.skipif(not (UMING.exists() and LXGW.exists()), reason="needs fonts-arphic-uming and fonts-lxgw-wenkai")
def test_windows_fonts_folder_gives_fangsong_hei_kai_and_song_and_names_the_missing_title_face(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    windir = tmp_path / "Windows"
    _fake_font_folder(
        windir / "Fonts",
        {"simfang.ttf": LXGW, "SIMHEI.TTF": LXGW, "simkai.ttf": LXGW, "simsun.ttc": UMING},
    )
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setenv("WINDIR", str(windir))
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path / "Local"))
    assert system_font_dirs()[0] == windir / "Fonts"
    fonts = load_notice_fonts("", search_dirs=system_font_dirs(), cache_dir=tmp_path / "cache")
    used = {role.role: (role.font.path.name, role.proper) for role in fonts.roles}
    assert used == {
        "title": ("simsun.ttc", False),
        "body": ("simfang.ttf", True),
        "heading": ("SIMHEI.TTF", True),
        "kai": ("simkai.ttf", True),
        "song": ("simsun.ttc", True),
    }
    report = fonts.report()
    assert report.count("\n") == 0  # one line: only 小标宋 is missing
    assert "缺少方正小标宋简体" in report
    assert "FZXBSJW.TTF" in report
    assert fonts.bold_title  # a light song face stands in: the title's strokes are thickened
    assert [(role.role, role.font.path.name) for role in plan_notice_fonts("", system_font_dirs())] == [
        (role, name) for role, (name, _proper) in used.items()
    ]


@pytest.mark.skipif(not (UMING.exists() and LXGW.exists()), reason="needs fonts-arphic-uming and fonts-lxgw-wenkai")
def test_uos_and_kylin_faces_serve_every_role_properly(tmp_path: Path) -> None:
    folder = _fake_font_folder(
        tmp_path / "usr" / "share" / "fonts" / "fzfonts",
        {"FZXBSK.TTF": LXGW, "FZFSK.TTF": LXGW, "FZHTK.TTF": LXGW, "FZKTK.TTF": LXGW, "FZSSK.TTF": LXGW},
    )
    fonts = load_notice_fonts("", search_dirs=[tmp_path / "usr" / "share" / "fonts"], cache_dir=tmp_path / "c")
    assert fonts.report() == ""
    assert {role.role: role.font.path.parent for role in fonts.roles} == dict.fromkeys(
        ("title", "body", "heading", "kai", "song"), folder
    )
    cesi = _fake_font_folder(tmp_path / "cesi", {"CESI_FS_GB2312.TTF": LXGW, "CESI_XBS_GB2312.TTF": LXGW})
    roles = {role.role: role for role in plan_notice_fonts("", [cesi])}
    assert roles["body"].proper
    assert roles["title"].proper
    assert not roles["heading"].proper  # no 黑体 there: the body face stands in, and the report says so
    assert "缺少黑体" in roles["heading"].message


@pytest.mark.skipif(not NOTO_BLACK.exists(), reason="needs fonts-noto-cjk-extra")
def test_debian_takes_noto_serif_black_converted_to_truetype_as_the_title_stand_in() -> None:
    fonts = load_notice_fonts("", search_dirs=[Path("/usr/share/fonts")])
    title = next(role for role in fonts.roles if role.role == "title")
    assert title.font.path == NOTO_BLACK
    assert not title.proper
    assert not fonts.bold_title  # heavy by itself
    converted = converted_path(title.font, default_cache_dir())
    assert converted.read_bytes()[:4] == b"\x00\x01\x00\x00"  # TrueType outlines, embeddable by ReportLab
    assert covers(fonts.title, "劳动用工法治体检整改通知书达州市达川区协调劳动关系三方办公室〔〕")
