"""The worker counts the search's common name keys every SEARCH_COUNTS_EVERY seconds, and a failed
count never stops the mail."""

from __future__ import annotations

from sqlalchemy import select

from portal.cases import search
from portal.cases.models import CommonNameKey
from portal.notify.mailer import from_url
from portal.worker import count_common_keys_if_due, run
from tests.builders import make_claim


def _stored(session) -> dict[str, int]:  # type: ignore[no-untyped-def]
    session.expire_all()
    return dict(session.execute(select(CommonNameKey.key, CommonNameKey.claims)).all())


def test_the_worker_counts_the_common_keys_and_again_only_when_due(app, session, tmp_path, monkeypatch):
    monkeypatch.setattr(search, "COUNT_LIMIT", 1)
    for given in ("Edwin", "Nilda"):
        make_claim(session, status="active", publication="published", given_names=given, first_surname="Apaza")
    session.commit()
    run(app, from_url(None, tmp_path / "mail"), interval=0, once=True)
    assert _stored(session)["w:apaza"] == 2

    make_claim(session, status="active", publication="published", given_names="Rosa", first_surname="Apaza")
    session.commit()
    app.config["SEARCH_COUNTS_EVERY"] = 600
    counted = count_common_keys_if_due(app, None)
    assert _stored(session)["w:apaza"] == 3
    assert count_common_keys_if_due(app, counted) == counted  # not due yet
    app.config["SEARCH_COUNTS_EVERY"] = 0
    assert count_common_keys_if_due(app, counted) != counted


def test_a_failed_count_is_logged_by_kind_and_the_outbox_still_drains(app, session, tmp_path, monkeypatch, caplog):
    from tests.builders import make_user

    family = make_user(session, "family", email="familia@example.test")
    make_claim(session, family)
    session.commit()

    def broken(*_args, **_kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("Rosa Elvira Quispe")  # a message quoting a name must not reach the log

    monkeypatch.setattr("portal.worker.count_common_keys", broken)
    done = run(app, from_url(None, tmp_path / "mail"), interval=0, once=True)
    assert done.sent >= 1
    assert "common name keys failed: RuntimeError" in caplog.text and "Rosa" not in caplog.text
    assert count_common_keys_if_due(app, None) is None  # not counted: the next pass tries again
