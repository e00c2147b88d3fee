"""No import through strings in the app: the type checker must see every call (STYLE.md, example 20).

A string import hid a wrong call signature once (the notice dialog's 打印 raised TypeError): this test keeps
``importlib`` and ``__import__`` out of ``app/`` altogether.
"""

from __future__ import annotations

import ast
from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "app"


def test_no_module_under_app_imports_through_a_string() -> None:
    offenders: list[str] = []
    for path in sorted(APP.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            elif isinstance(node, ast.Name) and node.id == "__import__":
                names = ["__import__"]
            if any(name == "importlib" or name.startswith("importlib.") or name == "__import__" for name in names):
                offenders.append(f"{path.relative_to(APP.parent)}:{node.lineno}")
    assert offenders == []
