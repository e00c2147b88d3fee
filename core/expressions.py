"""A small, safe expression language for checklist templates.

Templates carry conditions (``applies_if: "laid_off >= 20 or laid_off >= 0.1 * headcount"``) and computed
figures (``max(min(months_without_contract, 12) - 1, 0)``). They come from YAML files that a district office
may edit, so they are never handed to Python's ``eval``: a hand-written tokenizer and recursive-descent parser
build an immutable AST of frozen dataclasses, and a small evaluator walks it. Nothing in a template can reach
attributes, subscripts, strings, imports or any function other than ``min``, ``max``, ``abs``, ``known``,
``coalesce`` and the domain functions of :data:`DOMAIN_FUNCTIONS` — the statutory rules (economic compensation,
double wages, dispatch share, layoff threshold, overtime limits, wage deductions), each delegated to its tested
implementation in :mod:`core.labor_math`, so a rule is computed in one place and a template only names it.

Grammar, lowest precedence first::

    expr        := or_expr
    or_expr     := and_expr ("or" and_expr)*
    and_expr    := not_expr ("and" not_expr)*
    not_expr    := "not" not_expr | comparison
    comparison  := additive (("<" | "<=" | ">" | ">=" | "==" | "!=") additive)?    -- never chained
    additive    := term (("+" | "-") term)*
    term        := unary (("*" | "/") unary)*
    unary       := "-" unary | atom
    atom        := NUMBER | "true" | "false" | NAME | FUNC "(" [expr ("," expr)*] ")" | "(" expr ")"

Values are ``bool | int | float | None``; ``None`` means *unknown* (an input the coordinator has not captured
yet). Unknown propagates through arithmetic, comparisons and ``min``/``max``; ``and``/``or``/``not`` follow
Kleene's three-valued logic, so ``false and unknown`` is false and ``true or unknown`` is true. Division by zero
is unknown rather than an error, because a zero denominator in a captured figure (no staff yet) means "cannot
say", not "the template is broken". Type mistakes (arithmetic on a yes/no value, ``and`` on a number) are
template bugs and raise :class:`EvaluationError`; both operands of every operator are always evaluated, so such
a bug surfaces whatever the data.

Numbers are computed exactly (as rationals), not in binary floating point: legal thresholds sit exactly on
boundaries ("百分之十以上" includes 10%), and in floats ``0.07 * 100 > 7`` is true. A decimal literal is its
exact decimal value, and a float from the environment is taken at its shortest decimal spelling (``0.1`` is
one tenth). A whole-number result comes back as ``int``, any other as ``float``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Final, Literal, TypeAlias

from core import labor_math
from core.labor_math import LaborMathError, economic_compensation

__all__ = [
    "MAX_DEPTH",
    "MAX_SOURCE_LENGTH",
    "Arithmetic",
    "BoolLiteral",
    "Call",
    "Comparison",
    "EvaluationError",
    "Expr",
    "ExpressionError",
    "Logical",
    "Name",
    "Neg",
    "Not",
    "Number",
    "Value",
    "evaluate",
    "parse",
    "unparse",
]

Value: TypeAlias = bool | int | float | None

MAX_SOURCE_LENGTH: Final = 1000
"""Longest accepted source text; templates never need more, and the bound keeps parsing cheap."""

MAX_DEPTH: Final = 64
"""Deepest accepted nesting: at most this many parentheses and calls inside each other, and at most this
many operators and calls on the path from the top of the AST to any literal or name."""

ArithmeticOp: TypeAlias = Literal["+", "-", "*", "/"]
ComparisonOp: TypeAlias = Literal["<", "<=", ">", ">=", "==", "!="]
LogicalOp: TypeAlias = Literal["and", "or"]
FunctionName: TypeAlias = Literal[
    "min",
    "max",
    "abs",
    "known",
    "coalesce",
    "compensation_months",
    "compensation_amount",
    "double_wage_months",
    "dispatch_percent",
    "dispatch_exceeds",
    "layoff_reached",
    "overtime_exceeds",
    "overtime_daily_exceeds",
    "overtime_monthly_exceeds",
    "deduction_exceeds",
    "wage_left_after_deduction",
    "deduction_leaves_below_minimum",
]

_ARITHMETIC_OPS: Final = frozenset({"+", "-", "*", "/"})
_COMPARISON_OPS: Final = frozenset({"<", "<=", ">", ">=", "==", "!="})
_LOGICAL_OPS: Final = frozenset({"and", "or"})
_KEYWORDS: Final = frozenset({"and", "or", "not", "true", "false"})
# Function name -> (fewest, most) arguments; None means no upper bound.
_ARITY: Final[Mapping[str, tuple[int, int | None]]] = {
    "min": (1, None),
    "max": (1, None),
    "abs": (1, 1),
    "known": (1, 1),
    "coalesce": (2, None),
    "compensation_months": (3, 3),
    "compensation_amount": (3, 3),
    "double_wage_months": (1, 1),
    "dispatch_percent": (2, 2),
    "dispatch_exceeds": (2, 2),
    "layoff_reached": (2, 2),
    "overtime_exceeds": (2, 2),
    "overtime_daily_exceeds": (1, 1),
    "overtime_monthly_exceeds": (1, 1),
    "deduction_exceeds": (1, 1),
    "wage_left_after_deduction": (2, 2),
    "deduction_leaves_below_minimum": (3, 3),
}
_NAME_RE: Final = re.compile(r"[a-z_][a-z0-9_]*")
_DIGITS: Final = frozenset("0123456789")
_NAME_START: Final = frozenset("abcdefghijklmnopqrstuvwxyz_")
_NAME_CHARS: Final = _NAME_START | _DIGITS
_WHITESPACE: Final = frozenset(" \t\r\n")


# --------------------------------------------------------------------------------------------------- errors


class ExpressionError(ValueError):
    """The source text is not a valid expression.

    ``position`` is the 0-based column of the offending character; the message shows it 1-based, as an
    editor does ("unexpected ')' at column 5" for position 4).
    """

    def __init__(self, source: str, position: int, reason: str) -> None:
        self.source = source
        self.position = position
        self.reason = reason
        super().__init__(f"{reason} at column {position + 1}")

    def __reduce__(self) -> tuple[type[ExpressionError], tuple[str, int, str]]:
        return (type(self), (self.source, self.position, self.reason))


class EvaluationError(ValueError):
    """A well-formed expression cannot be evaluated: the template mixes yes/no values and numbers, or an
    input has a type the language does not know."""


# ------------------------------------------------------------------------------------------------------ AST


class Expr:
    """Base of the AST nodes. Nodes are frozen dataclasses: equal when their text is equal up to layout."""

    __slots__ = ()

    def children(self) -> tuple[Expr, ...]:
        """The direct sub-expressions, left to right."""
        return ()

    def names(self) -> frozenset[str]:
        """Every variable name the expression reads, so a template can say which inputs it needs."""
        found: set[str] = set()
        stack: list[Expr] = [self]
        while stack:
            node = stack.pop()
            if isinstance(node, Name):
                found.add(node.id)
            stack.extend(node.children())
        return frozenset(found)


@dataclass(frozen=True, slots=True)
class Number(Expr):
    """A non-negative literal: ``int`` for ``12``, exact ``Decimal`` for ``0.1`` (``-1`` is ``Neg(Number(1))``)."""

    value: int | Decimal

    def __post_init__(self) -> None:
        value: object = self.value
        if isinstance(value, bool) or not isinstance(value, int | Decimal):
            raise TypeError(f"Number needs an int or Decimal, not {type(value).__name__}")
        if isinstance(value, Decimal) and not value.is_finite():
            raise ValueError("Number must be finite")
        if value < 0 or (isinstance(value, Decimal) and value.is_signed()):
            raise ValueError("Number literals are non-negative; wrap them in Neg")


@dataclass(frozen=True, slots=True)
class BoolLiteral(Expr):
    """``true`` or ``false``."""

    value: bool


@dataclass(frozen=True, slots=True)
class Name(Expr):
    """A captured input, looked up in the environment; missing inputs are unknown."""

    id: str

    def __post_init__(self) -> None:
        if not _NAME_RE.fullmatch(self.id) or self.id in _KEYWORDS:
            raise ValueError(f"not a valid name: {self.id!r}")


@dataclass(frozen=True, slots=True)
class Neg(Expr):
    """Unary minus."""

    operand: Expr

    def children(self) -> tuple[Expr, ...]:
        return (self.operand,)


@dataclass(frozen=True, slots=True)
class Not(Expr):
    """Three-valued ``not``."""

    operand: Expr

    def children(self) -> tuple[Expr, ...]:
        return (self.operand,)


@dataclass(frozen=True, slots=True)
class Arithmetic(Expr):
    """``+ - * /`` on numbers."""

    op: ArithmeticOp
    left: Expr
    right: Expr

    def __post_init__(self) -> None:
        if self.op not in _ARITHMETIC_OPS:
            raise ValueError(f"not an arithmetic operator: {self.op!r}")

    def children(self) -> tuple[Expr, ...]:
        return (self.left, self.right)


@dataclass(frozen=True, slots=True)
class Comparison(Expr):
    """``< <= > >=`` on numbers, ``== !=`` on two numbers or two yes/no values."""

    op: ComparisonOp
    left: Expr
    right: Expr

    def __post_init__(self) -> None:
        if self.op not in _COMPARISON_OPS:
            raise ValueError(f"not a comparison operator: {self.op!r}")

    def children(self) -> tuple[Expr, ...]:
        return (self.left, self.right)


@dataclass(frozen=True, slots=True)
class Logical(Expr):
    """Three-valued ``and`` / ``or``."""

    op: LogicalOp
    left: Expr
    right: Expr

    def __post_init__(self) -> None:
        if self.op not in _LOGICAL_OPS:
            raise ValueError(f"not a logical operator: {self.op!r}")

    def children(self) -> tuple[Expr, ...]:
        return (self.left, self.right)


@dataclass(frozen=True, slots=True)
class Call(Expr):
    """A call of one of the built-in functions ``min``, ``max``, ``abs``, ``known``, ``coalesce``."""

    func: FunctionName
    args: tuple[Expr, ...]

    def __post_init__(self) -> None:
        if self.func not in _ARITY:
            raise ValueError(f"unknown function {self.func!r}")
        if not isinstance(self.args, tuple):
            raise TypeError("Call.args must be a tuple")
        problem = _arity_problem(self.func, len(self.args))
        if problem:
            raise ValueError(problem)

    def children(self) -> tuple[Expr, ...]:
        return self.args


def _arity_problem(func: str, count: int) -> str | None:
    fewest, most = _ARITY[func]
    if most == fewest and count != fewest:
        return f"{func}() takes exactly {fewest} argument{'s' if fewest != 1 else ''}, got {count}"
    if count < fewest:
        return f"{func}() needs at least {fewest} argument{'s' if fewest != 1 else ''}"
    return None


# ------------------------------------------------------------------------------------------------ tokenizer


@dataclass(frozen=True, slots=True)
class _Token:
    kind: Literal["number", "name", "keyword", "op", "end"]
    text: str
    position: int

    def describe(self) -> str:
        if self.kind == "end":
            return "end of input"
        if self.kind == "number":
            return f"number {self.text}"
        if self.kind == "name":
            return f"name '{self.text}'"
        return f"'{self.text}'"


_TWO_CHAR_OPS: Final = frozenset({"<=", ">=", "==", "!="})
_ONE_CHAR_OPS: Final = frozenset("<>+-*/(),")
_REJECTED_CHARS: Final[Mapping[str, str]] = {
    "'": "strings are not allowed",
    '"': "strings are not allowed",
    ".": "attribute access is not allowed",
    "[": "subscripts are not allowed",
    "]": "subscripts are not allowed",
    "=": "use '==' to compare ('=' is not allowed)",
    "!": "use 'not' for negation ('!' is only allowed in '!=')",
    ":": "':' is not allowed (no lambdas, slices or dictionaries)",
}


def _tokenize(source: str) -> Iterator[_Token]:
    i = 0
    n = len(source)
    while i < n:
        char = source[i]
        if char in _WHITESPACE:
            i += 1
        elif char in _DIGITS:
            yield _read_number(source, i)
            i = _number_end(source, i)
        elif char in _NAME_START:
            j = i + 1
            while j < n and source[j] in _NAME_CHARS:
                j += 1
            text = source[i:j]
            yield _Token("keyword" if text in _KEYWORDS else "name", text, i)
            i = j
        elif source[i : i + 2] in _TWO_CHAR_OPS:
            yield _Token("op", source[i : i + 2], i)
            i += 2
        elif char in _ONE_CHAR_OPS:
            yield _Token("op", char, i)
            i += 1
        elif char in _REJECTED_CHARS:
            raise ExpressionError(source, i, _REJECTED_CHARS[char])
        elif "A" <= char <= "Z":
            raise ExpressionError(source, i, f"unexpected character {char!r} (names are lowercase)")
        else:
            raise ExpressionError(source, i, f"unexpected character {char!r}")
    yield _Token("end", "", n)


def _number_end(source: str, start: int) -> int:
    j = start
    while j < len(source) and source[j] in _DIGITS:
        j += 1
    if j < len(source) and source[j] == ".":
        j += 1
        while j < len(source) and source[j] in _DIGITS:
            j += 1
    return j


def _read_number(source: str, start: int) -> _Token:
    end = _number_end(source, start)
    text = source[start:end]
    if text.endswith("."):
        raise ExpressionError(source, end - 1, "a decimal point must be followed by digits")
    if end < len(source) and (source[end] in _NAME_CHARS or source[end] == "." or source[end].isalnum()):
        raise ExpressionError(source, end, f"unexpected character {source[end]!r} after number {text}")
    return _Token("number", text, start)


# --------------------------------------------------------------------------------------------------- parser


_Parsed: TypeAlias = tuple[Expr, int]  # a node and its depth: operators above the deepest leaf (a leaf is 0)


class _Parser:
    """Recursive descent over the token list; each level of the grammar is one method."""

    def __init__(self, source: str) -> None:
        self.source = source
        # Tokens are pulled one at a time, so the error reported is always the leftmost one.
        self.tokens = _tokenize(source)
        self.current = next(self.tokens)
        self.nesting = 0

    # -- helpers

    def advance(self) -> _Token:
        token = self.current
        if token.kind != "end":
            self.current = next(self.tokens)
        return token

    def at(self, kind: str, *texts: str) -> bool:
        token = self.current
        return token.kind == kind and (not texts or token.text in texts)

    def fail(self, token: _Token, reason: str) -> ExpressionError:
        return ExpressionError(self.source, token.position, reason)

    def unexpected(self, token: _Token) -> ExpressionError:
        return self.fail(token, f"unexpected {token.describe()}")

    def enter(self, token: _Token) -> None:
        """Count one level of parentheses or call; refusing deep input keeps the recursion bounded."""
        self.nesting += 1
        if self.nesting > MAX_DEPTH:
            raise self.fail(token, f"expression nested more than {MAX_DEPTH} levels deep")

    def leave(self) -> None:
        self.nesting -= 1

    def node(self, token: _Token, node: Expr, *child_depths: int) -> _Parsed:
        depth = 1 + max(child_depths)
        if depth > MAX_DEPTH:
            raise self.fail(token, f"expression nested more than {MAX_DEPTH} levels deep")
        return node, depth

    # -- grammar

    def parse(self) -> Expr:
        expr, _ = self.or_expr()
        if not self.at("end"):
            raise self.unexpected(self.current)
        return expr

    def _binary_chain(
        self,
        operand: Callable[[], _Parsed],
        kind: str,
        ops: frozenset[str],
        build: Callable[[str, Expr, Expr], Expr],
    ) -> _Parsed:
        left, left_depth = operand()
        while self.current.kind == kind and self.current.text in ops:
            token = self.advance()
            right, right_depth = operand()
            left, left_depth = self.node(token, build(token.text, left, right), left_depth, right_depth)
        return left, left_depth

    def or_expr(self) -> _Parsed:
        return self._binary_chain(self.and_expr, "keyword", frozenset({"or"}), _make_logical)

    def and_expr(self) -> _Parsed:
        return self._binary_chain(self.not_expr, "keyword", frozenset({"and"}), _make_logical)

    def not_expr(self) -> _Parsed:
        # Prefix operators are collected in a loop rather than by recursion, so a long run of them is
        # refused by the depth check instead of exhausting the Python stack.
        operators: list[_Token] = []
        while self.at("keyword", "not"):
            operators.append(self.advance())
        expr, depth = self.comparison()
        for token in reversed(operators):
            expr, depth = self.node(token, Not(expr), depth)
        return expr, depth

    def comparison(self) -> _Parsed:
        left, left_depth = self.additive()
        if not (self.current.kind == "op" and self.current.text in _COMPARISON_OPS):
            return left, left_depth
        token = self.advance()
        right, right_depth = self.additive()
        if self.current.kind == "op" and self.current.text in _COMPARISON_OPS:
            raise self.fail(self.current, "comparisons cannot be chained; use 'and' (a < b and b < c)")
        return self.node(token, _make_comparison(token.text, left, right), left_depth, right_depth)

    def additive(self) -> _Parsed:
        return self._binary_chain(self.term, "op", frozenset({"+", "-"}), _make_arithmetic)

    def term(self) -> _Parsed:
        return self._binary_chain(self.unary, "op", frozenset({"*", "/"}), _make_arithmetic)

    def unary(self) -> _Parsed:
        operators: list[_Token] = []
        while self.at("op", "-"):
            operators.append(self.advance())
        expr, depth = self.atom()
        for token in reversed(operators):
            expr, depth = self.node(token, Neg(expr), depth)
        return expr, depth

    def atom(self) -> _Parsed:
        token = self.current
        if token.kind == "number":
            self.advance()
            value: int | Decimal = Decimal(token.text) if "." in token.text else int(token.text)
            return Number(value), 0
        if token.kind == "keyword" and token.text in ("true", "false"):
            self.advance()
            return BoolLiteral(token.text == "true"), 0
        if token.kind == "name":
            self.advance()
            if self.at("op", "("):
                return self.call(token)
            return Name(token.text), 0
        if self.at("op", "("):
            self.advance()
            self.enter(token)
            inner = self.or_expr()
            self.leave()
            if not self.at("op", ")"):
                raise self.fail(self.current, f"expected ')' but found {self.current.describe()}")
            self.advance()
            return inner
        raise self.unexpected(token)

    def call(self, name: _Token) -> _Parsed:
        if name.text not in _ARITY:
            raise self.fail(
                name,
                f"unknown function '{name.text}' (only {', '.join(_ARITY)})",
            )
        self.advance()  # "("
        self.enter(name)
        args: list[Expr] = []
        depths: list[int] = []
        if not self.at("op", ")"):
            while True:
                arg, depth = self.or_expr()
                args.append(arg)
                depths.append(depth)
                if self.at("op", ","):
                    self.advance()
                    continue
                if self.at("op", ")"):
                    break
                raise self.fail(self.current, f"expected ',' or ')' but found {self.current.describe()}")
        self.advance()  # ")"
        self.leave()
        problem = _arity_problem(name.text, len(args))
        if problem:
            raise self.fail(name, problem)
        return self.node(name, _make_call(name.text, tuple(args)), *depths)


def _make_logical(op: str, left: Expr, right: Expr) -> Expr:
    return Logical("and" if op == "and" else "or", left, right)


def _make_arithmetic(op: str, left: Expr, right: Expr) -> Expr:
    ops: dict[str, ArithmeticOp] = {"+": "+", "-": "-", "*": "*", "/": "/"}
    return Arithmetic(ops[op], left, right)


def _make_comparison(op: str, left: Expr, right: Expr) -> Expr:
    ops: dict[str, ComparisonOp] = {"<": "<", "<=": "<=", ">": ">", ">=": ">=", "==": "==", "!=": "!="}
    return Comparison(ops[op], left, right)


def _make_call(func: str, args: tuple[Expr, ...]) -> Expr:
    funcs: dict[str, FunctionName] = {
        "min": "min",
        "max": "max",
        "abs": "abs",
        "known": "known",
        "coalesce": "coalesce",
        "compensation_months": "compensation_months",
        "compensation_amount": "compensation_amount",
        "double_wage_months": "double_wage_months",
        "dispatch_percent": "dispatch_percent",
        "dispatch_exceeds": "dispatch_exceeds",
        "layoff_reached": "layoff_reached",
        "overtime_exceeds": "overtime_exceeds",
        "overtime_daily_exceeds": "overtime_daily_exceeds",
        "overtime_monthly_exceeds": "overtime_monthly_exceeds",
        "deduction_exceeds": "deduction_exceeds",
        "wage_left_after_deduction": "wage_left_after_deduction",
        "deduction_leaves_below_minimum": "deduction_leaves_below_minimum",
    }
    return Call(funcs[func], args)


def parse(source: str) -> Expr:
    """Parse template text into an AST; raise :class:`ExpressionError` for anything outside the grammar."""
    if not isinstance(source, str):
        raise TypeError("expression source must be a str")
    if len(source) > MAX_SOURCE_LENGTH:
        raise ExpressionError(source, MAX_SOURCE_LENGTH, f"expression longer than {MAX_SOURCE_LENGTH} characters")
    return _Parser(source).parse()


# ------------------------------------------------------------------------------------------------- unparse

# Binding strength of each form; an operand weaker than its slot needs parentheses.
_OR, _AND, _NOT, _COMPARE, _ADD, _MUL, _UNARY, _ATOM = range(1, 9)


def _number_text(value: int | Decimal) -> str:
    if isinstance(value, int):
        return str(value)
    text = format(value, "f")  # exact: no rounding to the context precision, unlike normalize()
    if "." not in text:
        return text + ".0"
    text = text.rstrip("0")
    return text + "0" if text.endswith(".") else text


def _unparse(expr: Expr) -> tuple[str, int]:
    def slot(child: Expr, strength: int) -> str:
        text, level = _unparse(child)
        return text if level >= strength else f"({text})"

    if isinstance(expr, Number):
        return _number_text(expr.value), _ATOM
    if isinstance(expr, BoolLiteral):
        return ("true" if expr.value else "false"), _ATOM
    if isinstance(expr, Name):
        return expr.id, _ATOM
    if isinstance(expr, Call):
        return f"{expr.func}({', '.join(_unparse(arg)[0] for arg in expr.args)})", _ATOM
    if isinstance(expr, Neg):
        return "-" + slot(expr.operand, _UNARY), _UNARY
    if isinstance(expr, Not):
        return "not " + slot(expr.operand, _NOT), _NOT
    if isinstance(expr, Logical):
        level = _OR if expr.op == "or" else _AND
        return f"{slot(expr.left, level)} {expr.op} {slot(expr.right, level + 1)}", level
    if isinstance(expr, Comparison):
        return f"{slot(expr.left, _ADD)} {expr.op} {slot(expr.right, _ADD)}", _COMPARE
    if isinstance(expr, Arithmetic):
        level = _ADD if expr.op in ("+", "-") else _MUL
        return f"{slot(expr.left, level)} {expr.op} {slot(expr.right, level + 1)}", level
    raise TypeError(f"not an expression node: {type(expr).__name__}")


def unparse(expr: Expr) -> str:
    """Canonical text with the fewest parentheses: ``parse(unparse(e)) == e`` for every AST."""
    return _unparse(expr)[0]


# ----------------------------------------------------------------------------------------------- evaluation

# Internal values: exact numbers as Fraction, yes/no as bool, unknown as None.
_Internal: TypeAlias = bool | Fraction | None


def _fail(expr: Expr, detail: str) -> EvaluationError:
    return EvaluationError(f"表达式 “{unparse(expr)}” 无法计算：{detail}")


def _import(name: str, raw: object) -> _Internal:
    if raw is None or isinstance(raw, bool):
        return raw
    if isinstance(raw, int):
        return Fraction(raw)
    if isinstance(raw, float):
        if not math.isfinite(raw):
            raise EvaluationError(f"输入项 {name} 的值不是有限数：{raw!r}")
        return Fraction(repr(raw))
    if isinstance(raw, Decimal):
        if not raw.is_finite():
            raise EvaluationError(f"输入项 {name} 的值不是有限数：{raw}")
        return Fraction(raw)
    raise EvaluationError(f"输入项 {name} 的值类型不受支持：{type(raw).__name__}")


def _export(value: _Internal) -> Value:
    if value is None or isinstance(value, bool):
        return value
    if value.denominator == 1:
        return value.numerator
    try:
        return float(value)
    except OverflowError:
        raise EvaluationError("计算结果超出可表示的数值范围") from None


def _numbers(expr: Expr, symbol: str, *values: _Internal) -> list[Fraction | None]:
    """Check that operands are numbers or unknown; a yes/no value is a template bug."""
    for value in values:
        if isinstance(value, bool):
            raise _fail(expr, f"“{symbol}” 只能用于数字，不能用于是/否值")
    return [value for value in values if not isinstance(value, bool)]


def _truths(expr: Expr, symbol: str, *values: _Internal) -> list[bool | None]:
    """Check that operands are yes/no values or unknown; a number is a template bug."""
    result: list[bool | None] = []
    for value in values:
        if isinstance(value, Fraction):
            raise _fail(expr, f"“{symbol}” 只能用于是/否值，不能用于数字")
        result.append(value)
    return result


def _arithmetic(expr: Arithmetic, left: Fraction, right: Fraction) -> Fraction | None:
    if expr.op == "+":
        return left + right
    if expr.op == "-":
        return left - right
    if expr.op == "*":
        return left * right
    return None if right == 0 else left / right


def _compare(op: ComparisonOp, left: Fraction | bool, right: Fraction | bool) -> bool:
    if op == "==":
        return left == right
    if op == "!=":
        return left != right
    if op == "<":
        return left < right
    if op == "<=":
        return left <= right
    if op == ">":
        return left > right
    return left >= right


def _eval(expr: Expr, env: Mapping[str, Value]) -> _Internal:
    if isinstance(expr, Number):
        return Fraction(expr.value)
    if isinstance(expr, BoolLiteral):
        return expr.value
    if isinstance(expr, Name):
        return _import(expr.id, env.get(expr.id))
    if isinstance(expr, Neg):
        (operand,) = _numbers(expr, "-", _eval(expr.operand, env))
        return None if operand is None else -operand
    if isinstance(expr, Not):
        (truth,) = _truths(expr, "not", _eval(expr.operand, env))
        return None if truth is None else not truth
    if isinstance(expr, Logical):
        left, right = _truths(expr, expr.op, _eval(expr.left, env), _eval(expr.right, env))
        decisive = expr.op == "or"  # the value that settles the result whatever the other side is
        if left is decisive or right is decisive:
            return decisive
        if left is None or right is None:
            return None
        return not decisive
    if isinstance(expr, Arithmetic):
        a, b = _numbers(expr, expr.op, _eval(expr.left, env), _eval(expr.right, env))
        return None if a is None or b is None else _arithmetic(expr, a, b)
    if isinstance(expr, Comparison):
        return _evaluate_comparison(expr, env)
    if isinstance(expr, Call):
        return _evaluate_call(expr, env)
    raise TypeError(f"not an expression node: {type(expr).__name__}")


def _evaluate_comparison(expr: Comparison, env: Mapping[str, Value]) -> _Internal:
    left = _eval(expr.left, env)
    right = _eval(expr.right, env)
    if expr.op in ("==", "!="):
        if left is not None and right is not None and isinstance(left, bool) != isinstance(right, bool):
            raise _fail(expr, f"“{expr.op}” 两边须同为数字或同为是/否值")
    else:
        _numbers(expr, expr.op, left, right)
    if left is None or right is None:
        return None
    return _compare(expr.op, left, right)


def _evaluate_call(expr: Call, env: Mapping[str, Value]) -> _Internal:
    values = [_eval(arg, env) for arg in expr.args]
    if expr.func == "known":
        return values[0] is not None
    numbers = _numbers(expr, f"{expr.func}()", *values)
    if expr.func == "coalesce":  # the first captured value: "use this figure, or else that one"
        return next((number for number in numbers if number is not None), None)
    if expr.func in ("compensation_months", "compensation_amount"):
        return _compensation(expr, numbers)
    if expr.func in DOMAIN_FUNCTIONS or expr.func == "overtime_exceeds":
        return _domain(expr, numbers)
    if any(number is None for number in numbers):
        return None
    known = [number for number in numbers if number is not None]
    if expr.func == "abs":
        return abs(known[0])
    return min(known) if expr.func == "min" else max(known)


def _decimal(number: Fraction) -> Decimal:
    return Decimal(number.numerator) / Decimal(number.denominator)


def _compensation(expr: Call, numbers: Sequence[Fraction | None]) -> Fraction | None:
    """劳动合同法第四十七条, computed by the one implementation in :mod:`core.labor_math`."""
    months, wage, average = numbers
    if months is None or wage is None or average is None:
        return None
    if months.denominator != 1:
        raise _fail(expr, "工作年限（月）须为整数")
    try:
        result = economic_compensation(int(months), _decimal(wage), _decimal(average))
    except LaborMathError as error:
        raise _fail(expr, str(error)) from None
    value = result.months_payable if expr.func == "compensation_months" else result.amount
    return Fraction(value)


def _count(expr: Expr, number: Fraction) -> int:
    if number.denominator != 1 or number < 0:
        raise _fail(expr, "人数、月数须为非负整数")
    return int(number)


def _dispatch(expr: Expr, args: Sequence[Fraction]) -> labor_math.DispatchShare:
    return labor_math.dispatch_share(_count(expr, args[0]), _count(expr, args[1]))


def _dispatch_percent(expr: Expr, args: Sequence[Fraction]) -> Fraction | bool | None:
    result = _dispatch(expr, args)
    return None if result.total == 0 else Fraction(result.dispatched * 100, result.total)


def _overtime(expr: Expr, args: Sequence[Fraction | None]) -> bool | None:
    daily, monthly = (None if value is None else _decimal(value) for value in args)
    return labor_math.overtime_exceeds(daily, monthly).exceeds


def _wage_left(args: Sequence[Fraction]) -> Fraction:
    wage, percent = args
    return wage - wage * percent / 100


DomainFunction = Callable[[Expr, Sequence[Fraction]], Fraction | bool | None]
DOMAIN_FUNCTIONS: Final[Mapping[str, DomainFunction]] = {
    # 劳动合同法第八十二条, 实施条例第六、七条: months of double wages owed for want of a written contract
    "double_wage_months": lambda expr, a: Fraction(labor_math.double_wage_months(_count(expr, a[0]))),
    # 劳务派遣暂行规定第四条: dispatched workers as a percentage of 用工总量, and whether over 10%
    "dispatch_percent": _dispatch_percent,
    "dispatch_exceeds": lambda expr, a: _dispatch(expr, a).exceeds,
    # 劳动合同法第四十一条第一款: 20 people or 10% of the workforce
    "layoff_reached": lambda expr, a: labor_math.layoff_threshold(_count(expr, a[0]), _count(expr, a[1])).reached,
    # 劳动法第四十一条, each limit on its own (the statements say which one was passed)
    "overtime_daily_exceeds": lambda expr, a: labor_math.overtime_exceeds(_decimal(a[0]), None).daily_exceeds,
    "overtime_monthly_exceeds": lambda expr, a: labor_math.overtime_exceeds(None, _decimal(a[0])).monthly_exceeds,
    # 工资支付暂行规定第十六条: at most 20% a month, and never below the local minimum wage after the deduction
    "deduction_exceeds": lambda expr, a: labor_math.deduction_exceeds(_decimal(a[0])),
    "wage_left_after_deduction": lambda expr, a: _wage_left(a),
    "deduction_leaves_below_minimum": lambda expr, a: labor_math.wage_after_deduction_below_minimum(
        _decimal(a[0]), _decimal(a[0] * a[1] / 100), _decimal(a[2])
    ),
}
"""The statutory rules a template may name, each computed by its tested implementation in core.labor_math.
``overtime_exceeds`` (劳动法第四十一条) is handled apart: one figure can decide without the other."""


def _domain(expr: Call, numbers: Sequence[Fraction | None]) -> Fraction | bool | None:
    if expr.func == "overtime_exceeds":
        return _overtime(expr, numbers)
    if any(number is None for number in numbers):
        return None
    known = [number for number in numbers if number is not None]
    try:
        return DOMAIN_FUNCTIONS[expr.func](expr, known)
    except LaborMathError as error:
        raise _fail(expr, str(error)) from None


def evaluate(expr: Expr, env: Mapping[str, Value]) -> Value:
    """Evaluate ``expr`` with the captured inputs in ``env``; names missing from ``env`` are unknown.

    Raises :class:`EvaluationError` when the template mixes yes/no values and numbers, or an input is not
    a bool, int, float (finite) or ``None`` (a finite ``Decimal`` is accepted too, as money is kept in
    ``Decimal``).
    """
    return _export(_eval(expr, env))
