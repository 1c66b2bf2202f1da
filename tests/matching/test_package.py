"""The matching package keeps its house rules: pure (DESIGN.md rule 4), and no module leans on another's
private names (each term's bound sits beside its weights, in ``portal/matching/terms``)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "portal" / "matching"
MODULES = sorted(PACKAGE.rglob("*.py"))


def imports(path: Path) -> list[ast.ImportFrom | ast.Import]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [node for node in ast.walk(tree) if isinstance(node, ast.Import | ast.ImportFrom)]


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_neither_the_web_nor_the_database_nor_the_rest_of_the_portal(path: Path) -> None:
    names = set()
    for node in imports(path):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif node.module and node.level == 0:
            names.add(node.module)
    assert not {name.split(".")[0] for name in names} & {"flask", "flask_babel", "flask_login", "sqlalchemy"}
    assert not {n for n in names if n.startswith("portal") and not n.startswith("portal.matching")}


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_imports_another_ones_private_names(path: Path) -> None:
    private = [
        alias.name
        for node in imports(path)
        if isinstance(node, ast.ImportFrom) and (node.level > 0 or (node.module or "").startswith("portal."))
        for alias in node.names
        if alias.name.startswith("_")
    ]
    assert not private, f"{path.name} imports private names {private}: make them public where they are defined"


def test_every_term_module_keeps_its_bound_beside_its_weights() -> None:
    for path in sorted((PACKAGE / "terms").glob("*.py")):
        if path.name == "__init__.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        classes = [node.name for node in tree.body if isinstance(node, ast.ClassDef)]
        assert any(name.endswith("Bound") for name in classes), path.name
