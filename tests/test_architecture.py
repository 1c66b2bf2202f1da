"""House rules that code can check: pure modules stay pure (DESIGN.md rule 4)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PORTAL = Path(__file__).resolve().parent.parent / "portal"
PURE = [
    *sorted((PORTAL / "matching").glob("*.py")),
    *sorted((PORTAL / "risk").glob("*.py")),
    PORTAL / "photos" / "processing.py",
]


@pytest.mark.parametrize("path", [p for p in PURE if p.exists()], ids=lambda p: str(p.relative_to(PORTAL)))
def test_pure_module_imports_neither_flask_nor_sqlalchemy(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module.split(".")[0])
    assert not imported & {"flask", "flask_babel", "flask_login", "sqlalchemy"}
