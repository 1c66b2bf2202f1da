"""Fixtures of the backup tests: a source portal with data of each dialect, a blank target of each."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.backup.dataset import Place, blank_target, drop_target, migrated_sqlite_template, sqlite_app


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file, made once per run."""
    return migrated_sqlite_template(tmp_path_factory.mktemp("backup-template"))


@pytest.fixture
def source_app(request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path) -> Iterator[Any]:
    """The portal whose data is backed up: on a SQLite file of its own, or on the suite's PostgreSQL."""
    if request.param == "sqlite":
        app = sqlite_app(sqlite_template, tmp_path / "source")
        yield app
        app.extensions["portal.engine"].dispose()
        return
    app = request.getfixturevalue("app")
    if app.extensions["portal.engine"].dialect.name != "postgresql":
        pytest.skip("the suite's database is not PostgreSQL")
    yield app


@pytest.fixture
def target(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Place]:
    """A blank database of the parameter's dialect and an empty photo folder to restore into."""
    place = blank_target(request.param, tmp_path)
    yield place
    drop_target(place)
