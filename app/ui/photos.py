"""Photos of evidence for one checklist item: add by file dialog or drag and drop, see thumbnails, open full size.

Adding runs on a worker: :func:`app.audit.attachments.add_photo` decodes, strips EXIF/GPS and re-encodes each
file, which takes a moment for a 12-megapixel phone photo. A file it refuses (empty, too large, not an image,
a decompression bomb …) is listed with the service's reason; the other files are still added. Each file is its
own unit of work, so one refusal never loses the photos before it.

Files the coordinator picks or drops first go through the masking tool (:mod:`app.ui.photo_mask_dialog`): regions
blacked out there are applied by the service before anything is stored.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QEvent, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QIcon, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.audit.attachments import AttachmentRejected, Rect, add_photo, remove_attachment
from app.services.changes import OpChanges, ids
from app.services.lookups import AttachmentRow, attachments_of
from app.ui.context import UiContext
from app.ui.tasks import ProgressFn, error_message

THUMB = 96
IMAGE_FILTER = "*.jpg *.jpeg *.png *.webp *.bmp *.tif *.tiff *.heic *.heif"


@dataclass
class AddResult:
    added: int = 0
    refused: list[str] = field(default_factory=list)


class PhotoViewer(QDialog):
    """A photo at full size (scaled down to the screen when larger), scrollable."""

    def __init__(self, pixmap: QPixmap, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        label = QLabel()
        label.setPixmap(pixmap)
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        scroll = QScrollArea()
        scroll.setWidget(label)
        scroll.setAlignment(Qt.AlignmentFlag.AlignCenter)
        close = QPushButton(self.tr("关闭"))
        close.clicked.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(close, 0, Qt.AlignmentFlag.AlignRight)
        screen = self.screen().availableGeometry() if self.screen() else None
        width = min(pixmap.width() + 40, screen.width() - 80 if screen else 1200)
        height = min(pixmap.height() + 80, screen.height() - 80 if screen else 800)
        self.resize(max(width, 320), max(height, 240))


class PhotoStrip(QWidget):
    """Thumbnails of the photos attached to (audit, item), accepting dropped image files."""

    photos_changed = Signal()
    files_processed = Signal(object)  # AddResult

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.audit_id: str | None = None
        self.item_id: str | None = None
        self.setAcceptDrops(True)
        self.list = QListWidget()
        self.list.setViewMode(QListView.ViewMode.IconMode)
        self.list.setIconSize(QSize(THUMB, THUMB))
        self.list.setFlow(QListView.Flow.LeftToRight)
        self.list.setWrapping(False)
        self.list.setFixedHeight(THUMB + 34)
        self.list.setAcceptDrops(False)
        self.add_button = QPushButton()
        self.remove_button = QPushButton()
        for button in (self.add_button, self.remove_button):
            button.setMinimumHeight(34)
        self.hint = QLabel()
        self.hint.setStyleSheet("color: #616161;")
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #c62828;")
        self.message.hide()
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addWidget(self.hint, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(buttons)
        layout.addWidget(self.list)
        layout.addWidget(self.message)
        self.add_button.clicked.connect(self.choose_files)
        self.remove_button.clicked.connect(self.remove_selected)
        self.list.itemActivated.connect(self._open)
        self._rows: list[AttachmentRow] = []
        self.retranslate()

    def retranslate(self) -> None:
        self.list.setToolTip(self.tr("双击查看原图；可把照片文件拖到这里"))
        self.add_button.setText(self.tr("添加照片…"))
        self.remove_button.setText(self.tr("删除照片"))
        self.hint.setText(self.tr("拖入照片文件，或点击“添加照片…”"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def set_target(self, audit_id: str, item_id: str | None) -> None:
        self.audit_id, self.item_id = audit_id, item_id
        self.message.hide()
        self.reload()

    def reload(self) -> None:
        self.list.clear()
        if self.audit_id is None:
            return
        with self.ctx.session() as session:
            self._rows = attachments_of(session, self.audit_id, self.item_id)
        for row in self._rows:
            pixmap = QPixmap()
            try:
                pixmap.loadFromData(self.ctx.workspace.blobs.get(row.sha256))
            except Exception as error:  # a missing or damaged blob: show the row, log the cause
                error_message(error, self.ctx.workspace.paths.logs)
            icon = (
                QIcon(pixmap.scaled(THUMB, THUMB, Qt.AspectRatioMode.KeepAspectRatio))
                if not pixmap.isNull()
                else QIcon()
            )
            item = QListWidgetItem(icon, row.original_name[:12])
            item.setToolTip(row.original_name)
            item.setData(Qt.ItemDataRole.UserRole, row.id)
            self.list.addItem(item)
        self.remove_button.setEnabled(bool(self._rows))

    def count(self) -> int:
        return len(self._rows)

    # ----------------------------------------------------------------------------------------------- adding

    def choose_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(
            self, self.tr("选择照片"), "", self.tr("图片") + f" ({IMAGE_FILTER});;" + self.tr("所有文件") + " (*)"
        )
        if paths:
            self.mask_and_add([Path(p) for p in paths])

    def ask_mask(self, path: Path) -> list[Rect] | None:
        """Open the masking tool for one photo: the rectangles to black out, or ``None`` to leave it out."""
        from app.ui.photo_mask_dialog import PhotoMaskDialog

        dialog = PhotoMaskDialog(path, self)
        try:
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return None
            return dialog.rectangles()
        finally:
            dialog.deleteLater()

    def mask_and_add(self, paths: list[Path]) -> None:
        """Let the coordinator mask each photo, then attach the ones kept, each with its mask."""
        if self.audit_id is None:
            return
        kept: list[Path] = []
        masks: dict[Path, list[Rect]] = {}
        for path in paths:
            mask = self.ask_mask(path)
            if mask is not None:
                kept.append(path)
                masks[path] = mask
        self.add_files(kept, masks)

    def add_files(self, paths: list[Path], masks: dict[Path, list[Rect]] | None = None) -> None:
        """Attach the files on a worker (each with its mask, if any); ``files_processed(AddResult)`` fires when done."""
        if self.audit_id is None or not paths:
            return
        ctx, audit_id, item_id = self.ctx, self.audit_id, self.item_id
        masks = dict(masks or {})

        def work(cancel: threading.Event, progress: ProgressFn) -> AddResult:
            result = AddResult()
            for done, path in enumerate(paths):
                if cancel.is_set():
                    break
                progress(done, len(paths))
                try:
                    data = path.read_bytes()
                    with ctx.session() as session:
                        add_photo(
                            session,
                            ctx.workspace.blobs,
                            audit_id=audit_id,
                            item_id=item_id,
                            data=data,
                            original_name=path.name,
                            mask=masks.get(path, ()),
                        )
                    result.added += 1
                except AttachmentRejected as error:
                    result.refused.append(f"{path.name}：{error}")
                except OSError as error:
                    result.refused.append(
                        f"{path.name}：" + self.tr("无法读取文件（{reason}）").format(reason=error.strerror)
                    )
            return result

        self.add_button.setEnabled(False)
        self.hint.setText(self.tr("正在处理照片…"))
        self.ctx.tasks.run(work, name="add-photos", on_finished=self._added, on_failed=self._failed, owner=self)

    def _added(self, result: AddResult) -> None:
        self.add_button.setEnabled(True)
        self.retranslate()
        if result.refused:
            self.message.setText(self.tr("以下文件未添加：") + "\n" + "\n".join(result.refused))
            self.message.show()
        else:
            self.message.hide()
        self.reload()
        if result.added:
            self.ctx.publish(OpChanges(audits=True, audit_ids=ids([self.audit_id])), self)
            self.photos_changed.emit()
        self.files_processed.emit(result)

    def _failed(self, error: BaseException) -> None:
        self.add_button.setEnabled(True)
        self.message.setText(error_message(error, self.ctx.workspace.paths.logs))
        self.message.show()
        self.reload()
        self.files_processed.emit(AddResult(refused=[str(error)]))

    def remove_selected(self) -> None:
        selected = self.list.selectedItems()
        if not selected:
            return
        item = selected[0]
        try:
            with self.ctx.session() as session:
                remove_attachment(session, item.data(Qt.ItemDataRole.UserRole))
        except Exception as error:
            self.message.setText(error_message(error, self.ctx.workspace.paths.logs))
            self.message.show()
        self.reload()
        self.photos_changed.emit()

    def _open(self, item: QListWidgetItem) -> None:
        row = next((r for r in self._rows if r.id == item.data(Qt.ItemDataRole.UserRole)), None)
        if row is None:
            return
        pixmap = QPixmap()
        pixmap.loadFromData(self.ctx.workspace.blobs.get(row.sha256))
        PhotoViewer(pixmap, row.original_name or self.tr("照片"), self).exec()

    # -------------------------------------------------------------------------------------------- drag & drop

    @staticmethod
    def _local_files(event: QDragEnterEvent | QDropEvent) -> list[Path]:
        mime = event.mimeData()
        if not mime.hasUrls():
            return []
        return [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self.audit_id is not None and self._local_files(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragEnterEvent) -> None:  # type: ignore[override]
        self.dragEnterEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        paths = self._local_files(event)
        if paths:
            event.acceptProposedAction()
            # The masking tool is modal: open it after the drop has finished, not inside the drag's event.
            QTimer.singleShot(0, lambda: self.mask_and_add(paths))
