"""The modal question "why?" that a change to finished work must answer (recorded in the change history)."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QInputDialog, QWidget


def ask_reason(parent: QWidget, *, name: str, title: str, label: str) -> str | None:
    """The text the user typed, or None when they cancelled. ``name`` is the dialog's object name (tests find it);
    ``title`` and ``label`` come already translated from the asking page."""
    dialog = QInputDialog(parent)
    dialog.setObjectName(name)
    dialog.setWindowTitle(title)
    dialog.setLabelText(label)
    dialog.setInputMode(QInputDialog.InputMode.TextInput)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.textValue()
