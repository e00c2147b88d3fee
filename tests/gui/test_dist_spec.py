"""The frozen layout is where the code looks for its resources (tests/dist builds the real bundle and starts it)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from app.ui import i18n
from core.fonts import RESOURCE_FONTS

ROOT = Path(__file__).resolve().parents[2]


def test_translations_are_found_inside_a_frozen_bundle(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert i18n.qm_path("en") == tmp_path / "resources" / "i18n" / "laborcheck_en.qm"


def test_source_layout_puts_translations_and_fonts_under_one_resources_directory() -> None:
    assert i18n.resources_dir() == ROOT / "resources"
    assert RESOURCE_FONTS.parent == i18n.resources_dir()
