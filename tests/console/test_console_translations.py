"""The console is Chinese first and fully English when asked: every string it shows has an English entry."""

from __future__ import annotations

from server.console.translations import all_strings
from server.console.web import english


def test_every_console_string_has_an_english_translation() -> None:
    strings = all_strings()
    assert len(strings) > 300
    missing = sorted(text for text in strings if text not in english())
    assert missing == [], f"add to server/console/locale/en.json: {missing}"


def test_english_entries_are_english() -> None:
    """Chinese is allowed only where the English quotes a sheet's Chinese column header (“统一社会信用代码”)."""
    for source, target in english().items():
        if "“" in target:
            continue
        assert not any("\u4e00" <= char <= "\u9fff" for char in target), (source, target)
