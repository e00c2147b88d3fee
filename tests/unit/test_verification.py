"""Verification only with evidence (整改一条消除一条): a follow-up record with evidence, revocable only with a reason."""

from __future__ import annotations

import datetime as dt

import pytest

from app.audit.attachments import add_photo, add_signature
from app.audit.history import ReasonRequired, history_of_item
from app.audit.rectification import (
    FollowUpInvalid,
    RevokeInvalid,
    Verification,
    record_follow_up,
    revoke_verification,
    submit_item,
)
from app.audit.risk import HIGH, LOW, grade_enterprise
from app.models import Coordinator, Enterprise, FollowUp, ItemStatus, RectificationItem
from app.reports.ledger import ledger_rows
from app.services.workspace import Workspace
from tests.conftest import VISIT_DAY, add_enterprise
from tests.unit._builders import jpeg_bytes, png_bytes
from tests.unit.test_rectification import _items

LATER = VISIT_DAY + dt.timedelta(days=20)


def _follow_up(
    ws: Workspace, enterprise: Enterprise, coordinator: Coordinator, item_id: str, **overrides: object
) -> str:
    values: dict[str, object] = {
        "enterprise_id": enterprise.id,
        "coordinator_id": coordinator.id,
        "visit_date": LATER,
        "method": "on_site",
        "note": "现场核对工资发放银行流水",
        "verifications": [Verification(item_id)],
        "document_reference": "工资代发银行流水（2026年11月）",
        "today": LATER,
    }
    values.update(overrides)
    with ws.db.session() as session:
        return record_follow_up(session, **values).id  # type: ignore[arg-type]


def _status(ws: Workspace, item_id: str) -> ItemStatus:
    with ws.db.session() as session:
        return session.get_one(RectificationItem, item_id).status


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"document_reference": ""}, "必须有证据"),
        ({"note": "  "}, "复查说明"),
        ({"method": "phone"}, "复查方式无效"),
        ({"visit_date": LATER + dt.timedelta(days=1)}, "不能晚于今天"),
        ({"visit_date": VISIT_DAY - dt.timedelta(days=1)}, "不能早于体检日期"),
        ({"evidence_attachment_ids": ["no-such-attachment"], "document_reference": ""}, "不存在"),
        ({"coordinator_id": "nobody"}, "复查人"),
    ],
)
def test_verification_without_complete_evidence_is_refused_in_plain_chinese(
    ws: Workspace, enterprise: Enterprise, coordinator: Coordinator, overrides: dict[str, object], message: str
) -> None:
    (item_id,) = _items(ws, enterprise, coordinator, {"WAGE-01": "拖欠工资"})
    with pytest.raises(FollowUpInvalid, match=message):
        _follow_up(ws, enterprise, coordinator, item_id, **overrides)
    assert _status(ws, item_id) is ItemStatus.OPEN


def test_a_photo_of_this_enterprise_is_evidence_and_is_kept_on_the_follow_up(
    ws: Workspace, enterprise: Enterprise, coordinator: Coordinator
) -> None:
    (item_id,) = _items(ws, enterprise, coordinator, {"WAGE-01": "拖欠工资"})
    with ws.db.session() as session:
        audit_id = session.get_one(RectificationItem, item_id).audit_id
        photo = add_photo(
            session, ws.blobs, audit_id=audit_id, item_id="WAGE-01", data=jpeg_bytes(), original_name="a.jpg"
        )
        photo_id = photo.id
    follow_up_id = _follow_up(
        ws, enterprise, coordinator, item_id, evidence_attachment_ids=[photo_id], document_reference=""
    )
    with ws.db.session() as session:
        follow_up = session.get_one(FollowUp, follow_up_id)
        item = session.get_one(RectificationItem, item_id)
        assert follow_up.evidence_attachment_ids == [photo_id]
        assert (item.status, item.verified_on, item.verified_by) == (ItemStatus.VERIFIED, LATER, "李明")
        assert item.verification_note == "现场核对工资发放银行流水"
        assert grade_enterprise(session, enterprise.id, LATER).grade == LOW
        (row,) = [r for r in history_of_item(session, item_id) if r.field == "status"]
        assert row.new == "verified"
        assert row.reason.startswith("复查销号（现场复查）")


def test_evidence_from_another_enterprise_or_a_signature_is_refused(
    ws: Workspace, enterprise: Enterprise, coordinator: Coordinator
) -> None:
    (item_id,) = _items(ws, enterprise, coordinator, {"WAGE-01": "拖欠工资"})
    other = add_enterprise(ws, name="达州宏图建筑劳务有限公司", body="91511703MA62YYYY0")
    (other_item,) = _items(ws, other, coordinator, {"CONTRACT-04": ""})
    with ws.db.session() as session:
        other_audit = session.get_one(RectificationItem, other_item).audit_id
        foreign = add_photo(session, ws.blobs, audit_id=other_audit, item_id=None, data=jpeg_bytes(), original_name="b")
        foreign_id = foreign.id
        add_signature(session, ws.blobs, png_bytes())
    with pytest.raises(FollowUpInvalid, match="不属于该企业"):
        _follow_up(ws, enterprise, coordinator, item_id, evidence_attachment_ids=[foreign_id], document_reference="")


def test_submitted_is_distinct_from_verified_and_revoking_returns_to_submitted(
    ws: Workspace, enterprise: Enterprise, coordinator: Coordinator
) -> None:
    (item_id,) = _items(ws, enterprise, coordinator, {"WAGE-01": "拖欠工资"})
    with ws.db.session() as session:
        submit_item(session, item_id, note="企业称已补发工资")
    assert _status(ws, item_id) is ItemStatus.SUBMITTED
    _follow_up(ws, enterprise, coordinator, item_id)
    assert _status(ws, item_id) is ItemStatus.VERIFIED
    with ws.db.session() as session, pytest.raises(ReasonRequired):
        revoke_verification(session, item_id, reason=" ")
    with ws.db.session() as session:
        revoke_verification(session, item_id, reason="职工再次投诉，核实仍有拖欠", today=LATER)
    with ws.db.session() as session:
        item = session.get_one(RectificationItem, item_id)
        assert item.status is ItemStatus.SUBMITTED
        assert (item.verified_on, item.verified_by, item.follow_up_id) == (None, "", None)
        rows = [r for r in history_of_item(session, item_id) if r.field == "status"]
        assert [(r.old, r.new) for r in rows] == [
            ("open", "submitted"),
            ("submitted", "verified"),
            ("verified", "submitted"),
        ]
        assert "职工再次投诉" in rows[-1].reason
        assert grade_enterprise(session, enterprise.id, LATER).grade != LOW
        with pytest.raises(RevokeInvalid, match="尚未复查销号"):
            revoke_verification(session, item_id, reason="再撤一次")


def test_revoking_an_item_never_submitted_reopens_it_and_the_ledger_follows(
    ws: Workspace, enterprise: Enterprise, coordinator: Coordinator
) -> None:
    items = _items(ws, enterprise, coordinator, {"WAGE-01": "拖欠工资", "CONTRACT-09": "扣押身份证"})
    for item_id in items:
        _follow_up(ws, enterprise, coordinator, item_id)
    with ws.db.session() as session:
        assert all("已复查销号" in row.progress for row in ledger_rows(session, today=LATER))
        revoke_verification(session, items[0], reason="复查照片拍错了企业", today=LATER)
    with ws.db.session() as session:
        assert session.get_one(RectificationItem, items[0]).status is ItemStatus.OPEN
        progress = sorted(row.progress for row in ledger_rows(session, today=LATER))
        assert any(text.startswith("未整改") for text in progress)
        assert grade_enterprise(session, enterprise.id, LATER).grade in (HIGH, "中")
