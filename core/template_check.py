"""Checking a template snapshot: the same checks wherever a template is made, published or received.

A *snapshot* is one module as an audit keeps it and as the server publishes it: ``{"format": 1, "module": {...},
"laws": [...], "inputs": [...], "derived": [...]}`` (the module, the registry entries it cites, the inputs and
derived values its expressions use), with ``"facts": [...]`` when its statements use values another source
supplies. ``laborcheck check-templates`` checks YAML template sets and JSON snapshots, ``laborcheck-server
template publish`` refuses a snapshot that fails, and a laptop refuses to use a received one that fails — all
with :func:`check_snapshot`, which runs the schema (:mod:`core.checklist_schema`: every field, article format,
severity, deadline), then :func:`core.checklist_schema.find_problems`, exactly as the YAML loader does: the
expression syntax and names, the law references, the duplicate ids, and every item's title and finding
statements (one fact each — no alternatives such as "或者", no brackets inside brackets —, placeholders that
name only what a visit can supply, a last statement that is an unconditional fallback without placeholders).

A version shipped with the app is known content: it passed the checks of the release that shipped it, and the
app still reads it (a version made before statements is worded from its ``problem``, :mod:`core.statements`),
so :func:`check_snapshot` does not judge it again by rules made later — the packaged v1 that old audits pinned,
and that a server may have published, stays usable everywhere.

A version number is bound to one content: :func:`content_hash` is the SHA-256 of the snapshot's canonical JSON,
and :data:`core.packaged_templates.PACKAGED_VERSIONS` holds the hash of every version ever shipped with the app, so
an edited "v1" is refused even where that v1 was never published (:func:`version_conflict`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError
from pydantic_core import ErrorDetails

from core.checklist_schema import (
    DEFER_CROSS_CHECKS,
    Derived,
    FactDef,
    InputDef,
    Law,
    ModuleTemplate,
    field_path,
    find_problems,
)
from core.packaged_templates import PACKAGED_VERSIONS

SNAPSHOT_FORMAT = 1
SNAPSHOT_KEYS = frozenset({"format", "module", "laws", "inputs", "derived"})
OPTIONAL_SNAPSHOT_KEYS = frozenset({"facts"})

#: Where a value sits in a document: mapping keys and sequence indexes from the root.
Path = tuple[str | int, ...]

__all__ = [
    "SNAPSHOT_FORMAT",
    "SnapshotProblem",
    "check_snapshot",
    "content_hash",
    "describe_validation_error",
    "is_shipped",
    "received_template_problems",
    "version_conflict",
]


def content_hash(snapshot: Mapping[str, Any]) -> str:
    """SHA-256 (hex) of the snapshot's canonical JSON: the same content always gives the same hash."""
    canonical = json.dumps(snapshot, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def version_conflict(module: str, version: int, digest: str) -> str | None:
    """Why this content may not carry this version number (another content shipped under it), or None."""
    shipped = PACKAGED_VERSIONS.get((module, version))
    if shipped is not None and shipped != digest:
        return (
            f"检查表 {module} 第 {version} 版是软件内置的版本，内容与内置的不同（内容哈希 {digest[:12]}…，"
            f"内置 {shipped[:12]}…）：修改检查表内容必须提高版本号"
        )
    return None


def is_shipped(snapshot: Any) -> bool:
    """Whether ``snapshot`` is, to the byte of its canonical JSON, a version shipped with the app."""
    module = snapshot.get("module") if isinstance(snapshot, dict) else None
    if not isinstance(module, dict):
        return False
    shipped = PACKAGED_VERSIONS.get((module.get("module"), module.get("version")))  # type: ignore[arg-type]
    return shipped is not None and shipped == content_hash(snapshot)


# ------------------------------------------------------------------------------------------- describing errors

_PATTERN_HINTS = {
    "article": "write the article in Chinese numerals as the statute does, e.g. 第八十二条 or 第四十一条第一款",
    "module": "a module code is upper-case letters, e.g. CONTRACT",
    "law": "a law id is lower-case letters, digits and '-', e.g. ldhtf",
    "id": "ids look like CONTRACT-01 (items), ldhtf (laws) or headcount (inputs, derived values, figures)",
}


def _owner(data: Any, loc: Sequence[str | int]) -> tuple[str, int]:
    """A readable prefix naming the entry an error is in (``item CONTRACT-03: ``) and how much of loc it used."""
    if len(loc) >= 2 and isinstance(loc[1], int) and isinstance(loc[0], str):
        collection, index = loc[0], loc[1]
        entries = data.get(collection) if isinstance(data, dict) else None
        entry = entries[index] if isinstance(entries, list) and index < len(entries) else None
        label = {"items": "item", "laws": "law", "inputs": "input", "derived": "derived", "facts": "fact"}.get(
            collection, collection
        )
        entry_id = entry.get("id") if isinstance(entry, dict) else None
        name = entry_id if isinstance(entry_id, str) else f"{collection}[{index}]"
        return f"{label} {name}: ", 2
    return "", 0


def _short_repr(value: object, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def describe_validation_error(error: ErrorDetails, data: Any) -> tuple[Path, str]:
    """One pydantic error as (where, message naming the entry): ``item CONTRACT-03: severity: …``.

    ``data`` is the document validated (its entries' ids name the owner of an error).
    """
    loc = [part for part in error["loc"] if isinstance(part, str | int)]
    # pydantic adds branch names (e.g. 'function-after[...]') for some unions: keep only real data keys
    loc = [part for part in loc if isinstance(part, int) or "[" not in part]
    prefix, used = _owner(data, loc)
    rest = loc[used:]
    error_type = error["type"]
    field_name = field_path(rest)
    where = f"{field_name}: " if field_name else ""
    if error_type == "extra_forbidden":
        message = f"unknown key '{rest[-1] if rest else ''}'"
    elif error_type == "missing":
        message = f"missing required key '{rest[-1] if rest else ''}'"
    elif error_type == "value_error":
        message = where + str(error["msg"]).removeprefix("Value error, ")
    elif error_type == "string_pattern_mismatch":
        hint = _PATTERN_HINTS.get(str(rest[-1]) if rest else "", "it does not have the expected form")
        message = f"{where}{_short_repr(error['input'])} is not valid: {hint}"
    else:
        message = f"{where}{error['msg']} (got {_short_repr(error['input'])})"
    return tuple(loc), prefix + message


# ----------------------------------------------------------------------------------------------- the snapshot


@dataclass(frozen=True)
class SnapshotProblem:
    """One problem of a snapshot: where (``module.items[2].rule.noncompliant_if``) and what, naming the item."""

    path: Path
    message: str

    @property
    def where(self) -> str:
        return field_path(self.path) or "(snapshot)"

    def __str__(self) -> str:
        return self.message


class _Registry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    laws: tuple[Law, ...]
    inputs: tuple[InputDef, ...]
    derived: tuple[Derived, ...]
    facts: tuple[FactDef, ...] = ()


def _validate(
    model: type[BaseModel], data: Any, prefix: Path, problems: list[SnapshotProblem], *, defer: bool = False
) -> Any:
    try:
        return model.model_validate(data, context={DEFER_CROSS_CHECKS: True} if defer else None)
    except ValidationError as exc:
        for error in exc.errors():
            loc, message = describe_validation_error(error, data)
            problems.append(SnapshotProblem((*prefix, *loc), message))
        return None


def check_snapshot(snapshot: Any, *, trust_shipped: bool = True) -> list[SnapshotProblem]:
    """Every problem of a module snapshot (empty: it loads, every reference resolves, every item states its finding).

    A version shipped with the app has none (see the module docstring); ``trust_shipped=False`` checks it as if it
    were new, which the current packaged versions must pass.
    """
    if not isinstance(snapshot, dict):
        return [SnapshotProblem((), "a template snapshot must be a JSON object")]
    if trust_shipped and is_shipped(snapshot):
        return []
    problems: list[SnapshotProblem] = []
    for key in sorted(SNAPSHOT_KEYS - set(snapshot)):
        problems.append(SnapshotProblem((key,), f"missing required key '{key}'"))
    for key in sorted(set(snapshot) - SNAPSHOT_KEYS - OPTIONAL_SNAPSHOT_KEYS, key=str):
        problems.append(SnapshotProblem((str(key),), f"unknown key '{key}'"))
    if "format" in snapshot and snapshot["format"] != SNAPSHOT_FORMAT:
        problems.append(SnapshotProblem(("format",), f"unknown snapshot format {_short_repr(snapshot['format'])}"))
    if problems:
        return problems
    registry = _validate(
        _Registry,
        {key: snapshot[key] for key in ("laws", "inputs", "derived", "facts") if key in snapshot},
        (),
        problems,
        defer=False,
    )
    module = _validate(ModuleTemplate, snapshot["module"], ("module",), problems, defer=True)
    if not isinstance(module, ModuleTemplate):
        return problems
    laws = registry.laws if isinstance(registry, _Registry) else None
    inputs = registry.inputs if isinstance(registry, _Registry) else None
    derived = registry.derived if isinstance(registry, _Registry) else None
    facts = registry.facts if isinstance(registry, _Registry) else ()
    for problem in find_problems(laws, inputs, derived, [module], facts):
        prefix: Path = ("module",) if problem.source == module.module else ()
        problems.append(SnapshotProblem((*prefix, *problem.path), problem.message))
    return problems


def received_template_problems(module: object, version: object, claimed_hash: object, snapshot: Any) -> list[str]:
    """Why a template version received from a server cannot be used (empty: usable).

    The snapshot must pass :func:`check_snapshot`, be the module and version it is sent as, hash to the content
    hash it is sent with, and not carry a version number shipped with other content.
    """
    problems = [str(problem) for problem in check_snapshot(snapshot)]
    if problems:
        return problems
    inner = snapshot["module"]
    if (inner["module"], inner["version"]) != (module, version):
        return [f"the snapshot is {inner['module']} v{inner['version']} but was sent as {module} v{version}"]
    digest = content_hash(snapshot)
    if digest != claimed_hash:
        return [f"the content hash {digest} does not match the one sent ({claimed_hash})"]
    conflict = version_conflict(inner["module"], inner["version"], digest)
    return [conflict] if conflict is not None else []
