"""Small builders shared by the follow-up, ledger, statistics and notice screen tests (beside conftest's)."""

from __future__ import annotations

import datetime as dt

from app.models import Audit, Campaign, Coordinator, Enterprise
from app.services.workspace import Workspace
from tests.gui.conftest import GUI_TODAY, build_finished_audit

TODAY = GUI_TODAY


def add_campaign(ws: Workspace, name: str = "2026年劳动用工法治体检专项行动") -> str:
    with ws.db.session() as session:
        campaign = Campaign(name=name, district="达川区")
        session.add(campaign)
        session.flush()
        return campaign.id


def finished_audit(
    ws: Workspace,
    coordinator: Coordinator,
    enterprise: Enterprise,
    *,
    visit_date: dt.date = dt.date(2026, 10, 10),
    non_compliant: int = 2,
    campaign_id: str | None = None,
) -> str:
    """conftest's finished visit, optionally filed under a campaign (the ledger and statistics filter on it)."""
    audit_id = build_finished_audit(ws, coordinator, enterprise, non_compliant=non_compliant, visit_date=visit_date)
    if campaign_id is not None:
        with ws.db.session() as session:
            session.get_one(Audit, audit_id).campaign_id = campaign_id
    return audit_id
