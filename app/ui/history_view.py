"""The change history as a readable timeline: per audit (from the findings page) or per item (enterprise page).

Rows of :mod:`app.audit.history` that were written together — same moment, same object, same reason — are one
event: a top-level line says when (Beijing time), who on which laptop, what was changed and why; its children list
each field as "old → new". Read-only by design: the history can only grow, through the services that change data.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.audit.history import HistoryEntry, entity_titles, history_of_audit, history_of_item
from app.ui import labels
from app.ui.context import UiContext
from core.clock import CHINA_TZ


@dataclass
class TimelineEvent:
    """Changes made together: one moment, one object, one reason."""

    changed_at: dt.datetime
    who: str
    device_code: str
    entity: str
    entity_label: str
    title: str
    reason: str
    changes: list[HistoryEntry] = field(default_factory=list)


def group_events(entries: list[HistoryEntry], titles: dict[str, str]) -> list[TimelineEvent]:
    """Consecutive rows of one change (same time, object and reason) as one event, newest first."""
    events: list[TimelineEvent] = []
    for entry in entries:
        last = events[-1] if events else None
        if (
            last is not None
            and last.changed_at == entry.changed_at
            and last.changes[0].entity_id == entry.entity_id
            and last.reason == entry.reason
        ):
            last.changes.append(entry)
            continue
        events.append(
            TimelineEvent(
                changed_at=entry.changed_at,
                who=entry.who,
                device_code=entry.device_code,
                entity=entry.entity,
                entity_label=labels.history_entity(entry.entity),
                title=titles.get(entry.entity_id, ""),
                reason=entry.reason,
                changes=[entry],
            )
        )
    return list(reversed(events))


def load_events(ctx: UiContext, *, audit_id: str | None = None, item_id: str | None = None) -> list[TimelineEvent]:
    with ctx.session() as session:
        if item_id is not None:
            entries = history_of_item(session, item_id)
        elif audit_id is not None:
            entries = history_of_audit(session, audit_id)
        else:
            entries = []
        return group_events(entries, entity_titles(session, entries))


class HistoryView(QWidget):
    """A tree: one line per change event, its changed fields beneath it."""

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.events: list[TimelineEvent] = []
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.tree = QTreeWidget()
        self.tree.setColumnCount(4)
        self._audit_id: str | None = None
        self._item_id: str | None = None
        self.tree.setWordWrap(True)
        self.tree.setUniformRowHeights(False)
        self.tree.setAlternatingRowColors(True)
        header = self.tree.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(2, 600)
        header.setStretchLastSection(True)  # the reason gets the rest: it is what a reviewer reads
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary)
        layout.addWidget(self.tree, 1)
        self.retranslate()

    def retranslate(self) -> None:
        self.tree.setHeaderLabels(
            [self.tr("时间（北京时间）"), self.tr("修改人"), self.tr("修改内容"), self.tr("理由")]
        )
        if self._audit_id is not None or self._item_id is not None:
            self.load(audit_id=self._audit_id, item_id=self._item_id)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def load(self, *, audit_id: str | None = None, item_id: str | None = None) -> None:
        self._audit_id, self._item_id = audit_id, item_id
        self.events = load_events(self.ctx, audit_id=audit_id, item_id=item_id)
        self.tree.clear()
        for event in self.events:
            when = event.changed_at.astimezone(CHINA_TZ).strftime("%Y-%m-%d %H:%M")
            what = f"{event.entity_label} {event.title}".strip()
            top = QTreeWidgetItem([when, f"{event.who}（{event.device_code}）", what, event.reason])
            top.setToolTip(2, what)
            top.setToolTip(3, event.reason)
            font = top.font(2)
            font.setBold(True)
            top.setFont(2, font)
            for change in event.changes:
                text = self.tr("{field}：{old} → {new}").format(
                    field=labels.history_field(change.field),
                    old=labels.history_value(change.field, change.old),
                    new=labels.history_value(change.field, change.new),
                )
                child = QTreeWidgetItem(["", "", text, ""])
                child.setToolTip(2, text)
                top.addChild(child)
            self.tree.addTopLevelItem(top)
        self.tree.expandAll()
        if self.events:
            self.summary.setText(
                self.tr("共 {events} 次修改，{fields} 处字段变更。记录只能追加，不能更改或删除。").format(
                    events=len(self.events), fields=sum(len(e.changes) for e in self.events)
                )
            )
        else:
            self.summary.setText(self.tr("体检完成后没有修改记录。"))

    def lines(self) -> list[str]:
        """The timeline as text, top to bottom (for tests and for copying into a report)."""
        result: list[str] = []
        for index in range(self.tree.topLevelItemCount()):
            top = self.tree.topLevelItem(index)
            if top is None:
                continue
            result.append(" | ".join(top.text(column) for column in range(4)))
            for row in range(top.childCount()):
                child = top.child(row)
                if child is not None:
                    result.append("    " + child.text(2))
        return result


class HistoryDialog(QDialog):
    """The timeline in its own window, for an audit or for one rectification item."""

    def __init__(
        self,
        ctx: UiContext,
        *,
        audit_id: str | None = None,
        item_id: str | None = None,
        title: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("historyDialog")
        self.setWindowTitle(self.tr("修改记录") + (f" — {title}" if title else ""))
        self.view = HistoryView(ctx, self)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("关闭"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addWidget(buttons, 0, Qt.AlignmentFlag.AlignRight)
        self.resize(1100, 600)
        self.view.load(audit_id=audit_id, item_id=item_id)
