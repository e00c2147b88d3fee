"""Published checklist templates in the local database, and the loaded form an audit works with.

Templates are stored as immutable snapshots (module + the laws it cites + the inputs it uses), one row per
module version. Installing the packaged templates on start publishes any version the database does not have
yet; a packaged module whose content changed without a version bump is refused, because two different checklists
under one version number would make old audits ambiguous. An audit pins the rows it started with.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.checklists.loader import content_hash, module_snapshot
from app.models import Template
from core.checklist_schema import Derived, FactDef, InputDef, Item, Law, ModuleTemplate, TemplateSet, compile_expression
from core.errors import LaborCheckError
from core.expressions import Value, evaluate
from core.template_check import check_snapshot

log = logging.getLogger(__name__)


class TemplateConflict(LaborCheckError):
    pass


@dataclass(frozen=True)
class LoadedTemplate:
    """A stored template version, rebuilt from its snapshot: what an audit evaluates and prints."""

    row_id: str
    module: ModuleTemplate
    laws: Mapping[str, Law]
    inputs: Sequence[InputDef]
    derived: Sequence[Derived]
    content_hash: str
    facts: Sequence[FactDef] = ()

    @classmethod
    def from_row(cls, row: Template) -> LoadedTemplate:
        """Rebuild a stored version as it is stored: an audit keeps the version it pinned, even one made before a
        later template rule (a version without finding statements is worded from its ``problem``). Which versions
        a new visit may use is :func:`current_templates`' decision."""
        snapshot = row.content
        return cls(
            row_id=row.id,
            module=ModuleTemplate.model_validate(snapshot["module"]),
            laws={law["id"]: Law.model_validate(law) for law in snapshot["laws"]},
            inputs=[InputDef.model_validate(value) for value in snapshot["inputs"]],
            derived=[Derived.model_validate(value) for value in snapshot["derived"]],
            content_hash=row.content_hash,
            facts=[FactDef.model_validate(value) for value in snapshot.get("facts", [])],
        )

    @cached_property
    def items(self) -> Mapping[str, Item]:
        return {item.id: item for item in self.module.items}

    def citations(self, item: Item) -> list[str]:
        return [ref.citation(self.laws) for ref in item.basis]


def publish(session: Session, snapshot: Mapping[str, Any]) -> Template:
    """Store a module snapshot as a new template version (idempotent for identical content)."""
    module = snapshot["module"]
    digest = content_hash(snapshot)
    existing = session.scalars(
        select(Template).where(Template.module == module["module"], Template.version == module["version"])
    ).one_or_none()
    if existing is not None:
        if existing.content_hash != digest:
            raise TemplateConflict(
                f"检查表 {module['module']} 第 {module['version']} 版已存在且内容不同：修改检查表内容必须提高版本号"
            )
        return existing
    row = Template(
        module=module["module"],
        version=module["version"],
        title=module["title"],
        content_hash=digest,
        content=dict(snapshot),
    )
    session.add(row)
    session.flush()
    return row


def install_template_set(session: Session, template_set: TemplateSet) -> list[Template]:
    """Publish every module of a loaded template set (the packaged one on start, or one the office sends)."""
    return [publish(session, module_snapshot(template_set, module.module)) for module in template_set.modules]


def current_templates(session: Session) -> list[LoadedTemplate]:
    """The newest *usable* version of every module, in checklist order.

    A stored version that fails the template checks (:func:`core.template_check.check_snapshot`, the checks of
    ``check-templates`` and of the server) is passed over for the one before it, and logged, so an unusable
    template never stops a visit from starting. Such a version was stored before laptops checked what they
    receive, or before a rule it breaks existed; the sync notes it and reports it to the office
    (:mod:`app.sync.service`).
    """
    rows = session.execute(
        select(Template.id, Template.module).order_by(Template.module, Template.version.desc())
    ).all()
    chosen: dict[str, LoadedTemplate] = {}
    for row_id, module in rows:
        if module in chosen:
            continue
        template = _usable(session, row_id)
        if template is not None:
            chosen[module] = template
    return sorted(chosen.values(), key=lambda template: template.module.order)


_LOADED: dict[str, LoadedTemplate] = {}
"""Rebuilt templates by row id. Safe to share across sessions and databases: a row id is a UUIDv7 made once,
and a stored version never changes (publishing adds rows)."""

_USABLE: dict[str, bool] = {}
"""Whether a stored version passes the template checks, by row id (a stored version never changes either)."""


def _usable(session: Session, row_id: str) -> LoadedTemplate | None:
    usable = _USABLE.get(row_id)
    if usable is None:
        row = session.get_one(Template, row_id)
        problems = check_snapshot(row.content)
        usable = _USABLE[row_id] = not problems
        if problems:
            reasons = "; ".join(str(problem) for problem in problems[:3])
            log.warning(
                "new visits skip checklist %s v%s, which fails the template checks: %s",
                row.module,
                row.version,
                reasons,
            )
    if not usable:
        return None
    return _LOADED.get(row_id) or loaded(session.get_one(Template, row_id))


def loaded(row: Template) -> LoadedTemplate:
    template = _LOADED.get(row.id)
    if template is None:
        template = _LOADED[row.id] = LoadedTemplate.from_row(row)
    return template


def load_templates(session: Session, row_ids: Iterable[str]) -> list[LoadedTemplate]:
    return [_LOADED.get(row_id) or loaded(session.get_one(Template, row_id)) for row_id in row_ids]


def environment(templates: Sequence[LoadedTemplate], inputs: Mapping[str, Value]) -> dict[str, Value]:
    """Inputs plus every derived value the templates define, evaluated in declaration order."""
    env: dict[str, Value] = dict(inputs)
    seen: set[str] = set()
    for template in templates:
        for derived in template.derived:
            if derived.id in seen:
                continue
            seen.add(derived.id)
            env[derived.id] = evaluate(compile_expression(derived.expr), env)
    return env


def input_definitions(templates: Sequence[LoadedTemplate]) -> dict[str, InputDef]:
    definitions: dict[str, InputDef] = {}
    for template in templates:
        for definition in template.inputs:
            definitions.setdefault(definition.id, definition)
    return definitions
