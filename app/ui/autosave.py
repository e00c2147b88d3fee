"""Autosave: what a coordinator types is committed without a save button, and a crash loses at most a second.

An :class:`Autosave` watches a form's fields. Typing restarts a short timer (:data:`DEBOUNCE_MS`); when it fires,
or when focus leaves a watched field, the form's ``commit`` callable runs — a service call that commits the text
to its record (or to a draft where the record cannot take it yet). Pages call :meth:`Autosave.flush` before they
show another record, when the page or dialog changes and when the window closes, so every route away commits.

``commit`` returns whether the text is safe in the database; while it is not (a refusal), the autosave stays
pending and tries again at the next trigger.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, runtime_checkable

from PySide6.QtCore import QDate, QDateTime, QEvent, QObject, QTimer
from PySide6.QtWidgets import QAbstractSpinBox, QCheckBox, QDateEdit, QLineEdit, QPlainTextEdit, QTableWidget, QWidget

DEBOUNCE_MS = 600
"""Well under the one second of typing a crash may cost (the commit itself takes a few milliseconds)."""

Watched = QLineEdit | QPlainTextEdit | QAbstractSpinBox | QCheckBox | QTableWidget


@runtime_checkable
class HoldsEdits(Protocol):
    """A page or dialog with typed text to commit before it is left (the main window calls this)."""

    def flush_edits(self, *, ask: bool = True) -> bool:
        """Commit what was typed; ``ask``: a correction may ask for its reason now. True when nothing is left."""
        ...


class Autosave(QObject):
    def __init__(self, commit: Callable[[], bool], parent: QObject, delay_ms: int = DEBOUNCE_MS) -> None:
        super().__init__(parent)
        self._commit = commit
        self._pending = False
        self._suspended = 0
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        self._timer.timeout.connect(self.flush)

    def watch(self, *widgets: Watched) -> None:
        """Commit after a pause in typing into ``widgets`` and when focus leaves one of them."""
        for widget in widgets:
            if isinstance(widget, QLineEdit):
                widget.textEdited.connect(self.touch)
            elif isinstance(widget, QPlainTextEdit):
                widget.textChanged.connect(self._typed)
            elif isinstance(widget, QDateEdit):
                widget.dateChanged.connect(self._date_changed)
            elif isinstance(widget, QAbstractSpinBox):
                widget.editingFinished.connect(self.touch)
            elif isinstance(widget, QCheckBox):
                widget.toggled.connect(self.touch)
            elif isinstance(widget, QTableWidget):
                widget.itemChanged.connect(self.touch)
            widget.installEventFilter(self)

    def _typed(self) -> None:
        if not self._suspended:
            self.touch()

    def _date_changed(self, _date: QDate | QDateTime) -> None:
        if not self._suspended:
            self.touch()

    def touch(self, *_args: object) -> None:
        """Something was typed: commit after the pause."""
        if self._suspended:
            return
        self._pending = True
        self._timer.start()

    def is_pending(self) -> bool:
        return self._pending

    def flush(self) -> bool:
        """Commit now if anything is pending; True when nothing typed is left uncommitted."""
        self._timer.stop()
        if not self._pending:
            return True
        self._pending = False
        if not self._commit():
            self._pending = True
            return False
        return True

    def cancel(self) -> None:
        """Forget what is pending (the form is being reloaded from the record)."""
        self._timer.stop()
        self._pending = False

    def loading(self) -> _Loading:
        """``with autosave.loading(): ...`` fills the fields without counting it as typing."""
        return _Loading(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusOut and self._pending and isinstance(watched, QWidget):
            self.flush()
        return False


class _Loading:
    def __init__(self, autosave: Autosave) -> None:
        self._autosave = autosave

    def __enter__(self) -> None:
        self._autosave._suspended += 1

    def __exit__(self, *_exc: object) -> None:
        self._autosave._suspended -= 1


__all__ = ["DEBOUNCE_MS", "Autosave", "HoldsEdits"]
