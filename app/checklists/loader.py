"""Read a directory of YAML templates into a validated :class:`TemplateSet`, pointing at the line of every error.

Templates are edited by hand, so an error must say *where*: every problem — YAML syntax, an unknown key, a
missing severity, an unknown law, an expression that does not parse or names an undeclared input — becomes a
:class:`TemplateIssue` with the file and the 1-based line of the offending node.  All files are checked and all
issues reported in one pass (``laborcheck check-templates`` prints them).

YAML is composed with PyYAML's ``SafeLoader`` and turned into plain data by this module, node by node, so the line
of every node is kept.  Only plain data tags are accepted; anything else (``!!python/object`` and friends) is
reported as an error at its line and never constructed.

An audit stores the module it was made with: :func:`module_snapshot` gives a JSON-able snapshot holding the
module, the registry entries it cites and the inputs/derived values it uses, and :func:`content_hash` its SHA-256,
so a later template (or law) version never changes an old audit.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError
from pydantic_core import ErrorDetails

from core.checklist_schema import (
    DEFER_CROSS_CHECKS,
    Derived,
    FactDef,
    InputDef,
    Law,
    ModuleTemplate,
    TemplateProblem,
    TemplateSet,
    compile_expression,
    find_problems,
    statement_placeholders,
)
from core.template_check import (
    SNAPSHOT_FORMAT,
    check_snapshot,
    content_hash,
    describe_validation_error,
    version_conflict,
)

__all__ = [
    "INPUTS_FILE",
    "LAWS_FILE",
    "TemplateIssue",
    "TemplateLoadError",
    "check_snapshot_file",
    "check_templates",
    "content_hash",
    "default_template_dir",
    "load_template_set",
    "module_snapshot",
]

LAWS_FILE = "laws.yaml"
INPUTS_FILE = "inputs.yaml"

_YAML_TAG = "tag:yaml.org,2002:"
_PLAIN_TAGS = frozenset(_YAML_TAG + name for name in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp"))

#: Where a node sits in a document: mapping keys and sequence indexes from the root.
NodePath = tuple[str | int, ...]


@dataclass(frozen=True)
class TemplateIssue:
    """One problem in a template file: which file, which line (1-based), what is wrong."""

    file: Path
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file.name}:{self.line}: {self.message}"


class TemplateLoadError(ValueError):
    """The templates could not be loaded; ``issues`` lists every problem found."""

    def __init__(self, issues: Sequence[TemplateIssue]) -> None:
        self.issues = list(issues)
        super().__init__("\n".join(str(issue) for issue in self.issues))


def default_template_dir() -> Path:
    """The templates shipped with the app (inside the package, so PyInstaller bundles them too)."""
    return Path(__file__).resolve().parent / "templates"


# ----------------------------------------------------------------------------------------- YAML with line numbers


@dataclass
class _Document:
    """A YAML file turned into plain data, with the line of every node."""

    file: Path
    data: Any = None
    #: path -> line of the mapping key naming the node (what a reader looks at for ``severity: ...``)
    key_lines: dict[NodePath, int] = field(default_factory=dict)
    #: path -> line where the node itself starts (sequence elements have no key)
    value_lines: dict[NodePath, int] = field(default_factory=dict)

    def line(self, path: Sequence[str | int]) -> int:
        """The line of ``path``, or of its nearest existing ancestor (a missing key points at its parent)."""
        current: NodePath = tuple(path)
        while True:
            if current in self.key_lines:
                return self.key_lines[current]
            if current in self.value_lines:
                return self.value_lines[current]
            if not current:
                return 1
            current = current[:-1]

    def issue(self, path: Sequence[str | int], message: str) -> TemplateIssue:
        return TemplateIssue(self.file, self.line(path), message)


def _show_tag(tag: str) -> str:
    return "!!" + tag[len(_YAML_TAG) :] if tag.startswith(_YAML_TAG) else tag


class _Converter:
    """Turns composed YAML nodes into dicts, lists and scalars, recording lines and refusing non-data tags."""

    def __init__(self, document: _Document) -> None:
        self.document = document
        self.issues: list[TemplateIssue] = []
        self._constructor = yaml.constructor.SafeConstructor()
        self._active: set[int] = set()
        # An alias reuses the converted value, as PyYAML does: converting it again for every reference would let
        # a few nested aliases ("billion laughs") take exponential time.
        self._converted: dict[int, Any] = {}

    def _fail(self, node: yaml.Node, message: str) -> None:
        self.issues.append(TemplateIssue(self.document.file, node.start_mark.line + 1, message))

    def convert(self, node: yaml.Node, path: NodePath) -> Any:
        self.document.value_lines[path] = node.start_mark.line + 1
        if node.tag not in _PLAIN_TAGS:
            self._fail(node, f"YAML tag '{_show_tag(node.tag)}' is not allowed: templates hold plain data only")
            return None
        if id(node) in self._active:
            self._fail(node, "recursive YAML alias")
            return None
        if id(node) in self._converted:
            return self._converted[id(node)]
        self._active.add(id(node))
        try:
            value: Any
            if isinstance(node, yaml.MappingNode):
                value = self._mapping(node, path)
            elif isinstance(node, yaml.SequenceNode):
                value = [self.convert(child, (*path, index)) for index, child in enumerate(node.value)]
            else:
                value = self._scalar(node)
        finally:
            self._active.discard(id(node))
        self._converted[id(node)] = value
        return value

    def _mapping(self, node: yaml.MappingNode, path: NodePath) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self._fail(key_node, "a mapping key must be plain text")
                continue
            key = str(key_node.value)
            child: NodePath = (*path, key)
            if key in result:
                first = self.document.key_lines[child]
                self._fail(key_node, f"duplicate key '{key}' (first given at line {first})")
                continue
            self.document.key_lines[child] = key_node.start_mark.line + 1
            result[key] = self.convert(value_node, child)
        return result

    def _scalar(self, node: yaml.Node) -> Any:
        assert isinstance(node, yaml.ScalarNode)
        constructor = self._constructor
        tag = node.tag[len(_YAML_TAG) :]
        if tag == "int":
            return constructor.construct_yaml_int(node)
        if tag == "float":
            return constructor.construct_yaml_float(node)
        if tag == "bool":
            return constructor.construct_yaml_bool(node)
        if tag == "null":
            return None
        return str(node.value)  # str, and timestamps kept as written (a version like 2008-01-01 is text)


def _read_yaml(file: Path) -> tuple[_Document, list[TemplateIssue]]:
    document = _Document(file)
    try:
        text = file.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        return document, [TemplateIssue(file, 1, f"file is not UTF-8 text ({exc.reason})")]
    except OSError as exc:
        return document, [TemplateIssue(file, 1, f"cannot read file ({exc.strerror})")]
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        problem = exc.problem or exc.context or "cannot parse"
        context = ""
        if exc.context and exc.problem and exc.context_mark is not None:
            context = f" ({exc.context} at line {exc.context_mark.line + 1})"
        return document, [TemplateIssue(file, line, f"YAML syntax error: {problem}{context}")]
    except yaml.YAMLError as exc:
        return document, [TemplateIssue(file, 1, f"YAML syntax error: {exc}")]
    if root is None:
        return document, [TemplateIssue(file, 1, "file is empty")]
    converter = _Converter(document)
    document.data = converter.convert(root, ())
    if not converter.issues and not isinstance(document.data, dict):
        converter.issues.append(TemplateIssue(file, 1, "the file must be a mapping of keys to values"))
    return document, converter.issues


# ------------------------------------------------------------------------------------------ schema errors


def _describe(error: ErrorDetails, document: _Document) -> TemplateIssue:
    loc, message = describe_validation_error(error, document.data)
    return document.issue(loc, message)


def _validate(model: type[BaseModel], document: _Document, issues: list[TemplateIssue], *, defer: bool = False) -> Any:
    try:
        return model.model_validate(document.data, context={DEFER_CROSS_CHECKS: True} if defer else None)
    except ValidationError as exc:
        issues.extend(_describe(error, document) for error in exc.errors())
        return None


class _LawsFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    laws: tuple[Law, ...]


class _InputsFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    inputs: tuple[InputDef, ...]
    derived: tuple[Derived, ...] = ()
    facts: tuple[FactDef, ...] = ()


# -------------------------------------------------------------------------------------------------- the loading


def _load(directory: Path) -> tuple[TemplateSet | None, list[TemplateIssue]]:
    issues: list[TemplateIssue] = []
    if not directory.is_dir():
        return None, [TemplateIssue(directory, 1, "template directory does not exist")]

    def read(name: str) -> _Document | None:
        file = directory / name
        if not file.is_file():
            issues.append(TemplateIssue(file, 1, "required file is missing"))
            return None
        document, found = _read_yaml(file)
        issues.extend(found)
        return None if found else document

    laws: tuple[Law, ...] | None = None
    inputs: tuple[InputDef, ...] | None = None
    derived: tuple[Derived, ...] | None = None
    facts: tuple[FactDef, ...] = ()
    documents: dict[str, _Document] = {}

    laws_document = read(LAWS_FILE)
    if laws_document is not None:
        documents["laws"] = laws_document
        parsed = _validate(_LawsFile, laws_document, issues)
        laws = parsed.laws if isinstance(parsed, _LawsFile) else None
    inputs_document = read(INPUTS_FILE)
    if inputs_document is not None:
        documents["inputs"] = inputs_document
        parsed = _validate(_InputsFile, inputs_document, issues)
        if isinstance(parsed, _InputsFile):
            inputs, derived, facts = parsed.inputs, parsed.derived, parsed.facts

    modules: list[ModuleTemplate] = []
    module_files = sorted(path for path in directory.glob("*.yaml") if path.name not in (LAWS_FILE, INPUTS_FILE))
    if not module_files:
        issues.append(TemplateIssue(directory / "*.yaml", 1, "no module files found"))
    for file in module_files:
        document = read(file.name)
        if document is None:
            continue
        module = _validate(ModuleTemplate, document, issues, defer=True)
        if not isinstance(module, ModuleTemplate):
            continue
        if module.module.lower() != file.stem:
            issues.append(
                document.issue(
                    ("module",), f"module {module.module}: file should be named {module.module.lower()}.yaml"
                )
            )
        if module.module in documents:
            issues.append(document.issue(("module",), f"module {module.module}: declared in two files"))
            continue
        documents[module.module] = document
        modules.append(module)

    for problem in find_problems(laws, inputs, derived, modules, facts):
        issues.append(_locate(problem, documents, directory))
    if issues or laws is None or inputs is None or derived is None:
        return None, _sorted(issues)
    modules.sort(key=lambda module: module.order)
    return TemplateSet(laws=laws, inputs=inputs, derived=derived, facts=facts, modules=tuple(modules)), []


def _locate(problem: TemplateProblem, documents: Mapping[str, _Document], directory: Path) -> TemplateIssue:
    document = documents.get(problem.source)
    if document is None:  # pragma: no cover - every problem source has a document
        return TemplateIssue(directory, 1, problem.message)
    message = problem.message
    if problem.first is not None:
        message += f" (first defined at line {document.line(problem.first)})"
    return document.issue(problem.path, message)


def _sorted(issues: list[TemplateIssue]) -> list[TemplateIssue]:
    return sorted(issues, key=lambda issue: (issue.file.name, issue.line, issue.message))


def check_templates(path: Path) -> list[TemplateIssue]:
    """Every problem in the templates at ``path`` (empty when they load cleanly).

    ``path`` is a directory of YAML templates, of JSON snapshots (``laborcheck export-templates``, what the server
    publishes) or of both, or one snapshot file. Snapshots get the checks the server and the laptops make
    (:func:`core.template_check.check_snapshot`), plus the packaged versions' content hashes.
    """
    if path.is_file():
        return check_snapshot_file(path)
    snapshots = sorted(path.glob("*.json")) if path.is_dir() else []
    issues: list[TemplateIssue] = []
    if not snapshots or any(path.glob("*.yaml")):
        issues.extend(_load(path)[1])
    for file in snapshots:
        issues.extend(check_snapshot_file(file))
    return issues


def check_snapshot_file(file: Path) -> list[TemplateIssue]:
    """The problems of one JSON snapshot, each at its line (the JSON is also read as YAML to find the lines)."""
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return [TemplateIssue(file, 1, f"cannot read file ({exc})")]
    try:
        snapshot = json.loads(text)
    except json.JSONDecodeError as exc:
        return [TemplateIssue(file, exc.lineno, f"not valid JSON: {exc.msg}")]
    document, yaml_issues = _read_yaml(file)
    problems = check_snapshot(snapshot)
    if not problems:
        module = snapshot["module"]
        conflict = version_conflict(module["module"], module["version"], content_hash(snapshot))
        if conflict is not None:
            return [TemplateIssue(file, document.line(("module", "version")) if not yaml_issues else 1, conflict)]
    return [
        TemplateIssue(file, 1 if yaml_issues else document.line(problem.path), problem.message) for problem in problems
    ]


def load_template_set(directory: Path) -> TemplateSet:
    """Load and cross-check the templates under ``directory``; raise :class:`TemplateLoadError` listing all issues."""
    template_set, issues = _load(directory)
    if template_set is None:
        raise TemplateLoadError(issues)
    return template_set


# ------------------------------------------------------------------------------------------ snapshot and hashing


def _expression_names(template_set: TemplateSet, module: ModuleTemplate) -> set[str]:
    sources = [module.suggest_if]
    names: set[str] = set()
    for item in module.items:
        sources.extend(source for _, source in item.expressions())
        for statement in item.finding or ():
            if statement.when is not None:
                sources.append(statement.when)
            names |= {name for text in (statement.zh, statement.en) for name, _ in statement_placeholders(text)}
    for source in sources:
        names |= compile_expression(source).names()
    derived_by_id = {value.id: value for value in template_set.derived}
    pending = [name for name in names if name in derived_by_id]
    while pending:  # a derived value brings in what it is computed from
        for name in compile_expression(derived_by_id[pending.pop()].expr).names():
            if name not in names:
                names.add(name)
                if name in derived_by_id:
                    pending.append(name)
    return names


def module_snapshot(template_set: TemplateSet, module_code: str) -> dict[str, Any]:
    """Everything an audit needs to keep a module as it was: the module, cited laws, used inputs/derived values.

    ``ModuleTemplate.model_validate(snapshot["module"])`` rebuilds the module.  Registry entries, inputs and
    derived values keep registry order; unset optional fields are left out so that adding an optional field to
    the schema later does not change the hash of existing templates.
    """
    module = template_set.module(module_code)
    cited = {ref.law for item in module.items for ref in item.basis}
    names = _expression_names(template_set, module)
    used_facts = [value.model_dump(mode="json", exclude_none=True) for value in template_set.facts if value.id in names]
    extra: dict[str, Any] = {"facts": used_facts} if used_facts else {}
    return {
        **extra,
        "format": SNAPSHOT_FORMAT,
        "module": module.model_dump(mode="json", exclude_none=True),
        "laws": [law.model_dump(mode="json", exclude_none=True) for law in template_set.laws if law.id in cited],
        "inputs": [
            value.model_dump(mode="json", exclude_none=True) for value in template_set.inputs if value.id in names
        ],
        "derived": [
            value.model_dump(mode="json", exclude_none=True) for value in template_set.derived if value.id in names
        ],
    }
