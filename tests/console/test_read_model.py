"""The console's read model against the truth: laptops' own grades and figures, the ledger's states, the plans
and reassigned follow-ups that reach laptops, a rebuild from zero, and a new day."""

from __future__ import annotations

import datetime as dt
import threading
from contextlib import closing
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from app.audit.risk import grade_enterprise
from app.models import ConflictLog, Enterprise, RectificationItem
from app.reports.statistics import campaign_statistics
from app.sync.assignments import moved_away, my_assignments
from app.sync.protocol import ChangeRow, ChangesPage
from app.sync.pull import apply_page, get_cursor
from core.clock import china_today
from core.risk import RiskFactor
from core.statistics import item_state
from server.console import projection
from server.console.figures import dashboard_figures
from server.console.ledger_view import SORT_KEYS, STATE_FILTERS, LedgerFilter, LedgerPage, ledger_page, ledger_stream
from server.console.models import EnterpriseRisk, LedgerEntry
from server.console.plans import create_plan, reassign_follow_up
from server.console.report_pdf import district_statistics
from server.console.sessions import Viewer
from server.models import Record
from tests.console.conftest import A, Seeded
from tests.sync._helpers import do_sync, finished_audit
from tests.sync.conftest import make_laptop


def office(seeded: Seeded) -> Viewer:
    return Viewer(
        user_id=seeded.users["office"],
        username="office",
        display_name="王主任",
        role="office",
        district_id=seeded.districts[A],
        district=A,
        city_id=None,
        city="",
        token_hash="",
        csrf_token="",
        language="zh",
    )


def tax_indicator(seeded: Seeded, enterprise_id: str) -> None:
    from server.feed import put_record

    with seeded.db.session() as session:
        put_record(
            session,
            entity="risk_indicator",
            entity_id=f"tax-{enterprise_id}"[:64],
            data={
                "id": f"tax-{enterprise_id}"[:64],
                "enterprise_id": enterprise_id,
                "kind": "wage_complaint",
                "value": "1起",
                "source": "12345热线",
                "observed_on": "2026-11-01",
            },
            writer="test",
            district_id=seeded.districts[A],
        )


def test_the_console_grades_and_counts_what_the_laptops_do(console_server: Seeded, tmp_path: Path) -> None:
    seeded = console_server
    ids = list(seeded.enterprises[A].values())
    li = make_laptop(tmp_path, "li", seeded.url)
    chen = make_laptop(tmp_path, "chen", seeded.url, device_code="B7")
    try:
        tax_indicator(seeded, ids[0])
        do_sync(li, "li")
        do_sync(chen, "chen")
        old = china_today() - dt.timedelta(days=60)
        finished_audit(li, ids[0], photos=0, visit_date=old)
        finished_audit(li, ids[1], photos=0, seed=1, visit_date=china_today())
        finished_audit(chen, ids[2], photos=0, seed=2, visit_date=old)
        do_sync(li, "li")
        do_sync(chen, "chen")
        do_sync(li, "li")

        today = china_today()
        projection.catch_up(seeded.db, today)
        with seeded.db.session() as session:
            graded = {row.enterprise_id: row for row in session.scalars(select(EnterpriseRisk))}
        for laptop, enterprise in ((li, ids[0]), (li, ids[1]), (chen, ids[2])):
            with laptop.db.session() as session:
                local = grade_enterprise(session, enterprise, today)
            assert graded[enterprise].grade == local.grade, enterprise
            assert [RiskFactor.from_json(factor).text for factor in graded[enterprise].factors] == local.reasons
        assert graded[ids[0]].grade == "高"

        with seeded.db.session() as session:
            figures = dashboard_figures(session, district_id=seeded.districts[A], today=today)
            stats = district_statistics(
                session, district_id=seeded.districts[A], district=A, today=today, scope_name="达川区"
            )
        with li.db.session() as session:
            mine = campaign_statistics(session, today=today)
        assert (figures.visited, figures.audits, figures.findings) == (3, 3, 3)
        assert (stats.enterprises_checked, stats.audits, stats.findings) == (3, 3, 3)
        assert figures.items == stats.items
        assert stats.items.overdue == 2
        assert stats.items.open + stats.items.submitted == 1
        assert [(c.title, c.count) for c in stats.by_module] == [
            (title, count) for _, title, count in figures.by_module
        ]
        assert mine.findings == 2, "the laptop counts its own two; the district all three"
        assert {c.title for c in mine.by_module} == {c.title for c in stats.by_module}
    finally:
        li.close()
        chen.close()


def test_every_state_filter_agrees_with_the_state_of_every_row(console_server: Seeded, tmp_path: Path) -> None:
    seeded = console_server
    ids = list(seeded.enterprises[A].values())
    li = make_laptop(tmp_path, "li", seeded.url)
    try:
        do_sync(li, "li")
        for index, days in enumerate((-30, -1, 0, 3, 40)):
            finished_audit(li, ids[index], photos=0, seed=index, visit_date=china_today() + dt.timedelta(days=days))
        do_sync(li, "li")
        with li.db.session() as session:
            deadlines = session.scalars(select(RectificationItem.deadline)).all()
        today = min(deadlines) + dt.timedelta(days=1)
        with seeded.db.session() as session:
            projection.catch_up_in(session, today)
            everything = ledger_page(
                session, district_id=seeded.districts[A], chosen=LedgerFilter(), today=today, own=None, size=100
            )
            assert everything.total == 5

            def streamed_as_paged(page: LedgerPage, chosen: LedgerFilter, **order: Any) -> None:
                """The export streams the rows the pages show, in their order (one query joins the records)."""
                exported = list(
                    ledger_stream(
                        session, district_id=seeded.districts[A], chosen=chosen, today=today, own=None, **order
                    )
                )
                assert exported == [row.row for row in page.rows], (chosen, order)

            streamed_as_paged(everything, LedgerFilter())
            with closing(
                ledger_stream(session, district_id=seeded.districts[A], chosen=LedgerFilter(), today=today, own=None)
            ) as stream:
                assert next(stream) == everything.rows[0].row
            assert not [thread for thread in threading.enumerate() if thread.name == "read-ahead"]
            assert session.scalar(select(func.count()).select_from(LedgerEntry)) == 5, "the session is free again"
            for state in STATE_FILTERS:
                chosen = ledger_page(
                    session,
                    district_id=seeded.districts[A],
                    chosen=LedgerFilter(state=state),
                    today=today,
                    own=None,
                    size=100,
                )
                expected = {
                    row.row.item_id
                    for row in everything.rows
                    if (
                        row.row.state == state
                        if state != "due_soon"
                        else row.row.state in ("open", "submitted") and row.row.deadline <= today + dt.timedelta(days=7)
                    )
                }
                assert {row.row.item_id for row in chosen.rows} == expected, state
                streamed_as_paged(chosen, LedgerFilter(state=state))
                for row in chosen.rows:
                    assert row.row.item_state == item_state("open", row.row.deadline, today)
            name = everything.rows[0].row.enterprise_name[2:6]
            wanted = {row.row.item_id for row in everything.rows if name in row.row.enterprise_name}
            mine = {row.row.item_id for row in everything.rows if row.owner_id == seeded.users["li"]}
            for sort in SORT_KEYS:
                for descending in (False, True):
                    by_name = ledger_page(
                        session,
                        district_id=seeded.districts[A],
                        chosen=LedgerFilter(name=name),
                        today=today,
                        own=None,
                        sort=sort,
                        descending=descending,
                    )
                    assert {row.row.item_id for row in by_name.rows} == wanted, (sort, descending)
                    streamed_as_paged(by_name, LedgerFilter(name=name), sort=sort, descending=descending)
                    by_owner = ledger_page(
                        session,
                        district_id=seeded.districts[A],
                        chosen=LedgerFilter(coordinator=seeded.users["li"]),
                        today=today,
                        own=None,
                        sort=sort,
                        descending=descending,
                    )
                    assert {row.row.item_id for row in by_owner.rows} == mine
                    streamed_as_paged(
                        by_owner, LedgerFilter(coordinator=seeded.users["li"]), sort=sort, descending=descending
                    )
                    if sort == "deadline":
                        deadlines = [row.row.deadline for row in by_owner.rows]
                        assert deadlines == sorted(deadlines, reverse=descending)
    finally:
        li.close()


def test_a_rebuild_from_zero_gives_the_same_model_and_a_new_day_regrades(
    console_server: Seeded, tmp_path: Path
) -> None:
    seeded = console_server
    ids = list(seeded.enterprises[A].values())
    li = make_laptop(tmp_path, "li", seeded.url)
    try:
        do_sync(li, "li")
        finished_audit(li, ids[0], photos=0, visit_date=china_today())
        do_sync(li, "li")
        today = china_today()
        projection.catch_up(seeded.db, today)

        def snapshot() -> Any:
            with seeded.db.session() as session:
                ledger = sorted(
                    (e.finding_id, e.item_id, e.status, e.deadline, e.live, e.enterprise_name)
                    for e in session.scalars(select(LedgerEntry))
                )
                risk = sorted((r.enterprise_id, r.grade, r.score) for r in session.scalars(select(EnterpriseRisk)))
            return ledger, risk

        before = snapshot()
        projection.rebuild(seeded.db, today)
        assert snapshot() == before
        with li.db.session() as session:
            deadline = session.scalars(select(RectificationItem.deadline)).one()
        with seeded.db.session() as session:
            assert session.get_one(EnterpriseRisk, ids[0]).grade != "高"
        later = deadline + dt.timedelta(days=1)
        projection.catch_up(seeded.db, later)
        with seeded.db.session() as session:
            row = session.get_one(EnterpriseRisk, ids[0])
            assert row.overdue_items == 1
            assert row.graded_on == later
        with li.db.session() as session:
            assert grade_enterprise(session, ids[0], later).grade == row.grade
    finally:
        li.close()


def test_plans_and_reassigned_follow_ups_reach_the_laptops(console_server: Seeded, tmp_path: Path) -> None:
    seeded = console_server
    ids = list(seeded.enterprises[A].values())
    li = make_laptop(tmp_path, "li", seeded.url)
    chen = make_laptop(tmp_path, "chen", seeded.url, device_code="B7")
    try:
        do_sync(li, "li")
        do_sync(chen, "chen")
        finished_audit(li, ids[0], photos=0, visit_date=china_today() - dt.timedelta(days=90))
        do_sync(li, "li")
        tax_indicator(seeded, ids[1])
        today = china_today()
        with seeded.db.session() as session:
            projection.catch_up_in(session, today)
            create_plan(
                session,
                office(seeded),
                district_id=seeded.districts[A],
                name="第一批",
                campaign_id=None,
                assignee_id=seeded.users["chen"],
                target_date=today + dt.timedelta(days=14),
                enterprise_ids=[ids[2], ids[1]],
                today=today,
            )
        with seeded.db.session() as session:
            projection.catch_up_in(session, today)
            item = session.scalars(select(LedgerEntry.item_id).where(LedgerEntry.item_id.is_not(None))).one()
            moved = reassign_follow_up(
                session,
                office(seeded),
                district_id=seeded.districts[A],
                item_ids=[item],
                assignee_id=seeded.users["chen"],
                target_date=today + dt.timedelta(days=7),
                today=today,
            )
        assert moved == 1
        do_sync(chen, "chen")
        do_sync(li, "li")
        with chen.db.session() as session:
            mine = my_assignments(session, get_cursor(session, "username"))
            assert [(row.kind, row.enterprise_id) for row in mine] == [
                ("visit", ids[1]),
                ("follow_up", ids[0]),
                ("visit", ids[2]),
            ], "riskiest first: the complaint (high), the overdue follow-up (medium), then low"
            assert mine[1].item_ids == [item]
        with li.db.session() as session:
            assert my_assignments(session, get_cursor(session, "username")) == []
            away = moved_away(session, "li")
            assert [(row.enterprise_id, row.assignee) for row in away] == [(ids[0], "chen")]
    finally:
        li.close()
        chen.close()


def test_a_malformed_assignment_is_refused_at_the_edge(tmp_path: Path) -> None:
    from app.services.workspace import open_workspace

    ws = open_workspace(tmp_path / "laptop")
    try:
        good = {
            "id": "a1",
            "enterprise_id": "e1",
            "assignee_id": 3,
            "assignee": "li",
            "target_date": "2026-12-20",
            "assigned_on": "2026-12-01",
            "risk_grade": "高",
            "risk_score": 20000,
        }
        rows = [
            ChangeRow(seq=1, entity="visit_assignment", entity_id="a1", op="upsert", data=good),
            ChangeRow(
                seq=2,
                entity="visit_assignment",
                entity_id="a2",
                op="upsert",
                data={**good, "id": "a2", "risk_grade": "<script>", "target_date": "tomorrow"},
            ),
        ]
        with ws.db.session() as session:
            apply_page(session, ChangesPage(rows=rows, next_since=2, has_more=False))
        with ws.db.session() as session:
            assert [row.id for row in my_assignments(session, "li")] == ["a1"]
            refused = session.scalars(select(ConflictLog).where(ConflictLog.entity == "visit_assignment")).one()
            assert refused.entity_id == "a2"
            assert "格式不正确" in refused.resolution
            assert session.scalars(select(Enterprise)).all() == []
    finally:
        ws.close()


def test_a_published_holiday_calendar_reaches_the_laptops_and_counts_their_deadlines(
    console_server: Seeded, tmp_path: Path
) -> None:
    """2030 is beyond the holiday libraries: deadlines in it are estimates until the office publishes its schedule,
    then a weekday off and a make-up Saturday count as published, and the deadline is no longer an estimate."""
    from app.audit.rectification import deadline_for, default_calendar
    from server import admin

    seeded = console_server
    li = make_laptop(tmp_path, "li", seeded.url)
    try:
        do_sync(li, "li")
        with li.db.session() as session:
            before = deadline_for(dt.date(2030, 1, 1), 3, True, default_calendar(session))
        assert (before.due, before.estimated) == (dt.date(2030, 1, 4), True)
        with seeded.db.session() as session:
            admin.publish_calendar(session, 2030, [dt.date(2030, 1, 1), dt.date(2030, 1, 2)], [dt.date(2030, 1, 5)])
        do_sync(li, "li")
        with li.db.session() as session:
            calendar = default_calendar(session)
            after = deadline_for(dt.date(2030, 1, 1), 3, True, calendar)
        assert not calendar.is_workday(dt.date(2030, 1, 2))
        assert calendar.is_workday(dt.date(2030, 1, 5))
        assert (after.due, after.estimated) == (dt.date(2030, 1, 5), False)
        with seeded.db.session() as session:
            admin.publish_calendar(session, 2030, [dt.date(2030, 1, 1)], [])
        do_sync(li, "li")
        with li.db.session() as session:
            again = deadline_for(dt.date(2030, 1, 1), 3, True, default_calendar(session))
        assert (again.due, again.estimated) == (dt.date(2030, 1, 4), False), "a new publication replaces the year's"
    finally:
        li.close()


def test_a_malformed_holiday_calendar_is_refused_at_the_edge(tmp_path: Path) -> None:
    from app.audit.rectification import default_calendar
    from app.services.workspace import open_workspace

    ws = open_workspace(tmp_path / "laptop")
    try:
        bad = {
            "id": "p-2030",
            "kind": "holiday_calendar",
            "key": "2030",
            "content": {"year": 2030, "holidays": ["2030-01-02"], "workdays": ["2030-01-03"]},
            "content_hash": "0" * 64,
        }
        rows = [ChangeRow(seq=1, entity="publication", entity_id=bad["id"], op="upsert", data=bad)]
        with ws.db.session() as session:
            apply_page(session, ChangesPage(rows=rows, next_since=1, has_more=False))
        with ws.db.session() as session:
            assert default_calendar(session).is_workday(dt.date(2030, 1, 2)), "a weekday make-up day is refused"
            refused = session.scalars(select(ConflictLog).where(ConflictLog.entity == "publication")).one()
            assert "节假日安排内容有误" in refused.resolution
            assert "调休上班日应是周六或周日" in refused.resolution
    finally:
        ws.close()


def test_audit_records_name_their_parent_in_an_indexed_column(console_server: Seeded, tmp_path: Path) -> None:
    """The pull-back reads an audit's children by ``record.parent_id`` (indexed), not by scanning JSON."""
    from sqlalchemy import inspect

    seeded = console_server
    li = make_laptop(tmp_path, "li", seeded.url)
    try:
        do_sync(li, "li")
        audit_id = finished_audit(li, next(iter(seeded.enterprises[A].values())), photos=1)
        do_sync(li, "li")
    finally:
        li.close()
    with seeded.db.engine.connect() as connection:
        indexes = {index["name"]: index["column_names"] for index in inspect(connection).get_indexes("record")}
    assert indexes["ix_record_parent"] == ["parent_id", "entity"]
    with seeded.db.session() as session:
        children = session.execute(
            select(Record.entity, Record.parent_id).where(
                Record.entity.in_(("answer", "finding", "rectification_item", "attachment"))
            )
        ).all()
    assert {entity for entity, _ in children} == {"answer", "finding", "rectification_item", "attachment"}
    assert {parent for _, parent in children} == {audit_id}


def test_a_risk_signal_is_named_by_its_title_on_both_sides(console_server: Seeded, tmp_path: Path) -> None:
    from app.audit.visits import answer_item, finish_audit, item_states, start_audit
    from app.models import AnswerStatus, Coordinator

    seeded = console_server
    enterprise = next(iter(seeded.enterprises[A].values()))
    li = make_laptop(tmp_path, "li", seeded.url)
    try:
        do_sync(li, "li")
        with li.db.session() as session:
            coordinator = session.scalars(select(Coordinator)).one()
            audit = start_audit(
                session,
                enterprise_id=enterprise,
                coordinator_id=coordinator.id,
                visit_date=china_today(),
                modules=["WAGE"],
            )
            answer_item(session, audit.id, "WAGE-09", AnswerStatus.NON_COMPLIANT, note="欠缴社保三个月")
            for state in item_states(session, audit.id):
                if state.needs_answer and state.answer is None:
                    answer_item(session, audit.id, state.item.id, AnswerStatus.COMPLIANT)
            finish_audit(session, audit.id, responsible_person="赵强")
        do_sync(li, "li")
        today = china_today()
        projection.catch_up(seeded.db, today)
        with li.db.session() as session:
            local = grade_enterprise(session, enterprise, today)
        with seeded.db.session() as session:
            row = session.get_one(EnterpriseRisk, enterprise)
        assert [RiskFactor.from_json(factor).text for factor in row.factors] == local.reasons
        assert any("欠薪风险预警" in reason for reason in local.reasons)
    finally:
        li.close()
