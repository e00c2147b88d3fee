"""Which encoding a text file (a CSV from Excel, WPS or a clock-in system) is in: decided, never guessed loosely.

Offices in China send CSV files in two encodings: UTF-8 (with or without a byte-order mark, as "CSV UTF-8" and
most systems write) and GBK (what Excel on a Chinese Windows writes as plain "CSV"; read here as GB18030, its
superset). UTF-16 with a byte-order mark ("Unicode text") also occurs. The rule is explicit:

1. a byte-order mark decides (UTF-8 or UTF-16);
2. else the bytes are UTF-8 if they decode as UTF-8 — GBK text of any length practically never does;
3. else GB18030 if they decode as that;
4. else the file is refused with a message that says how to save it.

:func:`detect_encoding` looks at the start of a large file only (a clock-in export can be 100 MB), cutting
nothing: an incomplete character at the end of the sample is allowed. A file that starts as valid UTF-8 and
turns invalid later is caught by the reader, which then raises :class:`TextEncodingError` too.
"""

from __future__ import annotations

import codecs
from typing import Final

from core.errors import LaborCheckError

__all__ = ["SAMPLE_BYTES", "TextEncodingError", "decode_text", "detect_encoding"]

SAMPLE_BYTES: Final = 1 << 20
"""How much of a file :func:`detect_encoding` is given by readers of large files."""

UNREADABLE: Final = (
    "无法识别文件的文字编码（应为 UTF-8 或 GBK），请在 Excel 或 WPS 中另存为“CSV UTF-8（逗号分隔）”后重试"
)


class TextEncodingError(LaborCheckError):
    """The bytes are neither UTF-8 nor GBK/GB18030 (nor UTF-16 with a byte-order mark)."""


def _decodes(sample: bytes, encoding: str, *, final: bool) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    try:
        decoder.decode(sample, final=final)
    except UnicodeDecodeError:
        return False
    return True


def detect_encoding(sample: bytes, *, complete: bool = False) -> str:
    """The codec name to read a file that starts with ``sample`` (``complete``: the sample is the whole file).

    Returns ``utf-8-sig``, ``utf-16``, ``utf-8`` or ``gb18030``; raises :class:`TextEncodingError` otherwise.
    """
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    for encoding in ("utf-8", "gb18030"):
        if _decodes(sample, encoding, final=complete):
            return encoding
    raise TextEncodingError(UNREADABLE)


def decode_text(data: bytes) -> str:
    """The text of a whole file by the rule above (a byte-order mark is not part of the text)."""
    encoding = detect_encoding(data, complete=True)
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:  # pragma: no cover - detect_encoding decoded the same bytes
        raise TextEncodingError(UNREADABLE) from None
