"""The worker runs retention once a day, and a retention failure never stops the mail."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from portal.audit.models import AuditEvent
from portal.cases.models import Claim
from portal.notify.mailer import from_url
from portal.worker import run
from tests.builders import make_claim, make_user


def _runs(session) -> int:
    session.expire_all()
    return int(session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == "retention.run")) or 0)


def test_retention_runs_once_a_day_from_its_hour(app, session, tmp_path):
    make_claim(session, status="closed")
    session.commit()
    mailer = from_url(None, tmp_path / "mail")
    app.config["RETENTION_HOUR"] = 3
    day = datetime.now(UTC).replace(hour=2, minute=0, second=0, microsecond=0) + timedelta(days=365 * 11)

    run(app, mailer, interval=0, once=True, clock=lambda: day)  # 02:00: yesterday's 03:00 run is due
    assert _runs(session) == 1
    assert session.scalar(select(func.count(Claim.id)).where(Claim.anonymised_at.is_not(None))) == 1
    run(app, mailer, interval=0, once=True, clock=lambda: day + timedelta(minutes=30))
    assert _runs(session) == 1  # done for this day
    run(app, mailer, interval=0, once=True, clock=lambda: day + timedelta(hours=1, minutes=1))
    assert _runs(session) == 2  # 03:01: today's


def test_a_failing_retention_run_is_logged_by_kind_and_the_outbox_still_drains(
    app, session, tmp_path, monkeypatch, caplog
):
    family = make_user(session, "family", email="familia@example.test")
    make_claim(session, family)  # the family is told its claim arrived
    session.commit()

    def broken(*_args, **_kwargs):
        raise RuntimeError("Rosa Elvira Quispe")  # a message that quotes a name must not reach the log

    monkeypatch.setattr("portal.retention.jobs.run", broken)
    done = run(app, from_url(None, tmp_path / "mail"), interval=0, once=True)
    assert done.sent >= 1
    assert _runs(session) == 0
    assert "retention run failed: RuntimeError" in caplog.text and "Rosa" not in caplog.text


def test_the_worker_s_run_is_the_operator_s_in_the_trail(app, session, tmp_path):
    run(app, from_url(None, tmp_path / "mail"), interval=0, once=True)
    event = session.scalar(select(AuditEvent).where(AuditEvent.action == "retention.run"))
    assert (event.actor_role, event.ip, event.details["scheduled"]) == ("operator", "cli", True)
