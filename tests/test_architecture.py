"""House rules that tools check, checked to hold and to fail when broken (DESIGN.md section 2, rule 4).

- Each pure engine module, imported alone in a fresh interpreter, loads neither Flask,
  SQLAlchemy nor Werkzeug (indirect imports included, unlike a read of its import lines).
- The pure engines' suites collect and run where Flask and SQLAlchemy cannot be imported.
- import-linter's contracts (pyproject.toml) hold on the tree, and break when a layer-breaking
  import is added to a copy of it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PORTAL = ROOT / "portal"
WEB_AND_DATABASE = ("flask", "sqlalchemy", "werkzeug")
PURE = sorted(
    [
        *(p for p in (PORTAL / "matching").rglob("*.py")),
        *(p for p in (PORTAL / "risk").rglob("*.py")),
        PORTAL / "photos" / "processing.py",
        PORTAL / "photos" / "decoding.py",
        PORTAL / "photos" / "headers.py",
    ]
)
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def _module(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _run(code: str, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=ROOT, env=env, timeout=300
    )


@pytest.mark.parametrize("module", [_module(p) for p in PURE], ids=str)
def test_a_pure_module_loads_neither_the_web_nor_the_database(module: str) -> None:
    probe = (
        "import importlib, sys\n"
        "importlib.import_module(sys.argv[1])\n"
        f"print(sorted({{m.split('.')[0] for m in sys.modules}} & {set(WEB_AND_DATABASE)!r}))\n"
    )
    result = _run(probe, module)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]", f"{module} loads {result.stdout.strip()}"


# A meta path finder that makes the web and database packages impossible to import, as on a
# machine where they are not installed.
WITHOUT_WEB = (
    "import sys\n"
    "class Missing:\n"
    "    def find_spec(self, name, path=None, target=None):\n"
    f"        if name.split('.')[0] in {WEB_AND_DATABASE!r}:\n"
    "            raise ModuleNotFoundError(f'No module named {name!r}', name=name)\n"
    "sys.meta_path.insert(0, Missing())\n"
    "import pytest\n"
    "sys.exit(pytest.main(sys.argv[1:]))\n"
)


def test_the_pure_suites_run_where_flask_is_not_installed() -> None:
    collected = _run(WITHOUT_WEB, "-q", "--collect-only", "-p", "no:cacheprovider", "tests/matching", "tests/risk")
    assert collected.returncode == 0, collected.stdout[-3000:] + collected.stderr[-3000:]
    assert " tests collected" in collected.stdout or "tests collected" in collected.stdout
    ran = _run(WITHOUT_WEB, "-q", "-p", "no:cacheprovider", "tests/risk/test_rules.py", "tests/matching/test_names.py")
    assert ran.returncode == 0, ran.stdout[-3000:]
    assert " passed" in ran.stdout


def test_the_blocker_really_blocks_flask() -> None:
    """The check above would prove nothing if the finder let Flask through."""
    result = _run(WITHOUT_WEB.replace("import pytest\nsys.exit(pytest.main(sys.argv[1:]))\n", "import flask\n"))
    assert result.returncode != 0 and "No module named 'flask'" in result.stderr


def _lint_imports(root: Path, *contracts: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(root)}
    chosen = [arg for contract in contracts for arg in ("--contract", contract)]
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", *chosen, str(root / "pyproject.toml")],
        capture_output=True,
        text=True,
        cwd=root,
        env=env,
        timeout=300,
    )


@pytest.fixture(scope="module")
def lint_imports() -> Path:
    if not LINT_IMPORTS.exists():
        pytest.skip("import-linter is installed by `make lint` (pip install '.[lint]')")
    return LINT_IMPORTS


def test_the_layer_contracts_hold(lint_imports: Path) -> None:
    result = _lint_imports(ROOT)
    assert result.returncode == 0, result.stdout[-3000:]
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "line", "contract"),
    [
        ("matching/normalize.py", "from portal.errors import NotFound", "pure-engines"),
        ("matching/normalize.py", "from portal.errors import NotFound", "layers"),
        ("risk/levels.py", "import sqlalchemy", "pure-engines"),
        ("photos/processing.py", "from portal.photos.storage import PhotoStore", "pure-engines"),
        ("cases/services.py", "from portal.review.views import bp", "no-foreign-views"),
        ("review/candidates.py", "from portal.casework import claim_filed", "layers"),
        ("flags/services.py", "from portal.api import views", "layers"),
        ("cases/models.py", "from portal.cases.services import FILING_ROLES", "feature-layers"),
    ],
)
def test_a_layer_breaking_import_breaks_the_lint(
    lint_imports: Path, tmp_path: Path, module: str, line: str, contract: str
) -> None:
    copy = tmp_path / "tree"
    shutil.copytree(PORTAL, copy / "portal", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", copy / "pyproject.toml")
    shutil.copy(ROOT / "config.py", copy / "config.py")
    target = copy / "portal" / module
    original = target.read_text(encoding="utf-8")
    target.write_text(original + f"\n{line}  # noqa\n", encoding="utf-8")
    assert _lint_imports(copy, contract).returncode != 0, f"{contract} did not see {line} in {module}"
    # The untouched copy passes the same contract: the failure is the added line's.
    target.write_text(original, encoding="utf-8")
    assert _lint_imports(copy, contract).returncode == 0
