"""PNGs of every main screen, in Chinese and in English, from a demo data directory (``make screenshots``).

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshots.py [OUTPUT_DIR]

Seeds the demo district into a temporary data directory, adds a visit in progress (for the answering screen) and
a finished visit whose notice is still a draft (for the findings and notice screens, with signatures drawn on the
pads), then shows each screen at 1366×768 and grabs it. Files: ``gui-<screen>-zh.png`` and ``gui-<screen>-en.png``.
Look at every one after a change: clipped text, empty boxes where a glyph is missing, or an empty panel show
up here first. The throw-away directory is opened with the benchmarks' explicit key source (a passphrase, never
the machine's keyring), so no prompt appears and nothing is left in a keyring.
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import QElapsedTimer, QEventLoop, QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from sqlalchemy import select

from app.services.demo_district import seed_demo
from app.audit.profile import active_coordinator
from app.audit.visits import answer_item, finish_audit, item_states, start_audit
from app.models import AnswerStatus, Audit, Campaign, Enterprise
from app.services.workspace import Workspace
from app.ui.app import create_application
from app.ui.context import UiContext
from app.ui.i18n import install_translator
from app.ui.main_window import MainWindow
from app.ui.new_visit_dialog import NewVisitDialog
from app.ui.notice_dialog import NoticeDialog
from app.ui.settings_dialog import SettingsDialog
from app.ui.signature_pad import SignaturePad
from app.ui.statistics_page import summary_pdf
from bench import open_bench_workspace
from core.clock import china_today
from scripts.render_notice_samples import pdf_pages, render_samples

SIZE = (1366, 768)
LANGUAGES = (("zh_CN", "zh"), ("en", "en"))


def settle(app: QApplication, ctx: UiContext, rounds: int = 3) -> None:
    """Let every background task finish and its result reach the widgets (bounded: 30 s)."""
    clock = QElapsedTimer()
    clock.start()
    quiet = 0
    while quiet < rounds and clock.elapsed() < 30_000:
        ctx.tasks.wait_for_done(5_000)
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        quiet = 0 if ctx.tasks.is_busy() else quiet + 1


def prepare(ws: Workspace, today: dt.date) -> tuple[str, str, str]:
    """Demo data plus a visit in progress and a finished visit without a notice: (enterprise, in progress, draft)."""
    with ws.db.session() as session:
        seed_demo(session, ws.blobs, today=today)
    with ws.db.session() as session:
        coordinator = active_coordinator(session)
        assert coordinator is not None
        audited = set(session.scalars(select(Audit.enterprise_id)))
        fresh = [e for e in session.scalars(select(Enterprise).order_by(Enterprise.name)) if e.id not in audited]
        visited = session.scalars(select(Enterprise).where(Enterprise.id.in_(audited)).order_by(Enterprise.name))
        shown = next(iter(visited))
        drafts: list[str] = []
        for enterprise, finish in ((fresh[0], False), (fresh[1], True)):
            audit = start_audit(
                session,
                enterprise_id=enterprise.id,
                coordinator_id=coordinator.id,
                visit_date=today,
                modules=["CONTRACT", "WAGE", "HOURS"],
                inputs={"headcount": enterprise.headcount or 60},
            )
            asked = [state for state in item_states(session, audit.id) if state.needs_answer]
            for index, state in enumerate(asked if finish else asked[:5]):
                status = AnswerStatus.NON_COMPLIANT if index in (1, 4, 7) else AnswerStatus.COMPLIANT
                answer_item(session, audit.id, state.item.id, status, note="现场查阅劳动合同台账")
            if finish:
                finish_audit(session, audit.id, responsible_person=enterprise.contact_name, today=today)
            drafts.append(audit.id)
        return shown.id, drafts[0], drafts[1]


def sign_pad(pad: SignaturePad, seed: int) -> None:
    """Synthetic strokes through real mouse events, so the notice screen shows signatures being captured."""
    for stroke in range(3):
        x0 = 40 + stroke * 120 + seed * 7
        points = [QPoint(x0 + 9 * i, 85 + (30 if (i + stroke + seed) % 2 else -28)) for i in range(11)]
        QTest.mousePress(pad, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, points[0])
        for point in points[1:]:
            QTest.mouseMove(pad, point)
        QTest.mouseRelease(pad, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, points[-1])


def grab(widget: QWidget, app: QApplication, ctx: UiContext, path: Path) -> None:
    settle(app, ctx)
    widget.grab().save(str(path))
    print(path)


def main() -> int:
    output = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots")
    output.mkdir(parents=True, exist_ok=True)
    app = create_application()
    today = china_today()
    with tempfile.TemporaryDirectory() as temp:
        ws = open_bench_workspace(Path(temp) / "data")
        ctx = UiContext(ws, today=lambda: today)
        try:
            enterprise_id, in_progress, draft = prepare(ws, today)
            for language, suffix in LANGUAGES:
                install_translator(app, language)
                window = MainWindow(ctx)
                window.resize(*SIZE)
                window.show()

                def shot(name: str, show: Callable[[], None], widget: QWidget | None = None) -> None:
                    show()
                    grab(widget or window, app, ctx, output / f"gui-{name}-{suffix}.png")  # noqa: B023

                shot("enterprise-list", lambda: window.show_nav(0))  # noqa: B023
                shot("enterprise", lambda: window.show_enterprise(enterprise_id))  # noqa: B023
                shot("answering", lambda: window.open_audit(in_progress))  # noqa: B023
                shot("findings", lambda: window.show_findings(draft))  # noqa: B023
                shot("follow-up", lambda: window.show_nav(1))  # noqa: B023
                shot("ledger", lambda: window.show_nav(2))  # noqa: B023
                shot("statistics", lambda: window.show_nav(3))  # noqa: B023

                for name, dialog in (
                    ("new-visit", NewVisitDialog(ctx, enterprise_id, window)),
                    ("settings", SettingsDialog(ctx, window)),
                ):
                    dialog.show()
                    grab(dialog, app, ctx, output / f"gui-{name}-{suffix}.png")
                    dialog.reject()

                notice = NoticeDialog(ctx, draft, window)
                notice.resize(*SIZE)
                notice.show()
                settle(app, ctx)
                sign_pad(notice.coordinator_box.pad, 0)
                sign_pad(notice.enterprise_box.pad, 3)
                grab(notice, app, ctx, output / f"gui-notice-{suffix}.png")
                notice.reject()
                window.close()
                window.deleteLater()
                settle(app, ctx)
            install_translator(app, "zh_CN")
            for path in render_samples(output):
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
