"""`portal retention run` and `portal retention erase`, as an operator runs them: counts only."""

from __future__ import annotations

from datetime import timedelta

from click.testing import CliRunner
from sqlalchemy import func, select

from portal.audit.models import AuditEvent
from portal.cases.models import Claim
from portal.cli import main
from portal.commands import AppLoader
from portal.db import utcnow
from portal.sightings.models import Sighting
from tests.builders import lupe_sighting, make_claim
from tests.retention.test_witness import ADDRESS, _report


def _invoke(app, *args):
    return CliRunner().invoke(main, list(args), obj=AppLoader(lambda: app))


def test_a_dry_run_at_an_injected_time_counts_and_changes_nothing(app, session):
    make_claim(session, status="closed")
    make_claim(session)
    session.commit()
    later = (utcnow() + timedelta(days=365 * 11)).isoformat()

    result = _invoke(app, "retention", "run", "--dry-run", "--now", later)

    assert result.exit_code == 0, result.output
    assert "dry run: nothing changed" in result.output
    assert "drafts anonymised: 1" in result.output and "closed cases anonymised: 1" in result.output
    assert session.scalar(select(func.count(Claim.id)).where(Claim.anonymised_at.is_not(None))) == 0
    assert session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action.like("retention.%"))) == 0
    today = _invoke(app, "retention", "run", "--dry-run")
    assert "drafts anonymised: 0" in today.output


def test_a_real_run_refuses_a_future_time_and_runs_at_the_present(app, session):
    make_claim(session, status="closed")
    session.commit()
    future = _invoke(app, "retention", "run", "--now", (utcnow() + timedelta(days=365 * 11)).isoformat())
    assert future.exit_code != 0 and "--dry-run" in future.output
    assert _invoke(app, "retention", "run", "--now", "not a date").exit_code != 0
    now = _invoke(app, "retention", "run")
    assert now.exit_code == 0 and "closed cases anonymised: 0" in now.output
    assert session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == "retention.run")) == 1


def test_erasing_a_claim_needs_a_reason_refuses_an_open_case_and_prints_no_name(app, session):
    active = make_claim(session, status="active")
    closed = make_claim(session, status="located_alive")
    session.commit()

    assert _invoke(app, "retention", "erase", closed.reference).exit_code != 0  # no --reason
    refused = _invoke(app, "retention", "erase", active.reference, "--reason", "Solicitud 2026-17")
    assert refused.exit_code != 0 and refused.output.startswith("error: ")  # its words: translated later
    dry = _invoke(app, "retention", "erase", closed.reference, "--reason", "Solicitud 2026-18", "--dry-run")
    assert dry.exit_code == 0 and "may be erased" in dry.output
    done = _invoke(app, "retention", "erase", closed.reference.lower(), "--reason", "Solicitud 2026-18")

    assert done.exit_code == 0, done.output
    assert "erased" in done.output and "Rosa" not in done.output and "Quispe" not in done.output
    session.expire_all()
    assert session.get(Claim, closed.id).given_names == ""
    assert session.get(Claim, active.id).given_names == "Rosa Elvira"
    request = session.scalar(select(AuditEvent).where(AuditEvent.action == "erasure.request"))
    assert (request.target_type, request.target_id, request.details) == (
        "claim", str(closed.id), {"reason": "Solicitud 2026-18"},
    )  # fmt: skip
    again = _invoke(app, "retention", "erase", closed.reference, "--reason", "Solicitud 2026-18")
    assert again.exit_code == 0 and "already erased" in again.output
    unknown = _invoke(app, "retention", "erase", "BO-2026-999999", "--reason", "Solicitud 2026-19")
    assert unknown.exit_code != 0 and unknown.output.startswith("error: ")


def test_erasing_a_witness_forgets_them_at_once_whatever_the_sighting_s_state(app, session):
    sighting, _key = _report(session)
    other = lupe_sighting(session)
    session.commit()
    done = _invoke(app, "retention", "erase", sighting.reference, "--reason", "Solicitud 2026-20")
    assert done.exit_code == 0, done.output
    assert ADDRESS not in done.output
    session.expire_all()
    assert session.get(Sighting, sighting.id).reporter_contact == ""
    assert session.get(Sighting, other.id).contact_purged_at is None
