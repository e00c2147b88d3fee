"""Building blocks of sync tests: audits made with the real services, syncs, and the server's state."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select

from app.audit.attachments import add_photo
from app.audit.enterprises import name_initials
from app.audit.visits import answer_item, finish_audit, item_states, start_audit
from app.models import AnswerStatus, Coordinator, Enterprise
from app.services.workspace import Workspace
from app.sync.service import SyncSummary, sync
from server.db import ServerDatabase
from server.models import AppliedMutation, Record, StoredBlob
from tests.sync.conftest import PASSWORD
from tests.unit._builders import jpeg_bytes

VISIT_DAY = dt.date(2026, 11, 10)


def do_sync(ws: Workspace, user: str, **options: Any) -> SyncSummary:
    return sync(ws, password=PASSWORD, username=user, initials=name_initials, **options)


def first_enterprise(ws: Workspace, name: str = "达州恒达机械制造有限公司") -> str:
    with ws.db.session() as session:
        return session.scalars(select(Enterprise.id).where(Enterprise.name == name)).one()


def finished_audit(
    ws: Workspace, enterprise_id: str, *, photos: int = 1, seed: int = 0, visit_date: dt.date = VISIT_DAY
) -> str:
    """A finished audit with one non-compliant item (a finding and a rectification item) and ``photos`` photos."""
    with ws.db.session() as session:
        coordinator = session.scalars(select(Coordinator)).first()
        assert coordinator is not None
        audit = start_audit(
            session,
            enterprise_id=enterprise_id,
            coordinator_id=coordinator.id,
            visit_date=visit_date,
            modules=["CONTRACT"],
        )
        answer_item(session, audit.id, "CONTRACT-03", AnswerStatus.NON_COMPLIANT, note="缺少工作地点条款")
        for index in range(photos):
            add_photo(
                session,
                ws.blobs,
                audit_id=audit.id,
                item_id="CONTRACT-03",
                data=jpeg_bytes(color=((seed * 7 + index * 13) % 256, (seed * 3) % 256, index % 256)),
                original_name=f"photo-{index}.jpg",
            )
        for state in item_states(session, audit.id):
            if state.needs_answer and state.answer is None:
                answer_item(session, audit.id, state.item.id, AnswerStatus.COMPLIANT)
        finish_audit(session, audit.id, responsible_person="赵强")
        return audit.id


def server_state(db: ServerDatabase) -> dict[str, Any]:
    """Everything a sync leaves on the server, comparable between runs (no seqs, no timestamps of the server)."""
    with db.session() as session:
        records = sorted(
            (r.entity, r.entity_id, r.version, r.deleted, repr(sorted((r.data or {}).items())))
            for r in session.scalars(select(Record).where(Record.writer.like("device:%")))
        )
        applied = sorted(session.scalars(select(AppliedMutation.mutation_id)).all())
        blobs = sorted((b.sha256, b.size, b.complete) for b in session.scalars(select(StoredBlob)))
    return {"records": records, "applied": applied, "blobs": blobs}
