"""portal.idempotency.services: keys, fingerprints, expiry and purge, on the real database."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, inspect, select

from portal.cases.models import Claim
from portal.db import make_engine, utcnow
from portal.idempotency import services as idempotency
from portal.idempotency.models import IdempotencyKey
from portal.schema import migrations_config
from tests.builders import make_claim

UUID = "8e03978e-40d5-43e8-bc93-6894a57f9324"


@pytest.mark.parametrize("header", [UUID, f'"{UUID}"', "x" * 16, "x" * 255, "a key with spaces inside", "!~" * 8])
def test_a_key_is_taken_as_sent(header: str) -> None:
    assert idempotency.parse_key(header) == header


@pytest.mark.parametrize(
    "header",
    [
        "",
        "x" * 15,
        "x" * 256,
        "clé-non-ascii-assez-longue",
        "tab\tinside-a-long-key",
        " leading-space-key-x",
        "trailing-space-key ",
    ],
)
def test_a_malformed_key_is_refused_by_name(header: str) -> None:
    with pytest.raises(idempotency.KeyInvalid) as raised:
        idempotency.parse_key(header)
    assert raised.value.code == "idempotency_key_invalid" and raised.value.status == 400


def test_no_header_is_no_attempt() -> None:
    assert idempotency.parse_key(None) is None


def test_the_fingerprint_ignores_order_and_spacing_but_not_content() -> None:
    one = idempotency.fingerprint_json({"a": 1, "b": ["x", "y"]})
    assert one == idempotency.fingerprint_json({"b": ["x", "y"], "a": 1})
    assert one != idempotency.fingerprint_json({"a": 1, "b": ["y", "x"]})
    assert one != idempotency.fingerprint_json({"a": "1", "b": ["x", "y"]})


def test_a_forms_fingerprint_leaves_out_its_csrf_token_and_key_but_counts_its_files() -> None:
    fields = {"place": ["Juliaca"], "csrf_token": ["t1"], "idempotency_key": ["k1"]}
    same = {"place": ["Juliaca"], "csrf_token": ["t2"], "idempotency_key": ["k2"]}
    assert idempotency.fingerprint_form(fields, []) == idempotency.fingerprint_form(same, [])
    assert idempotency.fingerprint_form(fields, []) != idempotency.fingerprint_form(fields, [("photo", b"jpeg")])
    assert idempotency.fingerprint_form(fields, [("photo", b"a")]) != idempotency.fingerprint_form(
        fields, [("photo", b"b")]
    )


def test_a_form_is_rendered_with_its_posted_key_until_that_key_is_spent() -> None:
    first = idempotency.new_form_key()
    assert len(first) == 22 and first != idempotency.new_form_key()  # 128 random bits each
    assert idempotency.form_key({"idempotency_key": first}, {"place": ["Required."]}) == first
    assert idempotency.form_key({"idempotency_key": first}, {"idempotency_key": ["reused"]}) != first
    assert idempotency.form_key({"idempotency_key": "<script>"}, {}) != "<script>"


def test_a_form_without_a_key_we_could_have_made_is_saved_as_before() -> None:
    assert idempotency.form_attempt("claim", None, {"place": ["x"]}, []) is None
    assert idempotency.form_attempt("claim", None, {"idempotency_key": ["short"]}, []) is None
    assert idempotency.form_attempt("claim", None, {"idempotency_key": [idempotency.new_form_key()]}, []) is not None


def test_the_derived_secret_is_the_same_for_a_repeat_and_differs_by_key_scope_and_secret() -> None:
    attempt = idempotency.Attempt("form:public", "k" * 22, "sighting", "f")
    link = idempotency.derived_secret("s3cret", attempt, "witness-link")
    assert link == idempotency.derived_secret(b"s3cret", attempt, "witness-link") and len(link) == 32
    assert link != idempotency.derived_secret("other", attempt, "witness-link")
    assert link != idempotency.derived_secret(
        "s3cret", idempotency.Attempt("form:public", "j" * 22, "sighting", "f"), "witness-link"
    )
    assert link != idempotency.derived_secret(
        "s3cret", idempotency.Attempt("api:public", "k" * 22, "sighting", "f"), "witness-link"
    )


def _attempt(key: str = UUID, body: str = "one") -> idempotency.Attempt:
    return idempotency.Attempt("api:user:1", key, "claim", idempotency.fingerprint_json(body))


def _file(session, attempt):  # type: ignore[no-untyped-def]
    made: list[Claim] = []

    def create() -> Claim:
        made.append(make_claim(session))
        return made[-1]

    return idempotency.run_once(session, attempt, Claim, create), made


def _keys(session) -> int:  # type: ignore[no-untyped-def]
    return session.scalar(select(func.count()).select_from(IdempotencyKey))


def test_a_repeat_gets_the_first_record_and_another_body_is_refused(session) -> None:
    first, made = _file(session, _attempt())
    session.commit()
    again, made_again = _file(session, _attempt())
    assert (first.replayed, again.replayed) == (False, True)
    assert again.record.id == first.record.id and len(made) == 1 and made_again == []
    with pytest.raises(idempotency.KeyReused) as raised:
        _file(session, _attempt(body="two"))
    assert raised.value.status == 422 and raised.value.code == "idempotency_key_reused"
    session.rollback()
    assert _keys(session) == 1
    assert session.scalar(select(func.count()).select_from(Claim)) == 1


def test_the_same_key_for_another_kind_of_record_is_refused(session) -> None:
    _file(session, _attempt())
    session.commit()
    sighting_attempt = idempotency.Attempt("api:user:1", UUID, "sighting", idempotency.fingerprint_json("one"))
    with pytest.raises(idempotency.KeyReused):
        idempotency.run_once(session, sighting_attempt, Claim, lambda: make_claim(session))


def test_a_key_older_than_a_day_starts_again(session) -> None:
    first, _made = _file(session, _attempt())
    session.commit()
    row = session.scalar(select(IdempotencyKey))
    row.created_at = utcnow() - idempotency.TTL - timedelta(seconds=1)
    session.commit()
    again, made = _file(session, _attempt(body="two"))  # neither a replay nor refused: a new request
    session.commit()
    assert not again.replayed and made and again.record.id != first.record.id
    assert _keys(session) == 1


def test_a_key_whose_first_request_has_not_finished_answers_409(session) -> None:
    attempt = _attempt()
    session.add(
        IdempotencyKey(scope=attempt.scope, key_digest=attempt.digest, fingerprint=attempt.fingerprint, kind="claim")
    )
    session.commit()
    with pytest.raises(idempotency.KeyInProgress) as raised:
        _file(session, attempt)
    assert raised.value.status == 409 and raised.value.code == "idempotency_key_in_progress"


def test_a_replay_of_an_erased_record_answers_404_and_creates_nothing(session) -> None:
    first, _made = _file(session, _attempt())
    session.commit()
    # The retention job erases records by its own path; here the key names a claim no longer there.
    session.scalar(select(IdempotencyKey)).resource_id = first.record.id + 1000
    session.commit()
    with pytest.raises(idempotency.NotFound):
        _file(session, _attempt())
    assert session.scalar(select(func.count()).select_from(Claim)) == 1


def test_the_table_keeps_neither_the_key_nor_the_body(session) -> None:
    _file(session, _attempt())
    session.commit()
    row = session.scalar(select(IdempotencyKey))
    assert UUID not in (row.key_digest, row.fingerprint, row.scope)
    assert row.key_digest == idempotency.Attempt("", UUID, "", "").digest


def test_purge_deletes_only_the_keys_older_than_a_day(session) -> None:
    now = utcnow()
    for age, key in ((timedelta(hours=25), "old-key"), (timedelta(hours=23), "young-key")):
        attempt = _attempt(key=key)
        session.add(
            IdempotencyKey(
                scope=attempt.scope,
                key_digest=attempt.digest,
                fingerprint="f",
                kind="claim",
                resource_id=1,
                created_at=now - age,
            )
        )
    session.commit()
    assert idempotency.purge_expired(session, now) == 1
    session.commit()
    assert [row.key_digest for row in session.scalars(select(IdempotencyKey))] == [_attempt(key="young-key").digest]
    assert idempotency.purge_expired(session, now + timedelta(hours=2)) == 1
    assert _keys(session) == 0


def test_the_migration_goes_down_and_up_again(database_url: str) -> None:
    from alembic import command

    config = migrations_config(database_url)
    engine = make_engine(database_url)
    try:
        command.downgrade(config, "0011")
        with engine.connect() as conn:
            assert "idempotency_key" not in inspect(conn).get_table_names()
        command.upgrade(config, "head")
        with engine.connect() as conn:
            assert "idempotency_key" in inspect(conn).get_table_names()
    finally:
        engine.dispose()
