"""`schemathesis run --checks all` against the portal served for real, as CI runs it (issue 14).

The portal runs as a gunicorn process on a free loopback port, over this test's database (SQLite or
the PostgreSQL of PORTAL_TEST_DATABASE_URL), seeded with a police account and its API token, claims,
a sighting and a training session. The real schemathesis command then reads the served OpenAPI
document and sends its generated requests with the officer's token; every check is on. The hooks it
loads (schemathesis_hooks.py) say only what JSON Schema cannot.

Bounded for CI: PORTAL_SCHEMATHESIS_EXAMPLES cases per operation (default 60: some 1,150 cases over
13 operations, half a minute here), in the phases of PORTAL_SCHEMATHESIS_PHASES (default examples,
fuzzing, stateful). The coverage phase is left to runs by hand: it files a thousand near-empty
sightings that the matcher makes candidates of the same few nameless claims, and each new one
re-assesses those claims (0.4 s with a thousand candidates, down from 30 s; docs/decisions.md 44).
More by hand, e.g.
PORTAL_SCHEMATHESIS_EXAMPLES=300 PORTAL_SCHEMATHESIS_PHASES=examples,coverage,fuzzing,stateful.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from portal.accounts.services import create_token
from portal.training.services import SessionInput, create_session, enrol
from tests.builders import guadalupe, lupe_sighting, make_claim, make_user

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
EXAMPLES = int(os.environ.get("PORTAL_SCHEMATHESIS_EXAMPLES", "60"))
PHASES = os.environ.get("PORTAL_SCHEMATHESIS_PHASES", "examples,fuzzing,stateful")
SEED = int(os.environ.get("PORTAL_SCHEMATHESIS_SEED", "14"))
LISTENING = re.compile(r"Listening at: (http://127\.0\.0\.1:\d+)")


@pytest.fixture
def seeded(app, session):  # type: ignore[no-untyped-def]
    """An officer of Bolivia with a token; a published claim, a draft, a linked pair and a sighting; a
    Bolivian trainer's session with a trainee, so that the training operations find a session and a
    cascade that exist (and the officer, who may not see them, gets the 404 of the access rule)."""
    officer = make_user(session, "police", "BO")
    token = create_token(session, officer, "schemathesis")
    published = make_claim(session, officer, status="active", publication="published")
    make_claim(session)
    guadalupe(session)
    lupe_sighting(session)
    trainer = make_user(session, "trainer", "BO")
    course = SessionInput("Uso del portal", "BO", "La Paz", "Academia", date(2026, 12, 10), "es", 20, None)
    training = create_session(session, trainer, course)
    enrol(session, trainer, training, email="aprendiz.schemathesis@example.org", name="Invented Trainee", kind="police")
    session.commit()
    return {"token": token, "reference": published.reference}


@pytest.fixture
def served(app, seeded, tmp_path) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """The portal as a gunicorn process on a free loopback port; yields its base URL."""
    env = {
        **_clean_environment(),
        "PORTAL_ENV": "test",
        "PORTAL_TEST_DATABASE_URL": app.config["DATABASE_URL"],
        "PORTAL_PHOTO_DIR": str(tmp_path / "photos"),
        "PORTAL_PRACTICE_DIR": str(tmp_path / "practice"),
    }
    log = tmp_path / "gunicorn.log"
    # No control socket: its default path is shared by every gunicorn of the machine (other runs, CI).
    command = [str(BIN / "gunicorn"), "--no-control-socket", "--bind", "127.0.0.1:0", "--workers", "1", "wsgi:app"]
    with log.open("w") as out:
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        yield _wait_until_served(server, log)
    finally:
        server.terminate()
        server.wait(timeout=30)


def _clean_environment() -> dict[str, str]:
    """This process's environment without portal settings, which would point the server elsewhere."""
    return {k: v for k, v in os.environ.items() if not k.startswith(("PORTAL_", "SCHEMATHESIS_"))}


def _wait_until_served(server: subprocess.Popen[bytes], log: Path) -> str:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"the portal did not start:\n{log.read_text()}")
        found = LISTENING.search(log.read_text())
        if found:
            try:
                with urllib.request.urlopen(f"{found.group(1)}/api/v1/openapi.json", timeout=5) as answer:  # noqa: S310
                    if answer.status == 200:
                        return found.group(1)
            except OSError:
                pass
        time.sleep(0.2)
    pytest.fail(f"the portal did not answer within a minute:\n{log.read_text()}")


def test_schemathesis_finds_no_failure_with_every_check(served, seeded, tmp_path):
    env = {
        **_clean_environment(),
        "SCHEMATHESIS_HOOKS": "tests.api.schemathesis_hooks",
        "PYTHONPATH": str(ROOT),
        "PORTAL_SCHEMATHESIS_REFERENCE": seeded["reference"],
    }
    command = [
        str(BIN / "schemathesis"),
        "run",
        f"{served}/api/v1/openapi.json",
        "--checks",
        "all",
        "--phases",
        PHASES,
        "--header",
        f"Authorization: Bearer {seeded['token']}",
        "--max-examples",
        str(EXAMPLES),
        "--seed",
        str(SEED),
        "--workers",
        "1",
        "--generation-database",
        "none",
        "--request-timeout",
        "30",
        "--no-color",
        "--output-truncate",
        "false",
    ]
    result = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=900)
    summary = result.stdout[result.stdout.rfind("SUMMARY") :]
    print(summary)  # the figures (cases generated, failures) show with -s
    assert result.returncode == 0, result.stdout[-20000:] + result.stderr[-5000:]
    assert re.search(r"\d+ generated", summary), summary
