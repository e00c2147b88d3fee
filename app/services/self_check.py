"""The installation check behind ``laborcheck gui --self-test``: does this build have everything it reads from disk?

A frozen build (PyInstaller bundle, .deb, Windows folder) can import its code and still lack a data file: a
template, a migration Alembic loads from a file, a font for the notice. Each check below reads the real thing the
way the application does and reports where it came from, so a test of the bundle can see that the files were
found *inside* it. Nothing is written except one settings round-trip; the sample notice is rendered in memory.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from alembic.script import ScriptDirectory
from sqlalchemy import select

from app.checklists.loader import load_template_set
from app.db import alembic_config
from app.models import Notice, NoticeStatus, Template, load_settings, save_settings
from app.reports.notice_pdf import render_notice
from app.services.workspace import PACKAGED_TEMPLATES, Workspace
from core.errors import LaborCheckError
from core.fonts import FontNotFound, load_notice_fonts


@dataclass
class SelfCheck:
    """What was checked (one line each, for the log of a test run) and what is wrong (empty: all good)."""

    lines: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


SAMPLE_CONTENT = {
    "number": "自检〔2026〕A1-001号",
    "issued_on": "2026-11-10",
    "issuing_body": "劳动用工法治体检自检",
    "enterprise": {"name": "自检示例有限公司", "uscc": "91511703MA62XXXX0Y", "address": "达川区"},
    "visit_date": "2026-11-10",
    "coordinators": ["自检"],
    "modules": ["CONTRACT"],
    "module_titles": ["劳动合同管理"],
    "problems": [
        {
            "position": 1,
            "item_id": "CONTRACT-01",
            "severity": "高",
            "description": "未与劳动者订立书面劳动合同",
            "basis": ["《劳动合同法》第十条"],
            "requirement": "自用工之日起一个月内订立书面劳动合同",
            "deadline": "2026-12-08",
            "deadline_days": 20,
            "deadline_working_days": True,
            "deadline_estimated": False,
            "responsible_person": "王芳",
            "responsible_phone": "",
        }
    ],
}
"""A one-problem notice in the shape ``app.audit.notices.build_content`` makes; rendered, never stored."""


def _check_settings(ws: Workspace, report: SelfCheck) -> None:
    with ws.db.session() as session:
        language = load_settings(session).language
        save_settings(session, language=language)
    with ws.db.session() as session:
        if load_settings(session).language != language:
            report.problems.append("settings did not read back")
    report.lines.append(f"database: {ws.paths.database}")


def _check_templates(ws: Workspace, report: SelfCheck, directory: Path) -> None:
    template_set = load_template_set(directory)  # parses and validates every file, as a new build's first start does
    with ws.db.session() as session:
        stored = set(session.execute(select(Template.module, Template.version)).tuples())
    missing = [f"{m.module} v{m.version}" for m in template_set.modules if (m.module, m.version) not in stored]
    if not template_set.modules:
        report.problems.append(f"no checklist templates in {directory}")
    if missing:
        report.problems.append("templates not installed: " + ", ".join(missing))
    report.lines.append(f"templates: {len(template_set.modules)} modules from {directory}")


def _check_migrations(ws: Workspace, report: SelfCheck) -> None:
    scripts = ScriptDirectory.from_config(alembic_config(ws.db.engine))
    revisions = list(scripts.walk_revisions())  # imports every version file, as an upgrade would
    with ws.db.engine.connect() as connection:
        current = connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    head = scripts.get_current_head()
    if current != head:
        report.problems.append(f"database at revision {current}, migrations end at {head}")
    report.lines.append(f"migrations: {len(revisions)} revisions from {scripts.dir}, database at {current}")


def _check_notice(ws: Workspace, report: SelfCheck) -> None:
    with ws.db.session() as session:
        setting = load_settings(session).notice_font
    try:
        fonts = load_notice_fonts(setting)
    except FontNotFound as error:
        report.problems.append(str(error))
        return
    notice = Notice(
        id="00000000-0000-7000-8000-000000000001",
        audit_id="00000000-0000-7000-8000-000000000002",
        number=SAMPLE_CONTENT["number"],
        year=2026,
        sequence=1,
        device_code="A1",
        status=NoticeStatus.DRAFT,
        issued_on=dt.date(2026, 11, 10),
        content=SAMPLE_CONTENT,
        coordinator_signer="",
        enterprise_signer="",
    )
    pdf = render_notice(notice, ws.blobs.get, fonts=fonts)
    if not pdf.startswith(b"%PDF-"):
        report.problems.append("the notice did not render as PDF")
    files = ", ".join(sorted({str(face.path) for face in fonts.files}))
    report.lines.append(f"notice: {len(pdf)} bytes, fonts {files}")


def check_installation(ws: Workspace, *, templates: Path = PACKAGED_TEMPLATES) -> SelfCheck:
    """Run every check on the open workspace; a check that raises is reported as a problem, the others still run."""
    report = SelfCheck()
    checks: list[Callable[[], None]] = [
        partial(_check_settings, ws, report),
        partial(_check_templates, ws, report, templates),
        partial(_check_migrations, ws, report),
        partial(_check_notice, ws, report),
    ]
    for check in checks:
        try:
            check()
        except (LaborCheckError, OSError, ValueError) as error:
            report.problems.append(f"{type(error).__name__}: {error}")
    return report


__all__ = ["SelfCheck", "check_installation"]
