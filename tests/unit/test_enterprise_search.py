"""Enterprise search: 2-character fragments, 3+-character fragments, codes, pinyin initials, filters, safety."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

import app.models  # noqa: F401 - registers every table before the database opens
from app.audit import enterprise_search
from app.audit.enterprise_search import (
    EnterpriseFilters,
    count_enterprises,
    rebuild_search_index,
    search_enterprises,
    search_index_is_consistent,
)
from app.audit.enterprises import EnterpriseInput, create_enterprise, update_enterprise
from app.audit.uscc import make_uscc
from app.db import Database, open_database
from app.models import Audit, Coordinator, Enterprise, Finding, ItemStatus, RectificationItem

TODAY = dt.date(2026, 6, 15)

COMPANIES = {
    "重庆恒达机械有限公司": make_uscc("91500103MA5U7K3H2"),
    "达川区恒达食品有限公司": make_uscc("91511703MA6BQ1T0X"),
    "恒达建设集团有限公司": make_uscc("91511702MA62N8RL1"),
    "长沙银行股份有限公司": make_uscc("91430100183807525"),
    "成都宏图物流有限公司": make_uscc("91510100MA6CGUX22"),
    "达州市百分之100%_纺织有限公司": make_uscc("91511700MA6CB3Q3Q"),
}


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = open_database(tmp_path / "laborcheck.db")
    with database.session() as session:
        for name, code in COMPANIES.items():
            create_enterprise(session, EnterpriseInput(uscc=code, name=name, industry="制造业"))
    yield database
    database.close()


@pytest.fixture
def session(db: Database) -> Iterator[Session]:
    with db.session() as unit:
        yield unit


def names(session: Session, query: str, **kwargs: object) -> list[str]:
    return [enterprise.name for enterprise in search_enterprises(session, query, **kwargs)]  # type: ignore[arg-type]


def enterprise_named(session: Session, name: str) -> Enterprise:
    return session.query(Enterprise).filter_by(name=name).one()


def test_trigram_index_silently_returns_nothing_for_a_two_character_fragment(session: Session) -> None:
    """Pins the SQLite behaviour the 1–2 character path exists for (ARCHITECTURE.md)."""
    match = session.execute(text("""SELECT count(*) FROM enterprise_fts WHERE enterprise_fts MATCH '"恒达"'"""))
    like = session.execute(text("SELECT count(*) FROM enterprise_fts WHERE name LIKE '%恒达%'"))
    assert match.scalar_one() == 0
    assert like.scalar_one() == 0
    three = session.execute(text("""SELECT count(*) FROM enterprise_fts WHERE enterprise_fts MATCH '"恒达机"'"""))
    assert three.scalar_one() == 1


def test_a_two_character_fragment_finds_every_name_containing_it_name_prefix_first(session: Session) -> None:
    assert names(session, "恒达") == ["恒达建设集团有限公司", "达川区恒达食品有限公司", "重庆恒达机械有限公司"]


def test_a_one_character_fragment_is_answered(session: Session) -> None:
    assert set(names(session, "图")) == {"成都宏图物流有限公司"}


def test_a_fragment_of_three_or_more_characters_uses_the_index_and_finds_the_middle_of_a_name(
    session: Session,
) -> None:
    assert names(session, "达机械有") == ["重庆恒达机械有限公司"]
    assert names(session, "恒达食品") == ["达川区恒达食品有限公司"]


def test_several_terms_must_all_match(session: Session) -> None:
    assert names(session, "恒达 食品") == ["达川区恒达食品有限公司"]
    assert names(session, "恒达\u3000有限公司 机械") == ["重庆恒达机械有限公司"]
    assert names(session, "恒达 物流") == []


def test_a_code_prefix_finds_codes_starting_with_it_in_code_order(session: Session) -> None:
    found = search_enterprises(session, "915117")
    assert [enterprise.uscc[:6] for enterprise in found] == ["915117"] * 3
    assert [enterprise.uscc for enterprise in found] == sorted(enterprise.uscc for enterprise in found)


def test_a_short_code_prefix_typed_in_lowercase_or_full_width_is_found(session: Session) -> None:
    code = COMPANIES["成都宏图物流有限公司"]
    assert names(session, "９１５１０１") == ["成都宏图物流有限公司"]
    assert names(session, code[:10].lower()) == ["成都宏图物流有限公司"]


def test_the_exact_code_comes_first(session: Session) -> None:
    code = COMPANIES["达川区恒达食品有限公司"]
    assert names(session, code)[0] == "达川区恒达食品有限公司"
    assert names(session, f" {code.lower()} ")[0] == "达川区恒达食品有限公司"


def test_the_nine_character_organisation_code_finds_the_enterprise(session: Session) -> None:
    code = COMPANIES["长沙银行股份有限公司"]
    assert names(session, code[8:17]) == ["长沙银行股份有限公司"]


def test_pinyin_initials_find_the_name(session: Session) -> None:
    assert names(session, "hdjx") == ["重庆恒达机械有限公司"]
    assert names(session, "HDSP") == ["达川区恒达食品有限公司"]
    assert "成都宏图物流有限公司" in names(session, "ht")


@pytest.mark.parametrize("initials", ["cqhdjx", "zqhdjx", "csyh", "zsyx", "yhgf", "yxgf"])
def test_either_spelling_of_a_heteronym_finds_the_name(session: Session, initials: str) -> None:
    expected = "重庆恒达机械有限公司" if initials.endswith("jx") else "长沙银行股份有限公司"
    assert names(session, initials) == [expected]


@pytest.mark.parametrize(
    "query",
    [
        '"',
        '""',
        "*",
        "恒达*",
        "AND",
        "OR",
        "NOT 恒达",
        "(",
        ")",
        "恒达(",
        "NEAR(恒达 机械)",
        '恒达" OR "x',
        "'",
        "\\",
        "^",
        ":",
        "name:恒达",
        "{name}",
        "-",
        "%",
        "_",
        "%%%",
        "__",
        "\x00",
    ],
)
def test_input_that_looks_like_query_syntax_never_raises(session: Session, query: str) -> None:
    search_enterprises(session, query)
    count_enterprises(session, query)


def test_like_wildcards_in_a_query_are_literal(session: Session) -> None:
    assert names(session, "%") == ["达州市百分之100%_纺织有限公司"]
    assert names(session, "_") == ["达州市百分之100%_纺织有限公司"]
    assert names(session, "0%_纺") == ["达州市百分之100%_纺织有限公司"]
    assert names(session, "%恒") == []


def test_fts_keywords_inside_a_query_are_plain_text(session: Session) -> None:
    assert names(session, "恒达 AND 物流") == []
    assert names(session, "OR 恒达") == []


def test_an_empty_query_lists_every_enterprise_by_name_up_to_the_limit(session: Session) -> None:
    everything = names(session, "  ")
    assert everything == sorted(COMPANIES)
    assert names(session, "", limit=2) == sorted(COMPANIES)[:2]


def test_results_are_limited_and_stable(session: Session) -> None:
    first = names(session, "有限公司", limit=3)
    assert len(first) == 3
    assert names(session, "有限公司", limit=3) == first
    assert names(session, "有限公司", limit=10)[:3] == first


def test_count_enterprises_counts_every_match_without_limit(session: Session) -> None:
    assert count_enterprises(session, "恒达") == 3
    assert count_enterprises(session, "有限公司") == len(COMPANIES)
    assert count_enterprises(session, "hdjx") == 1
    assert count_enterprises(session) == len(COMPANIES)


def test_the_index_follows_a_rename(db: Database) -> None:
    with db.session() as session:
        enterprise = enterprise_named(session, "成都宏图物流有限公司")
        update_enterprise(session, enterprise.id, name="成都远航快递有限公司")
    with db.session() as session:
        assert names(session, "宏图物流") == []
        assert names(session, "htwl") == []
        assert names(session, "远航快递") == ["成都远航快递有限公司"]
        assert names(session, "yhkd") == ["成都远航快递有限公司"]
        assert search_index_is_consistent(session)


def test_the_index_follows_a_code_correction(db: Database) -> None:
    new_code = make_uscc("91510100MA6CGUX3X")
    with db.session() as session:
        enterprise = enterprise_named(session, "成都宏图物流有限公司")
        update_enterprise(session, enterprise.id, uscc=new_code)
    with db.session() as session:
        assert names(session, new_code) == ["成都宏图物流有限公司"]
        assert names(session, COMPANIES["成都宏图物流有限公司"]) == []
        assert search_index_is_consistent(session)


def test_the_index_forgets_a_deleted_enterprise(db: Database) -> None:
    with db.session() as session:
        session.delete(enterprise_named(session, "重庆恒达机械有限公司"))
    with db.session() as session:
        assert names(session, "恒达机械") == []
        assert names(session, "hdjx") == []
        assert search_index_is_consistent(session)
        count = session.execute(text("""SELECT count(*) FROM enterprise_fts WHERE enterprise_fts MATCH '"有限公"'"""))
        assert count.scalar_one() == len(COMPANIES) - 1


def test_a_drifted_index_is_detected_and_rebuilt(db: Database) -> None:
    with db.session() as session:
        session.execute(text("DROP TRIGGER enterprise_fts_after_update"))
        session.execute(text("UPDATE enterprise SET name = '绵阳新城建材有限公司' WHERE name = '成都宏图物流有限公司'"))
        assert not search_index_is_consistent(session)
    with db.session() as session:
        rebuild_search_index(session)
    with db.session() as session:
        assert search_index_is_consistent(session)
        assert names(session, "新城建材") == ["绵阳新城建材有限公司"]


# --- filters -------------------------------------------------------------------------------------------------


def add_item(session: Session, enterprise: Enterprise, *, status: ItemStatus, deadline: dt.date) -> None:
    coordinator = session.query(Coordinator).one_or_none()
    if coordinator is None:
        coordinator = Coordinator(name="李协调", device_code="A3")
        session.add(coordinator)
        session.flush()
    audit = Audit(enterprise_id=enterprise.id, coordinator_id=coordinator.id, visit_date=TODAY - dt.timedelta(30))
    session.add(audit)
    session.flush()
    finding = Finding(audit_id=audit.id, module="contract", item_id="C01", severity="中", description="未签合同")
    session.add(finding)
    session.flush()
    session.add(
        RectificationItem(
            finding_id=finding.id,
            audit_id=audit.id,
            enterprise_id=enterprise.id,
            requirement="补签书面劳动合同",
            deadline=deadline,
            deadline_days=15,
            deadline_working_days=False,
            status=status,
        )
    )
    session.flush()


@pytest.fixture
def graded(db: Database) -> Iterator[Session]:
    """恒达机械: overdue open item; 恒达食品: submitted item not yet due; 恒达建设: only a verified item."""
    with db.session() as session:
        machinery = enterprise_named(session, "重庆恒达机械有限公司")
        food = enterprise_named(session, "达川区恒达食品有限公司")
        building = enterprise_named(session, "恒达建设集团有限公司")
        machinery.risk_grade = "高"
        food.risk_grade = "中"
        building.risk_grade = "高"
        building.industry = "建筑业"
        add_item(session, machinery, status=ItemStatus.OPEN, deadline=TODAY - dt.timedelta(days=1))
        add_item(session, food, status=ItemStatus.SUBMITTED, deadline=TODAY)
        add_item(session, building, status=ItemStatus.VERIFIED, deadline=TODAY - dt.timedelta(days=20))
    with db.session() as session:
        yield session


def test_filter_by_risk_grade(graded: Session) -> None:
    assert names(graded, "恒达", filters=EnterpriseFilters(risk_grade="高")) == [
        "恒达建设集团有限公司",
        "重庆恒达机械有限公司",
    ]
    assert len(names(graded, "", filters=EnterpriseFilters(risk_grade=("高", "中")))) == 3
    assert names(graded, "", filters=EnterpriseFilters(risk_grade=())) == []


def test_filter_by_industry(graded: Session) -> None:
    assert names(graded, "恒达", filters=EnterpriseFilters(industry="建筑业")) == ["恒达建设集团有限公司"]


def test_filter_by_open_rectification_items_counts_open_and_submitted_but_not_verified(graded: Session) -> None:
    with_open = EnterpriseFilters(has_open_items=True)
    assert set(names(graded, "", filters=with_open)) == {"重庆恒达机械有限公司", "达川区恒达食品有限公司"}
    without_open = EnterpriseFilters(has_open_items=False)
    assert "恒达建设集团有限公司" in names(graded, "", filters=without_open)
    assert "重庆恒达机械有限公司" not in names(graded, "", filters=without_open)


def test_filter_overdue_keeps_unfinished_items_past_their_deadline(graded: Session) -> None:
    overdue = EnterpriseFilters(overdue_as_of=TODAY)
    assert names(graded, "", filters=overdue) == ["重庆恒达机械有限公司"]
    assert names(graded, "", filters=EnterpriseFilters(overdue_as_of=TODAY + dt.timedelta(days=1))) == [
        "达川区恒达食品有限公司",
        "重庆恒达机械有限公司",
    ]
    assert count_enterprises(graded, "hdjx", filters=overdue) == 1
    assert count_enterprises(graded, "恒达食品", filters=overdue) == 0


def test_filters_combine_with_a_query(graded: Session) -> None:
    filters = EnterpriseFilters(risk_grade="高", has_open_items=True, industry="制造业")
    assert names(graded, "恒达", filters=filters) == ["重庆恒达机械有限公司"]
    assert names(graded, "建设", filters=filters) == []


# --- dense fragments -----------------------------------------------------------------------------------------

EQUIVALENCE_QUERIES = [
    "恒达机械",
    "有限公司",
    "银行股份",
    "0%_纺",
    "hdjx",
    "zqhd",
    "hd",
    "yx",
    "gs",
    "HT",
    "csyh",
    "91510100",
    COMPANIES["长沙银行股份有限公司"][8:17],
    "恒达 有限公司",
    "hd 有限公司",
]


@pytest.mark.parametrize("query", EQUIVALENCE_QUERIES)
def test_a_dense_fragment_finds_the_same_enterprises_by_scan_as_by_the_index(
    session: Session, query: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    by_index = set(names(session, query, limit=100))
    assert by_index
    monkeypatch.setattr(enterprise_search, "DENSE_MATCHES", 1)
    assert set(names(session, query, limit=100)) == by_index


def test_a_dense_fragment_returns_a_stable_page_sorted_by_name(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(enterprise_search, "DENSE_MATCHES", 2)
    page = names(session, "有限公司", limit=4)
    assert len(page) == 4
    assert page == sorted(page)
    assert names(session, "有限公司", limit=4) == page


def test_a_term_shaped_like_the_start_of_a_code_matches_codes_only(session: Session) -> None:
    code = COMPANIES["重庆恒达机械有限公司"]
    assert names(session, code[:12]) == ["重庆恒达机械有限公司"]
    assert names(session, code[:12] + "Z") == []
