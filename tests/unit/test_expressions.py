"""Tests of the checklist expression language: parsing, round-tripping, three-valued evaluation, safety."""

from __future__ import annotations

import ast as python_ast
import contextlib
import dataclasses
import functools
import operator
import pickle
from collections.abc import Callable, Mapping
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from core import expressions
from core.expressions import (
    MAX_DEPTH,
    MAX_SOURCE_LENGTH,
    Arithmetic,
    BoolLiteral,
    Call,
    Comparison,
    EvaluationError,
    Expr,
    ExpressionError,
    Logical,
    Name,
    Neg,
    Not,
    Number,
    Value,
    evaluate,
    parse,
    unparse,
)

NUMERIC_NAMES = ["a", "b", "headcount", "laid_off", "x_1"]
BOOLEAN_NAMES = ["p", "q", "union_present"]
ALL_NAMES = NUMERIC_NAMES + BOOLEAN_NAMES

ARITHMETIC_OPS = ["+", "-", "*", "/"]
COMPARISON_OPS = ["<", "<=", ">", ">=", "==", "!="]
ORDERING_OPS = ["<", "<=", ">", ">="]
LOGICAL_OPS = ["and", "or"]

FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
PROPERTY = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# ------------------------------------------------------------------------------------------ strategies

integer_literals = st.integers(min_value=0, max_value=10**6).map(Number)
decimal_literals = (
    st.integers(min_value=0, max_value=4)
    .flatmap(lambda places: st.decimals(min_value=0, max_value=10_000, places=places))
    .map(lambda value: Number(value.copy_abs()))
)
number_literals = st.one_of(integer_literals, decimal_literals)
bool_literals = st.booleans().map(BoolLiteral)


def _node_depth(expr: Expr) -> int:
    """Operators and calls above the deepest leaf, the measure parse() bounds."""
    children = expr.children()
    return 0 if not children else 1 + max(_node_depth(child) for child in children)


def _extend(children: st.SearchStrategy[Expr]) -> st.SearchStrategy[Expr]:
    return st.one_of(
        children.map(Neg),
        children.map(Not),
        st.builds(Arithmetic, st.sampled_from(ARITHMETIC_OPS), children, children),
        st.builds(Comparison, st.sampled_from(COMPARISON_OPS), children, children),
        st.builds(Logical, st.sampled_from(LOGICAL_OPS), children, children),
        st.builds(
            Call,
            st.sampled_from(["min", "max"]),
            st.lists(children, min_size=1, max_size=3).map(tuple),
        ),
        st.builds(Call, st.sampled_from(["abs", "known"]), children.map(lambda child: (child,))),
    )


any_leaf = st.one_of(number_literals, bool_literals, st.sampled_from(ALL_NAMES).map(Name))
any_expr = st.recursive(any_leaf, _extend, max_leaves=25)


@functools.cache
def numeric_expr(depth: int) -> st.SearchStrategy[Expr]:
    """Well-typed numeric expressions no deeper than ``depth``."""
    leaf = st.one_of(number_literals, st.sampled_from(NUMERIC_NAMES).map(Name))
    if depth == 0:
        return leaf
    sub = numeric_expr(depth - 1)
    return st.one_of(
        leaf,
        sub.map(Neg),
        st.builds(Arithmetic, st.sampled_from(ARITHMETIC_OPS), sub, sub),
        st.builds(Call, st.sampled_from(["min", "max"]), st.lists(sub, min_size=1, max_size=3).map(tuple)),
        sub.map(lambda child: Call("abs", (child,))),
    )


@functools.cache
def boolean_expr(depth: int) -> st.SearchStrategy[Expr]:
    """Well-typed yes/no expressions no deeper than ``depth``."""
    leaf = st.one_of(bool_literals, st.sampled_from(BOOLEAN_NAMES).map(Name))
    if depth == 0:
        return leaf
    sub = boolean_expr(depth - 1)
    numbers = numeric_expr(depth - 1)
    return st.one_of(
        leaf,
        sub.map(Not),
        st.builds(Logical, st.sampled_from(LOGICAL_OPS), sub, sub),
        st.builds(Comparison, st.sampled_from(COMPARISON_OPS), numbers, numbers),
        st.builds(Comparison, st.sampled_from(["==", "!="]), sub, sub),
        st.one_of(numbers, sub).map(lambda child: Call("known", (child,))),
    )


number_values: st.SearchStrategy[Value] = st.one_of(
    st.none(),
    st.integers(min_value=-100, max_value=100),
    st.integers(min_value=-1000, max_value=1000).map(lambda tenths: tenths / 10),
)
truth_values: st.SearchStrategy[Value] = st.one_of(st.none(), st.booleans())

typed_envs = st.builds(
    lambda numbers, truths: {**numbers, **truths},
    st.dictionaries(st.sampled_from(NUMERIC_NAMES), number_values),
    st.dictionaries(st.sampled_from(BOOLEAN_NAMES), truth_values),
)
# Any name may hold any kind of value, so type errors are exercised as well.
mixed_envs = st.dictionaries(st.sampled_from(ALL_NAMES), st.one_of(number_values, truth_values))


# --------------------------------------------------------------------------------- reference evaluator


class ReferenceTypeError(Exception):
    """The reference's verdict that an expression mixes numbers and yes/no values."""


AND_TABLE: dict[tuple[bool | None, bool | None], bool | None] = {
    (True, True): True,
    (True, False): False,
    (True, None): None,
    (False, True): False,
    (False, False): False,
    (False, None): False,
    (None, True): None,
    (None, False): False,
    (None, None): None,
}
OR_TABLE: dict[tuple[bool | None, bool | None], bool | None] = {
    (True, True): True,
    (True, False): True,
    (True, None): True,
    (False, True): True,
    (False, False): False,
    (False, None): None,
    (None, True): True,
    (None, False): None,
    (None, None): None,
}
NOT_TABLE: dict[bool | None, bool | None] = {True: False, False: True, None: None}
COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "==": operator.eq,
    "!=": operator.ne,
}
ARITHMETIC: dict[str, Callable[[Fraction, Fraction], Fraction]] = {
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
    "/": operator.truediv,
}

RefValue = bool | Fraction | None


def _ref_input(value: Value) -> RefValue:
    if value is None or isinstance(value, bool):
        return value
    return Fraction(str(value))  # a float is the decimal it prints as


def _need_numbers(*values: RefValue) -> None:
    if any(isinstance(value, bool) for value in values):
        raise ReferenceTypeError


def _need_truths(*values: RefValue) -> None:
    if any(isinstance(value, Fraction) for value in values):
        raise ReferenceTypeError


def reference(expr: Expr, env: Mapping[str, Value]) -> RefValue:
    """A plain interpreter of the documented semantics, written without looking at the module's internals."""
    match expr:
        case Number(value=literal):
            return Fraction(literal)
        case BoolLiteral(value=truth):
            return truth
        case Name(id=name):
            return _ref_input(env.get(name))
        case Neg(operand=operand):
            number = reference(operand, env)
            _need_numbers(number)
            assert not isinstance(number, bool)
            return None if number is None else -number
        case Not(operand=operand):
            negated = reference(operand, env)
            _need_truths(negated)
            assert not isinstance(negated, Fraction)
            return NOT_TABLE[negated]
        case Logical(op=op, left=left, right=right):
            p, q = reference(left, env), reference(right, env)
            _need_truths(p, q)
            assert not isinstance(p, Fraction)
            assert not isinstance(q, Fraction)
            return (AND_TABLE if op == "and" else OR_TABLE)[(p, q)]
        case Arithmetic(op=op, left=left, right=right):
            a, b = reference(left, env), reference(right, env)
            _need_numbers(a, b)
            if not isinstance(a, Fraction) or not isinstance(b, Fraction):
                return None
            if op == "/" and b == 0:
                return None
            return ARITHMETIC[op](a, b)
        case Comparison(op=op, left=left, right=right):
            a, b = reference(left, env), reference(right, env)
            if op in ("==", "!="):
                if a is not None and b is not None and type(a) is not type(b):
                    raise ReferenceTypeError
            else:
                _need_numbers(a, b)
            if a is None or b is None:
                return None
            return COMPARE[op](a, b)
        case Call(func="known", args=(argument,)):
            return reference(argument, env) is not None
        case Call(func=func, args=args):
            values = [reference(argument, env) for argument in args]
            _need_numbers(*values)
            numbers = [value for value in values if isinstance(value, Fraction)]
            if len(numbers) < len(values):
                return None
            if func == "abs":
                return abs(numbers[0])
            return min(numbers) if func == "min" else max(numbers)
    raise AssertionError(f"unhandled node {expr!r}")


def _as_result(value: RefValue) -> Value:
    if isinstance(value, Fraction):
        return value.numerator if value.denominator == 1 else float(value)
    return value


def _same(actual: Value, expected: Value) -> bool:
    return type(actual) is type(expected) and actual == expected


# ----------------------------------------------------------------------------------------- round trip


@PROPERTY
@given(any_expr)
def test_unparsed_text_parses_back_to_the_same_ast(expr: Expr) -> None:
    assume(_node_depth(expr) <= MAX_DEPTH)
    text = unparse(expr)
    assert parse(text) == expr
    assert unparse(parse(text)) == text


@PROPERTY
@given(boolean_expr(5))
def test_unparse_of_well_typed_conditions_round_trips(expr: Expr) -> None:
    assert parse(unparse(expr)) == expr


@pytest.mark.parametrize(
    ("source", "canonical"),
    [
        ("laid_off>=20 or laid_off>=0.1*headcount", "laid_off >= 20 or laid_off >= 0.1 * headcount"),
        ("max( min(months_without_contract,12) - 1 , 0)", "max(min(months_without_contract, 12) - 1, 0)"),
        ("dispatched / (contracted + dispatched) * 100", "dispatched / (contracted + dispatched) * 100"),
        ("(a - b) - c", "a - b - c"),
        ("a - (b - c)", "a - (b - c)"),
        ("a / (b * c)", "a / (b * c)"),
        ("(a + b) * c", "(a + b) * c"),
        ("-(a + b)", "-(a + b)"),
        ("- -a", "--a"),
        ("not (p and q)", "not (p and q)"),
        ("(not p) and q", "not p and q"),
        ("not (a < b)", "not a < b"),
        ("(a < b) == (b < a)", "(a < b) == (b < a)"),
        ("p or (q and p)", "p or q and p"),
        ("(p or q) and p", "(p or q) and p"),
        ("p and (q and p)", "p and (q and p)"),
        ("1.50 + 2.0 + 007", "1.5 + 2.0 + 7"),
        ("\tknown(x)\n", "known(x)"),
    ],
)
def test_unparse_writes_canonical_text_with_only_the_needed_parentheses(source: str, canonical: str) -> None:
    assert unparse(parse(source)) == canonical


def test_precedence_puts_not_above_comparison_and_below_and() -> None:
    assert parse("not a < b and p") == Logical("and", Not(Comparison("<", Name("a"), Name("b"))), Name("p"))
    assert parse("-a * b") == Arithmetic("*", Neg(Name("a")), Name("b"))
    assert parse("a + b * c") == Arithmetic("+", Name("a"), Arithmetic("*", Name("b"), Name("c")))
    assert parse("p or q and p") == Logical("or", Name("p"), Logical("and", Name("q"), Name("p")))


def test_decimal_literals_are_exact_and_integers_stay_integers() -> None:
    assert parse("0.1") == Number(Decimal("0.1"))
    assert isinstance(parse("12"), Number)
    literal = parse("12")
    assert isinstance(literal, Number)
    assert type(literal.value) is int


def test_names_lists_every_variable_read() -> None:
    assert parse("max(min(months_without_contract, 12) - 1, 0)").names() == {"months_without_contract"}
    assert parse("laid_off >= 20 or laid_off >= 0.1 * headcount").names() == {"laid_off", "headcount"}
    assert parse("known(x) and not p").names() == {"x", "p"}
    assert parse("1 + 2 > 3").names() == frozenset()


def test_ast_nodes_are_immutable() -> None:
    expr = parse("a + 1")
    assert isinstance(expr, Arithmetic)
    with pytest.raises(dataclasses.FrozenInstanceError):
        expr.op = "-"  # type: ignore[misc]
    assert hash(parse("a + 1")) == hash(expr)


@pytest.mark.parametrize(
    "build",
    [
        lambda: Number(-1),
        lambda: Number(Decimal("-0")),
        lambda: Number(Decimal("NaN")),
        lambda: Name("and"),
        lambda: Name("Os"),
        lambda: Call("eval", (Name("x"),)),  # type: ignore[arg-type]
        lambda: Call("abs", (Name("x"), Name("y"))),
        lambda: Call("min", ()),
        lambda: Arithmetic("**", Name("x"), Name("y")),  # type: ignore[arg-type]
    ],
)
def test_ast_nodes_refuse_values_that_have_no_text(build: Callable[[], Expr]) -> None:
    with pytest.raises((ValueError, TypeError)):
        build()


def test_number_refuses_booleans_and_floats() -> None:
    with pytest.raises(TypeError):
        Number(True)
    with pytest.raises(TypeError):
        Number(0.5)  # type: ignore[arg-type]


# ------------------------------------------------------------------------------------------ evaluation


@PROPERTY
@given(st.one_of(boolean_expr(5), numeric_expr(5)), typed_envs)
def test_evaluation_matches_the_reference_interpreter(expr: Expr, env: dict[str, Value]) -> None:
    assert _same(evaluate(expr, env), _as_result(reference(expr, env)))


@PROPERTY
@given(any_expr, mixed_envs)
def test_evaluation_fails_exactly_where_the_reference_sees_a_type_error(expr: Expr, env: dict[str, Value]) -> None:
    try:
        expected = _as_result(reference(expr, env))
    except ReferenceTypeError:
        with pytest.raises(EvaluationError):
            evaluate(expr, env)
    else:
        assert _same(evaluate(expr, env), expected)


KLEENE = [None, True, False]


@pytest.mark.parametrize("left", KLEENE)
@pytest.mark.parametrize("right", KLEENE)
def test_and_follows_kleene_three_valued_logic(left: bool | None, right: bool | None) -> None:
    expected = {
        (True, True): True,
        (True, False): False,
        (False, True): False,
        (False, False): False,
        (False, None): False,
        (None, False): False,
        (True, None): None,
        (None, True): None,
        (None, None): None,
    }[(left, right)]
    assert evaluate(parse("p and q"), {"p": left, "q": right}) is expected


@pytest.mark.parametrize("left", KLEENE)
@pytest.mark.parametrize("right", KLEENE)
def test_or_follows_kleene_three_valued_logic(left: bool | None, right: bool | None) -> None:
    expected = {
        (True, True): True,
        (True, False): True,
        (False, True): True,
        (True, None): True,
        (None, True): True,
        (False, False): False,
        (False, None): None,
        (None, False): None,
        (None, None): None,
    }[(left, right)]
    assert evaluate(parse("p or q"), {"p": left, "q": right}) is expected


@pytest.mark.parametrize(("value", "expected"), [(True, False), (False, True), (None, None)])
def test_not_of_unknown_is_unknown(value: bool | None, expected: bool | None) -> None:
    assert evaluate(parse("not p"), {"p": value}) is expected


def test_layoff_condition_reaches_ten_percent_exactly_where_floats_would_not() -> None:
    condition = parse("laid_off >= 20 or laid_off >= 0.1 * headcount")
    assert evaluate(condition, {"laid_off": 3, "headcount": 30}) is True
    assert evaluate(condition, {"laid_off": 2, "headcount": 30}) is False
    assert evaluate(condition, {"laid_off": 20}) is True  # true or unknown = true
    assert evaluate(condition, {"laid_off": 5}) is None
    assert evaluate(condition, {"headcount": 100}) is None


def test_arithmetic_is_exact_not_binary_floating_point() -> None:
    assert evaluate(parse("0.07 * 100 > 7"), {}) is False
    assert evaluate(parse("1.1 * 3 == 3.3"), {}) is True
    assert evaluate(parse("pct * 100 > 7"), {"pct": 0.07}) is False
    assert evaluate(parse("pct > 20"), {"pct": Decimal("20.0")}) is False  # type: ignore[dict-item]


def test_whole_number_results_are_ints_and_others_floats() -> None:
    assert _same(
        evaluate(parse("dispatched / (contracted + dispatched) * 100"), {"dispatched": 1, "contracted": 9}), 10
    )
    assert _same(evaluate(parse("0.5 * 2"), {}), 1)
    assert _same(evaluate(parse("1 / 3"), {}), 1 / 3)
    assert _same(evaluate(parse("x"), {"x": 2.5}), 2.5)


def test_double_wage_figure_from_a_template() -> None:
    figure = parse("max(min(months_without_contract, 12) - 1, 0)")
    assert [evaluate(figure, {"months_without_contract": m}) for m in (0, 1, 2, 11, 12, 13, 30)] == [
        0,
        0,
        1,
        10,
        11,
        11,
        11,
    ]
    assert evaluate(figure, {}) is None


def test_division_by_zero_is_unknown() -> None:
    share = parse("dispatched / (contracted + dispatched) * 100")
    assert evaluate(share, {"dispatched": 0, "contracted": 0}) is None
    assert evaluate(parse("1 / 0 > 5 or true"), {}) is True


def test_missing_names_are_unknown_and_known_says_so() -> None:
    assert evaluate(parse("a + 1"), {}) is None
    assert evaluate(parse("known(a)"), {}) is False
    assert evaluate(parse("known(a)"), {"a": 0}) is True
    assert evaluate(parse("known(p)"), {"p": False}) is True
    assert evaluate(parse("min(a, 3)"), {}) is None
    assert evaluate(parse("abs(a)"), {"a": -4}) == 4


@pytest.mark.parametrize(
    ("source", "env"),
    [
        ("1 + true", {}),
        ("x + p", {"x": 1, "p": True}),
        ("x + true", {}),  # a type error even when the other operand is unknown
        ("-p", {"p": False}),
        ("a and p", {"a": 1, "p": True}),
        ("1 or p", {}),
        ("not 1", {}),
        ("false and (1 + true)", {}),  # no short circuit hides a broken template
        ("true < false", {}),
        ("1 == true", {}),
        ("min(true, 1)", {}),
        ("abs(false)", {}),
        ("x > 1", {"x": "12"}),
        ("x > 1", {"x": float("nan")}),
        ("x > 1", {"x": float("inf")}),
        ("x > 1", {"x": Decimal("NaN")}),
    ],
)
def test_type_mistakes_raise_evaluation_error(source: str, env: dict[str, object]) -> None:
    with pytest.raises(EvaluationError):
        evaluate(parse(source), env)  # type: ignore[arg-type]


def test_booleans_compare_for_equality_with_booleans() -> None:
    assert evaluate(parse("known(a) == false"), {}) is True
    assert evaluate(parse("p != q"), {"p": True, "q": False}) is True
    assert evaluate(parse("p == true"), {}) is None


def test_evaluation_error_message_names_the_failing_part_in_chinese() -> None:
    with pytest.raises(EvaluationError, match="“x \\+ true” 无法计算"):
        evaluate(parse("x + true > 1"), {"x": 1})


# ------------------------------------------------------------------------------------ rejection & errors


@pytest.mark.parametrize(
    "source",
    [
        "__import__('os')",
        '__import__("os").system("ls")',
        "__import__(os)",
        "a.b",
        "a.__class__",
        "().__class__",
        "x[0]",
        "x[1:2]",
        "'text'",
        '"text"',
        "lambda: 1",
        "lambda x: x",
        "eval(x)",
        "exec(x)",
        "open(x)",
        "x if p else y",
        "x = 1",
        "x ** 2",
        "x // 2",
        "x % 2",
        "a; b",
        "{}",
        "[]",
        "1e5",
        "0x10",
        "True",
        "a < b < c",
        "a == b == c",
        "",
        "   ",
        "min()",
        "abs(a, b)",
        "known()",
        "a b",
        "1 2",
        "(a",
        "a)",
        "f(",
        "min(a,)",
        "not",
        "- ",
        "a +",
        "1.",
        ".5",
        "12abc",
        "１２",
        "x\u00b2",
        "ｘ",
    ],
)
def test_anything_outside_the_grammar_is_rejected(source: str) -> None:
    with pytest.raises(ExpressionError):
        parse(source)


@pytest.mark.parametrize(
    ("source", "position", "reason"),
    [
        ("a + )", 4, "unexpected ')'"),
        ("laid_off >= 20 or )", 18, "unexpected ')'"),
        ("a < b < c", 6, "comparisons cannot be chained"),
        ("(a + b", 6, "expected ')' but found end of input"),
        ("a $ b", 2, "unexpected character '$'"),
        ("1 +", 3, "unexpected end of input"),
        ("foo(1)", 0, "unknown function 'foo'"),
        ("x + min()", 4, "min() needs at least 1 argument"),
        ("a.b", 1, "attribute access is not allowed"),
        ("__import__('os')", 0, "unknown function '__import__'"),
        ("min('os')", 4, "strings are not allowed"),
        ("x[0]", 1, "subscripts are not allowed"),
        ("1.", 1, "a decimal point must be followed by digits"),
        ("a + ) $", 4, "unexpected ')'"),
        ("min(a b)", 6, "expected ',' or ')' but found name 'b'"),
        ("Headcount", 0, "names are lowercase"),
        ("a = 1", 2, "use '=='"),
    ],
)
def test_parse_errors_point_at_the_offending_column(source: str, position: int, reason: str) -> None:
    with pytest.raises(ExpressionError) as caught:
        parse(source)
    error = caught.value
    assert error.position == position
    assert error.source == source
    assert reason in error.reason
    assert str(error) == f"{error.reason} at column {position + 1}"


def test_parse_error_survives_pickling() -> None:
    with pytest.raises(ExpressionError) as caught:
        parse("a + )")
    copy = pickle.loads(pickle.dumps(caught.value))  # noqa: S301 - our own object
    assert (copy.source, copy.position, copy.reason) == ("a + )", 4, "unexpected ')'")


def test_source_longer_than_the_limit_is_refused() -> None:
    longest = "a" + " " * (MAX_SOURCE_LENGTH - 1)
    assert parse(longest) == Name("a")
    with pytest.raises(ExpressionError) as caught:
        parse(longest + " ")
    assert caught.value.position == MAX_SOURCE_LENGTH


@pytest.mark.parametrize(
    ("make", "unit"),
    [
        (lambda n: "(" * n + "x" + ")" * n, "parentheses"),
        (lambda n: "-" * n + "1", "minus signs"),
        (lambda n: "not " * n + "p", "nots"),
        (lambda n: "abs(" * n + "x" + ")" * n, "calls"),
        (lambda n: "+".join(["1"] * (n + 1)), "additions"),
        (lambda n: "-(" * n + "1" + ")" * n, "negated parentheses"),
    ],
)
def test_nesting_is_allowed_to_the_limit_and_refused_beyond(make: Callable[[int], str], unit: str) -> None:
    deepest = make(MAX_DEPTH)
    assert len(deepest) <= MAX_SOURCE_LENGTH, unit
    parse(deepest)
    with pytest.raises(ExpressionError, match="nested more than 64 levels"):
        parse(make(MAX_DEPTH + 1))


@pytest.mark.parametrize("opener", ["(", "-", "not ", "min(", "-("])
def test_pathological_nesting_fails_cleanly_without_recursion_error(opener: str) -> None:
    source = (opener * MAX_SOURCE_LENGTH)[:MAX_SOURCE_LENGTH]
    with pytest.raises(ExpressionError):
        parse(source)


def test_parse_refuses_non_text() -> None:
    with pytest.raises(TypeError):
        parse(b"a + 1")  # type: ignore[arg-type]


# ---------------------------------------------------------------------------------------------- fuzzing

TOKENS = [
    "a",
    "b",
    "p",
    "x_1",
    "0",
    "1",
    "12",
    "0.5",
    "true",
    "false",
    "and",
    "or",
    "not",
    "min",
    "max",
    "abs",
    "known",
    "(",
    ")",
    ",",
    "+",
    "-",
    "*",
    "/",
    "<",
    "<=",
    ">",
    ">=",
    "==",
    "!=",
    "=",
    "!",
    ".",
    "'",
    "[",
    "]",
    ":",
    "__import__",
]


def _check_parse_outcome(source: str) -> Expr | None:
    """Parse ``source``: either an AST that round-trips, or an ExpressionError that describes itself."""
    error: ExpressionError | None = None
    try:
        expr = parse(source)
    except ExpressionError as caught:
        error = caught
    if error is not None:
        assert 0 <= error.position <= len(source)
        assert "\n" not in str(error)
        assert error.source == source
        return None
    assert parse(unparse(expr)) == expr
    return expr


@FUZZ
@given(st.text(max_size=200))
def test_arbitrary_text_never_raises_anything_but_expression_error(source: str) -> None:
    _check_parse_outcome(source)


@FUZZ
@given(st.text(alphabet="abpxz_019.()+-*/<>=!, \t\nnotandrueflsmikw'\"[]:$", max_size=120))
def test_text_from_the_grammar_alphabet_never_raises_anything_but_expression_error(source: str) -> None:
    _check_parse_outcome(source)


@FUZZ
@given(st.lists(st.sampled_from(TOKENS), max_size=40).map(" ".join), mixed_envs)
def test_token_soup_parses_or_fails_cleanly_and_evaluates_or_fails_cleanly(source: str, env: dict[str, Value]) -> None:
    expr = _check_parse_outcome(source)
    if expr is not None:
        with contextlib.suppress(EvaluationError):
            evaluate(expr, env)


# ------------------------------------------------------------------------------------------------ safety


def test_module_never_calls_eval_exec_compile_or_imports_ast() -> None:
    tree = python_ast.parse(Path(expressions.__file__).read_text(encoding="utf-8"))
    forbidden_calls = {"eval", "exec", "compile", "__import__", "getattr", "globals", "locals"}
    for node in python_ast.walk(tree):
        if isinstance(node, python_ast.Call) and isinstance(node.func, python_ast.Name):
            assert node.func.id not in forbidden_calls, f"line {node.lineno} calls {node.func.id}"
        if isinstance(node, python_ast.Import):
            assert all(alias.name not in {"ast", "importlib"} for alias in node.names)
        if isinstance(node, python_ast.ImportFrom):
            assert node.module not in {"ast", "importlib"}


def test_coalesce_takes_the_first_captured_value() -> None:
    expr = parse("coalesce(before, headcount)")
    assert evaluate(expr, {"before": 150, "headcount": 120}) == 150
    assert evaluate(expr, {"headcount": 120}) == 120
    assert evaluate(expr, {}) is None
    assert unparse(expr) == "coalesce(before, headcount)"


def test_coalesce_needs_two_arguments_and_numbers() -> None:
    with pytest.raises(ExpressionError, match="at least 2"):
        parse("coalesce(a)")
    with pytest.raises(EvaluationError):
        evaluate(parse("coalesce(a, true)"), {})


def test_compensation_functions_follow_article_47() -> None:
    """8 years 7 months at 6,000 with a local average of 5,000: 9 months (6+ months count as a year), 54,000."""
    months = parse("compensation_months(service_months, monthly_wage, local_average_wage)")
    amount = parse("compensation_amount(service_months, monthly_wage, local_average_wage)")
    env = {"service_months": 103, "monthly_wage": 6000, "local_average_wage": 5000}
    assert evaluate(months, env) == 9
    assert evaluate(amount, env) == 54000
    # 15 years at 20,000 with an average of 5,000: base 15,000 (three times) and at most 12 years.
    capped = {"service_months": 180, "monthly_wage": 20000, "local_average_wage": 5000}
    assert evaluate(months, capped) == 12
    assert evaluate(amount, capped) == 180000
    # 3 months of service: half a month.
    assert evaluate(months, {**env, "service_months": 3}) == 0.5
    assert evaluate(months, {"service_months": 103, "monthly_wage": 6000}) is None


def test_compensation_refuses_fractional_months() -> None:
    with pytest.raises(EvaluationError, match="整数"):
        evaluate(parse("compensation_months(a, b, c)"), {"a": 1.5, "b": 100, "c": 100})


# ------------------------------------------------------------------------------ statutory rules by name


def test_statutory_rules_are_the_labor_math_functions_by_name() -> None:
    from core import labor_math

    def run(source: str, **env: Value) -> Value:
        return evaluate(parse(source), env)

    for months in (0, 1, 2, 11, 12, 30):
        assert run("double_wage_months(m)", m=months) == labor_math.double_wage_months(months)
    assert run("dispatch_percent(d, c)", d=101, c=899) == pytest.approx(10.1)
    assert run("dispatch_exceeds(d, c)", d=100, c=900) is False  # exactly 10% is allowed
    assert run("dispatch_exceeds(d, c)", d=101, c=899) is True
    assert run("dispatch_percent(d, c)", d=0, c=0) is None  # no workforce: no share
    assert run("layoff_reached(n, h)", n=16, h=160) is True  # 10% of the workforce
    assert run("layoff_reached(n, h)", n=15, h=160) is False
    assert run("layoff_reached(n, h)", n=20, h=1000) is True
    assert run("overtime_exceeds(d, m)", d=4) is True  # one figure over the limit decides alone
    assert run("overtime_exceeds(d, m)", d=2) is None  # the other is not captured yet
    assert run("overtime_exceeds(d, m)", d=3, m=36) is False
    assert run("deduction_exceeds(p)", p=20) is False
    assert run("deduction_exceeds(p)", p=20.5) is True
    assert run("wage_left_after_deduction(w, p)", w=2400, p=20) == 1920
    assert run("deduction_leaves_below_minimum(w, p, m)", w=2400, p=20, m=2000) is True
    assert run("deduction_leaves_below_minimum(w, p, m)", w=2500, p=20, m=2000) is False
    assert run("deduction_leaves_below_minimum(w, p, m)", p=20, m=2000) is None


def test_a_count_that_is_not_a_whole_number_is_a_template_error() -> None:
    with pytest.raises(EvaluationError, match="整数"):
        evaluate(parse("double_wage_months(m)"), {"m": 1.5})
