"""A wage check reaches the server with the audit: its row, its evidence table and the raw sheets (as blobs)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import select

from app.audit.visits import answer_item, finish_audit, item_states, start_audit
from app.models import AnswerStatus, Coordinator
from app.services import wage_evidence
from server.models import Record, StoredBlob
from tests.sync._helpers import do_sync, first_enterprise
from tests.sync.conftest import District
from tests.unit.test_wage_checks import VISIT, publish_table, sheets


def test_a_wage_check_syncs_with_its_evidence_and_raw_sheets(district: District, laptop: Any, tmp_path: Path) -> None:
    ws = laptop("li")
    do_sync(ws, "li")
    publish_table(ws)
    enterprise_id = first_enterprise(ws)
    with ws.db.session() as session:
        coordinator = session.scalars(select(Coordinator)).one()
        audit_id = start_audit(
            session,
            enterprise_id=enterprise_id,
            coordinator_id=coordinator.id,
            visit_date=VISIT,
            modules=["WAGE", "HOURS"],
        ).id
    payroll, attendance, _ = sheets(tmp_path)
    prep = wage_evidence.prepare(ws, audit_id, [payroll], [attendance])
    options = wage_evidence.CheckOptions(region="测试省", grade="第一档", pay_day=15)
    check_id = wage_evidence.save(ws, prep, wage_evidence.run(ws, prep, options))
    with ws.db.session() as session:
        for state in item_states(session, audit_id):
            if state.needs_answer and state.answer is None:
                answer_item(session, audit_id, state.item.id, AnswerStatus.COMPLIANT)
        finish_audit(session, audit_id)
    summary = do_sync(ws, "li")
    assert not summary.errors
    with district.db.session() as session:
        record = session.get(Record, ("wage_check", check_id))
        assert record is not None
        assert record.data is not None
        blob = session.get(StoredBlob, record.data["evidence_sha256"])
        assert blob is not None
        assert blob.complete
        sheets_on_server = session.scalars(select(Record).where(Record.entity == "attachment")).all()
        assert sorted(r.data["original_name"] for r in sheets_on_server if r.data and r.data["kind"] == "sheet") == [
            "恒达工资表2026.xlsx",
            "考勤导出.csv",
        ]
