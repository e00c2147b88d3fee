"""Campaign statistics from the models, and the summary PDF that reports them in the official style."""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess
from pathlib import Path

import pdfplumber

from app.cli import main
from app.models import ItemStatus
from app.reports.statistics import campaign_statistics
from app.reports.summary_pdf import render_summary
from app.services.workspace import Workspace
from core.fonts import load_notice_fonts
from tests.unit._builders import add_audit, add_campaign, add_coordinator, add_enterprise, add_item, add_template

TODAY = dt.date(2026, 11, 20)


def _seed(ws: Workspace) -> str:
    with ws.db.session() as session:
        coordinator = add_coordinator(session)
        campaign = add_campaign(session)
        other = add_campaign(session, name="另一专项行动")
        contract = add_template(session, "CONTRACT", 99)
        wage = add_template(session, "WAGE", 99, title="工资支付")
        risky = add_enterprise(session, name="高风险劳务公司", risk_grade="高", risk_reasons="2 项严重问题逾期未整改")
        calm = add_enterprise(session, name="达州平安商贸有限公司", risk_grade="低")
        elsewhere = add_enterprise(session, name="别处高风险公司", risk_grade="高")
        first = add_audit(
            session, enterprise=risky, coordinator=coordinator, templates=[contract, wage], campaign=campaign
        )
        add_item(session, first, position=0, deadline=dt.date(2026, 11, 1))  # overdue
        add_item(
            session, first, item_id="WAGE-01", module="WAGE", position=1, severity="中", deadline=dt.date(2026, 12, 1)
        )
        add_item(
            session, first, item_id="WAGE-02", module="WAGE", position=2, severity="中", status=ItemStatus.VERIFIED
        )
        add_item(session, first, item_id="WAGE-03", module="WAGE", position=3, removed_reason="误判")
        second = add_audit(session, enterprise=calm, coordinator=coordinator, templates=[contract], campaign=campaign)
        add_item(session, second, position=0, severity="低", status=ItemStatus.SUBMITTED, deadline=dt.date(2026, 12, 5))
        third = add_audit(session, enterprise=elsewhere, coordinator=coordinator, templates=[contract], campaign=other)
        add_item(session, third, position=0)
        return campaign.id


def test_statistics_count_enterprises_findings_and_item_states_for_the_day(ws: Workspace) -> None:
    campaign_id = _seed(ws)
    with ws.db.session() as session:
        stats = campaign_statistics(session, today=TODAY, campaign_id=campaign_id)
    assert (stats.enterprises_checked, stats.audits, stats.findings) == (2, 2, 4)
    assert [(m.title, m.count) for m in stats.by_module] == [("劳动合同管理", 2), ("工资支付", 2)]
    assert [(level.title, level.count) for level in stats.by_severity] == [("高", 1), ("中", 2), ("低", 1)]
    assert (stats.items.verified, stats.items.overdue, stats.items.open, stats.items.submitted) == (1, 1, 1, 1)
    assert stats.items.verified_rate == 0.25
    assert [row.name for row in stats.high_risk] == ["高风险劳务公司"]
    assert (stats.high_risk[0].open_items, stats.high_risk[0].overdue_items) == (2, 1)
    # High risk is counted twice, each labelled: among the enterprises checked here, and in the whole registry.
    assert stats.figure("high_risk_checked").value == 1
    assert stats.figure("high_risk_registry").value == 2
    assert "体检企业中" in stats.figure("high_risk_checked").label
    assert "企业名录中" in stats.figure("high_risk_registry").label


def test_summary_pdf_reports_the_figures_in_tables_on_a4_with_embedded_fonts(ws: Workspace, tmp_path: Path) -> None:
    campaign_id = _seed(ws)
    with ws.db.session() as session:
        stats = campaign_statistics(session, today=TODAY, campaign_id=campaign_id)
    pdf = render_summary(
        stats, fonts=load_notice_fonts(), issuing_body="达州市达川区协调劳动关系三方办公室", issued_on=TODAY
    )
    assert pdf == render_summary(
        stats, fonts=load_notice_fonts(), issuing_body="达州市达川区协调劳动关系三方办公室", issued_on=TODAY
    )
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        text = "".join(re.sub(r"\s+", "", page.extract_text() or "") for page in document.pages)
        assert all(abs(float(page.width) - 595.28) < 1 for page in document.pages)
    for piece in ["共对2家企业", "发现问题4个", "表1", "表2", "表3", "表4", "表5", "高风险劳务公司", "2026年11月20日"]:
        assert piece in text, piece
    assert "别处高风险公司" not in text
    path = tmp_path / "summary.pdf"
    path.write_bytes(pdf)
    listing = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    assert all(row.split()[-5:-3] == ["yes", "yes"] for row in listing.splitlines()[2:])


def test_cli_summary_and_notice_commands(ws: Workspace, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    campaign_id = _seed(ws)
    data_dir = str(ws.paths.root)
    output = tmp_path / "summary.pdf"
    assert main(["summary", "--campaign", campaign_id, "-o", str(output), "--data-dir", data_dir]) == 0
    assert output.read_bytes().startswith(b"%PDF")
    assert main(["summary", "--campaign", "nope", "-o", str(output), "--data-dir", data_dir]) == 1
    assert "找不到专项行动" in capsys.readouterr().err


def test_cli_statistics_and_ledger_print_the_same_labelled_figures(  # type: ignore[no-untyped-def]
    ws: Workspace, tmp_path: Path, capsys
) -> None:
    campaign_id = _seed(ws)
    data_dir = str(ws.paths.root)
    assert main(["statistics", "--campaign", campaign_id, "--data-dir", data_dir]) == 0
    printed = capsys.readouterr().out
    with ws.db.session() as session:
        stats = campaign_statistics(session, today=dt.date.today(), campaign_id=campaign_id)
    for figure in stats.headline():
        assert f"{figure.label}：" in printed, figure.label
    assert "本专项行动体检企业中风险等级为高的企业：1家" in printed
    assert "企业名录中风险等级为高的企业（含尚未体检的）：2家" in printed
    assert "WAGE" not in printed
    assert "CONTRACT" not in printed
    assert main(["ledger", "--campaign", campaign_id, "-o", str(tmp_path / "l.csv"), "--data-dir", data_dir]) == 0
    ledger = capsys.readouterr().out
    assert "4 条整改事项，涉及 2 家企业" in ledger
    assert f"已复查销号 {stats.items.verified} 条" in ledger
