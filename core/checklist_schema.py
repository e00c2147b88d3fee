"""The shape of a checklist template set, and the checks that make one trustworthy.

Templates are content written by people: the law registry (``laws.yaml``), the facts captured on a visit
(``inputs.yaml``) and one file per checklist module. What a coordinator prints on a rectification notice comes
straight from here, so the schema is strict (unknown keys are errors, every model is frozen) and a template set
is only constructed once every cross-reference holds: every cited law is in the registry, every expression parses
and names only declared inputs, every check item carries the problem found, severity, requirement and deadline a
notice needs.

Two layers of checking exist on purpose:

* field-level rules live on the models, so ``Item.model_validate`` alone refuses a check item without a deadline;
* cross-references are collected by :func:`module_problems` and :func:`find_problems` as located
  :class:`TemplateProblem` values, so the loader can point at the exact YAML line of each one and report all of
  them at once.  ``ModuleTemplate`` and ``TemplateSet`` run the same functions in their validators and refuse to
  exist when a problem remains.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Annotated, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, StringConstraints, model_validator
from pydantic import ValidationInfo as _ValidationInfo

from core.expressions import EvaluationError, Expr, ExpressionError, Value, evaluate, parse

__all__ = [
    "DEFER_CROSS_CHECKS",
    "Deadline",
    "Derived",
    "FactDef",
    "Figure",
    "InputDef",
    "Item",
    "ItemKind",
    "Law",
    "LawRef",
    "ModuleTemplate",
    "Rule",
    "Severity",
    "Statement",
    "TemplateProblem",
    "TemplateSet",
    "compile_expression",
    "field_path",
    "find_problems",
    "module_problems",
    "statement_placeholders",
    "statement_text_problems",
]

#: Validation context key.  The loader validates modules with ``context={DEFER_CROSS_CHECKS: True}`` so that it can
#: collect the cross-reference problems itself (with their YAML lines) instead of receiving one joined error.
DEFER_CROSS_CHECKS = "defer_cross_checks"

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Name = Annotated[str, StringConstraints(pattern=r"^[a-z_][a-z0-9_]*$")]
LawId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]*$")]
ModuleCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]+$")]
ItemId = Annotated[str, StringConstraints(pattern=r"^[A-Z]+-[0-9]{2,}$")]
# Articles are printed as the statute writes them: 第八十二条, 第四十一条第一款, 第六十二条第一款第（三）项,
# 第六条、第七条, 第六十八条至第七十二条, 第二部分第（十）项 (sections of a normative document).
Article = Annotated[
    str,
    StringConstraints(
        pattern=r"^第[〇零一二三四五六七八九十百千]+[第〇零一二三四五六七八九十百千条款项部分（）、至]*(?:条|款|项|部分)$"
    ),
]

Severity = Literal["高", "中", "低"]
ItemKind = Literal["check", "signal", "computed"]


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


@lru_cache(maxsize=4096)
def compile_expression(source: str) -> Expr:
    """Parse an expression once; templates reuse the same few dozen conditions on every answer."""
    return parse(source)


# --------------------------------------------------------------------------------------------------- law registry


class Law(_Frozen):
    """One entry of the law registry.  A template version snapshots the entries it cites (see ``loader``)."""

    id: LawId
    short: Text
    full: Text
    version: Text
    #: The title as printed on a notice, book-title marks included, when the short name alone would not be
    #: understood there (e.g. 《关于维护新就业形态劳动者劳动保障权益的指导意见》（人社部发〔2021〕56号）).
    cite_as: Text | None = None

    @property
    def title(self) -> str:
        """The law's title as it appears in a citation."""
        return self.cite_as if self.cite_as is not None else f"《{self.short}》"


class LawRef(_Frozen):
    """A legal basis: a registry law and, usually, the article(s) relied on."""

    law: LawId
    #: ``None`` cites the whole document (used only where no single article carries the rule).
    article: Article | None = None

    def citation(self, laws: Mapping[str, Law] | Iterable[Law]) -> str:
        """Render the citation printed on a notice, e.g. 《劳动合同法》第十条."""
        index = laws if isinstance(laws, Mapping) else {law.id: law for law in laws}
        try:
            law = index[self.law]
        except KeyError:
            raise KeyError(f"法规登记表中没有编号为 {self.law!r} 的法规") from None
        return law.title + (self.article or "")


# --------------------------------------------------------------------------------------------------- visit inputs


class InputDef(_Frozen):
    """A fact the coordinator captures on the visit; rules and conditions refer to it by ``id``."""

    id: Name
    label: Text
    type: Literal["integer", "number", "percent", "money", "boolean"]
    unit: Text | None = None
    min: float | None = None
    max: float | None = None
    help: Text | None = None

    @model_validator(mode="after")
    def _bounds_make_sense(self) -> Self:
        if self.type == "boolean" and (self.unit is not None or self.min is not None or self.max is not None):
            raise ValueError("a boolean input takes no unit, min or max")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"min {self.min:g} is greater than max {self.max:g}")
        return self


class Derived(_Frozen):
    """A named value computed from inputs (and earlier derived values), usable in any condition."""

    id: Name
    label: Text
    expr: Text


# --------------------------------------------------------------------------------------------------------- items


class Deadline(_Frozen):
    """Default rectification deadline; ``days == 0`` means 立即整改."""

    days: StrictInt = Field(ge=0, le=365)
    #: Chinese working days (the audit layer counts them with the official holiday calendar).
    working: StrictBool = False


class Figure(_Frozen):
    """A number (or yes/no) shown to the coordinator next to an item, computed from the visit inputs."""

    id: Name
    label: Text
    expr: Text
    unit: Text | None = None


class Rule(_Frozen):
    """What the app computes for an item: when it is non-compliant, and which figures to show."""

    noncompliant_if: Text | None = None
    figures: tuple[Figure, ...] = ()

    @model_validator(mode="after")
    def _figure_ids_unique(self) -> Self:
        seen: set[str] = set()
        for figure in self.figures:
            if figure.id in seen:
                raise ValueError(f"figure id '{figure.id}' is used twice")
            seen.add(figure.id)
        if self.noncompliant_if is None and not self.figures:
            raise ValueError("a rule needs 'noncompliant_if' or at least one figure")
        return self


class Statement(_Frozen):
    """One wording of what was found, as the notice states it: a sentence of fact in official style.

    ``zh`` is printed on the notice ("经查，你单位有{without_contract}名劳动者未订立书面劳动合同。"), ``en`` is its
    English for the screens. ``{name}`` (or ``{name:money}`` for an amount with thousands separators) is filled
    with a value of the visit: a declared input or derived value, one of the item's figures, or a fact another
    source supplies (``facts`` in inputs.yaml, e.g. payroll evidence). ``when`` chooses the statement: the first
    statement whose condition holds and whose placeholders all have values is printed; the last one has neither,
    so a statement always exists (:mod:`core.statements`).
    """

    when: Text | None = None
    zh: Text
    en: Text


class FactDef(_Frozen):
    """A named value that a source other than the visit inputs supplies for findings (payroll evidence, …)."""

    id: Name
    label: Text
    type: Literal["integer", "number", "money", "percent", "text"]
    unit: Text | None = None


class Item(_Frozen):
    """One checklist item.

    ``check`` items make a finding when non-compliant, so they must carry everything a notice prints: the problem
    found, legal basis, severity, requirement and deadline.  ``signal`` items only record a risk signal (no
    rectification item); ``computed`` items only show figures.
    """

    id: ItemId
    kind: ItemKind
    #: The item's short name, how summaries and screens name it ("书面劳动合同订立"): never its code.
    title: Text | None = None
    #: What is checked, phrased as the requirement ("与全部劳动者订立书面劳动合同").
    text: Text
    #: The problem found, as template versions before ``finding`` phrased it ("未与全部劳动者订立书面劳动合同").
    #: Kept so that audits made with those versions still print; current templates state ``finding`` instead.
    problem: Text | None = None
    evidence: tuple[Text, ...] = ()
    basis: tuple[LawRef, ...] = ()
    severity: Severity | None = None
    requirement: Text | None = None
    deadline: Deadline | None = None
    applies_if: Text | None = None
    rule: Rule | None = None
    #: Guidance for the coordinator (not printed on the notice).
    note: Text | None = None
    #: The statements of what was found, in order of preference (see :class:`Statement`). Required by the template
    #: checks for every item of a current template; versions made before statements existed have ``problem`` only.
    finding: tuple[Statement, ...] | None = None

    @model_validator(mode="after")
    def _kind_has_what_it_needs(self) -> Self:
        if self.kind == "check":
            missing = [name for name in ("severity", "requirement", "deadline") if getattr(self, name) is None]
            if self.problem is None and not self.finding:
                missing.append("finding")
            if not self.basis:
                missing.append("basis")
            if missing:
                raise ValueError("check item is missing " + ", ".join(f"'{name}'" for name in missing))
        elif self.kind == "signal":
            present = [name for name in ("requirement", "deadline") if getattr(self, name) is not None]
            if present:
                raise ValueError(
                    "signal item cannot have " + ", ".join(f"'{name}'" for name in present) + " (it makes no finding)"
                )
        else:
            present = [
                name for name in ("problem", "severity", "requirement", "deadline") if getattr(self, name) is not None
            ]
            if present:
                raise ValueError(
                    "computed item cannot have "
                    + ", ".join(f"'{name}'" for name in present)
                    + " (it only shows figures)"
                )
            if self.rule is None or not self.rule.figures or self.rule.noncompliant_if is not None:
                raise ValueError("computed item needs a rule with figures and no 'noncompliant_if'")
        return self

    def expressions(self) -> list[tuple[tuple[str | int, ...], str]]:
        """Every expression of the item with its path inside the item (for located error reports)."""
        found: list[tuple[tuple[str | int, ...], str]] = []
        if self.applies_if is not None:
            found.append((("applies_if",), self.applies_if))
        if self.rule is not None:
            if self.rule.noncompliant_if is not None:
                found.append((("rule", "noncompliant_if"), self.rule.noncompliant_if))
            for index, figure in enumerate(self.rule.figures):
                found.append((("rule", "figures", index, "expr"), figure.expr))
        return found


# ------------------------------------------------------------------------------------------------ cross-checking


@dataclass(frozen=True)
class TemplateProblem:
    """A cross-reference problem, located by document and path so the loader can name the YAML line.

    ``source`` is ``"laws"`` (laws.yaml), ``"inputs"`` (inputs.yaml) or the module code; ``path`` addresses a
    node inside that document, e.g. ``("items", 2, "basis", 0, "law")``.
    """

    source: str
    path: tuple[str | int, ...]
    message: str
    #: For duplicates: where the first occurrence is (the loader adds its line to the message).
    first: tuple[str | int, ...] | None = None

    def __str__(self) -> str:
        return self.message


def field_path(path: Sequence[str | int]) -> str:
    """``("rule", "figures", 0, "expr")`` -> ``rule.figures[0].expr``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def module_problems(module: ModuleTemplate) -> list[TemplateProblem]:
    """Checks that need only the module itself: item ids, and that every expression parses."""
    problems: list[TemplateProblem] = []

    def report(path: tuple[str | int, ...], message: str) -> None:
        problems.append(TemplateProblem(module.module, path, message))

    try:
        compile_expression(module.suggest_if)
    except ExpressionError as exc:
        report(("suggest_if",), f"module {module.module}: suggest_if: {exc}")
    first_seen: dict[str, int] = {}
    for index, item in enumerate(module.items):
        if not item.id.startswith(module.module + "-"):
            report(("items", index, "id"), f"item {item.id}: id must start with '{module.module}-'")
        if item.id in first_seen:
            problems.append(
                TemplateProblem(
                    module.module,
                    ("items", index, "id"),
                    f"item {item.id}: duplicate item id",
                    first=("items", first_seen[item.id], "id"),
                )
            )
        else:
            first_seen[item.id] = index
        for path, source in item.expressions():
            try:
                compile_expression(source)
            except ExpressionError as exc:
                report(("items", index, *path), f"item {item.id}: {field_path(path)}: {exc}")
    return problems


def _names_in(source: str) -> frozenset[str] | None:
    try:
        return compile_expression(source).names()
    except ExpressionError:
        return None  # reported where the expression is parsed


def _sample_value(input_def: InputDef) -> Value:
    return True if input_def.type == "boolean" else 1


def _type_problem(source: str, env: Mapping[str, Value], *, condition: bool) -> str | None:
    """Evaluate with sample values: mixing yes/no values and numbers is a template bug whatever the data."""
    try:
        result = evaluate(compile_expression(source), env)
    except EvaluationError as exc:
        return str(exc)
    if condition and result is not None and not isinstance(result, bool):
        return "must be a yes/no condition, but it gives a number"
    return None


PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
"""``{name}`` or ``{name:format}`` in a statement."""
PLACEHOLDER_NAME = re.compile(r"^([a-z_][a-z0-9_]*)(?::(money))?$")
ALTERNATIVES = ("或者", "或是", "和/或")
"""A statement states one fact: words that offer alternatives ("A，或者B") are refused."""
_OPENING = "（(〔【["
_CLOSING = "）)〕】]"


def statement_placeholders(text: str) -> list[tuple[str, str]]:
    """The ``(name, format)`` of every placeholder; a malformed one gives ``("", text)``."""
    found: list[tuple[str, str]] = []
    for match in PLACEHOLDER.finditer(text):
        parsed = PLACEHOLDER_NAME.match(match.group(1).strip())
        found.append((parsed.group(1), parsed.group(2) or "") if parsed else ("", match.group(0)))
    return found


def _bracket_depth(text: str) -> int:
    depth = deepest = 0
    for char in text:
        if char in _OPENING:
            depth += 1
            deepest = max(deepest, depth)
        elif char in _CLOSING:
            depth -= 1
    return deepest


def statement_text_problems(zh: str) -> list[str]:
    """Style rules of a notice statement: one sentence of fact, no alternatives, no nested brackets."""
    messages: list[str] = []
    if not zh.endswith("。"):
        messages.append("must be one sentence ending with 。")
    for word in ALTERNATIVES:
        if word in zh:
            messages.append(f"states alternatives ('{word}'): state the one fact found")
    if _bracket_depth(zh) > 1:
        messages.append("has brackets inside brackets")
    stripped = PLACEHOLDER.sub("", zh)
    if "{" in stripped or "}" in stripped:
        messages.append("has an unmatched '{' or '}'")
    return messages


def _statement_problems(
    module: ModuleTemplate,
    index: int,
    item: Item,
    env: Mapping[str, Value] | None,
    facts: Mapping[str, FactDef],
) -> list[TemplateProblem]:
    """Every item needs a title and statements; placeholders and conditions name only what a visit can supply."""
    problems: list[TemplateProblem] = []

    def report(path: tuple[str | int, ...], message: str) -> None:
        problems.append(TemplateProblem(module.module, ("items", index, *path), f"item {item.id}: {message}"))

    if item.title is None:
        report(("id",), "missing 'title' (the item's short name in summaries and on screens)")
    if not item.finding:
        report(("id",), "missing 'finding': the statement of what was found that the notice prints")
        return problems
    figures = {figure.id for figure in (item.rule.figures if item.rule else ())}
    for number, statement in enumerate(item.finding):
        last = number == len(item.finding) - 1
        for language, text in (("zh", statement.zh), ("en", statement.en)):
            path: tuple[str | int, ...] = ("finding", number, language)
            names = statement_placeholders(text)
            if last and names:
                report(path, "the last statement is the fallback: it takes no placeholders")
            for name, _format in names:
                if not name:
                    report(path, f"placeholder {_format} is not {{name}} or {{name:money}}")
                elif env is not None and name not in env and name not in figures and name not in facts:
                    report(path, f"placeholder '{name}' is not an input, derived value, figure of this item or fact")
                elif env is not None and isinstance(env.get(name), bool):
                    report(path, f"placeholder '{name}' is a yes/no value: say it in words")
        for message in statement_text_problems(statement.zh):
            report(("finding", number, "zh"), f"statement {message}")
        if statement.when is not None:
            when_path: tuple[str | int, ...] = ("finding", number, "when")
            if last:
                report(when_path, "the last statement is the fallback: it takes no 'when'")
            used = _names_in(statement.when)
            if used is None:
                try:
                    compile_expression(statement.when)
                except ExpressionError as exc:
                    report(when_path, f"when: {exc}")
            elif env is not None:
                unknown = sorted(used - set(env) - figures - set(facts))
                for name in unknown:
                    report(when_path, f"when: unknown name '{name}'")
    return problems


def find_problems(
    laws: Sequence[Law] | None,
    inputs: Sequence[InputDef] | None,
    derived: Sequence[Derived] | None,
    modules: Sequence[ModuleTemplate],
    facts: Sequence[FactDef] = (),
) -> list[TemplateProblem]:
    """Every cross-reference problem of a template set.

    ``laws`` or ``inputs``/``derived`` may be ``None`` when their file could not be read; the checks that depend
    on them are then skipped rather than reporting every citation or name as unknown.
    """
    problems: list[TemplateProblem] = []
    law_ids: dict[str, int] = {}
    for index, law in enumerate(laws or ()):
        if law.id in law_ids:
            problems.append(
                TemplateProblem(
                    "laws",
                    ("laws", index, "id"),
                    f"law {law.id}: duplicate law id",
                    first=("laws", law_ids[law.id], "id"),
                )
            )
        law_ids.setdefault(law.id, index)

    # Names usable in expressions, with a sample value each for the type check.
    env: dict[str, Value] | None = None
    if inputs is not None and derived is not None:
        env = {}
        for index, input_def in enumerate(inputs):
            if input_def.id in env:
                problems.append(
                    TemplateProblem("inputs", ("inputs", index, "id"), f"input {input_def.id}: duplicate input id")
                )
            env[input_def.id] = _sample_value(input_def)
        for index, value in enumerate(derived):
            path: tuple[str | int, ...] = ("derived", index, "expr")
            where = f"derived {value.id}: expr"
            used = _names_in(value.expr)
            if used is None:
                try:
                    compile_expression(value.expr)
                except ExpressionError as exc:
                    problems.append(TemplateProblem("inputs", path, f"{where}: {exc}"))
            else:
                undefined = sorted(used - set(env))
                for name in undefined:
                    later = any(other.id == name for other in derived[index:])
                    why = "is used before it is defined" if later else "is not a declared input or derived value"
                    problems.append(TemplateProblem("inputs", path, f"{where}: name '{name}' {why}"))
                if not undefined:
                    message = _type_problem(value.expr, env, condition=False)
                    if message is not None:
                        problems.append(TemplateProblem("inputs", path, f"{where}: {message}"))
            if value.id in env:
                problems.append(
                    TemplateProblem(
                        "inputs", ("derived", index, "id"), f"derived {value.id}: id is already an input or derived"
                    )
                )
            try:
                env[value.id] = evaluate(compile_expression(value.expr), env)
            except (ExpressionError, EvaluationError):
                env[value.id] = None

    codes: set[str] = set()
    orders: dict[int, str] = {}
    for module in modules:
        problems.extend(module_problems(module))
        if module.module in codes:
            problems.append(TemplateProblem(module.module, ("module",), f"module {module.module}: declared twice"))
        codes.add(module.module)
        if module.order in orders:
            problems.append(
                TemplateProblem(
                    module.module,
                    ("order",),
                    f"module {module.module}: order {module.order} is already used by {orders[module.order]}",
                )
            )
        orders.setdefault(module.order, module.module)

        # (path, source, where, is_condition)
        expressions: list[tuple[tuple[str | int, ...], str, str, bool]] = [
            (("suggest_if",), module.suggest_if, f"module {module.module}: suggest_if", True)
        ]
        fact_index = {fact.id: fact for fact in facts}
        for index, item in enumerate(module.items):
            problems.extend(_statement_problems(module, index, item, env, fact_index))
            if laws is not None:
                for ref_index, ref in enumerate(item.basis):
                    if ref.law not in law_ids:
                        problems.append(
                            TemplateProblem(
                                module.module,
                                ("items", index, "basis", ref_index, "law"),
                                f"item {item.id}: unknown law '{ref.law}' in basis",
                            )
                        )
            for path, source in item.expressions():
                is_condition = path[-1] != "expr"
                expressions.append(
                    (("items", index, *path), source, f"item {item.id}: {field_path(path)}", is_condition)
                )
        if env is None:
            continue
        for path, source, where, is_condition in expressions:
            used = _names_in(source)
            if used is None:
                continue
            undefined = sorted(used - set(env))
            for name in undefined:
                problems.append(
                    TemplateProblem(
                        module.module, path, f"{where}: unknown name '{name}' (not a declared input or derived value)"
                    )
                )
            if not undefined:
                message = _type_problem(source, env, condition=is_condition)
                if message is not None:
                    problems.append(TemplateProblem(module.module, path, f"{where}: {message}"))
    return problems


def _context_defers(info: _ValidationInfo) -> bool:
    return isinstance(info.context, Mapping) and bool(info.context.get(DEFER_CROSS_CHECKS))


def _raise_if_any(problems: Sequence[TemplateProblem]) -> None:
    if problems:
        raise ValueError("; ".join(problem.message for problem in problems))


# ------------------------------------------------------------------------------------------ modules and the set


class ModuleTemplate(_Frozen):
    """One checklist module (one YAML file); this is the unit an audit stores and hashes."""

    module: ModuleCode
    title: Text
    title_en: Text
    version: StrictInt = Field(ge=1)
    order: StrictInt = Field(ge=1)
    #: When the app suggests this module for an enterprise (CHECKLISTS.md "Module suggestions").
    suggest_if: Text = "true"
    items: tuple[Item, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _items_are_consistent(self, info: _ValidationInfo) -> Self:
        if not _context_defers(info):
            _raise_if_any(module_problems(self))
        return self

    def item(self, item_id: str) -> Item:
        """The item with this id (``KeyError`` if the module has none)."""
        for item in self.items:
            if item.id == item_id:
                return item
        raise KeyError(f"模块 {self.module} 中没有检查项 {item_id}")


class TemplateSet(_Frozen):
    """A complete, cross-checked set of templates: registry, inputs, derived values and modules."""

    laws: tuple[Law, ...]
    inputs: tuple[InputDef, ...]
    derived: tuple[Derived, ...] = ()
    facts: tuple[FactDef, ...] = ()
    modules: tuple[ModuleTemplate, ...]

    @model_validator(mode="after")
    def _references_resolve(self) -> Self:
        _raise_if_any(find_problems(self.laws, self.inputs, self.derived, self.modules, self.facts))
        return self

    @property
    def law_index(self) -> dict[str, Law]:
        """Registry entries by id, for :meth:`LawRef.citation`."""
        return {law.id: law for law in self.laws}

    def module(self, code: str) -> ModuleTemplate:
        """The module with this code (``KeyError`` if there is none)."""
        for module in self.modules:
            if module.module == code:
                return module
        raise KeyError(f"模板中没有模块 {code}")

    def item(self, item_id: str) -> Item:
        """Any item by id; the module is the part of the id before the dash."""
        return self.module(item_id.split("-", 1)[0]).item(item_id)

    def citations(self, item: Item) -> list[str]:
        """The citations printed on a notice for this item, in template order."""
        index = self.law_index
        return [ref.citation(index) for ref in item.basis]

    def evaluate_derived(self, values: Mapping[str, Value]) -> dict[str, Value]:
        """The evaluation environment for a visit: every input (``None`` when not captured) plus derived values.

        An unknown key is refused: a misspelt input would otherwise silently count as "unknown".
        """
        declared = {input_def.id for input_def in self.inputs}
        unknown = sorted(set(values) - declared)
        if unknown:
            raise ValueError("未在 inputs.yaml 中声明的录入项: " + ", ".join(unknown))
        env: dict[str, Value] = {name: values.get(name) for name in sorted(declared)}
        for value in self.derived:
            env[value.id] = evaluate(compile_expression(value.expr), env)
        return env
