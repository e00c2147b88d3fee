"""The app process the SIGKILL test kills: a real main window typing a note as a coordinator would.

    python tests/gui/_autosave_child.py DATA_DIR AUDIT_ID ITEM_ID TEXT   (the data key, hex, on stdin)

Opens the answering page on the item, types TEXT into its note at about twelve characters a second, prints
``typed`` once the last character is in, and keeps running its event loop until it is killed.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEvent, QStandardPaths, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication

from app.config import resolve_paths
from app.db import open_database
from app.services.workspace import Workspace
from app.storage.encrypted_blobstore import EncryptedBlobStore
from app.ui.app import create_application
from app.ui.context import UiContext
from app.ui.main_window import MainWindow

TYPING_INTERVAL_MS = 80


def main() -> int:
    data_dir, audit_id, item_id, text = sys.argv[1:5]
    key = bytes.fromhex(sys.stdin.readline().strip())
    QStandardPaths.setTestModeEnabled(True)
    paths = resolve_paths(data_dir)
    ws = Workspace(paths=paths, db=open_database(paths.database, key=key), blobs=EncryptedBlobStore(paths.blobs, key))
    app = create_application()
    window = MainWindow(UiContext(ws))
    window.show()
    window.open_audit(audit_id)
    window.answers.go_to(item_id)
    note = window.answers.note
    note.setFocus()
    characters = iter(text)
    timer = QTimer()
    timer.setInterval(TYPING_INTERVAL_MS)

    def type_one() -> None:
        character = next(characters, None)
        if character is None:
            timer.stop()
            sys.stdout.write("typed\n")
            sys.stdout.flush()
            return
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(note, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, character))

    timer.timeout.connect(type_one)
    timer.start()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
