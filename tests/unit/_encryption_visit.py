"""A scripted visit through the public services, with known personal data to look for in the raw files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from app.audit.attachments import add_document, add_photo
from app.audit.enterprises import EnterpriseInput, create_enterprise
from app.audit.profile import ProfileInput, save_profile
from app.audit.uscc import make_uscc
from app.audit.visits import answer_item, item_states, start_audit
from app.db import Database
from app.models import AnswerStatus
from app.services.workspace import install_packaged_templates
from app.storage.blobstore import ContentStore
from tests.unit._builders import jpeg_bytes

WORKER = "张伟华"
ID_NUMBER = "510203198807152341"
NOTE = f"职工{WORKER}未签书面劳动合同，身份证号{ID_NUMBER}，孕期仍安排夜班"
ENTERPRISE = "达州恒达机械制造有限公司"
USCC = make_uscc("91511703MA62XXXX0")
PDF = f"%PDF-1.4\n1 0 obj ({WORKER} {ID_NUMBER} 工资表 月薪4200元) endobj\n%%EOF\n".encode()

KNOWN_STRINGS = [NOTE, WORKER, ID_NUMBER, ENTERPRISE, USCC, "孕期仍安排夜班"]


def scripted_visit(db: Database, blobs: ContentStore) -> str:
    """Register the enterprise, answer an item with a note, attach a PDF and a photo; returns the audit id."""
    install_packaged_templates(db)  # a no-op on a workspace; a bare database (the plaintext control) needs it
    with db.session() as session:
        coordinator = save_profile(session, ProfileInput(name="李明", device_code="A3"))
        enterprise = create_enterprise(
            session, EnterpriseInput(uscc=USCC, name=ENTERPRISE, industry="制造业", contact_name=WORKER)
        )
        audit = start_audit(
            session,
            enterprise_id=enterprise.id,
            coordinator_id=coordinator.id,
            visit_date=dt.date(2026, 11, 10),
            modules=["CONTRACT"],
        )
        item = next(s.item.id for s in item_states(session, audit.id) if s.needs_answer and s.rule_fires is not True)
        answer_item(session, audit.id, item, AnswerStatus.NON_COMPLIANT, note=NOTE)
        add_document(session, blobs, audit_id=audit.id, item_id=item, data=PDF, original_name="工资表.pdf")
        add_photo(session, blobs, audit_id=audit.id, item_id=item, data=jpeg_bytes(), original_name="现场.jpg")
        return audit.id


def leaks(path: Path) -> list[str]:
    """The known strings found in the raw bytes of ``path`` (UTF-8, as SQLite and the PDF store text)."""
    raw = path.read_bytes()
    return [text for text in KNOWN_STRINGS if text.encode("utf-8") in raw]


def data_files(root: Path) -> list[Path]:
    """Every file of a data directory that holds coordinator data (the database, its WAL, the blobs)."""
    return sorted(
        path
        for path in root.rglob("*")
        if path.is_file() and path.name != "key.json" and "logs" not in path.relative_to(root).parts
    )
