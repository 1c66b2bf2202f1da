"""Throttling per account and address: an attacker cannot lock an officer out, and the right people hear of it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.accounts import logins
from portal.accounts.models import LoginThrottle
from portal.app import create_app
from portal.audit.models import AuditEvent
from portal.db import utcnow
from tests.accounts.helpers import english, log_in, mail, wait_out
from tests.builders import PASSWORD, csrf_token, make_user

ATTACKER, OFFICE = "10.0.0.1", "10.0.0.2"
WRONG = "guess number one"


def test_thirty_failures_from_one_address_do_not_lock_the_officer_out_of_another(client, csrf, session):
    make_user(session, "police", "BO", email="officer@example.test")
    session.commit()
    for _ in range(30):  # the attacker patiently waits out every delay, so all thirty count
        assert log_in(client, csrf, "officer@example.test", WRONG, ATTACKER).status_code == 401
        wait_out(session)
    log_in(client, csrf, "officer@example.test", WRONG, ATTACKER)
    assert log_in(client, csrf, "officer@example.test", PASSWORD, ATTACKER).status_code == 401  # that address waits
    assert log_in(client, csrf, "officer@example.test", PASSWORD, OFFICE).status_code == 302
    row = session.scalars(select(LoginThrottle)).one()
    assert (row.address, row.failures) == (ATTACKER, 31)
    assert row.blocked_until > utcnow() + timedelta(minutes=14)


def test_the_wait_grows_with_each_failure_up_to_fifteen_minutes():
    waits = [logins.delay_after(n).total_seconds() for n in (1, 4, 5, 6, 7, 10, 14, 15, 40)]
    assert waits == [0, 0, 1, 2, 4, 32, 512, 900, 900]


def test_attempts_during_a_wait_are_refused_unchecked_and_not_counted(app, session):
    user = make_user(session, "family", email="typo@example.test")
    session.commit()
    now = utcnow()
    with app.app_context():
        for _ in range(5):
            with pytest.raises(logins.LoginFailed):
                logins.authenticate(session, "typo@example.test", WRONG, now=now, ip=ATTACKER)
        with pytest.raises(logins.LoginFailed):  # the right password, too early
            logins.authenticate(session, "typo@example.test", PASSWORD, now=now, ip=ATTACKER)
        row = session.scalars(select(LoginThrottle)).one()
        assert (row.failures, row.blocked_until) == (5, now + timedelta(seconds=1))
        later = now + timedelta(seconds=2)
        assert logins.authenticate(session, "typo@example.test", PASSWORD, now=later, ip=ATTACKER).id == user.id
        assert session.scalars(select(LoginThrottle)).all() == []  # a success from there forgets its failures


def test_old_failures_are_forgiven_after_a_day(app, session):
    make_user(session, "family", email="rare@example.test")
    session.commit()
    start = utcnow() - timedelta(days=2)
    with app.app_context():
        for minutes in range(4):
            with pytest.raises(logins.LoginFailed):
                logins.authenticate(session, "rare@example.test", WRONG, now=start + timedelta(minutes=minutes))
        with pytest.raises(logins.LoginFailed):
            logins.authenticate(session, "rare@example.test", WRONG)
    assert session.scalars(select(LoginThrottle.failures)).one() == 1


def test_repeated_failures_send_one_unlock_link_and_one_notice_per_coordinator_an_hour(app, client, csrf, session):
    officer = make_user(session, "police", "BO", email="target@example.test", display_name="Officer (invented)")
    make_user(session, "coordinator", "BO", email="coord1@example.test")
    make_user(session, "coordinator", "BO", email="coord2@example.test")
    make_user(session, "coordinator", "BO", email="retired@example.test").active = False
    make_user(session, "coordinator", "PE", email="peru@example.test")
    session.commit()
    for _ in range(20):  # twenty counted failures, waiting out each delay
        log_in(client, csrf, "target@example.test", WRONG, ATTACKER)
        wait_out(session)
    [unlock] = mail(session, "accounts/unlock")
    assert unlock.address == "target@example.test" and unlock.context["failures"] == logins.NOTICE_AT
    assert unlock.context["address"] == ATTACKER and unlock.context["coordinators_told"] is True
    notices = mail(session, "accounts/lockout_coordinator")
    assert sorted(m.address for m in notices) == ["coord1@example.test", "coord2@example.test"]
    assert notices[0].context["email"] == "target@example.test"
    assert session.scalar(select(AuditEvent).where(AuditEvent.action == "account.lockout_notice")).target_id == str(
        officer.id
    )
    # Following the unlock link lets that address try again at once.
    log_in(client, csrf, "target@example.test", WRONG, ATTACKER)
    assert log_in(client, csrf, "target@example.test", PASSWORD, ATTACKER).status_code == 401
    followed = client.get(f"/unlock/{unlock.context['token']}")
    assert followed.status_code == 302 and followed.location.endswith("/login")
    assert session.scalars(select(LoginThrottle)).all() == []
    assert log_in(client, csrf, "target@example.test", PASSWORD, ATTACKER).status_code == 302


def test_a_new_notice_is_sent_after_an_hour(app, session):
    make_user(session, "police", "BO", email="again@example.test")
    session.commit()
    now = utcnow() - timedelta(hours=5)

    def fail_at(when):
        with pytest.raises(logins.LoginFailed):
            logins.authenticate(session, "again@example.test", WRONG, now=when, ip=ATTACKER)
        session.commit()

    with app.app_context():
        for n in range(1, logins.NOTICE_AT + 1):
            fail_at(now + timedelta(minutes=20 * n))  # more than any wait
        notice = now + timedelta(minutes=20 * logins.NOTICE_AT)
        fail_at(notice + timedelta(minutes=2))
        fail_at(notice + timedelta(minutes=20))
        assert len(mail(session, "accounts/unlock")) == 1  # within the hour: no second e-mail
        fail_at(notice + timedelta(minutes=61))
    assert len(mail(session, "accounts/unlock")) == 2


def test_a_family_without_coordinators_gets_the_unlock_link_only(app, session):
    make_user(session, "family", email="fam@example.test")
    session.commit()
    now = utcnow()
    with app.app_context():
        for n in range(logins.NOTICE_AT):
            with pytest.raises(logins.LoginFailed):
                logins.authenticate(
                    session, "fam@example.test", WRONG, now=now + timedelta(minutes=20 * n), ip=ATTACKER
                )
        session.commit()
    [unlock] = mail(session, "accounts/unlock")
    assert unlock.context["coordinators_told"] is False and not mail(session, "accounts/lockout_coordinator")


def test_the_answer_is_the_same_for_an_unknown_address_a_wrong_password_and_a_waiting_address(client, csrf, session):
    make_user(session, "family", email="known@example.test")
    session.commit()
    english(client)
    for _ in range(6):
        waiting = log_in(client, csrf, "known@example.test", WRONG, ATTACKER)
    unknown = log_in(client, csrf, "unknown@example.test", WRONG, ATTACKER)
    wrong = log_in(client, csrf, "known@example.test", WRONG, OFFICE)
    assert {r.status_code for r in (waiting, unknown, wrong)} == {401}
    message = "The email or password is not right"
    assert all(message in r.get_data(as_text=True) for r in (waiting, unknown, wrong))


@pytest.fixture
def limited(database_url, tmp_path, app):  # type: ignore[no-untyped-def]
    """The portal with its rate limits on (in memory); ``app`` empties the tables afterwards."""
    application = create_app(
        "test",
        DATABASE_URL=database_url,
        PHOTO_DIR=str(tmp_path),
        RATELIMIT_ENABLED=True,
        RATELIMIT_STORAGE_URI="memory://",
    )
    yield application
    application.extensions["portal.engine"].dispose()


def test_the_per_address_login_limit_counts_failures_only(limited, session):
    make_user(session, "police", "BO", email="busy@example.test")
    session.commit()
    client = limited.test_client()
    csrf = lambda path: csrf_token(client, path)  # noqa: E731
    assert {log_in(client, csrf, "busy@example.test", PASSWORD, OFFICE).status_code for _ in range(25)} == {302}
    failures = [log_in(client, csrf, "nobody@example.test", WRONG, OFFICE).status_code for _ in range(21)]
    assert failures[:20] == [401] * 20 and failures[20] == 429
    assert log_in(client, csrf, "busy@example.test", PASSWORD, ATTACKER).status_code == 302  # per client address
