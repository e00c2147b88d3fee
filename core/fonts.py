"""Chinese fonts for official documents: find each face the standard asks for, say which is missing, never print boxes.

GB/T 9704-2012 sets the title (and the issuing body's mark) in 小标宋 (方正小标宋简体), the body in 仿宋 (仿宋_GB2312),
first-level headings in 黑体, second-level ones in 楷体, and page numbers in 宋体. Each of these *roles* takes the
proper face where the machine has it, else the closest stand-in — and :class:`FontReport` says which role runs on a
stand-in, what is missing and how to install it, so the preview, the command line and the settings page can tell
the coordinator instead of printing a notice in the wrong face silently. Places searched, in order:

1. the font chosen in settings (``AppSettings.notice_font``: ``.ttf``/``.ttc``, ``path#index`` for a collection
   member other than the first) — it serves every role;
2. fonts shipped with the application in ``resources/fonts/`` (none are shipped today);
3. the system's fonts: Windows ``C:\\Windows\\Fonts`` (simfang, simhei, simkai, simsun and, where installed,
   方正小标宋简体 FZXBSJW), UOS/Kylin (the 方正 ``_GBK`` faces FZFSK/FZHTK/FZKTK/FZSSK/FZXBSK and the CESI faces
   CESI_FS/HT/KT/SS/XBS), macOS (华文 faces), and Debian (AR PL UMing/UKai, LXGW WenKai, WenQuanYi, Noto CJK).

Only TrueType outlines can be embedded by ReportLab. Noto Serif CJK — the best free heavy song face Debian ships
(``fonts-noto-cjk-extra``: Black), the stand-in for 小标宋 — has CFF outlines, so the GB 2312 characters of its
Simplified Chinese face are converted once to TrueType with fontTools and cached (``cache_dir``); the conversion
takes some seconds the first time and none after. A face that loads but lacks the probe characters (a Latin-only
file picked by mistake) is skipped. When no Chinese face is found at all, :class:`FontNotFound` names what to
install, per operating system: a PDF whose text is boxes would look printed but say nothing.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import sys
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final, Literal

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from core.errors import LaborCheckError

Style = Literal["xbs", "fangsong", "song", "ming", "hei", "sans", "kai", "kai-free", "serif-black", "serif"]
Role = Literal["title", "body", "heading", "kai", "song"]
PROBE: Final = "劳动用工整改通知书〔〕《》，。"
"""Characters every face must have: the title, the 文号 brackets and the commonest punctuation."""

RESOURCE_FONTS: Final = Path(__file__).resolve().parents[1] / "resources" / "fonts"
DEBIAN_PACKAGES: Final = (
    "fonts-noto-cjk-extra fonts-arphic-uming fonts-arphic-ukai fonts-lxgw-wenkai fonts-wqy-microhei"
)
"""The best free stand-ins Debian ships (the Makefile installs them): no free 仿宋 or 小标宋 exists there."""

ROLE_NAMES: Final[dict[Role, str]] = {
    "title": "方正小标宋简体",
    "body": "仿宋（仿宋_GB2312）",
    "heading": "黑体",
    "kai": "楷体（楷体_GB2312）",
    "song": "宋体",
}
"""The face GB/T 9704 asks for in each role, as a coordinator knows it."""

ROLE_USES: Final[dict[Role, str]] = {
    "title": "标题和发文机关标志",
    "body": "正文",
    "heading": "一级标题",
    "kai": "二级标题",
    "song": "页码",
}

PROPER: Final[dict[Role, tuple[Style, ...]]] = {
    "title": ("xbs",),
    "body": ("fangsong",),
    "heading": ("hei",),
    "kai": ("kai",),
    "song": ("song",),
}
"""The styles that are the real thing for a role; anything else is a stand-in."""

ORDER: Final[dict[Role, tuple[Style, ...]]] = {
    "title": ("xbs", "serif-black", "song", "ming", "serif", "hei", "sans", "fangsong"),
    "body": ("fangsong", "song", "ming", "serif", "kai", "kai-free", "hei", "sans"),
    "heading": ("hei", "sans", "serif-black", "song", "ming", "fangsong"),
    "kai": ("kai", "kai-free", "fangsong", "song", "ming", "serif"),
    "song": ("song", "ming", "serif", "fangsong", "hei", "sans"),
}
"""For each role, the styles to take in order: the proper face, then the closest stand-ins."""

INSTALL_ADVICE: Final[dict[Role, str]] = {
    "title": (
        "Windows：安装方正小标宋简体（FZXBSJW.TTF）到 C:\\Windows\\Fonts；"
        "统信 UOS／银河麒麟：安装方正小标宋_GBK 或 CESI 小标宋字体；"
        "Debian／Ubuntu：sudo apt-get install fonts-noto-cjk-extra（以思源宋体 Black 代替）"
    ),
    "body": (
        "Windows：确认 C:\\Windows\\Fonts 中有仿宋（simfang.ttf）；"
        "统信 UOS／银河麒麟：安装方正仿宋_GBK 或 CESI 仿宋字体；"
        "Debian／Ubuntu 没有免费的仿宋字体，可在“设置”中指定仿宋字体文件"
    ),
    "heading": (
        "Windows：确认 C:\\Windows\\Fonts 中有黑体（simhei.ttf）；"
        "统信 UOS／银河麒麟：安装方正黑体_GBK 或 CESI 黑体字体；"
        "Debian／Ubuntu 没有免费的黑体（SimHei），文泉驿微米黑（fonts-wqy-microhei）是最接近的替代"
    ),
    "kai": (
        "Windows：确认 C:\\Windows\\Fonts 中有楷体（simkai.ttf）；"
        "统信 UOS／银河麒麟：安装方正楷体_GBK 或 CESI 楷体字体；"
        "Debian／Ubuntu：sudo apt-get install fonts-lxgw-wenkai fonts-arphic-ukai（以霞鹜文楷代替）"
    ),
    "song": (
        "Windows：确认 C:\\Windows\\Fonts 中有宋体（simsun.ttc）；"
        "统信 UOS／银河麒麟：安装方正书宋_GBK 或 CESI 宋体字体；"
        "Debian／Ubuntu：sudo apt-get install fonts-arphic-uming（以 AR PL UMing 代替）"
    ),
}


class FontNotFound(LaborCheckError):
    """No usable Chinese TrueType font: the message says what to install, per operating system."""

    def __init__(self, detail: str = "") -> None:
        hint = (
            "未找到可用于整改通知书的中文字体（需要 TrueType 格式的仿宋、宋体或黑体）。"
            f"Linux 请安装：sudo apt-get install {DEBIAN_PACKAGES}；"
            "Windows 请确认系统字体目录中有仿宋（simfang.ttf）、宋体（simsun.ttc）或黑体（simhei.ttf）；"
            "也可以在“设置”中指定一个中文 TrueType 字体文件。"
        )
        super().__init__(hint + (f"（{detail}）" if detail else ""))


@dataclass(frozen=True)
class FontFile:
    """One face in a file: ``index`` selects the member of a collection; ``cff`` marks outlines to convert."""

    path: Path
    index: int
    style: Style
    label: str = ""
    cff: bool = False

    @property
    def name(self) -> str:
        """The registered ReportLab name: derived from the file, so two files never share a name."""
        digest = hashlib.sha256(f"{self.path}#{self.index}".encode()).hexdigest()[:10]
        return f"LC-{self.style}-{digest}"

    @property
    def display(self) -> str:
        return self.label or self.path.name


# (file name, collection index, style, label) in order of preference within each style; matching ignores case.
KNOWN_FACES: Final[tuple[tuple[str, int, Style, str], ...]] = (
    # 小标宋
    ("FZXBSJW.TTF", 0, "xbs", "方正小标宋简体"),
    ("方正小标宋简体.ttf", 0, "xbs", "方正小标宋简体"),
    ("FZXBSK.TTF", 0, "xbs", "方正小标宋_GBK"),
    ("CESI_XBS_GB18030.TTF", 0, "xbs", "CESI小标宋"),
    ("CESI_XBS_GB13000.TTF", 0, "xbs", "CESI小标宋"),
    ("CESI_XBS_GB2312.TTF", 0, "xbs", "CESI小标宋"),
    # 仿宋
    ("simfang.ttf", 0, "fangsong", "仿宋"),
    ("仿宋_GB2312.ttf", 0, "fangsong", "仿宋_GB2312"),
    ("fangsong_gb2312.ttf", 0, "fangsong", "仿宋_GB2312"),
    ("FZFSK.TTF", 0, "fangsong", "方正仿宋_GBK"),
    ("CESI_FS_GB18030.TTF", 0, "fangsong", "CESI仿宋"),
    ("CESI_FS_GB13000.TTF", 0, "fangsong", "CESI仿宋"),
    ("CESI_FS_GB2312.TTF", 0, "fangsong", "CESI仿宋"),
    ("STFANGSO.TTF", 0, "fangsong", "华文仿宋"),
    ("STFangsong.ttf", 0, "fangsong", "华文仿宋"),
    ("华文仿宋.ttf", 0, "fangsong", "华文仿宋"),
    # 宋体
    ("simsun.ttc", 0, "song", "宋体"),
    ("simsun.ttf", 0, "song", "宋体"),
    ("FZSSK.TTF", 0, "song", "方正书宋_GBK"),
    ("CESI_SS_GB18030.TTF", 0, "song", "CESI宋体"),
    ("CESI_SS_GB13000.TTF", 0, "song", "CESI宋体"),
    ("CESI_SS_GB2312.TTF", 0, "song", "CESI宋体"),
    ("STSONG.TTF", 0, "song", "华文宋体"),
    ("Songti.ttc", 0, "song", "宋体-简"),
    ("uming.ttc", 0, "ming", "AR PL UMing"),
    ("gbsn00lp.ttf", 0, "ming", "AR PL SungtiL GB"),
    # 黑体
    ("simhei.ttf", 0, "hei", "黑体"),
    ("FZHTK.TTF", 0, "hei", "方正黑体_GBK"),
    ("CESI_HT_GB18030.TTF", 0, "hei", "CESI黑体"),
    ("CESI_HT_GB13000.TTF", 0, "hei", "CESI黑体"),
    ("CESI_HT_GB2312.TTF", 0, "hei", "CESI黑体"),
    ("msyh.ttc", 0, "sans", "微软雅黑"),
    ("msyh.ttf", 0, "sans", "微软雅黑"),
    ("STHeiti Medium.ttc", 0, "hei", "华文黑体"),
    ("PingFang.ttc", 0, "sans", "苹方"),
    ("wqy-microhei.ttc", 0, "sans", "文泉驿微米黑"),
    ("wqy-zenhei.ttc", 0, "sans", "文泉驿正黑"),
    ("DroidSansFallbackFull.ttf", 0, "sans", "Droid Sans Fallback"),
    # 楷体
    ("simkai.ttf", 0, "kai", "楷体"),
    ("楷体_GB2312.ttf", 0, "kai", "楷体_GB2312"),
    ("FZKTK.TTF", 0, "kai", "方正楷体_GBK"),
    ("CESI_KT_GB18030.TTF", 0, "kai", "CESI楷体"),
    ("CESI_KT_GB13000.TTF", 0, "kai", "CESI楷体"),
    ("CESI_KT_GB2312.TTF", 0, "kai", "CESI楷体"),
    ("STKAITI.TTF", 0, "kai", "华文楷体"),
    ("LXGWWenKai-Regular.ttf", 0, "kai-free", "霞鹜文楷"),
    ("ukai.ttc", 0, "kai-free", "AR PL UKai"),
    ("gkai00mp.ttf", 0, "kai-free", "AR PL KaitiM GB"),
    # Noto Serif CJK (CFF outlines: converted once), member 2 of the collection is Simplified Chinese
    ("NotoSerifCJK-Black.ttc", 2, "serif-black", "思源宋体 Black"),
    ("NotoSerifCJK-Bold.ttc", 2, "serif-black", "思源宋体 Bold"),
    ("NotoSerifCJK-Regular.ttc", 2, "serif", "思源宋体"),
)
_CFF_STYLES: Final = frozenset({"serif-black", "serif"})


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


def default_cache_dir() -> Path:
    """Where converted faces are kept (the user's cache directory; LABORCHECK_FONT_CACHE overrides)."""
    override = os.environ.get("LABORCHECK_FONT_CACHE")
    if override:
        return Path(override)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("LaborCheck", appauthor=False)) / "fonts"


def _index_dir(directory: Path) -> dict[str, Path]:
    """Lower-cased file name → path for every font file under ``directory`` (first found wins)."""
    found: dict[str, Path] = {}
    if not directory.is_dir():
        return found
    for root, _dirs, files in os.walk(directory):
        for file in sorted(files):
            if file.lower().endswith((".ttf", ".ttc", ".otf")):
                found.setdefault(file.lower(), Path(root) / file)
    return found


def _parse_setting(value: str) -> FontFile | None:
    text = value.strip()
    if not text:
        return None
    path_text, _, index_text = text.partition("#")
    index = int(index_text) if index_text.isdigit() else 0
    path = Path(path_text).expanduser()
    return FontFile(path, index, "fangsong", label=path.name)


def candidates(setting: str = "", search_dirs: Sequence[Path] | None = None) -> list[FontFile]:
    """Every known face present, in discovery order: the setting's, then per directory in ``search_dirs`` order."""
    result: list[FontFile] = []
    chosen = _parse_setting(setting)
    if chosen is not None:
        result.append(chosen)
    for directory in default_search_dirs() if search_dirs is None else search_dirs:
        index = _index_dir(Path(directory))
        for file_name, member, style, label in KNOWN_FACES:
            path = index.get(file_name.lower())
            if path is not None:
                result.append(FontFile(path, member, style, label, cff=style in _CFF_STYLES))
    return result


# ----------------------------------------------------------------------------------------- CFF → TrueType


def _gb2312() -> set[int]:
    """GB 2312's characters plus ASCII and the full-width forms: what a title or mark is written with."""
    chars: set[int] = set(range(0x20, 0x7F))
    for high in range(0xA1, 0xF8):
        for low in range(0xA1, 0xFF):
            with contextlib.suppress(UnicodeDecodeError):
                chars.add(ord(bytes([high, low]).decode("gb2312")))
    chars.update(range(0xFF01, 0xFF5F))
    chars.update(ord(char) for char in "〔〕《》“”‘’、。，：；！？（）—…·")
    return chars


def converted_path(font: FontFile, cache_dir: Path) -> Path:
    stat = font.path.stat()
    key = hashlib.sha256(f"{font.path}#{font.index}#{stat.st_size}#{stat.st_mtime_ns}#gb2312-v1".encode()).hexdigest()
    return cache_dir / f"{font.path.stem}-{font.index}-{key[:12]}.ttf"


def convert_to_truetype(font: FontFile, cache_dir: Path) -> Path:
    """The face's GB 2312 characters with quadratic (TrueType) outlines, converted once and cached.

    Written under a temporary name and renamed, so two processes converting at once never leave half a file.
    """
    target = converted_path(font, cache_dir)
    if target.is_file():
        return target
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.subset import Options, Subsetter
    from fontTools.ttLib import TTFont as ToolsFont
    from fontTools.ttLib import newTable

    face = ToolsFont(str(font.path), fontNumber=font.index, lazy=False)
    options = Options()
    options.layout_features = []
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.hinting = False
    options.drop_tables += ["VORG", "vhea", "vmtx", "GSUB", "GPOS", "GDEF", "BASE"]
    subsetter = Subsetter(options)
    subsetter.populate(unicodes=_gb2312())
    subsetter.subset(face)
    order = face.getGlyphOrder()
    glyphs = face.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyphs)
        glyphs[name].draw(Cu2QuPen(pen, 1.0, reverse_direction=True))
        glyf[name] = pen.glyph()
    face["glyf"] = glyf
    face["loca"] = newTable("loca")
    maxp = face["maxp"]
    maxp.tableVersion = 0x00010000
    for attribute in (
        "maxTwilightPoints",
        "maxStorage",
        "maxFunctionDefs",
        "maxInstructionDefs",
        "maxStackElements",
        "maxSizeOfInstructions",
        "maxComponentElements",
    ):
        setattr(maxp, attribute, 0)
    maxp.maxZones = 1
    post = face["post"]
    post.formatType = 2.0
    post.extraNames = []
    post.mapping = {}
    post.glyphOrder = order
    del face["CFF "]
    face.sfntVersion = "\x00\x01\x00\x00"
    cache_dir.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=cache_dir, suffix=".part")
    os.close(descriptor)
    try:
        face.save(temporary)
        os.replace(temporary, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
    return target


# ---------------------------------------------------------------------------------------------- loading


@functools.lru_cache(maxsize=64)
def _load(font: FontFile, cache_dir: Path | None = None) -> bool:
    """Register ``font`` with ReportLab once per process; False if it cannot serve Chinese text."""
    if font.name in pdfmetrics.getRegisteredFontNames():
        return True
    path, index = font.path, font.index
    if font.cff:
        if cache_dir is None:
            return False
        try:
            path, index = convert_to_truetype(font, cache_dir), 0
        except (OSError, ImportError, ValueError, KeyError, AssertionError):
            return False
    try:
        face = TTFont(font.name, str(path), subfontIndex=index)
    except (TTFError, OSError, ValueError, KeyError, IndexError, AssertionError):
        return False
    widths = face.face.charWidths
    if any(ord(char) not in widths for char in PROBE):
        return False
    pdfmetrics.registerFont(face)
    return True


def covers(font_name: str, text: str) -> bool:
    """Does the registered face have a glyph for every character of ``text`` (spaces aside)?"""
    try:
        widths = pdfmetrics.getFont(font_name).face.charWidths
    except (KeyError, AttributeError):
        return False
    return all(ord(char) in widths for char in text if not char.isspace())


@dataclass(frozen=True)
class RoleFont:
    """The face a role got: the proper one, or a stand-in (with what is missing and how to install it)."""

    role: Role
    font: FontFile
    proper: bool

    @property
    def wanted(self) -> str:
        return ROLE_NAMES[self.role]

    @property
    def short(self) -> str:
        """缺少仿宋（正文），暂以AR PL UMing代替 — for a screen with little room (empty when proper)."""
        if self.proper:
            return ""
        return f"缺少{self.wanted}（{ROLE_USES[self.role]}），暂以{self.font.display}代替"

    @property
    def message(self) -> str:
        """One line for a person: empty when the role has its proper face."""
        if self.proper:
            return ""
        return (
            f"缺少{self.wanted}（用于{ROLE_USES[self.role]}），暂以{self.font.display}代替。"
            f"安装方法：{INSTALL_ADVICE[self.role]}。"
        )


@dataclass(frozen=True)
class NoticeFonts:
    """The registered faces for a document, by role, and what each one is (see :class:`RoleFont`).

    ``title`` 小标宋 (title, issuing body's mark), ``body`` 仿宋, ``heading`` 黑体 (first-level headings), ``kai`` 楷体
    (second-level wording), ``song`` 宋体 (page numbers). ``bold_title`` is true when the title face is not heavy
    by itself (a song face standing in for 小标宋): the documents then thicken its strokes.
    """

    title: str
    body: str
    heading: str
    kai: str
    song: str
    files: tuple[FontFile, ...]
    roles: tuple[RoleFont, ...] = field(default=())

    @property
    def bold_title(self) -> bool:
        title = next((role for role in self.roles if role.role == "title"), None)
        return title is None or title.font.style not in ("xbs", "serif-black", "hei", "sans")

    @property
    def missing(self) -> list[RoleFont]:
        """The roles that run on a stand-in, in role order."""
        return [role for role in self.roles if not role.proper]

    def report(self) -> str:
        """Every role on a stand-in, one line each: empty when every face is the proper one."""
        return "\n".join(report_lines(self.roles))


def install_hint(platform: str | None = None) -> str:
    """How to install the missing faces on this kind of machine, in one sentence."""
    platform = sys.platform if platform is None else platform
    if platform.startswith("win"):
        return (
            "安装方法：将仿宋（simfang.ttf）、黑体（simhei.ttf）、楷体（simkai.ttf）、宋体（simsun.ttc）和"
            "方正小标宋简体（FZXBSJW.TTF）中缺少的字体安装到 C:\\Windows\\Fonts，或在“设置”中指定字体文件。"
        )
    return (
        "安装方法：统信 UOS／银河麒麟请安装方正 _GBK 或 CESI 字体；Debian／Ubuntu 请运行 "
        f"sudo apt-get install {DEBIAN_PACKAGES}（没有免费的仿宋和小标宋），或在“设置”中指定字体文件。"
    )


def summary_text(roles: Iterable[RoleFont], platform: str | None = None) -> str:
    """The short form for screens: one line per stand-in, then how to install; empty when nothing is missing."""
    lines = [role.short for role in roles if not role.proper]
    return "\n".join([*lines, install_hint(platform)]) if lines else ""


def report_lines(roles: Iterable[RoleFont]) -> list[str]:
    """One line per role on a stand-in (what is missing, what stands in, how to install the real face)."""
    return [role.message for role in roles if not role.proper]


def plan_notice_fonts(setting: str = "", search_dirs: Sequence[Path] | None = None) -> tuple[RoleFont, ...]:
    """The faces :func:`load_notice_fonts` would take, judged by the files present without loading them.

    Quick enough for a settings page on every keystroke (no parsing, no conversion); a file that turns out to
    be unreadable when loaded is skipped then, and the notice's preview reports the face actually used.
    """
    chosen = _parse_setting(setting)
    if chosen is not None and chosen.path.is_file():
        return tuple(RoleFont(role, chosen, True) for role in ROLE_NAMES)
    found = candidates("", search_dirs)
    roles: list[RoleFont] = []
    for role in ROLE_NAMES:
        font = next((font for style in ORDER[role] for font in found if font.style == style), None)
        if font is not None:
            roles.append(RoleFont(role, font, font.style in PROPER[role]))
    return tuple(roles)


def _first(fonts: Iterable[FontFile], styles: Sequence[Style], cache_dir: Path | None) -> FontFile | None:
    pool = list(fonts)
    for style in styles:
        for font in pool:
            if font.style == style and _load(font, cache_dir):
                return font
    return None


def load_notice_fonts(
    setting: str = "", search_dirs: Sequence[Path] | None = None, cache_dir: Path | None = None
) -> NoticeFonts:
    """Find, register and return the faces for a document. Raises :class:`FontNotFound` with install advice.

    A font chosen in settings serves every role when it loads (the coordinator chose it on purpose; it counts as
    proper); if it does not load, discovery goes on as if it were not set, and the chosen path is named only if
    nothing else is found either. ``cache_dir`` is where converted faces are kept (default: the user's cache).
    """
    found = candidates("", search_dirs)
    cache = cache_dir if cache_dir is not None else default_cache_dir()
    chosen = _parse_setting(setting)
    if chosen is not None and _load(chosen, cache):
        name = chosen.name
        roles = tuple(RoleFont(role, chosen, True) for role in ROLE_NAMES)
        return NoticeFonts(title=name, body=name, heading=name, kai=name, song=name, files=(chosen,), roles=roles)
    picked: dict[Role, FontFile] = {}
    for role in ROLE_NAMES:
        font = _first(found, ORDER[role], cache)
        if font is not None:
            picked[role] = font
    if "body" not in picked:
        raise FontNotFound(f"设置中的字体无法使用：{chosen.path}" if chosen is not None else "")
    body = picked["body"]
    for role in ROLE_NAMES:
        picked.setdefault(role, body)
    roles = tuple(RoleFont(role, picked[role], picked[role].style in PROPER[role]) for role in ROLE_NAMES)
    files = tuple(dict.fromkeys(picked.values()))
    return NoticeFonts(
        title=picked["title"].name,
        body=body.name,
        heading=picked["heading"].name,
        kai=picked["kai"].name,
        song=picked["song"].name,
        files=files,
        roles=roles,
    )


__all__ = [
    "DEBIAN_PACKAGES",
    "KNOWN_FACES",
    "RESOURCE_FONTS",
    "ROLE_NAMES",
    "FontFile",
    "FontNotFound",
    "NoticeFonts",
    "RoleFont",
    "candidates",
    "convert_to_truetype",
    "converted_path",
    "covers",
    "default_cache_dir",
    "default_search_dirs",
    "install_hint",
    "load_notice_fonts",
    "plan_notice_fonts",
    "report_lines",
    "summary_text",
    "system_font_dirs",
]
