"""``laborcheck gui --self-test`` from the source tree on Qt's real xcb platform (under Xvfb), not offscreen: a
missing X11/xcb library fails here, as it would on a coordinator's fresh laptop."""

from __future__ import annotations

import sys
from pathlib import Path

from tests.install.conftest import self_test


def test_the_gui_self_test_passes_on_xcb_from_the_source_tree(display: str, tmp_path: Path) -> None:
    result = self_test([sys.executable, "-m", "app"], display, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "interface font" in result.stdout
    assert "on the xcb platform" in result.stdout
    assert f"self-test ok: {tmp_path / 'data'}" in result.stdout
