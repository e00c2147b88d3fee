"""Chinese fonts for official documents: find them, load them once, and refuse to print empty boxes.

GB/T 9704-2012 sets titles in 小标宋 (a heavy song face), body text in 仿宋 and first-level headings in 黑体.
What a laptop actually has varies, so each role takes the best face available, in this order of places:

1. the font chosen in settings (``AppSettings.notice_font``: a ``.ttf``/``.ttc`` path, ``path#index`` for a
   collection member other than the first);
2. fonts shipped with the application in ``resources/fonts/`` (none are shipped today: the Makefile installs the
   Debian packages, and Windows and macOS bring their own);
3. the system's fonts: Windows 仿宋/宋体/黑体/楷体 (simfang, simsun, simhei, simkai), macOS 宋体/华文仿宋/苹方,
   Linux AR PL UMing (a song face) and WenQuanYi Micro Hei (a hei face).

Only TrueType outlines can be embedded by ReportLab; a CFF-flavoured ``.otf`` (Noto CJK, Source Han) is skipped.
A face that loads but lacks the probe characters (a Latin-only file picked by mistake) is skipped too. When no
Chinese face is found at all, :class:`FontNotFound` names the packages to install: a PDF whose text is rendered
as empty boxes would look printed but say nothing, which is worse than an error.
"""

from __future__ import annotations

import functools
import hashlib
import os
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final, Literal

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from core.errors import LaborCheckError

Style = Literal["fangsong", "song", "hei", "kai"]
PROBE: Final = "劳动用工整改通知书〔〕《》，。"
"""Characters every face must have: the title, the 文号 brackets and the commonest punctuation."""

RESOURCE_FONTS: Final = Path(__file__).resolve().parents[1] / "resources" / "fonts"


class FontNotFound(LaborCheckError):
    """No usable Chinese TrueType font: the message says what to install, per operating system."""

    def __init__(self, detail: str = "") -> None:
        hint = (
            "未找到可用于整改通知书的中文字体（需要 TrueType 格式的宋体、仿宋或黑体）。"
            "Linux 请安装：sudo apt-get install fonts-wqy-microhei fonts-arphic-uming；"
            "Windows 请确认系统字体目录中有仿宋（simfang.ttf）、宋体（simsun.ttc）或黑体（simhei.ttf）；"
            "也可以在“设置”中指定一个中文 TrueType 字体文件。"
        )
        super().__init__(hint + (f"（{detail}）" if detail else ""))


@dataclass(frozen=True)
class FontFile:
    """One face in a file: ``index`` selects the member of a TrueType collection (``.ttc``)."""

    path: Path
    index: int
    style: Style

    @property
    def name(self) -> str:
        """The registered ReportLab name: derived from the file, so two files never share a name."""
        digest = hashlib.sha256(f"{self.path}#{self.index}".encode()).hexdigest()[:10]
        return f"LC-{self.style}-{digest}"


@dataclass(frozen=True)
class NoticeFonts:
    """The registered faces for a document: ``title`` (song/hei), ``body`` (fangsong, else song, else hei),
    ``heading`` (hei where present: GB/T 9704 sets first-level headings in 黑体) and ``kai`` for second-level ones.
    """

    title: str
    body: str
    heading: str
    kai: str
    files: tuple[FontFile, ...]


# (file name, collection index, style) in order of preference within each style. Matching is case-insensitive.
KNOWN_FACES: Final[tuple[tuple[str, int, Style], ...]] = (
    # FangSong
    ("simfang.ttf", 0, "fangsong"),
    ("STFANGSO.TTF", 0, "fangsong"),
    ("STFangsong.ttf", 0, "fangsong"),
    ("华文仿宋.ttf", 0, "fangsong"),
    ("fangsong_gb2312.ttf", 0, "fangsong"),
    ("仿宋_GB2312.ttf", 0, "fangsong"),
    # Song
    ("FZXBSJW.TTF", 0, "song"),
    ("方正小标宋简体.ttf", 0, "song"),
    ("simsun.ttc", 0, "song"),
    ("simsun.ttf", 0, "song"),
    ("STSONG.TTF", 0, "song"),
    ("Songti.ttc", 0, "song"),
    ("uming.ttc", 0, "song"),
    # Hei
    ("simhei.ttf", 0, "hei"),
    ("msyh.ttc", 0, "hei"),
    ("msyh.ttf", 0, "hei"),
    ("STHeiti Medium.ttc", 0, "hei"),
    ("PingFang.ttc", 0, "hei"),
    ("wqy-microhei.ttc", 0, "hei"),
    ("wqy-zenhei.ttc", 0, "hei"),
    ("DroidSansFallbackFull.ttf", 0, "hei"),
    # Kai
    ("simkai.ttf", 0, "kai"),
    ("STKAITI.TTF", 0, "kai"),
    ("ukai.ttc", 0, "kai"),
)
_STYLE_OF_SETTING: Final = "fangsong"


def system_font_dirs() -> list[Path]:
    """Where this operating system keeps fonts, user directories included."""
    home = Path.home()
    if sys.platform.startswith("win"):
        windir = Path(os.environ.get("WINDIR", r"C:\Windows"))
        local = Path(os.environ.get("LOCALAPPDATA", str(home / "AppData" / "Local")))
        return [windir / "Fonts", local / "Microsoft" / "Windows" / "Fonts"]
    if sys.platform == "darwin":
        return [
            Path("/System/Library/Fonts"),
            Path("/System/Library/Fonts/Supplemental"),
            Path("/Library/Fonts"),
            home / "Library" / "Fonts",
        ]
    return [
        Path("/usr/share/fonts"),
        Path("/usr/local/share/fonts"),
        home / ".local" / "share" / "fonts",
        home / ".fonts",
    ]


def default_search_dirs() -> list[Path]:
    return [RESOURCE_FONTS, *system_font_dirs()]


def _index_dir(directory: Path) -> dict[str, Path]:
    """Lower-cased file name → path for every font file under ``directory`` (first found wins)."""
    found: dict[str, Path] = {}
    if not directory.is_dir():
        return found
    for root, _dirs, files in os.walk(directory):
        for file in sorted(files):
            if file.lower().endswith((".ttf", ".ttc")):
                found.setdefault(file.lower(), Path(root) / file)
    return found


def _parse_setting(value: str) -> FontFile | None:
    text = value.strip()
    if not text:
        return None
    path_text, _, index_text = text.partition("#")
    index = int(index_text) if index_text.isdigit() else 0
    return FontFile(Path(path_text).expanduser(), index, _STYLE_OF_SETTING)


def candidates(setting: str = "", search_dirs: Sequence[Path] | None = None) -> list[FontFile]:
    """Every known face present, in discovery order: the setting's, then per directory in ``search_dirs`` order."""
    result: list[FontFile] = []
    chosen = _parse_setting(setting)
    if chosen is not None:
        result.append(chosen)
    for directory in default_search_dirs() if search_dirs is None else search_dirs:
        index = _index_dir(Path(directory))
        for file_name, member, style in KNOWN_FACES:
            path = index.get(file_name.lower())
            if path is not None:
                result.append(FontFile(path, member, style))
    return result


@functools.lru_cache(maxsize=32)
def _load(font: FontFile) -> bool:
    """Register ``font`` with ReportLab once per process; False if it cannot serve Chinese text."""
    if font.name in pdfmetrics.getRegisteredFontNames():
        return True
    try:
        face = TTFont(font.name, str(font.path), subfontIndex=font.index)
    except (TTFError, OSError, ValueError, KeyError, IndexError, AssertionError):
        return False
    widths = face.face.charWidths
    if any(ord(char) not in widths for char in PROBE):
        return False
    pdfmetrics.registerFont(face)
    return True


def _first(fonts: Iterable[FontFile], styles: Sequence[Style]) -> FontFile | None:
    pool = list(fonts)
    for style in styles:
        for font in pool:
            if font.style == style and _load(font):
                return font
    return None


def load_notice_fonts(setting: str = "", search_dirs: Sequence[Path] | None = None) -> NoticeFonts:
    """Find, register and return the faces for a notice. Raises :class:`FontNotFound` with install advice.

    A font chosen in settings is used for every role when it loads (the coordinator chose it on purpose); if it
    does not load, discovery goes on as if it were not set, and the chosen path is named only if nothing else
    is found either.
    """
    found = candidates("", search_dirs)
    chosen = _parse_setting(setting)
    if chosen is not None and _load(chosen):
        name = chosen.name
        return NoticeFonts(title=name, body=name, heading=name, kai=name, files=(chosen,))
    body = _first(found, ("fangsong", "song", "hei", "kai"))
    if body is None:
        raise FontNotFound(f"设置中的字体无法使用：{chosen.path}" if chosen is not None else "")
    title = _first(found, ("song", "hei")) or body
    heading = _first(found, ("hei",)) or title
    kai = _first(found, ("kai",)) or body
    files = tuple(dict.fromkeys((title, body, heading, kai)))
    return NoticeFonts(title=title.name, body=body.name, heading=heading.name, kai=kai.name, files=files)


__all__ = [
    "KNOWN_FACES",
    "RESOURCE_FONTS",
    "FontFile",
    "FontNotFound",
    "NoticeFonts",
    "candidates",
    "default_search_dirs",
    "load_notice_fonts",
    "system_font_dirs",
]
