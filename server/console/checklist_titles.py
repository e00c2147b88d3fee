"""Checklist module and item titles from the published templates: what people read instead of codes."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.models import Record


def module_titles(session: Session) -> dict[str, str]:
    """Checklist module titles by code, from the published templates (the latest version's title wins); only the
    three fields are read, not the templates' content."""
    titles: dict[str, tuple[int, str]] = {}
    for module, version, title in session.execute(
        select(
            Record.data["module"].as_string(),
            Record.data["version"].as_integer(),
            Record.data["title"].as_string(),
        ).where(Record.entity == "template", Record.deleted.is_(False))
    ):
        if isinstance(module, str) and isinstance(title, str):
            number = version if isinstance(version, int) else 0
            if module not in titles or number >= titles[module][0]:
                titles[module] = (number, title)
    return {module: title for module, (_, title) in titles.items()}


def item_titles(session: Session) -> dict[tuple[str, str], str]:
    """Checklist item titles by (module, item id), from the published templates (the latest version wins)."""
    found: dict[tuple[str, str], tuple[int, str]] = {}
    for data in session.scalars(select(Record.data).where(Record.entity == "template", Record.deleted.is_(False))):
        content = (data or {}).get("content") or {}
        module = content.get("module") or {}
        raw = module.get("version")
        version = raw if isinstance(raw, int) else 0
        for item in module.get("items") or []:
            if not isinstance(item, dict) or not isinstance(item.get("id"), str):
                continue
            key = (str(module.get("module")), item["id"])
            title = str(item.get("title") or item.get("text") or item["id"])
            if key not in found or version >= found[key][0]:
                found[key] = (version, title)
    return {key: title for key, (_, title) in found.items()}
