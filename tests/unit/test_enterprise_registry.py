"""The enterprise registry services: create, update, look up, and the pinyin initials kept for search."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import app.models  # noqa: F401 - registers every table before the database opens
from app.audit.enterprises import (
    MAX_INITIAL_VARIANTS,
    DuplicateEnterprise,
    EnterpriseInput,
    EnterpriseNotFound,
    InvalidEnterprise,
    create_enterprise,
    find_enterprise_by_uscc,
    get_enterprise,
    name_initials,
    update_enterprise,
)
from app.audit.uscc import make_uscc
from app.db import Database, open_database
from app.models import Enterprise
from core.errors import LaborCheckError

HENGDA = make_uscc("91511702MA6BQ1T0X")
HONGTU = make_uscc("91500103MA5U7K3H2")


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = open_database(tmp_path / "laborcheck.db")
    yield database
    database.close()


def hengda(**changes: object) -> EnterpriseInput:
    fields: dict[str, object] = {
        "uscc": HENGDA,
        "name": "重庆恒达机械有限公司",
        "industry": "制造业",
        "address": "达川区西外镇工业园1号",
        "district": "达川区",
        "contact_name": "王敏",
        "contact_phone": "0818-2345678",
        "headcount_last_year_end": 120,
        "headcount": 135,
        "is_key": True,
    }
    fields.update(changes)
    return EnterpriseInput(**fields)  # type: ignore[arg-type]


def test_create_enterprise_stores_the_normalised_record_with_its_initials(db: Database) -> None:
    with db.session() as session:
        created = create_enterprise(session, hengda(uscc=f" {HENGDA.lower()} ", name=" 重庆恒达机械有限公司\u3000"))
        enterprise_id = created.id
    with db.session() as session:
        stored = get_enterprise(session, enterprise_id)
        assert stored.uscc == HENGDA
        assert stored.name == "重庆恒达机械有限公司"
        assert stored.name_initials.split() == ["cqhdjxyxgs", "zqhdjxyxgs"]
        assert (stored.headcount_last_year_end, stored.headcount, stored.is_key) == (120, 135, True)


def test_a_second_enterprise_with_the_same_code_is_refused_naming_the_registered_one(db: Database) -> None:
    with db.session() as session:
        create_enterprise(session, hengda())
    with db.session() as session, pytest.raises(DuplicateEnterprise) as caught:
        create_enterprise(session, hengda(name="恒达机械"))
    assert str(caught.value) == f"统一社会信用代码{HENGDA}已登记为“重庆恒达机械有限公司”，不能重复登记"
    with db.session() as session:
        assert session.query(Enterprise).count() == 1


def test_invalid_input_lists_every_problem_in_chinese(db: Database) -> None:
    with db.session() as session, pytest.raises(InvalidEnterprise) as caught:
        create_enterprise(session, hengda(uscc=HENGDA[:-1] + "0", name=" ", headcount=-3, address="路" * 301))
    error = caught.value
    assert isinstance(error, LaborCheckError)
    assert error.messages == [
        f"统一社会信用代码校验位应为{HENGDA[-1]}，实际为0",
        "地址过长（301字，最多300字）",
        "单位名称未填写",
        "目前职工数量不能为负数（-3）",
    ]
    assert str(error) == "；".join(error.messages)


def test_a_headcount_that_is_not_an_integer_is_refused(db: Database) -> None:
    with db.session() as session, pytest.raises(InvalidEnterprise, match="上年底职工数量应为整数"):
        create_enterprise(session, hengda(headcount_last_year_end="120人"))


def test_update_enterprise_recomputes_the_initials_when_the_name_changes(db: Database) -> None:
    with db.session() as session:
        enterprise_id = create_enterprise(session, hengda()).id
    with db.session() as session:
        updated = update_enterprise(session, enterprise_id, name="长沙宏图物流有限公司", headcount=90)
        assert updated.name_initials.split()[:2] == ["cshtwlyxgs", "zshtwlyxgs"]
    with db.session() as session:
        stored = get_enterprise(session, enterprise_id)
        assert (stored.name, stored.headcount, stored.industry) == ("长沙宏图物流有限公司", 90, "制造业")
        assert stored.name_initials.startswith("cshtwlyxgs")


def test_update_enterprise_checks_the_whole_record_again(db: Database) -> None:
    with db.session() as session:
        enterprise_id = create_enterprise(session, hengda()).id
    with db.session() as session, pytest.raises(InvalidEnterprise, match="单位名称未填写"):
        update_enterprise(session, enterprise_id, name="")


def test_changing_the_code_to_one_another_enterprise_holds_is_a_duplicate(db: Database) -> None:
    with db.session() as session:
        first_id = create_enterprise(session, hengda()).id
        create_enterprise(session, hengda(uscc=HONGTU, name="成都宏图物流有限公司"))
    with db.session() as session, pytest.raises(DuplicateEnterprise, match="成都宏图物流有限公司"):
        update_enterprise(session, first_id, uscc=HONGTU.lower())


def test_update_enterprise_rejects_an_unknown_field_name_as_a_programming_error(db: Database) -> None:
    with db.session() as session:
        enterprise_id = create_enterprise(session, hengda()).id
        with pytest.raises(TypeError, match="risk"):
            update_enterprise(session, enterprise_id, risk="high")


def test_get_enterprise_of_an_unknown_id_is_a_user_facing_not_found(db: Database) -> None:
    with db.session() as session, pytest.raises(EnterpriseNotFound, match="未找到该企业"):
        get_enterprise(session, "0190aaaa-0000-7000-8000-000000000000")


def test_find_enterprise_by_uscc_normalises_the_code(db: Database) -> None:
    with db.session() as session:
        create_enterprise(session, hengda())
        found = find_enterprise_by_uscc(session, HENGDA.lower())
        assert found is not None
        assert found.name == "重庆恒达机械有限公司"
        assert find_enterprise_by_uscc(session, HONGTU) is None


@pytest.mark.parametrize(
    ("name", "spellings"),
    [
        ("重庆恒达机械有限公司", {"cqhdjxyxgs", "zqhdjxyxgs"}),  # 重 chong in 重庆, zhong alone
        ("长沙宏图物流有限公司", {"cshtwlyxgs", "zshtwlyxgs"}),  # 长 chang / zhang
        ("达州银行股份有限公司", {"dzyhgfyxgs", "dzyxgfyxgs"}),  # 行 hang in 银行, xing alone
        ("恒达机械", {"hdjx"}),  # no heteronym: one spelling
    ],
)
def test_name_initials_hold_every_spelling_of_a_heteronym(name: str, spellings: set[str]) -> None:
    initials = name_initials(name)
    assert set(initials.split()) == spellings
    assert initials == initials.lower()


def test_name_initials_put_the_reading_in_context_first() -> None:
    assert name_initials("重庆恒达机械有限公司").split()[0] == "cqhdjxyxgs"
    assert name_initials("达州银行").split()[0] == "dzyh"


def test_name_initials_keep_latin_letters_and_digits_and_drop_punctuation() -> None:
    assert name_initials("恒达（重庆）ABC科技58号").split()[0] == "hdcqabckj58h"


def test_name_initials_of_a_name_with_many_heteronyms_are_capped_in_number() -> None:
    variants = name_initials("重庆长江银行长城重工").split()  # 重, 长, 行, 长 read two ways: 16 spellings
    assert len(variants) == MAX_INITIAL_VARIANTS
    assert len(set(variants)) == len(variants)
    assert variants[0] == "cqcjyhcczg"


def test_name_initials_of_a_very_long_name_are_capped_in_length() -> None:
    initials = name_initials("重庆长江银行" * 8)
    assert len(initials) <= 200
    assert initials.split()[0] == "cqcjyh" * 8
