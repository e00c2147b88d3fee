"""统一社会信用代码: every kind of fault gets its own exact Chinese message; good codes pass normalised."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum.cn import uscc as stdnum_uscc

from app.audit.uscc import (
    ALPHABET,
    REGISTRATION_AUTHORITIES,
    InvalidUSCC,
    USCCProblem,
    is_valid_uscc,
    make_uscc,
    normalise_uscc,
    validate_uscc,
)
from core.errors import LaborCheckError

PUBLISHED_CODE = "91110000600037341L"
"""A code printed in python-stdnum's documentation (a Beijing enterprise); independent of our make_uscc."""


def problem_of(raw: str) -> InvalidUSCC:
    with pytest.raises(InvalidUSCC) as caught:
        validate_uscc(raw)
    return caught.value


def test_a_published_code_is_valid_and_returned_unchanged() -> None:
    assert validate_uscc(PUBLISHED_CODE) == PUBLISHED_CODE


@pytest.mark.parametrize(
    "body",
    [
        "91500103MA5U7K3H2",  # 重庆渝中区 enterprise, new-style organisation code
        "92511702MA6BQ1T0X",  # 达川区 个体工商户
        "93510722MA62N8RL1",  # 农民专业合作社
        "12100000400010398",  # 事业单位
        "51500000MJP5716XD",  # 社会团体
        "52511702MJQ02G4R8",  # 民办非企业单位
        "81500105MC1948052",  # 基层工会
        "N2511702MF1234567",  # 村级集体经济组织 (letters in the 1st position)
        "Y1110000MA00ABCD1",  # 其他
    ],
)
def test_codes_built_with_make_uscc_for_each_kind_of_registrant_are_valid(body: str) -> None:
    code = make_uscc(body)
    assert len(code) == 18
    assert code.startswith(body)
    assert validate_uscc(code) == code


def test_make_uscc_agrees_with_the_published_check_character() -> None:
    assert make_uscc(PUBLISHED_CODE[:17]) == PUBLISHED_CODE


def test_lowercase_spaces_and_full_width_characters_are_normalised_before_checking() -> None:
    typed = "\u3000９１１１００００ 6000-37341ｌ \u200b"
    assert validate_uscc(typed) == PUBLISHED_CODE
    assert validate_uscc(PUBLISHED_CODE.lower()) == PUBLISHED_CODE


def test_wrong_length_gives_the_actual_number_of_characters() -> None:
    error = problem_of("9111000060003734")
    assert error.problem is USCCProblem.LENGTH
    assert str(error) == "统一社会信用代码应为18位，实际为16位（9111000060003734）"


def test_a_code_one_character_too_long_is_a_length_problem() -> None:
    assert str(problem_of(PUBLISHED_CODE + "1")).startswith("统一社会信用代码应为18位，实际为19位")


def test_an_empty_code_says_it_is_missing() -> None:
    error = problem_of(" \u3000 ")
    assert error.problem is USCCProblem.EMPTY
    assert str(error) == "统一社会信用代码未填写"


def test_a_letter_the_standard_does_not_use_is_reported_with_its_position() -> None:
    error = problem_of("91110000600O37341L")
    assert error.problem is USCCProblem.CHARACTER
    message = str(error)
    assert "第12位“O”（是否应为数字0？）" in message
    assert "不使用字母I、O、S、V、Z" in message


def test_every_invalid_character_is_listed_not_only_the_first() -> None:
    message = str(problem_of("9111000060003V34中L"))
    assert "第14位“V”" in message
    assert "第17位“中”" in message


def test_lowercase_disallowed_letters_are_reported_after_uppercasing() -> None:
    message = str(problem_of("91110000i00037341L"))
    assert "第9位“I”（是否应为数字1？）" in message


def test_an_unknown_registration_authority_code_is_named() -> None:
    error = problem_of(make_uscc("B1110000600037341"))
    assert error.problem is USCCProblem.AUTHORITY
    assert str(error).startswith("统一社会信用代码第1位（登记管理部门代码）“B”不存在，应为1、2、3")


def test_an_organisation_type_not_used_by_the_authority_is_named_with_the_allowed_ones() -> None:
    error = problem_of(make_uscc("94110000600037341"))
    assert error.problem is USCCProblem.ORGANISATION_TYPE
    assert str(error) == (
        "统一社会信用代码第2位（机构类别代码）“4”不适用于登记管理部门“工商”（第1位为9），"
        "应为1（企业）、2（个体工商户）、3（农民专业合作社）之一"
    )


def test_a_division_code_with_letters_is_reported() -> None:
    error = problem_of(make_uscc("9111A000600037341"))
    assert error.problem is USCCProblem.DIVISION
    assert str(error) == "统一社会信用代码第3至8位（登记管理机关行政区划码）应为6位数字，实际为“11A000”"


def test_a_wrong_check_character_states_the_expected_and_the_actual_one() -> None:
    error = problem_of("91110000600037341A")
    assert error.problem is USCCProblem.CHECK_CHARACTER
    assert str(error) == "统一社会信用代码校验位应为L，实际为A"


def test_invalid_uscc_is_a_user_facing_laborcheck_error_carrying_the_normalised_code() -> None:
    error = problem_of(" 91110000600037341a ")
    assert isinstance(error, LaborCheckError)
    assert error.code == "91110000600037341A"


def test_is_valid_uscc_answers_without_raising() -> None:
    assert is_valid_uscc(PUBLISHED_CODE)
    assert not is_valid_uscc("91110000600037341A")


def test_make_uscc_refuses_a_body_of_the_wrong_length_or_alphabet() -> None:
    with pytest.raises(InvalidUSCC, match="本体应为17位，实际为16位"):
        make_uscc("9111000060003734")
    with pytest.raises(InvalidUSCC, match="第9位“O”"):
        make_uscc("91110000O00037341")


def test_normalise_uscc_removes_only_separators_and_invisible_characters() -> None:
    assert normalise_uscc("\ufeff91-110000 600037341l") == PUBLISHED_CODE


_STRUCTURED_PREFIX = st.sampled_from(
    [authority + kind for authority, (_, kinds) in REGISTRATION_AUTHORITIES.items() for kind in kinds]
)
_DIVISION = st.text(alphabet="0123456789", min_size=6, max_size=6)
_ORGANISATION = st.text(alphabet=ALPHABET, min_size=9, max_size=9)


@given(prefix=_STRUCTURED_PREFIX, division=_DIVISION, organisation=_ORGANISATION)
def test_any_well_structured_body_gets_a_check_character_that_validates(
    prefix: str, division: str, organisation: str
) -> None:
    code = make_uscc(prefix + division + organisation)
    assert validate_uscc(code) == code
    if prefix[0].isdigit():  # stdnum's own validator only knows numeric first characters
        assert stdnum_uscc.is_valid(code)


@given(
    prefix=_STRUCTURED_PREFIX,
    division=_DIVISION,
    organisation=_ORGANISATION,
    position=st.integers(min_value=8, max_value=16),
    replacement=st.sampled_from(ALPHABET),
)
def test_changing_one_character_of_the_organisation_code_is_caught_by_the_check_character(
    prefix: str, division: str, organisation: str, position: int, replacement: str
) -> None:
    code = make_uscc(prefix + division + organisation)
    if code[position] == replacement:
        return
    altered = code[:position] + replacement + code[position + 1 :]
    with pytest.raises(InvalidUSCC) as caught:
        validate_uscc(altered)
    assert caught.value.problem is USCCProblem.CHECK_CHARACTER
