"""Audit bundles and the audit list for both front ends (``laborcheck audit list|export|import``).

An import is validated in full before anything is touched: the bundle's references, its items against the
template versions it names, and what the database already holds (:func:`app.audit.bundle.validate_bundle`);
only then are the blob files copied into the store and the rows written. A refused bundle leaves no file and
no row behind.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from app.audit.bundle import ImportResult, copy_blobs, export_audit, import_bundle, parse_bundle, validate_bundle
from app.models import ArchivedAudit, Audit, AuditStatus, Enterprise
from app.services.changes import OpChanges, OpResult, ids
from app.services.workspace import Workspace
from app.storage.blobstore import BlobStore
from core.errors import LaborCheckError


@dataclass(frozen=True)
class AuditListRow:
    id: str
    visit_date: dt.date
    finished: bool
    archived: bool
    enterprise_name: str


def audit_list(ws: Workspace) -> list[AuditListRow]:
    """Every audit on this laptop, newest visit first."""
    with ws.db.session() as session:
        rows = session.execute(
            select(Audit, Enterprise).join(Enterprise).order_by(Audit.visit_date.desc(), Audit.id.desc())
        ).all()
        archived = set(session.scalars(select(ArchivedAudit.audit_id).where(ArchivedAudit.current())))
        return [
            AuditListRow(audit.id, audit.visit_date, audit.status is AuditStatus.FINISHED, audit.id in archived, e.name)
            for audit, e in rows
        ]


def export_audit_file(ws: Workspace, audit_id: str, output: Path, blobs: Path | None) -> int:
    """Write the audit's bundle to ``output`` (and its files into ``blobs``); how many files were copied."""
    with ws.db.session() as session:
        bundle = export_audit(session, audit_id)
    output.write_text(bundle.model_dump_json(indent=2), encoding="utf-8")
    return copy_blobs(bundle, ws.blobs, BlobStore(blobs)) if blobs is not None else 0


def import_audit_file(ws: Workspace, path: Path, blobs: Path | None, *, today: dt.date) -> OpResult[ImportResult]:
    """Validate, then copy the files, then import; :class:`~app.audit.bundle_format.BundleRejected` says why not."""
    if not path.is_file():
        raise LaborCheckError(f"文件不存在：{path}")
    bundle = parse_bundle(path.read_bytes())
    with ws.db.session() as session:
        validate_bundle(session, bundle)  # reads only: nothing copied or written for a refused bundle
    if blobs is not None:
        copy_blobs(bundle, BlobStore(blobs), ws.blobs)
    with ws.db.session() as session:
        result = import_bundle(session, bundle, blob_store=ws.blobs if blobs is not None else None, today=today)
    changed = result.outcome != "unchanged"
    changes = OpChanges(
        audits=changed,
        items=changed,
        notices=changed,
        enterprises=changed,
        audit_ids=ids([result.audit_id]),
        enterprise_ids=ids([result.enterprise_id]),
    )
    return OpResult(result, changes)


__all__ = ["AuditListRow", "audit_list", "export_audit_file", "import_audit_file"]
