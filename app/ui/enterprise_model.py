"""The enterprise list as a Qt table model that stays responsive over 100 000 rows.

Rows arrive a page at a time from :func:`app.audit.enterprise_search.search_enterprises`, on a worker thread:
the view asks ``canFetchMore``/``fetchMore`` as the user scrolls, the model starts a background load and appends
the page when it returns. A new query bumps a generation number and cancels the load in flight, so a slow answer
to an old query can never overwrite the list of the newer one. The count of all matches is loaded separately
after the first page, so the first rows appear without waiting for it.
"""

from __future__ import annotations

import threading
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor

from app.audit.enterprise_search import EnterpriseFilters, count_enterprises, search_enterprises
from app.services.lookups import EnterpriseRow
from app.ui.context import UiContext
from app.ui.i18n import grade_text
from app.ui.tasks import ProgressFn, Task

PAGE_SIZE = 200

_Index = QModelIndex | QPersistentModelIndex


def _headers() -> list[str]:
    return [
        QCoreApplication.translate("EnterpriseTableModel", "单位名称"),
        QCoreApplication.translate("EnterpriseTableModel", "统一社会信用代码"),
        QCoreApplication.translate("EnterpriseTableModel", "所属行业"),
        QCoreApplication.translate("EnterpriseTableModel", "所属区县"),
        QCoreApplication.translate("EnterpriseTableModel", "职工人数"),
        QCoreApplication.translate("EnterpriseTableModel", "风险等级"),
    ]


GRADE_COLOURS = {"高": QColor("#c62828"), "中": QColor("#ef6c00"), "低": QColor("#2e7d32")}


class EnterpriseTableModel(QAbstractTableModel):
    """Search results, paged in on demand; ``rows_loaded`` fires after each page (first page: a new result)."""

    rows_loaded = Signal(int)
    total_changed = Signal(int)
    loading_changed = Signal(bool)

    def __init__(self, ctx: UiContext, parent: QObject | None = None, page_size: int = PAGE_SIZE) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._rows: list[EnterpriseRow] = []
        self._ids: set[str] = set()
        self._query = ""
        self._filters: EnterpriseFilters | None = None
        self._generation = 0
        self._exhausted = True
        self._task: Task | None = None
        self._count_task: Task | None = None
        self.page_size = page_size
        self.total = -1
        self._headers = _headers()

    # ------------------------------------------------------------------------------------------------ queries

    @property
    def loading(self) -> bool:
        return self._task is not None

    def set_query(self, query: str, filters: EnterpriseFilters | None = None) -> None:
        """Replace the result with the first page of a new search (runs off the UI thread)."""
        self._query = query
        self._filters = filters
        self._generation += 1
        for task in (self._task, self._count_task):
            if task is not None:
                task.cancel()
        self._count_task = None
        self._start_load(reset=True)

    def reload(self) -> None:
        self.set_query(self._query, self._filters)

    def _start_load(self, *, reset: bool) -> None:
        generation = self._generation
        limit = self.page_size if reset else len(self._rows) + self.page_size
        query, filters, ctx = self._query, self._filters, self._ctx

        def load(cancel: threading.Event, _progress: ProgressFn) -> list[EnterpriseRow]:
            with ctx.session() as session:
                return [EnterpriseRow.of(e) for e in search_enterprises(session, query, limit=limit, filters=filters)]

        task = self._ctx.tasks.run(
            load,
            name="enterprise-search",
            on_finished=lambda rows: self._loaded(generation, reset, limit, rows),
            on_failed=lambda error: self._load_failed(generation, error),
            owner=self,
        )
        self._task = task
        self.loading_changed.emit(True)

    def _loaded(self, generation: int, reset: bool, limit: int, rows: list[EnterpriseRow]) -> None:
        if generation != self._generation:
            return
        self._task = None
        self.loading_changed.emit(False)
        if reset:
            self.beginResetModel()
            self._rows = list(rows)
            self._ids = {row.id for row in rows}
            self.endResetModel()
            self._start_count(generation)
        else:
            fresh = [row for row in rows if row.id not in self._ids]
            if fresh:
                first = len(self._rows)
                self.beginInsertRows(QModelIndex(), first, first + len(fresh) - 1)
                self._rows.extend(fresh)
                self._ids.update(row.id for row in fresh)
                self.endInsertRows()
        self._exhausted = len(rows) < limit
        self.rows_loaded.emit(len(self._rows))

    def _load_failed(self, generation: int, error: BaseException) -> None:
        if generation != self._generation:
            return
        self._task = None
        self._exhausted = True
        self.loading_changed.emit(False)
        self._ctx.tasks.report(error)

    def _start_count(self, generation: int) -> None:
        query, filters, ctx = self._query, self._filters, self._ctx

        def count(cancel: threading.Event, _progress: ProgressFn) -> int:
            with ctx.session() as session:
                return count_enterprises(session, query, filters=filters)

        def counted(total: int) -> None:
            if generation == self._generation:
                self.total = total
                self.total_changed.emit(total)

        self.total = -1
        self._count_task = self._ctx.tasks.run(count, name="enterprise-count", on_finished=counted, owner=self)

    # -------------------------------------------------------------------------------------------- Qt's model API

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._headers)

    def canFetchMore(self, parent: _Index) -> bool:
        return not parent.isValid() and not self._exhausted and self._task is None

    def fetchMore(self, parent: _Index) -> None:
        if self.canFetchMore(parent):
            self._start_load(reset=False)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return _headers()[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            values = (
                row.name,
                row.uscc,
                row.industry,
                row.district,
                "" if row.headcount is None else str(row.headcount),
                grade_text(row.risk_grade),
            )
            return values[column]
        if role == Qt.ItemDataRole.ForegroundRole and column == 5:
            return GRADE_COLOURS.get(row.risk_grade or "")
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (4, 5):
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.UserRole:
            return row.id
        return None

    def row_at(self, row: int) -> EnterpriseRow:
        return self._rows[row]

    def rows(self) -> list[EnterpriseRow]:
        return list(self._rows)
