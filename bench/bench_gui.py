"""GUI figures: cold start to the main window shown, beside a bare PySide6 window measured in the same run, for
the source tree, the one-folder bundle (``dist/laborcheck``) and the installed .deb (``/opt/laborcheck``) when
present; the bundle's and the .deb's size; and filtering the enterprise list over 100 000 enterprises (target:
≤ 100 ms from filter change to rows shown).

Cold start runs on Qt's xcb platform under a throw-away Xvfb (offscreen where Xvfb is missing, and says so). Each
program is started as a coordinator starts it — ``laborcheck gui`` (with ``--self-test``, which reports the
moment its window was first exposed, i.e. painted, then checks the build and exits) — and the bare window is
timed to the same event. The clock starts in this process just before the child is spawned, so interpreter
start, imports and the first paint all count. Rounds are interleaved (bare, source, bundle, installed, bare, ...)
so a busy machine slows all of them alike; the median of ``ROUNDS`` is reported after one warm-up round.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bench import open_bench_workspace

ROUNDS = 5
ENTERPRISES = 100_000
ROOT = Path(__file__).resolve().parents[1]
BUNDLE = ROOT / "dist" / "laborcheck"
INSTALLED = Path("/opt/laborcheck")
PASSPHRASE = "bench passphrase"  # noqa: S105 - a throw-away data directory's

BARE = """
import sys, time
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow
app = QApplication([])
window = QMainWindow(); window.setCentralWidget(QLabel("劳动用工法治体检")); window.resize(1366, 768)
class FirstExpose(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Expose:
            QTimer.singleShot(0, lambda: (print(f"window shown at {time.time():.3f}"), app.quit()))
        return False
window.winId(); probe = FirstExpose(); window.windowHandle().installEventFilter(probe)
window.show()
app.exec()
"""


@contextmanager
def _display() -> Iterator[dict[str, str]]:
    """The environment for the children: a fresh Xvfb on xcb where possible."""
    sys.path.insert(0, str(ROOT))
    from tests.install.xserver import xcb_environment, xvfb

    if shutil.which("Xvfb") is None:
        yield {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
        return
    with xvfb() as display:
        yield xcb_environment(display)


def _shown_after(command: list[str], env: dict[str, str]) -> float:
    started = time.time()
    result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=300, check=False)
    for line in result.stdout.splitlines():
        if "window shown at " in line:
            return float(line.rsplit(" ", 1)[1]) - started
    raise RuntimeError(f"{command[0]} did not show its window: {result.stdout}{result.stderr}")


def cold_starts(home: Path) -> dict[str, float]:
    """Median seconds to the window shown, per program that is present here."""
    programs = {
        "bare PySide6": [sys.executable, "-c", BARE],
        "LaborCheck source tree": [sys.executable, "-m", "app"],
    }
    if (BUNDLE / "laborcheck").is_file():
        programs["LaborCheck bundle (dist/)"] = [str(BUNDLE / "laborcheck")]
    if (INSTALLED / "laborcheck").is_file():
        programs["LaborCheck installed .deb (/opt)"] = [str(INSTALLED / "laborcheck")]
    times: dict[str, list[float]] = {name: [] for name in programs}
    with _display() as env:
        env = {
            **env,
            "LABORCHECK_PASSPHRASE": PASSPHRASE,
            "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",  # the same unwrap path on every machine
            "XDG_CONFIG_HOME": str(home / "config"),
        }
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")]))
        platform = env["QT_QPA_PLATFORM"]
        for round_ in range(ROUNDS + 1):
            for name, command in programs.items():
                if name != "bare PySide6":
                    command = [*command, "gui", "--self-test", "--data-dir", str(home / name.split()[1])]
                elapsed = _shown_after(command, env)
                if round_:  # the first round warms the disk cache and makes each data directory's key
                    times[name].append(elapsed)
    bare = statistics.median(times["bare PySide6"])
    figures = {f"platform {platform}: cold start {name} (s)": statistics.median(runs) for name, runs in times.items()}
    for name, runs in times.items():
        if name != "bare PySide6":
            figures[f"  ratio {name} / bare"] = statistics.median(runs) / bare
    return figures


def _size_mb(path: Path) -> float:
    if path.is_file():
        return path.stat().st_size / 1e6
    return sum(item.lstat().st_size for item in path.rglob("*")) / 1e6


def sizes() -> dict[str, float]:
    figures: dict[str, float] = {}
    if BUNDLE.is_dir():
        figures["size of the bundle dist/laborcheck (MB)"] = _size_mb(BUNDLE)
    for deb in sorted((ROOT / "dist").glob("laborcheck_*.deb")):
        figures[f"size of {deb.name} (MB)"] = _size_mb(deb)
    venv = Path(sys.prefix)
    if venv != Path(sys.base_prefix):
        figures["size of the source tree's .venv (MB)"] = _size_mb(venv)
    return figures


def _filter_times(data_dir: Path) -> dict[str, float]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEventLoop, QTimer

    from app.ui.app import create_application
    from app.ui.context import UiContext
    from app.ui.enterprises_page import EnterprisesPage

    app = create_application()
    ws = open_bench_workspace(data_dir)
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
    figures: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        figures.update(cold_starts(Path(tmp)))
        figures.update(sizes())
        data_dir = Path(tmp) / "data"
        ws = open_bench_workspace(data_dir)
        sys.path.insert(0, str(ROOT))
        from tests.gui.conftest import bulk_enterprises

        bulk_enterprises(ws, ENTERPRISES)
        ws.close()
        for name, value in _filter_times(data_dir).items():
            figures[f"filter 100k: {name} (ms)"] = value
    return figures


def main() -> None:
    for name, value in run().items():
        print(f"{name:62s} {value:8.3f}")


if __name__ == "__main__":
    main()
