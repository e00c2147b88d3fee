"""The visit inputs (在册职工人数, 裁减人数, 被派遣人数 …) as a form built from the templates' ``InputDef``s.

The form only parses what is typed into numbers and yes/no values; ranges and types are judged by
:func:`app.audit.visits.validate_inputs` when the values are saved, so the message is the service's. An empty
field is "not captured" (``None``), which the rules treat as unknown, never as zero.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QDoubleValidator, QIntValidator
from PySide6.QtWidgets import QComboBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from app.ui import labels
from core.checklist_schema import InputDef

_UNSET = None


class InputsForm(QWidget):
    """Fields for ``definitions``; ``changed`` fires on every edit."""

    changed = Signal()

    def __init__(self, definitions: Sequence[InputDef], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.definitions = {d.id: d for d in definitions}
        self.fields: dict[str, QLineEdit | QComboBox] = {}
        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for definition in definitions:
            field: QLineEdit | QComboBox
            if definition.type == "boolean":
                field = QComboBox()
                field.addItem(self.tr("未录入"), _UNSET)
                field.addItem(self.tr("是"), True)
                field.addItem(self.tr("否"), False)
                field.currentIndexChanged.connect(self.changed)
            else:
                field = QLineEdit()
                field.setPlaceholderText(self.tr("未录入"))
                field.setMinimumWidth(field.fontMetrics().horizontalAdvance(field.placeholderText()) + 20)
                validator = QIntValidator(0, 2_000_000_000) if definition.type == "integer" else QDoubleValidator()
                field.setValidator(validator)
                field.textChanged.connect(self.changed)
            field.setObjectName(f"input_{definition.id}")
            field.setMinimumHeight(30)
            if definition.help:
                field.setToolTip(definition.help)
            self.fields[definition.id] = field
            row = QWidget()
            box = QVBoxLayout(row)
            box.setContentsMargins(0, 0, 0, 0)
            box.setSpacing(2)
            line = QHBoxLayout()
            line.addWidget(field, 1)
            if definition.unit:
                line.addWidget(QLabel(labels.unit(definition.unit)))
            box.addLayout(line)
            if definition.help:
                help_label = QLabel(definition.help)
                help_label.setWordWrap(True)
                help_label.setStyleSheet("color: #616161; font-size: 9pt;")
                box.addWidget(help_label)
            form.addRow(definition.label, row)

    def set_values(self, values: Mapping[str, Any]) -> None:
        for key, field in self.fields.items():
            value = values.get(key)
            field.blockSignals(True)
            if isinstance(field, QComboBox):
                field.setCurrentIndex(0 if value is None else (1 if value else 2))
            else:
                if value is None:
                    field.setText("")
                elif isinstance(value, float) and value.is_integer() and self.definitions[key].type != "integer":
                    field.setText(f"{value:g}")
                else:
                    field.setText(str(value))
            field.blockSignals(False)

    def values(self) -> dict[str, Any]:
        """Every field: a number, a bool, or ``None`` for not captured."""
        result: dict[str, Any] = {}
        for key, field in self.fields.items():
            if isinstance(field, QComboBox):
                result[key] = field.currentData()
                continue
            text = field.text().strip().replace(",", "")
            if not text:
                result[key] = None
                continue
            try:
                number = float(text)
            except ValueError:
                result[key] = text  # refused with the service's message on save
                continue
            result[key] = int(number) if self.definitions[key].type == "integer" and number.is_integer() else number
        return result

    def captured(self) -> dict[str, Any]:
        """Only the fields with a value."""
        return {key: value for key, value in self.values().items() if value is not None}
