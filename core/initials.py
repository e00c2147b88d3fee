"""Pinyin initials of an enterprise name, for search: one definition for the laptop and the server.

The server computes them when it writes an enterprise and sends them in the change feed, so a laptop pulling a
registry of 100 000 names stores them instead of converting every name again; a laptop computes them itself for
what it creates or edits offline. Both run this code, so both get the same letters.
"""

from __future__ import annotations

import functools
import itertools
import unicodedata
from typing import Any

MAX_INITIAL_VARIANTS = 8
"""How many spellings of the initials are stored at most; a long name full of heteronyms must not explode."""
INITIALS_MAX_LENGTH = 200


_split_run: Any = list
"""pypinyin's ``errors`` callback: a run without pinyin (latin, digits, punctuation) becomes one item per
character, so readings line up with characters. pypinyin documents list results; its type stubs say ``str``."""


def _first_letters(text: str, *, split_runs: bool = True) -> list[str]:
    """pypinyin's first letters of ``text``, read in context.

    pypinyin is imported here because its dictionaries take 0.3 s to load, which the window's start should not
    wait for. ``lazy_pinyin`` cuts the text into words (phrases of its dictionary, single characters, non-Chinese
    runs) and converts each word on its own, so converting word by word through a cache gives the same letters:
    company names repeat their words (有限公司, 商贸, 达州), and a registry pull converts 100 000 names.
    """
    from pypinyin import Style, lazy_pinyin

    if not split_runs:
        return list(lazy_pinyin(text, style=Style.FIRST_LETTER))
    return [letter for word in _segmenter().seg(text) for letter in _word_letters(word)]


@functools.cache
def _segmenter() -> Any:
    from pypinyin.core import Pinyin

    return Pinyin()


@functools.lru_cache(maxsize=65536)
def _word_letters(word: str) -> tuple[str, ...]:
    from pypinyin import Style, lazy_pinyin

    return tuple(lazy_pinyin(word, style=Style.FIRST_LETTER, errors=_split_run))


@functools.lru_cache(maxsize=8192)
def _default_letter(character: str) -> str:
    """The character's most common reading out of context (what someone guessing a heteronym types)."""
    return _first_letters(character, split_runs=False)[0][:1].lower()


def _letter_choices(name: str) -> list[tuple[str, ...]]:
    """Per searchable character, its possible initial letters: the reading in context first (重庆 → c), then the
    character's everyday reading when it differs (重 → z). Punctuation and spaces are dropped."""
    text = unicodedata.normalize("NFKC", name)
    in_context = _first_letters(text)
    if len(in_context) != len(text):  # pypinyin kept a run together: fall back to one reading per character
        in_context = [_first_letters(ch)[0] for ch in text]
    choices: list[tuple[str, ...]] = []
    for character, reading in zip(text, in_context, strict=True):
        if character.isascii():
            if character.isalnum():
                choices.append((character.lower(),))
            continue
        letter = reading[:1].lower()
        if not (letter.isascii() and letter.isalnum()):
            continue
        default = _default_letter(character)
        if default and default != letter and default.isascii() and default.isalpha():
            choices.append((letter, default))
        else:
            choices.append((letter,))
    return choices


def load_dictionaries() -> None:
    """Load pypinyin's dictionaries now (about 0.5 s of CPU) instead of at the first name converted: a server
    worker calls this as it starts, so the first enterprise a laptop pushes does not wait for them while four
    laptops' pushes queue behind it."""
    name_initials("重庆恒达")


def name_initials(name: str) -> str:
    """Lowercase pinyin initials of ``name``, with heteronym alternatives space-separated.

    ``重庆恒达机械有限公司`` → ``"cqhdjxyxgs zqhdjxyxgs"``: the first spelling reads each character in context,
    the others swap in the everyday reading of a heteronym (重 zhong, 长 zhang, 行 xing), fewest swaps first, so a
    search for either spelling finds the name. At most :data:`MAX_INITIAL_VARIANTS` spellings and
    :data:`INITIALS_MAX_LENGTH` characters are kept.
    """
    choices = _letter_choices(name)
    primary = "".join(options[0] for options in choices)[:INITIALS_MAX_LENGTH]
    variants = [primary]
    length = len(primary)
    ambiguous = [index for index, options in enumerate(choices) if len(options) > 1]
    for swaps in range(1, len(ambiguous) + 1):
        for positions in itertools.combinations(ambiguous, swaps):
            if len(variants) >= MAX_INITIAL_VARIANTS or length + 1 + len(primary) > INITIALS_MAX_LENGTH:
                return " ".join(variants)
            letters = [options[0] for options in choices]
            for position in positions:
                letters[position] = choices[position][1]
            variants.append("".join(letters))
            length += 1 + len(primary)
    return " ".join(variants)
