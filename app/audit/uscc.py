"""统一社会信用代码 (GB 32100-2015): normalise, check, and say in Chinese exactly what is wrong.

``stdnum.cn.uscc`` owns the check-character arithmetic (a tested implementation of the standard's weights and
alphabet). It answers only "invalid format" or "invalid checksum", which does not help a coordinator holding a
business licence; this module adds the structure checks of the standard's code table and one precise message per
fault, so the person can compare the code with the licence and see which character to fix.

Normalisation comes first because codes arrive pasted from web pages, Excel and Chinese input methods: full-width
characters become ASCII (NFKC), lowercase becomes uppercase, and spaces, hyphens and invisible format characters
(zero-width spaces, a stray BOM) are removed. Only what is still wrong after that is reported.

We do not check the administrative-division part against the GB/T 2260 list (divisions are renamed and merged;
old codes stay valid for life) nor the organisation code's own GB 11714 check, only that the fields have the
shape the standard gives them.
"""

from __future__ import annotations

import enum
import unicodedata

from stdnum.cn import uscc as stdnum_uscc

from core.errors import LaborCheckError

USCC_LENGTH = 18
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
"""The 31 characters the code uses: digits and the capital letters except I, O, S, V and Z."""

REGISTRATION_AUTHORITIES: dict[str, tuple[str, dict[str, str]]] = {
    "1": ("机构编制", {"1": "机关", "2": "事业单位", "3": "中央编办直接管理机构编制的群众团体", "9": "其他"}),
    "2": ("外交", {"1": "外国常驻新闻机构", "9": "其他"}),
    "3": (
        "司法行政",
        {
            "1": "律师执业机构",
            "2": "公证处",
            "3": "基层法律服务所",
            "4": "司法鉴定机构",
            "5": "仲裁委员会",
            "9": "其他",
        },
    ),
    "4": ("文化", {"1": "外国在华文化中心", "9": "其他"}),
    "5": ("民政", {"1": "社会团体", "2": "民办非企业单位", "3": "基金会", "9": "其他"}),
    "6": (
        "旅游",
        {"1": "外国旅游部门常驻代表机构", "2": "港澳台地区旅游部门常驻内地（大陆）代表机构", "9": "其他"},
    ),
    "7": ("宗教", {"1": "宗教活动场所", "2": "宗教院校", "9": "其他"}),
    "8": ("工会", {"1": "基层工会", "9": "其他"}),
    "9": ("工商", {"1": "企业", "2": "个体工商户", "3": "农民专业合作社"}),
    "A": ("中央军委改革和编制办公室", {"1": "军队事业单位", "9": "其他"}),
    "N": ("农业", {"1": "组级集体经济组织", "2": "村级集体经济组织", "3": "乡镇级集体经济组织", "9": "其他"}),
    "Y": ("其他", {"1": "其他"}),
}
"""登记管理部门代码 (1st character) → (department, 机构类别代码 (2nd character) → organisation type).

GB 32100-2015 Appendix A as extended by the later code allocations (外交, 司法行政, 文化, 旅游, 宗教, 工会,
中央军委改革和编制办公室 and 农业 were added after the first edition, which listed 1, 5, 9 and Y)."""

_REMOVED_CHARACTERS = frozenset(" -")
_CONFUSABLE_HINTS = {"O": "数字0", "I": "数字1", "Z": "数字2", "S": "数字5"}


class USCCProblem(enum.StrEnum):
    """Which rule a code breaks, for callers that react differently (e.g. the import report groups them)."""

    EMPTY = "empty"
    LENGTH = "length"
    CHARACTER = "character"
    AUTHORITY = "authority"
    ORGANISATION_TYPE = "organisation_type"
    DIVISION = "division"
    CHECK_CHARACTER = "check_character"


class InvalidUSCC(LaborCheckError):
    """A code that is not a valid 统一社会信用代码; the message names the one rule broken and where."""

    def __init__(self, problem: USCCProblem, message: str, code: str) -> None:
        super().__init__(message)
        self.problem = problem
        self.code = code
        """The code after normalisation (what the message's positions refer to)."""


def normalise_uscc(raw: str) -> str:
    """Full-width to ASCII, uppercase, without spaces, hyphens or invisible format characters."""
    text = unicodedata.normalize("NFKC", raw).upper()
    return "".join(
        ch
        for ch in text
        if ch not in _REMOVED_CHARACTERS and not ch.isspace() and unicodedata.category(ch) not in ("Cf", "Cc")
    )


def _character_problem(code: str) -> str | None:
    bad = [(position, ch) for position, ch in enumerate(code, start=1) if ch not in ALPHABET]
    if not bad:
        return None
    parts = []
    for position, ch in bad:
        hint = _CONFUSABLE_HINTS.get(ch)
        parts.append(f"第{position}位“{ch}”" + (f"（是否应为{hint}？）" if hint else ""))
    return (
        "统一社会信用代码含不允许的字符：" + "、".join(parts) + "。代码只由数字和大写字母组成，不使用字母I、O、S、V、Z"
    )


def _structure_problem(code: str) -> InvalidUSCC | None:
    authority = REGISTRATION_AUTHORITIES.get(code[0])
    if authority is None:
        allowed = "、".join(REGISTRATION_AUTHORITIES)
        return InvalidUSCC(
            USCCProblem.AUTHORITY,
            f"统一社会信用代码第1位（登记管理部门代码）“{code[0]}”不存在，应为{allowed}之一",
            code,
        )
    department, types = authority
    if code[1] not in types:
        allowed = "、".join(f"{key}（{name}）" for key, name in types.items())
        return InvalidUSCC(
            USCCProblem.ORGANISATION_TYPE,
            f"统一社会信用代码第2位（机构类别代码）“{code[1]}”不适用于登记管理部门“{department}”（第1位为{code[0]}），"
            f"应为{allowed}之一",
            code,
        )
    division = code[2:8]
    if not division.isdigit():
        return InvalidUSCC(
            USCCProblem.DIVISION,
            f"统一社会信用代码第3至8位（登记管理机关行政区划码）应为6位数字，实际为“{division}”",
            code,
        )
    return None


def validate_uscc(raw: str) -> str:
    """Return the normalised code, or raise :class:`InvalidUSCC` naming the first rule it breaks.

    Rules are checked in the order a person would fix them: presence, length, characters, the 1st and 2nd
    characters against the standard's table, the 6-digit division code, and last the check character.
    """
    code = normalise_uscc(raw)
    if not code:
        raise InvalidUSCC(USCCProblem.EMPTY, "统一社会信用代码未填写", code)
    if len(code) != USCC_LENGTH:
        raise InvalidUSCC(
            USCCProblem.LENGTH, f"统一社会信用代码应为{USCC_LENGTH}位，实际为{len(code)}位（{code}）", code
        )
    character_message = _character_problem(code)
    if character_message is not None:
        raise InvalidUSCC(USCCProblem.CHARACTER, character_message, code)
    structure = _structure_problem(code)
    if structure is not None:
        raise structure
    expected = str(stdnum_uscc.calc_check_digit(code[:-1]))
    if code[-1] != expected:
        raise InvalidUSCC(
            USCCProblem.CHECK_CHARACTER,
            f"统一社会信用代码校验位应为{expected}，实际为{code[-1]}",
            code,
        )
    return code


def is_valid_uscc(raw: str) -> bool:
    """Whether ``raw`` normalises to a valid code (for filters and quick checks that need no message)."""
    try:
        validate_uscc(raw)
    except InvalidUSCC:
        return False
    return True


def make_uscc(body17: str) -> str:
    """Append the right check character to a 17-character body (demo data and tests).

    Only the length and the alphabet of the body are checked, so a test can build a code whose single fault is
    structural (an unknown 1st character, letters in the division code) and see that exact message.
    """
    body = normalise_uscc(body17)
    if len(body) != USCC_LENGTH - 1:
        raise InvalidUSCC(USCCProblem.LENGTH, f"统一社会信用代码本体应为{USCC_LENGTH - 1}位，实际为{len(body)}位", body)
    character_message = _character_problem(body)
    if character_message is not None:
        raise InvalidUSCC(USCCProblem.CHARACTER, character_message, body)
    return body + str(stdnum_uscc.calc_check_digit(body))


__all__ = [
    "ALPHABET",
    "REGISTRATION_AUTHORITIES",
    "USCC_LENGTH",
    "InvalidUSCC",
    "USCCProblem",
    "is_valid_uscc",
    "make_uscc",
    "normalise_uscc",
    "validate_uscc",
]
