"""PNGs of every screen, in Chinese and in English, at 1366×768 (``make screenshots``).

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshots.py [OUTPUT_DIR]

Seeds a small demo district into a temporary data directory (:func:`tests.gui.screens.build_scene`: a visit in
progress, a finished visit with a draft notice and a corrected item) and shows every screen of the catalogue the
language and fit tests walk (:data:`tests.gui.screens.SCREENS`) in a 1366×768 window, with the application's
fonts and style sheet. Files: ``gui-<screen>-zh.png`` and ``gui-<screen>-en.png``. Look at every one after a
change: clipped text, empty boxes where a glyph is missing, or an empty panel show up here first. The throw-away
directory is opened with the benchmarks' explicit key source (a passphrase, never the machine's keyring), so no
prompt appears and nothing is left in a keyring.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import QStandardPaths
from sqlalchemy import select

from app.models import Campaign, save_settings
from app.ui.app import create_application
from app.ui.context import UiContext
from app.ui.i18n import install_translator
from app.ui.main_window import MainWindow
from app.ui.statistics_page import summary_pdf
from bench import open_bench_workspace
from core.clock import china_today
from scripts.render_notice_samples import pdf_pages, render_samples
from tests.gui.screens import SCREEN_SIZE, SCREENS, build_scene, close_screen, open_screen, settle

LANGUAGES = (("zh_CN", "zh"), ("en", "en"))


def main() -> int:
    output = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots")
    output.mkdir(parents=True, exist_ok=True)
    QStandardPaths.setTestModeEnabled(True)  # the window's remembered geometry is not the developer's
    app = create_application()
    today = china_today()
    with tempfile.TemporaryDirectory() as temp:
        ws = open_bench_workspace(Path(temp) / "data")
        ctx = UiContext(ws, today=lambda: today)
        try:
            scene = build_scene(ws, today, Path(temp), enterprises=240, audits=36)  # the full demo district
            for language, suffix in LANGUAGES:
                with ws.db.session() as session:
                    save_settings(session, language=language)
                install_translator(app, language)
                window = MainWindow(ctx)
                window.resize(*SCREEN_SIZE)
                window.show()
                for name in SCREENS:
                    widget = open_screen(name, window, scene)
                    path = output / f"gui-{name}-{suffix}.png"
                    widget.grab().save(str(path))
                    print(path)
                    close_screen(widget, window)
                window.close()
                window.deleteLater()
                settle(ctx)
            install_translator(app, "zh_CN")
            for path in render_samples(output):  # the notice samples and the campaign summary, as PDF pages
                print(path)
            with ws.db.session() as session:
                campaign = session.scalars(select(Campaign).order_by(Campaign.created_at)).first()
            summary = summary_pdf(ws, campaign.id if campaign else None, today)
            for path in pdf_pages(summary, output, "summary"):
                print(path)
        finally:
            ctx.tasks.cancel_all()
            ctx.tasks.wait_for_done(10_000)
            ws.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
