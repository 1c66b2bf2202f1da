"""Revision 0009 keeps existing accounts usable and gives existing API tokens an expiry."""

from __future__ import annotations

import datetime

import sqlalchemy as sa

from portal.db import make_engine
from portal.schema import upgrade_database


def test_existing_accounts_count_as_verified_and_tokens_get_the_default_lifetime(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    upgrade_database(url, "0008")
    engine = make_engine(url)
    created = datetime.datetime(2026, 3, 1, 12, 0)
    with engine.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO user_account (id, email, display_name, password_hash, role, agency, active,"
                " failed_logins, session_epoch, created_at, notify_candidates)"
                " VALUES (1, 'old@example.test', '', 'x', 'family', '', 1, 3, 0, :created, 'daily')"
            ),
            {"created": created},
        )
        conn.execute(
            sa.text("INSERT INTO api_token (user_id, name, token_hash, created_at) VALUES (1, 'old', 'h', :created)"),
            {"created": created},
        )
    upgrade_database(url, "head")
    with engine.connect() as conn:
        verified = conn.scalar(sa.text("SELECT email_verified_at FROM user_account"))
        expires = conn.scalar(sa.text("SELECT expires_at FROM api_token"))
        columns = {c["name"] for c in sa.inspect(conn).get_columns("user_account")}
    engine.dispose()
    assert str(verified).startswith("2026-03-01 12:00")
    assert datetime.datetime.fromisoformat(str(expires)) > datetime.datetime.now() + datetime.timedelta(days=89)
    assert not {"failed_logins", "locked_until"} & columns
