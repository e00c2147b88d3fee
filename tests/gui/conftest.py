"""GUI test fixtures: a UiContext on a real data directory, a finished audit, and 100 000 enterprises.

Qt runs offscreen, and QSettings go to Qt's test locations so a test never touches the developer's own settings.
"""

from __future__ import annotations

import datetime as dt
import os
import random
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QEvent, QStandardPaths, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget
from sqlalchemy import text

from app.audit.uscc import make_uscc
from app.audit.visits import answer_item, finish_audit, item_states, start_audit
from app.models import AnswerStatus, Coordinator, Enterprise, new_id
from app.services.workspace import Workspace
from app.ui.context import UiContext

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
QStandardPaths.setTestModeEnabled(True)

GUI_TODAY = dt.date(2026, 11, 20)

INDUSTRIES = ("制造业", "建筑业", "批发和零售业", "住宿和餐饮业", "交通运输、仓储和邮政业", "租赁和商务服务业")
GRADES = ("高", "中", "低", None)
_WORDS = [
    "恒达",
    "华川",
    "兴盛",
    "巴渠",
    "凤凰",
    "嘉禾",
    "万家",
    "丰泽",
    "启航",
    "安泰",
    "天府",
    "利民",
    "通达",
    "宏远",
    "金鼎",
    "瑞丰",
    "鑫源",
    "永兴",
    "长城",
    "东方",
]
_KINDS = ["机械制造", "建筑工程", "商贸", "酒店管理", "物流", "人力资源", "食品", "电子科技", "服装", "医药连锁"]


@pytest.fixture
def ui_ctx(ws: Workspace) -> Iterator[UiContext]:
    """A context on the test workspace with ``today`` pinned; background tasks are drained at the end."""
    ctx = UiContext(ws, today=lambda: GUI_TODAY)
    yield ctx
    ctx.tasks.cancel_all()
    ctx.tasks.wait_for_done(10_000)
    QApplication.processEvents()  # deliver the queued results while the test's widgets still exist


def build_finished_audit(
    ws: Workspace,
    coordinator: Coordinator,
    enterprise: Enterprise,
    *,
    modules: tuple[str, ...] = ("CONTRACT", "WAGE"),
    non_compliant: int = 2,
    visit_date: dt.date = dt.date(2026, 11, 10),
) -> str:
    """A finished visit made through the services: the first ``non_compliant`` asked items are non-compliant,
    the rest compliant. For the notice, follow-up and ledger screen tests (GUI-B)."""
    with ws.db.session() as session:
        audit_id = start_audit(
            session,
            enterprise_id=enterprise.id,
            coordinator_id=coordinator.id,
            visit_date=visit_date,
            modules=list(modules),
        ).id
    with ws.db.session() as session:
        asked = [s for s in item_states(session, audit_id) if s.needs_answer]
        for index, state in enumerate(asked):
            status = AnswerStatus.NON_COMPLIANT if index < non_compliant else AnswerStatus.COMPLIANT
            if state.answer is None:
                answer_item(session, audit_id, state.item.id, status, note="现场查阅资料" if index < 2 else None)
        finish_audit(session, audit_id, responsible_person="王芳", today=visit_date)
    return audit_id


@pytest.fixture
def finished_audit_id(ws: Workspace, coordinator: Coordinator, enterprise: Enterprise) -> str:
    return build_finished_audit(ws, coordinator, enterprise)


def bulk_enterprises(ws: Workspace, count: int, seed: int = 7) -> None:
    """Insert ``count`` enterprises in one ``executemany`` (the FTS triggers keep the search index in step)."""
    rng = random.Random(seed)
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None).isoformat(sep=" ")
    rows = []
    for serial in range(count):
        name = f"{rng.choice(_WORDS)}{rng.choice(_WORDS)}{rng.choice(_KINDS)}有限公司{serial}"
        rows.append(
            {
                "id": new_id(),
                "uscc": make_uscc(f"91510100MA{serial:07d}"),
                "name": name,
                "initials": "",
                "industry": rng.choice(INDUSTRIES),
                "district": "达川区",
                "headcount": rng.randint(3, 900),
                "grade": rng.choice(GRADES),
                "now": now,
            }
        )
    with ws.db.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO enterprise (id, uscc, name, name_initials, industry, address, district, contact_name,"
                " contact_phone, headcount, is_key, risk_grade, risk_reasons, version, created_at, updated_at)"
                " VALUES (:id, :uscc, :name, :initials, :industry, '', :district, '', '', :headcount, 0, :grade, '',"
                " 1, :now, :now)"
            ),
            rows,
        )


def type_text(widget: QWidget, text: str) -> None:
    """Type ``text`` into the focused ``widget`` as key presses carrying the characters (QTest.keyClicks only
    knows ASCII; this is what an input method's committed Chinese reaches a widget as)."""
    for character in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, character))
