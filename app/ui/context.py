"""What every page and dialog is given: the open workspace, the change bus and the background task runner.

One object instead of globals keeps pages testable (a test builds a context on a temporary data directory and can
pin ``today``) and lets pages refresh each other without knowing each other. Every service action returns an
:class:`~app.services.changes.OpChanges`; the page that ran it passes it to :meth:`UiContext.publish` (or runs
the action through :meth:`UiContext.run_op`, off the UI thread), and ``events.changed(changes, initiator)``
reaches every page, which reloads only when a kind it shows changed (Anki's ``operation_did_execute``).
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Signal

from app.audit.profile import active_coordinator
from app.db import LocalSession
from app.models import Coordinator
from app.models.setting import AppSettings, load_settings
from app.services.changes import OpChanges, OpResult
from app.services.workspace import Workspace
from app.ui.tasks import ProgressFn, Task, TaskRunner
from core.clock import china_today

T = TypeVar("T")


class UiEvents(QObject):
    """The application's change bus: ``changed(OpChanges, initiator)``; the initiator is the widget that ran the
    operation (or None), so it can skip the reload it already did."""

    changed = Signal(object, object)


class UiContext:
    """The shared state of one GUI session on one data directory."""

    def __init__(
        self,
        workspace: Workspace,
        *,
        events: UiEvents | None = None,
        tasks: TaskRunner | None = None,
        today: Callable[[], dt.date] | None = None,
    ) -> None:
        self.workspace = workspace
        self.events = events or UiEvents()
        self.tasks = tasks or TaskRunner(log_dir=workspace.paths.logs)
        self._today = today or china_today

    def today(self) -> dt.date:
        """Today's date in China (tests replace the clock through the constructor or :meth:`set_today`)."""
        return self._today()

    def set_today(self, today: Callable[[], dt.date]) -> None:
        self._today = today

    @contextmanager
    def session(self) -> Iterator[LocalSession]:
        """One unit of work on the workspace database; commits when the block ends normally."""
        with self.workspace.db.session() as session:
            yield session

    def publish(self, changes: OpChanges, initiator: object | None = None) -> None:
        """Tell every page what an operation changed (nothing is sent when nothing changed)."""
        if changes.any():
            self.events.changed.emit(changes, initiator)

    def run_op(
        self,
        fn: Callable[[threading.Event, ProgressFn], OpResult[T]],
        *,
        name: str,
        on_done: Callable[[T], None] | None = None,
        on_failed: Callable[[BaseException], None] | None = None,
        on_progress: ProgressFn | None = None,
        owner: QObject | None = None,
    ) -> Task:
        """Run a service operation on a worker; on the UI thread publish its changes, then call ``on_done``.

        Unlike a read, a write's result is never dropped: when ``owner`` (the dialog that started it) is gone
        by then, the changes are still published so the other pages reload; only the callbacks are skipped.
        """
        alive = [True]
        if owner is not None:
            owner.destroyed.connect(lambda *_: alive.__setitem__(0, False))

        def finished(result: Any) -> None:
            assert isinstance(result, OpResult)
            self.publish(result.changes, owner if alive[0] else None)
            if on_done is not None and alive[0]:
                on_done(result.value)

        def failed(error: BaseException) -> None:
            if on_failed is not None and alive[0]:
                on_failed(error)
            else:
                self.tasks.report(error)

        def progress(done: int, total: int) -> None:
            if on_progress is not None and alive[0]:
                on_progress(done, total)

        return self.tasks.run(fn, name=name, on_finished=finished, on_failed=failed, on_progress=progress)

    def settings(self) -> AppSettings:
        with self.session() as session:
            return load_settings(session)

    def coordinator(self) -> Coordinator | None:
        """The laptop's coordinator profile (detached, attributes loaded), or None before the first run."""
        with self.session() as session:
            coordinator = active_coordinator(session)
            if coordinator is not None:
                session.expunge(coordinator)
            return coordinator
