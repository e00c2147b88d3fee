"""The rectification notice, for both front ends: which notice is live, its PDF, signing and re-issuing.

One definition of each so the command line and the window cannot diverge:

* :func:`live_notice` — the audit's newest notice that is not voided (a re-issue supersedes the voided one);
* :func:`render_pdf` — the PDF, with the QR of the verification address only once the coordinator consented to
  the server address (``AppSettings.server_consent``): without consent the laptop names no server on paper;
* :func:`notice_to_work_on` — what the notice dialog opens: the live notice (a draft refreshed from the
  findings), else a new draft superseding the last voided one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audit.attachments import add_signature
from app.audit.notices import create_notice, refresh_draft, reissue_notice, sign_notice
from app.models import Audit, Enterprise, Notice, NoticeStatus, load_settings
from app.reports.notice_pdf import NoticePdfError
from app.reports.notice_pdf import render_notice as render_notice_pdf
from app.services.changes import OpChanges, OpResult, ids
from app.services.workspace import Workspace
from app.sync.protocol import verification_url
from core.fonts import NoticeFonts, load_notice_fonts, summary_text

NOTICE_STATUS_TEXT = {NoticeStatus.DRAFT: "草稿", NoticeStatus.SIGNED: "已签署", NoticeStatus.VOIDED: "已作废"}


def _newest_first(session: Session, audit_id: str) -> list[Notice]:
    return list(
        session.scalars(
            select(Notice)
            .where(Notice.audit_id == audit_id)
            .order_by(Notice.year.desc(), Notice.created_at.desc(), Notice.sequence.desc(), Notice.id.desc())
        )
    )


def live_notice(session: Session, audit_id: str) -> Notice | None:
    """The audit's newest notice that is not voided, or None."""
    return next((n for n in _newest_first(session, audit_id) if n.status is not NoticeStatus.VOIDED), None)


def verification_address(session: Session, notice: Notice) -> str:
    """The address printed as a QR: only for a signed notice, and only with consent to a server address."""
    settings = load_settings(session)
    if settings.server_url and settings.server_consent and notice.content_hash:
        return verification_url(settings.server_url, notice.id, notice.content_hash)
    return ""


def render_pdf(ws: Workspace, session: Session, notice: Notice, fonts: NoticeFonts | None = None) -> bytes:
    """The notice's PDF (fonts as configured, signatures from the blob store)."""
    fonts = fonts or load_notice_fonts(load_settings(session).notice_font)
    return render_notice_pdf(notice, ws.blobs.get, fonts=fonts, verification_url=verification_address(session, notice))


@dataclass(frozen=True)
class NoticeExport:
    number: str
    status: NoticeStatus
    pdf: bytes
    font_report: str = ""
    """Which typefaces were stood in for, and how to install them (empty: all present)."""

    @property
    def status_text(self) -> str:
        return NOTICE_STATUS_TEXT[self.status]


def export_notice(ws: Workspace, audit_id: str) -> NoticeExport:
    """The live notice's PDF (``laborcheck notice``); a clear error when there is none."""
    with ws.db.session() as session:
        if session.get(Audit, audit_id) is None:
            raise NoticePdfError(f"找不到体检记录：{audit_id}")
        notice = live_notice(session, audit_id)
        if notice is None:
            raise NoticePdfError("该次体检尚未出具整改通知书：请先在体检记录中生成并签署整改通知书，再导出 PDF。")
        fonts = load_notice_fonts(load_settings(session).notice_font)
        return NoticeExport(notice.number, notice.status, render_pdf(ws, session, notice, fonts), fonts.report())


def notice_to_work_on(ws: Workspace, audit_id: str, today: dt.date) -> OpResult[str]:
    """The live notice (a draft is refreshed so edits to findings show), else a new draft; its id."""
    with ws.db.session() as session:
        notices = _newest_first(session, audit_id)
        live = next((n for n in notices if n.status is not NoticeStatus.VOIDED), None)
        if live is None:
            live = create_notice(session, audit_id, issued_on=today, supersedes=notices[0] if notices else None)
        elif live.status is NoticeStatus.DRAFT:
            refresh_draft(session, live.id)
        return OpResult(live.id, OpChanges(notices=True, audit_ids=ids([audit_id])))


@dataclass(frozen=True)
class NoticeState:
    """What the notice dialog shows of one notice (plain values, read in one session)."""

    notice_id: str
    audit_id: str
    number: str
    status: NoticeStatus
    enterprise_name: str
    contact_name: str
    problems: int
    coordinator_signer: str
    enterprise_signer: str
    coordinator_signature: bytes | None
    enterprise_signature: bytes | None
    void_reason: str
    pdf: bytes | None
    pdf_error: BaseException | None
    font_report: str = ""
    """What the fonts lack (empty when every face GB/T 9704 asks for is installed)."""


def notice_state(ws: Workspace, notice_id: str) -> NoticeState:
    """The notice with its signatures and its rendered PDF (a rendering failure is returned, not raised)."""
    with ws.db.session() as session:
        notice = session.get_one(Notice, notice_id)
        audit = session.get_one(Audit, notice.audit_id)
        enterprise = session.get_one(Enterprise, audit.enterprise_id)
        mine, theirs = notice.coordinator_signature_sha256, notice.enterprise_signature_sha256
        pdf: bytes | None = None
        pdf_error: BaseException | None = None
        fonts = load_notice_fonts(load_settings(session).notice_font)
        try:
            pdf = render_pdf(ws, session, notice, fonts)
        except Exception as error:  # shown in the dialog instead of the preview; the notice itself is fine
            pdf_error = error
        return NoticeState(
            notice_id=notice.id,
            audit_id=notice.audit_id,
            number=notice.number,
            status=notice.status,
            enterprise_name=enterprise.name,
            contact_name=enterprise.contact_name,
            problems=len(notice.content.get("problems", [])),
            coordinator_signer=notice.coordinator_signer,
            enterprise_signer=notice.enterprise_signer,
            coordinator_signature=ws.blobs.get(mine) if mine else None,
            enterprise_signature=ws.blobs.get(theirs) if theirs else None,
            void_reason=notice.void_reason or "",
            pdf=pdf,
            pdf_error=pdf_error,
            font_report=summary_text(fonts.roles),
        )


def sign(
    ws: Workspace, notice_id: str, coordinator_png: bytes, enterprise_signer: str, enterprise_png: bytes
) -> OpChanges:
    """Store both signature images and sign (freeze) the notice, in one transaction."""
    with ws.db.session() as session:
        mine = add_signature(session, ws.blobs, coordinator_png)
        theirs = add_signature(session, ws.blobs, enterprise_png)
        notice = sign_notice(
            session,
            notice_id,
            coordinator_signature_sha256=mine.sha256,
            enterprise_signer=enterprise_signer,
            enterprise_signature_sha256=theirs.sha256,
        )
        return OpChanges(notices=True, audit_ids=ids([notice.audit_id]))


def reissue(ws: Workspace, notice_id: str, reason: str, today: dt.date) -> OpResult[str]:
    """Void the signed notice with ``reason`` and draft its replacement; the new notice's id."""
    with ws.db.session() as session:
        new = reissue_notice(session, notice_id, reason=reason, issued_on=today)
        return OpResult(new.id, OpChanges(notices=True, audit_ids=ids([new.audit_id])))


__all__ = [
    "NoticeExport",
    "NoticeState",
    "export_notice",
    "live_notice",
    "notice_state",
    "notice_to_work_on",
    "reissue",
    "render_pdf",
    "sign",
    "verification_address",
]
