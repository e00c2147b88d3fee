"""Running slow work (search over 100 000 enterprises, imports, exports, PDF rendering) off the UI thread.

A coordinator sits in front of an employer with the laptop: the window must never freeze. A task is a plain
callable ``fn(cancel, progress) -> result`` run on a worker of a private :class:`QThreadPool`:

* ``cancel`` is a :class:`threading.Event`; long loops check ``cancel.is_set()`` and stop early (cooperative);
* ``progress(done, total)`` may be called from the worker as often as it likes.

The returned :class:`Task` re-emits ``progress(int, int)``, ``finished(object)``, ``failed(object)`` and
``cancelled()`` on the UI thread (queued connections), so slots may touch widgets. A task whose cancel event is set
when it ends emits ``cancelled`` instead of its result: a stale search result never overwrites a newer one.

Errors: a :class:`LaborCheckError` is the user's to read and is shown as it is; anything else is a bug, logged
with its traceback to the data directory's log (never with personal data) and shown as one short line naming the
log file. Callers may pass ``on_failed`` to handle failures themselves; otherwise the runner emits
``user_message(text, is_bug)`` for the main window to show.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QRunnable, Qt, QThreadPool, Signal, Slot

from app.applog import LOG_NAME
from core.errors import LaborCheckError

log = logging.getLogger("app.ui")

ProgressFn = Callable[[int, int], None]
TaskFn = Callable[[threading.Event, ProgressFn], Any]


def error_message(error: BaseException, log_dir: Path | None) -> str:
    """The text to show for ``error``; a non-user error is logged (type and traceback only) first."""
    if isinstance(error, LaborCheckError):
        return str(error)
    log.error("unexpected error in the GUI", exc_info=(type(error), error, error.__traceback__))
    where = str(log_dir / LOG_NAME) if log_dir is not None else LOG_NAME
    return QCoreApplication.translate("TaskRunner", "出现意外错误（{kind}），详情已记入日志：{path}").format(
        kind=type(error).__name__, path=where
    )


class _WorkerSignals(QObject):
    progress = Signal(int, int)
    finished = Signal(object)
    failed = Signal(object)


class _Worker(QRunnable):
    """Python-owned (no auto-delete): the runner keeps it, and its signals object, until ``returned`` is set,
    i.e. until the worker thread has left every ``emit`` — deleting the signals object while a thread is still
    inside ``emit`` would crash."""

    def __init__(self, fn: TaskFn, cancel: threading.Event, signals: _WorkerSignals) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self._fn = fn
        self._cancel = cancel
        self.signals = signals
        self.returned = threading.Event()

    def run(self) -> None:
        try:
            result = self._fn(self._cancel, self.signals.progress.emit)
        except BaseException as error:  # every failure must reach the UI thread
            self.signals.failed.emit(error)
        else:
            self.signals.finished.emit(result)
        finally:
            self.returned.set()


class Task(QObject):
    """A handle on one background job; its signals arrive on the UI thread."""

    progress = Signal(int, int)
    finished = Signal(object)
    failed = Signal(object)
    cancelled = Signal()

    def __init__(self, runner: TaskRunner, name: str) -> None:
        super().__init__()  # Python-owned: lives while the runner or a caller holds it
        self.name = name
        self.cancel_event = threading.Event()
        self.done = False
        self.signals = _WorkerSignals()
        self.signals.progress.connect(self._on_progress, Qt.ConnectionType.QueuedConnection)
        self.signals.finished.connect(self._on_finished, Qt.ConnectionType.QueuedConnection)
        self.signals.failed.connect(self._on_failed, Qt.ConnectionType.QueuedConnection)
        self._runner = runner

    def cancel(self) -> None:
        """Ask the callable to stop; its result, if any, is then dropped."""
        self.cancel_event.set()

    @Slot(int, int)
    def _on_progress(self, done: int, total: int) -> None:
        if not self.cancel_event.is_set():
            self.progress.emit(done, total)

    @Slot(object)
    def _on_finished(self, result: object) -> None:
        self.done = True
        if self.cancel_event.is_set():
            self.cancelled.emit()
        else:
            self.finished.emit(result)
        self._runner._forget(self)

    @Slot(object)
    def _on_failed(self, error: object) -> None:
        self.done = True
        if self.cancel_event.is_set():
            self.cancelled.emit()
        else:
            self.failed.emit(error)
        self._runner._forget(self)


class TaskRunner(QObject):
    """Runs callables on a private thread pool and reports back on the UI thread."""

    user_message = Signal(str, bool)
    """``(text, is_bug)`` for failures no caller handled; the main window shows them."""

    busy_changed = Signal(bool)

    def __init__(self, log_dir: Path | None = None, parent: QObject | None = None, max_threads: int = 4) -> None:
        super().__init__(parent)
        self.log_dir = log_dir
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(max_threads)
        self._running: set[Task] = set()
        self._workers: list[_Worker] = []

    def run(
        self,
        fn: TaskFn,
        *,
        name: str = "task",
        on_finished: Callable[[Any], None] | None = None,
        on_failed: Callable[[BaseException], None] | None = None,
        on_progress: ProgressFn | None = None,
        owner: QObject | None = None,
    ) -> Task:
        """Start ``fn(cancel, progress)`` on a worker; callbacks (if given) run on the UI thread.

        ``owner``: the widget or model the callbacks belong to; when it is destroyed the task is cancelled, so no
        callback ever reaches a deleted object.
        """
        task = Task(self, name)
        if owner is not None:
            owner.destroyed.connect(task.cancel_event.set)
        if on_finished is not None:
            task.finished.connect(on_finished)
        if on_progress is not None:
            task.progress.connect(on_progress)
        if on_failed is not None:
            task.failed.connect(on_failed)
        else:
            task.failed.connect(self.report)
        self._running.add(task)
        if len(self._running) == 1:
            self.busy_changed.emit(True)
        worker = _Worker(fn, task.cancel_event, task.signals)
        self._workers.append(worker)
        self._prune()
        self.pool.start(worker)
        return task

    @Slot(object)
    def report(self, error: object) -> None:
        """Show a failure: a user error as it is, a bug as one line naming the log (after logging it)."""
        if not isinstance(error, BaseException):
            error = RuntimeError(repr(error))
        self.user_message.emit(error_message(error, self.log_dir), not isinstance(error, LaborCheckError))

    def cancel_all(self) -> None:
        for task in list(self._running):
            task.cancel()

    def is_busy(self) -> bool:
        return bool(self._running)

    def wait_for_done(self, msecs: int = 30_000) -> bool:
        """Block until every worker returned (shutdown and tests); queued results still need the event loop."""
        return self.pool.waitForDone(msecs)

    def _prune(self) -> None:
        self._workers = [worker for worker in self._workers if not worker.returned.is_set()]

    def _forget(self, task: Task) -> None:
        self._running.discard(task)
        self._prune()
        # Hand the task to Python rather than deleteLater(): with PySide6 a deferred C++ delete of an object whose
        # wrapper is still referenced warns "shared QObject was deleted directly" and corrupts the heap (seen as
        # random segfaults after a few dozen tasks). Unparented, it is freed on this thread once the slot returns.
        task.setParent(None)
        if not self._running:
            self.busy_changed.emit(False)
