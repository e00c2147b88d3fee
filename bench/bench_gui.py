"""GUI figures: cold start to the main window shown, beside a bare PySide6 window measured in the same run; and
filtering the enterprise list over 100 000 enterprises (target: ≤ 100 ms from filter change to rows shown).

Cold start is measured in fresh subprocesses (offscreen), from interpreter start to the window's first show
event having been processed, so imports, the database open and the first query all count. Each variant runs
``ROUNDS`` times and the median is reported. Where the machine has no secure keyring the child processes get the
parent's in-memory keyring entries (so the data key unwrap is a keyring lookup, as on a desktop with one).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import keyring_environment

ROUNDS = 5
ENTERPRISES = 100_000
ROOT = Path(__file__).resolve().parents[1]

BARE = """
import time, sys
t0 = float(sys.argv[1])
from PySide6.QtWidgets import QApplication, QMainWindow, QLabel
app = QApplication([])
w = QMainWindow(); w.setCentralWidget(QLabel("劳动用工法治体检")); w.resize(1366, 768); w.show()
app.processEvents()
print(time.time() - t0)
"""

OURS = """
import time, sys
t0 = float(sys.argv[1])
from bench import keyring_from_environment
keyring_from_environment()
from app.ui.app import create_application
from app.services.workspace import open_workspace
from app.ui.context import UiContext
from app.ui.main_window import MainWindow
app = create_application()
ctx = UiContext(open_workspace(sys.argv[2]))
w = MainWindow(ctx); w.resize(1366, 768); w.show()
app.processEvents()
print(time.time() - t0)
ctx.tasks.wait_for_done(10_000)
"""


def _cold(script: str, *args: str) -> float:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", **keyring_environment()}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")]))
    runs = []
    for _ in range(ROUNDS):
        out = subprocess.run(
            [sys.executable, "-c", script, repr(time.time()), *args],
            capture_output=True,
            text=True,
            env=env,
            check=True,
        )
        runs.append(float(out.stdout.strip().splitlines()[-1]))
    return statistics.median(runs)


def _filter_times(data_dir: Path) -> dict[str, float]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEventLoop, QTimer

    from app.services.workspace import open_workspace
    from app.ui.app import create_application
    from app.ui.context import UiContext
    from app.ui.enterprises_page import EnterprisesPage

    app = create_application()
    ws = open_workspace(data_dir)
    ctx = UiContext(ws)
    page = EnterprisesPage(ctx)
    page.resize(1200, 700)
    page.show()

    def timed(action: object) -> float:
        loop = QEventLoop()
        page.model.rows_loaded.connect(loop.quit)
        QTimer.singleShot(30_000, loop.quit)
        started = time.perf_counter()
        action()  # type: ignore[operator]
        loop.exec()
        app.processEvents()
        elapsed = time.perf_counter() - started
        page.model.rows_loaded.disconnect(loop.quit)
        ctx.tasks.wait_for_done(30_000)
        app.processEvents()
        return elapsed * 1000

    results: dict[str, list[float]] = {"all": [], "grade 高": [], "name 2 chars": [], "pinyin hd": [], "overdue": []}
    for _ in range(ROUNDS):
        page.grade.blockSignals(True)
        page.grade.setCurrentIndex(0)
        page.grade.blockSignals(False)
        page.search.blockSignals(True)
        page.search.setText("")
        page.search.blockSignals(False)
        results["all"].append(timed(page.apply))
        results["grade 高"].append(timed(lambda: page.grade.setCurrentIndex(page.grade.findData("高"))))
        page.grade.blockSignals(True)
        page.grade.setCurrentIndex(0)
        page.grade.blockSignals(False)
        page.search.blockSignals(True)
        page.search.setText("恒达")
        page.search.blockSignals(False)
        results["name 2 chars"].append(timed(page.apply))
        page.search.blockSignals(True)
        page.search.setText("hd")
        page.search.blockSignals(False)
        results["pinyin hd"].append(timed(page.apply))
        page.search.blockSignals(True)
        page.search.setText("")
        page.search.blockSignals(False)
        results["overdue"].append(timed(lambda: page.overdue.setChecked(not page.overdue.isChecked())))
        page.overdue.blockSignals(True)
        page.overdue.setChecked(False)
        page.overdue.blockSignals(False)
    page.close()
    ws.close()
    return {name: statistics.median(values) for name, values in results.items()}


def run() -> dict[str, float]:
    from app.services.workspace import open_workspace

    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp) / "data"
        ws = open_workspace(data_dir)
        sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
        from tests.gui.conftest import bulk_enterprises

        bulk_enterprises(ws, ENTERPRISES)
        ws.close()
        bare = _cold(BARE)
        ours = _cold(OURS, str(data_dir))
        figures = {"cold start bare PySide6 (s)": bare, "cold start LaborCheck (s)": ours, "ratio": ours / bare}
        for name, value in _filter_times(data_dir).items():
            figures[f"filter 100k: {name} (ms)"] = value
    return figures


def main() -> None:
    for name, value in run().items():
        print(f"{name:40s} {value:8.3f}")


if __name__ == "__main__":
    main()
