"""Other coordinators' item status reaches a laptop through the pull feed, read-only and within the district."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select

from app.audit.rectification import Verification, record_follow_up
from app.models import Coordinator, OutboxEntry, RectificationItem, SharedItemStatus
from app.sync.shared_items import shared_items
from tests.sync._helpers import VISIT_DAY, do_sync, finished_audit, first_enterprise
from tests.sync.conftest import District


def _count(ws: Any, model: Any) -> int:
    with ws.db.session() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_laptop_b_sees_laptop_a_item_open_then_verified_after_a_follow_up_syncs(
    district: District, laptop: Any
) -> None:
    a, b = laptop("李明"), laptop("陈静", device_code="B1")
    do_sync(a, "li")
    do_sync(b, "chen")
    enterprise_id = first_enterprise(a)
    audit_id = finished_audit(a, enterprise_id, photos=0)
    do_sync(a, "li")

    do_sync(b, "chen")

    with b.db.session() as session:
        (shared,) = shared_items(session, enterprise_id)
        assert (shared.audit_id, shared.coordinator, shared.status, shared.verified_on) == (
            audit_id,
            "li",
            "open",
            None,
        )
        assert shared.requirement
        assert shared.deadline is not None
    assert _count(b, RectificationItem) == 0  # B holds no item of A's: only the summary
    assert _count(b, OutboxEntry) == 0  # stored from the server, never sent back
    assert _count(a, SharedItemStatus) == 0  # a coordinator's own items do not come back as "shared"

    with a.db.session() as session:
        item_id = session.scalars(select(RectificationItem.id)).one()
        coordinator_id = session.scalars(select(Coordinator.id)).one()
        record_follow_up(
            session,
            enterprise_id=enterprise_id,
            coordinator_id=coordinator_id,
            visit_date=VISIT_DAY + dt.timedelta(days=9),
            method="on_site",
            note="现场查看已补签的劳动合同",
            verifications=[Verification(item_id)],
            document_reference="劳动合同补签台账（2026年11月）",
        )
    do_sync(a, "li")
    do_sync(b, "chen")

    with b.db.session() as session:
        shared = session.get_one(SharedItemStatus, item_id)
        assert shared.status == "verified"
        assert shared.verified_on == VISIT_DAY + dt.timedelta(days=9)
    assert _count(b, OutboxEntry) == 0


def test_items_never_reach_another_district(district: District, laptop: Any) -> None:
    a, z = laptop("李明"), laptop("赵刚", device_code="Z9")
    do_sync(a, "li")
    finished_audit(a, first_enterprise(a), photos=0)
    do_sync(a, "li")

    do_sync(z, "zhao")

    assert _count(z, SharedItemStatus) == 0
