"""Importing the registry from the GUI: off the UI thread, all-or-nothing unless asked, cancellable."""

from __future__ import annotations

import csv
from pathlib import Path

from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from app.audit.uscc import make_uscc
from app.models import Enterprise
from app.ui.context import UiContext
from app.ui.import_dialog import ImportDialog

HEADER = ["单位名称", "统一社会信用代码", "所属行业", "目前职工数量"]


def _write_csv(path: Path, rows: list[list[object]]) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


def _count(ctx: UiContext) -> int:
    with ctx.session() as session:
        return int(session.scalar(select(func.count()).select_from(Enterprise)) or 0)


def _dialog(qtbot: QtBot, ctx: UiContext, path: Path) -> ImportDialog:
    dialog = ImportDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.path_edit.setText(str(path))
    return dialog


def _good(n: int) -> list[object]:
    return [f"达州测试{n:05d}机械有限公司", make_uscc(f"91511703MA{n:07d}"), "制造业", 12]


def test_a_file_with_a_bad_row_imports_nothing_until_partial_is_asked(
    qtbot: QtBot, ui_ctx: UiContext, tmp_path: Path
) -> None:
    path = _write_csv(tmp_path / "名录.csv", [_good(1), ["坏代码企业", "91511703MA62XXXX08", "制造业", 5], _good(2)])
    dialog = _dialog(qtbot, ui_ctx, path)
    task = dialog.start()
    assert task is not None
    with qtbot.waitSignal(task.finished, timeout=20_000):
        pass
    assert _count(ui_ctx) == 0
    assert "第3行" in dialog.report_view.toPlainText()
    assert "未导入" in dialog.status.text()

    dialog.partial_check.setChecked(True)
    task = dialog.start()
    assert task is not None
    with qtbot.waitSignal(task.finished, timeout=20_000):
        pass
    assert _count(ui_ctx) == 2
    assert dialog.report is not None
    assert dialog.report.applied


def test_cancel_writes_nothing(qtbot: QtBot, ui_ctx: UiContext, tmp_path: Path) -> None:
    path = _write_csv(tmp_path / "大名录.csv", [_good(n) for n in range(1, 20_001)])
    dialog = _dialog(qtbot, ui_ctx, path)
    task = dialog.start()
    assert task is not None
    with qtbot.waitSignal(task.cancelled, timeout=60_000):
        dialog.cancel()
    assert _count(ui_ctx) == 0
    assert "已取消" in dialog.status.text()


def test_a_missing_file_is_said_plainly(qtbot: QtBot, ui_ctx: UiContext, tmp_path: Path) -> None:
    dialog = _dialog(qtbot, ui_ctx, tmp_path / "nope.xlsx")
    assert dialog.start() is None
    assert "文件不存在" in dialog.status.text()
