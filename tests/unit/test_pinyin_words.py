"""Initials are read word by word through a cache: the letters must be exactly pypinyin's reading of the whole
name in context, for real-looking names, heteronym-heavy names, mixed scripts and random characters."""

from __future__ import annotations

import random
import unicodedata

from pypinyin import Style, lazy_pinyin

from core import initials as enterprises

PLACES = ["重庆", "长沙", "朝阳", "都江堰", "乐山", "蚌埠", "厦门", "六安", "单县", "达州", "银行", "长城", "行政"]
WORDS = ["恒达", "会计", "调查", "音乐", "重量", "传奇", "解放", "华川", "丰泽", "兴盛", "长乐", "重行"]
KINDS = ["机械制造", "商贸", "人力资源", "（集团）", "ABC科技", "No.1", "第12号", "有限公司", "股份有限公司"]


def _whole(text: str) -> list[str]:
    return list(lazy_pinyin(text, style=Style.FIRST_LETTER, errors=enterprises._split_run))


def test_word_by_word_letters_equal_reading_the_whole_name() -> None:
    rng = random.Random(20261126)
    hanzi = [chr(code) for code in range(0x4E00, 0x9FA6)]
    names = [
        "".join(rng.choice(pool) for pool in (PLACES, WORDS, WORDS, KINDS, KINDS)) + str(index) for index in range(3000)
    ]
    names += ["".join(rng.choice(hanzi) for _ in range(rng.randint(2, 14))) for _ in range(3000)]
    names += ["重庆银行股份有限公司", "长沙市长乐行贸易行", "ＡＢＣ（重庆）有限公司", "都江堰市都市行"]
    for name in names:
        text = unicodedata.normalize("NFKC", name)
        assert enterprises._first_letters(text) == _whole(text), name


def test_the_word_cache_is_used_for_the_words_names_share() -> None:
    enterprises._word_letters.cache_clear()
    enterprises.name_initials("达州恒达商贸有限公司")
    enterprises.name_initials("达州华川商贸有限公司")
    assert enterprises._word_letters.cache_info().hits >= 2  # 达州, 商贸, 有限公司 … converted once
