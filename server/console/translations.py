"""Every Chinese string the console shows, for the English catalogue (``locale/en.json``) and its test.

Strings come from three places: calls of ``_`` in the templates, calls of ``T``, ``translate`` and ``page._`` in the
console's Python code, and the label tables the templates look values up in (roles, states, actions, fields,
indicator kinds, grades).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Final

from core.risk import GRADES, INDICATOR_LABELS
from server.console.enterprise_view import FIELD_NAMES
from server.console.office_log import ACTION_LABELS
from server.console.pages.admin import TABS
from server.console.web import HERE, ROLE_NAMES, SORT_NAMES, STATE_NAMES, TEMPLATES, build_environment

TEMPLATE_CALL: Final = re.compile(r"""_\((["'])(.+?)\1\)""")
CODE_CALL: Final = re.compile(r"""(?:\bT|\btranslate|\._)\((?:language, )?"([^"]+)"\)""")


def template_strings() -> set[str]:
    found: set[str] = set()
    for path in TEMPLATES.glob("*.html"):
        found.update(match.group(2) for match in TEMPLATE_CALL.finditer(path.read_text(encoding="utf-8")))
    return found


def code_strings() -> set[str]:
    found: set[str] = set()
    for path in Path(HERE).rglob("*.py"):
        found.update(CODE_CALL.findall(path.read_text(encoding="utf-8")))
    return found


def table_strings() -> set[str]:
    env = build_environment()
    tables = [
        ROLE_NAMES,
        STATE_NAMES,
        SORT_NAMES,
        ACTION_LABELS,
        FIELD_NAMES,
        INDICATOR_LABELS,
        env.globals["assignment_states"],
        env.globals["notice_states"],
        env.globals["item_states"],
        dict(TABS),
    ]
    found = {str(value) for table in tables for value in table.values()}  # type: ignore[attr-defined]
    return found | set(GRADES)


def all_strings() -> set[str]:
    return template_strings() | code_strings() | table_strings()
