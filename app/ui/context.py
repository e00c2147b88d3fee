"""What every page and dialog is given: the open workspace, the change bus and the background task runner.

One object instead of globals keeps pages testable (a test builds a context on a temporary data directory and can
pin ``today``) and lets pages refresh each other without knowing each other: a page that changes data emits
``events.data_changed(kind)`` and any page showing that kind reloads.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from PySide6.QtCore import QObject, Signal

from app.audit.profile import active_coordinator
from app.db import LocalSession
from app.models import Coordinator
from app.models.setting import AppSettings, load_settings
from app.services.workspace import Workspace
from app.ui.tasks import TaskRunner
from core.clock import china_today

DATA_KINDS = ("enterprise", "audit", "items", "notice", "settings", "sync")
"""The kinds ``UiEvents.data_changed`` carries."""


class UiEvents(QObject):
    """The application's change bus: ``data_changed(kind)`` with a kind from :data:`DATA_KINDS`."""

    data_changed = Signal(str)


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
