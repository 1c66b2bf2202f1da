"""The public follows a published claim by e-mail, with no account: double opt-in, signed one-click unsubscribe.

Through the pages as a person uses them; pages in English (``Accept-Language: en``) where text matters.
"""

from __future__ import annotations

import re
import time
from urllib.parse import quote, urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import select

from portal.app import create_app
from portal.audit.models import AuditEvent
from portal.notify import subscriptions
from portal.notify.models import OutboxMessage, Subscription
from portal.notify.render import render
from tests.builders import CSRF_FIELD, guadalupe, make_claim

EN = {"Accept-Language": "en"}
ADDRESS = "ana.vargas@example.org"  # an invented follower


def _rows(session, model, **where):
    session.expire_all()
    query = select(model).order_by(model.id)
    for name, value in where.items():
        query = query.where(getattr(model, name) == value)
    return list(session.scalars(query))


def _subscribe(client, reference, address=ADDRESS, headers=EN):
    """Open the claim's public page and send its subscribe form, as a browser does."""
    page = client.get(f"/claims/{reference}", headers=headers).get_data(as_text=True)
    token = CSRF_FIELD.search(page).group(1)
    return client.post(f"/claims/{reference}/subscribe", data={"csrf_token": token, "email": address}, headers=headers)


def _confirm_token(session, address=ADDRESS):
    (message,) = _rows(session, OutboxMessage, template="subscriptions/confirm", address=address)
    return message.context["confirm_token"]


def _confirm(client, path, headers=EN):
    """Open a confirmation link and press its button, as a person does; the answer to the last step."""
    page = client.get(path, headers=headers)
    found = CSRF_FIELD.search(page.get_data(as_text=True))
    if page.status_code != 200 or found is None:
        return page
    return client.post(path, data={"csrf_token": found.group(1)}, headers=headers)


def _notify(app, session, claim, text="Una nota pública."):
    """What the casework path does for a public note."""
    with app.app_context():
        count = subscriptions.notify_subscribers(session, claim, "subscriptions/update", {"what": "note", "text": text})
    session.commit()
    return count


def _filed(session, build=guadalupe, **state):
    """A claim filed by the builders, committed so that the pages see it."""
    claim = build(session, **state)
    session.commit()
    return claim


@pytest.fixture
def claim(session):
    return _filed(session)


@pytest.fixture
def follower(app, client, session, claim):
    """ADDRESS follows ``claim``, confirmed; returns its unsubscribe token (as an update e-mail holds it)."""
    _subscribe(client, claim.reference)
    assert _confirm(client, f"/subscriptions/confirm/{_confirm_token(session)}").status_code == 200
    assert _notify(app, session, claim) == 1
    (update,) = _rows(session, OutboxMessage, template="subscriptions/update")
    return update.context["unsubscribe_token"]


# --- the form ----------------------------------------------------------------------------------


def test_the_public_page_offers_an_accessible_subscribe_form(client, claim):
    page = client.get(f"/claims/{claim.reference}", headers=EN).get_data(as_text=True)

    assert "Get an e-mail when this case is updated" in page
    assert f'action="/claims/{claim.reference}/subscribe"' in page
    field = re.search(r"<input id=\"email\"[^>]*>", page).group(0)
    assert 'type="email"' in field and 'autocomplete="email"' in field and 'inputmode="email"' in field
    assert '<label for="email">' in page


def test_subscribing_queues_a_confirmation_in_the_language_of_the_request(client, session, claim):
    response = _subscribe(client, claim.reference, "  Ana.Vargas@Example.ORG ")

    assert response.status_code == 303
    assert urlsplit(response.headers["Location"]).path == f"/claims/{claim.reference}"
    page = client.get(response.headers["Location"], headers=EN).get_data(as_text=True)
    assert "If the address is valid, we sent a message to confirm" in page
    (row,) = _rows(session, Subscription)
    assert (row.claim_id, row.address, row.locale, row.confirmed_at) == (claim.id, ADDRESS, "en", None)
    (message,) = _rows(session, OutboxMessage, address=ADDRESS)
    assert (message.template, message.address, message.locale) == ("subscriptions/confirm", ADDRESS, "en")
    assert message.context["reference"] == claim.reference and message.context["confirm_token"]


def test_without_a_language_the_confirmation_is_in_spanish(client, session, claim):
    assert _subscribe(client, claim.reference, headers={}).status_code == 303

    (message,) = _rows(session, OutboxMessage, template="subscriptions/confirm")
    assert message.locale == "es"


def test_the_audit_trail_names_the_claim_and_never_the_address(client, session, claim, follower):
    events = [e for e in _rows(session, AuditEvent) if e.action.startswith("subscription.")]

    assert [e.action for e in events] == ["subscription.request", "subscription.confirm"]
    assert {(e.target_type, e.target_id, e.actor_role) for e in events} == {("claim", str(claim.id), "public")}
    assert not any("example.org" in repr(e.details) for e in events)


def test_subscribing_twice_gives_the_same_answer_and_keeps_one_row(client, session, claim):
    first, second = _subscribe(client, claim.reference), _subscribe(client, claim.reference, ADDRESS.upper())

    assert (first.status_code, first.headers["Location"]) == (second.status_code, second.headers["Location"])
    assert len(_rows(session, Subscription)) == 1
    # Unconfirmed, the address gets its link again (it may have lost the first).
    assert len(_rows(session, OutboxMessage, template="subscriptions/confirm")) == 2


def test_a_confirmed_follower_who_subscribes_again_gets_the_same_answer_and_no_new_mail(
    client, session, claim, follower
):
    before = len(_rows(session, OutboxMessage, template="subscriptions/confirm"))

    response = _subscribe(client, claim.reference)

    assert response.status_code == 303
    assert urlsplit(response.headers["Location"]).path == f"/claims/{claim.reference}"
    assert len(_rows(session, OutboxMessage, template="subscriptions/confirm")) == before
    (row,) = _rows(session, Subscription)
    assert row.confirmed_at is not None


def test_one_address_gets_few_confirmations_an_hour_whoever_asks(client, session, claim):
    for _ in range(subscriptions.CONFIRMATIONS_PER_HOUR + 2):
        assert _subscribe(client, claim.reference).status_code == 303

    confirmations = _rows(session, OutboxMessage, template="subscriptions/confirm")
    assert len(confirmations) == subscriptions.CONFIRMATIONS_PER_HOUR


@pytest.mark.parametrize("address", ["", "ana", "ana@", "@example.org", "ana@example", "a b@example.org", "x" * 300])
def test_a_bad_address_is_answered_on_the_form(client, session, claim, address):
    response = _subscribe(client, claim.reference, address)

    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Enter a valid email address." in page and 'aria-invalid="true"' in page
    assert f'action="/claims/{claim.reference}/subscribe"' in page
    assert _rows(session, Subscription) == [] and _rows(session, OutboxMessage, template="subscriptions/confirm") == []


def test_the_form_needs_its_csrf_token(client, session, claim):
    response = client.post(f"/claims/{claim.reference}/subscribe", data={"email": ADDRESS}, headers=EN)

    assert response.status_code == 400
    assert _rows(session, Subscription) == []


@pytest.mark.parametrize(
    "state", [{"status": "draft"}, {"status": "active", "publication": "unpublished"}, {"publication": "withheld"}]
)
def test_a_claim_that_is_not_public_cannot_be_followed(client, session, state):
    claim = _filed(session, make_claim, **{"status": "active", "publication": "published", **state})
    token = CSRF_FIELD.search(client.get("/sightings/new").get_data(as_text=True)).group(1)

    response = client.post(f"/claims/{claim.reference}/subscribe", data={"csrf_token": token, "email": ADDRESS})

    assert response.status_code == 404
    assert _rows(session, Subscription) == [] and _rows(session, OutboxMessage, address=ADDRESS) == []


def test_an_unknown_reference_is_404(client):
    token = CSRF_FIELD.search(client.get("/sightings/new").get_data(as_text=True)).group(1)
    for reference in ("BO-2026-999999", "not-a-reference"):
        response = client.post(f"/claims/{reference}/subscribe", data={"csrf_token": token, "email": ADDRESS})
        assert response.status_code == 404


# --- confirming --------------------------------------------------------------------------------


def test_only_a_confirmed_address_gets_the_updates(app, client, session, claim):
    _subscribe(client, claim.reference)
    assert _notify(app, session, claim) == 0
    assert _rows(session, OutboxMessage, template="subscriptions/update") == []

    response = _confirm(client, f"/subscriptions/confirm/{_confirm_token(session)}")

    assert response.status_code == 200
    assert "Your subscription is confirmed" in response.get_data(as_text=True)
    assert _notify(app, session, claim, "Se recibió nueva información.") == 1
    (update,) = _rows(session, OutboxMessage, template="subscriptions/update")
    assert (update.address, update.locale) == (ADDRESS, "en")
    assert update.context["what"] == "note" and update.context["text"] == "Se recibió nueva información."
    assert update.context["reference"] == claim.reference and update.context["unsubscribe_token"]


def test_opening_the_link_alone_confirms_nothing_as_a_mail_scanner_would(client, session, claim):
    _subscribe(client, claim.reference)

    page = client.get(f"/subscriptions/confirm/{_confirm_token(session)}", headers=EN)

    assert page.status_code == 200 and "Yes, send me the news" in page.get_data(as_text=True)
    assert _rows(session, Subscription)[0].confirmed_at is None


def test_confirming_twice_changes_nothing(client, session, claim):
    _subscribe(client, claim.reference)
    link = f"/subscriptions/confirm/{_confirm_token(session)}"
    assert _confirm(client, link).status_code == 200
    (first,) = _rows(session, Subscription)
    confirmed_at = first.confirmed_at

    assert _confirm(client, link).status_code == 200

    (row,) = _rows(session, Subscription)
    assert confirmed_at is not None and row.confirmed_at == confirmed_at


def test_an_expired_confirmation_link_says_so(client, session, claim, monkeypatch):
    real = time.time
    with monkeypatch.context() as past:  # the link was sent eight days ago
        past.setattr(time, "time", lambda: real() - 8 * 86400)
        _subscribe(client, claim.reference)
        token = _confirm_token(session)

    response = client.get(f"/subscriptions/confirm/{token}", headers=EN)

    assert response.status_code == 410
    assert "This link has expired" in response.get_data(as_text=True)
    assert _rows(session, Subscription)[0].confirmed_at is None


def test_confirming_a_subscription_that_ended_says_so(client, session, claim, follower):
    client.post(f"/subscriptions/unsubscribe/{follower}")
    token = _confirm_token(session)

    response = client.get(f"/subscriptions/confirm/{token}", headers=EN)

    assert response.status_code == 410
    assert "This subscription no longer exists" in response.get_data(as_text=True)
    assert _rows(session, Subscription) == []


def test_a_withheld_claim_tells_its_followers_nothing(app, session, claim, follower):
    before = len(_rows(session, OutboxMessage))
    for publication in ("withheld", "unpublished"):
        claim.publication = publication
        session.commit()

        assert _notify(app, session, claim) == 0

    assert len(_rows(session, OutboxMessage)) == before


# --- unsubscribing -----------------------------------------------------------------------------


def test_the_unsubscribe_link_asks_first_then_a_button_ends_it(client, session, claim, follower):
    link = f"/subscriptions/unsubscribe/{follower}"

    page = client.get(link, headers=EN)

    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Stop the e-mails about this case?" in text and claim.reference in text
    assert f'<form method="post" action="{link}">' in text
    assert len(_rows(session, Subscription)) == 1  # opening the link changed nothing

    done = client.post(link, headers=EN)

    assert done.status_code == 200 and "You are unsubscribed." in done.get_data(as_text=True)
    assert _rows(session, Subscription) == []
    actions = [e.action for e in _rows(session, AuditEvent)]
    assert "subscription.cancel" in actions


def test_unsubscribing_twice_says_the_same(client, session, follower):
    link = f"/subscriptions/unsubscribe/{follower}"
    assert client.post(link).status_code == 200

    again, page = client.post(link, headers=EN), client.get(link, headers=EN)

    assert again.status_code == 200 and "You are unsubscribed." in again.get_data(as_text=True)
    assert page.status_code == 200 and "You are unsubscribed." in page.get_data(as_text=True)
    assert '<form method="post" action="/subscriptions' not in page.get_data(as_text=True)


def test_the_one_click_post_of_a_mail_provider_needs_no_session(app, session, follower):
    provider = app.test_client()  # no cookie, no CSRF token: RFC 8058's List-Unsubscribe-Post

    response = provider.post(f"/subscriptions/unsubscribe/{follower}", data={"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200
    assert _rows(session, Subscription) == []


def test_an_unsubscribed_address_gets_no_more_updates(app, client, session, claim, follower):
    client.post(f"/subscriptions/unsubscribe/{follower}")

    assert _notify(app, session, claim) == 0


def test_an_unsubscribe_link_of_one_follower_leaves_the_others(app, client, session, claim, follower):
    _subscribe(client, claim.reference, "luis.mendoza@example.org")
    _confirm(client, f"/subscriptions/confirm/{_confirm_token(session, 'luis.mendoza@example.org')}")

    client.post(f"/subscriptions/unsubscribe/{follower}")

    assert [row.address for row in _rows(session, Subscription)] == ["luis.mendoza@example.org"]


# --- links that are not ours -------------------------------------------------------------------


def _tampered(token: str) -> str:
    """The token with the first character of its signature changed (the last one may carry only padding bits)."""
    head, signature = token.rsplit(".", 1)
    return f"{head}.{'A' if signature[0] != 'A' else 'B'}{signature[1:]}"


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/subscriptions/confirm/{}"),
        ("get", "/subscriptions/unsubscribe/{}"),
        ("post", "/subscriptions/unsubscribe/{}"),
    ],
)
def test_a_tampered_link_gets_a_clear_400_and_changes_nothing(client, session, claim, follower, method, path):
    response = getattr(client, method)(path.format(_tampered(follower)), headers=EN)

    assert response.status_code == 400
    assert "This link is not valid" in response.get_data(as_text=True)
    assert len(_rows(session, Subscription)) == 1


def test_a_confirmation_link_does_not_unsubscribe_and_the_reverse(client, session, claim, follower):
    confirm = _confirm_token(session)

    assert client.post(f"/subscriptions/unsubscribe/{confirm}").status_code == 400
    assert client.get(f"/subscriptions/confirm/{follower}").status_code == 400
    assert len(_rows(session, Subscription)) == 1


def test_a_link_names_its_address_so_a_reused_id_is_not_touched(app, session, claim, follower):
    (row,) = _rows(session, Subscription)
    forged = subscriptions.unsubscribe_token(app.config["SECRET_KEY"], row.id, "someone.else@example.org")

    response = app.test_client().post(f"/subscriptions/unsubscribe/{forged}")

    assert response.status_code == 200  # that subscription (of someone else's address) is already gone
    assert len(_rows(session, Subscription)) == 1


@pytest.mark.parametrize(
    "payload",
    [["1", "abc"], [True, "abc"], [0, "abc"], [-4, "abc"], [2**80, "abc"], [1], [1, 2], {"id": 1}, "1", None],
    ids=repr,
)
@pytest.mark.parametrize("salt", [subscriptions.CONFIRM_SALT, subscriptions.UNSUBSCRIBE_SALT])
def test_a_signed_token_of_another_shape_is_refused(app, claim, payload, salt):
    token = URLSafeTimedSerializer(app.config["SECRET_KEY"], salt=salt).dumps(payload)
    path = "confirm" if salt == subscriptions.CONFIRM_SALT else "unsubscribe"

    assert app.test_client().get(f"/subscriptions/{path}/{token}").status_code == 400


def test_a_token_signed_with_another_key_is_refused(app, follower):
    (row_id, tag) = URLSafeTimedSerializer(app.config["SECRET_KEY"], salt=subscriptions.UNSUBSCRIBE_SALT).loads(
        follower
    )
    forged = URLSafeTimedSerializer("another-key", salt=subscriptions.UNSUBSCRIBE_SALT).dumps([row_id, tag])

    assert app.test_client().post(f"/subscriptions/unsubscribe/{forged}").status_code == 400


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(garbage=st.text(min_size=1, max_size=400))
def test_garbage_links_never_give_a_server_error(client, garbage):
    token = quote(garbage, safe="")
    for response in (
        client.get(f"/subscriptions/confirm/{token}"),
        client.post(f"/subscriptions/confirm/{token}", data={"csrf_token": "x"}),
        client.get(f"/subscriptions/unsubscribe/{token}"),
        client.post(f"/subscriptions/unsubscribe/{token}"),
    ):
        # Refused (400), no such page (404), or a redirect of a path with "//" in it: never accepted, never a 500.
        assert response.status_code in (308, 400, 404, 410), (garbage, response.status_code)


# --- the messages ------------------------------------------------------------------------------


def _render(app, template, context, locale="en"):
    with app.test_request_context("/", base_url="https://portal.example.org"):
        return render(app, template, context, locale)


def test_the_confirmation_message_holds_its_link(app, client, session, claim):
    _subscribe(client, claim.reference)
    (message,) = _rows(session, OutboxMessage, template="subscriptions/confirm")

    mail = _render(app, message.template, message.context)

    assert claim.reference in mail.subject
    assert f"https://portal.example.org/subscriptions/confirm/{message.context['confirm_token']}" in mail.body
    assert ADDRESS not in mail.body


def test_a_person_found_is_only_said_to_be_found(app):
    context = {
        "reference": "BO-2026-000001",
        "name": "Guadalupe Quispe",
        "what": "located",
        "text": "Encontrada en Cusco, calle Plateros 5",
        "unsubscribe_token": "TOKEN",
    }

    mail = _render(app, "subscriptions/update", context)

    assert "has been found" in mail.body and "Guadalupe Quispe" in mail.subject
    assert "Cusco" not in mail.body and "Plateros" not in mail.body and "Cusco" not in mail.subject
    assert "https://portal.example.org/subscriptions/unsubscribe/TOKEN" in mail.body


@pytest.mark.parametrize("what", ["note", "status"])
def test_an_update_holds_the_public_text_and_the_links(app, what):
    context = {"reference": "BO-2026-000001", "name": "Guadalupe Quispe", "what": what, "text": "Texto público."}

    mail = _render(app, "subscriptions/update", {**context, "unsubscribe_token": "TOKEN"})

    assert "BO-2026-000001" in mail.subject
    assert "Texto público." in mail.body
    assert "https://portal.example.org/claims/BO-2026-000001" in mail.body
    assert "https://portal.example.org/subscriptions/unsubscribe/TOKEN" in mail.body


def test_the_whole_journey_through_the_real_worker(app, client, session, claim, mailbox, deliver):
    _subscribe(client, claim.reference)
    deliver()
    (confirmation,) = mailbox.to(ADDRESS)
    link = re.search(r"https?://\S+/subscriptions/confirm/\S+", confirmation.get_content()).group(0)
    assert _confirm(client, urlsplit(link).path).status_code == 200

    _notify(app, session, claim, "La policía recibió nueva información.")
    deliver()

    update = mailbox.to(ADDRESS)[-1]
    assert "La policía recibió nueva información." in update.get_content()
    assert update["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    one_click = urlsplit(update["List-Unsubscribe"].strip("<>")).path
    assert app.test_client().post(one_click, data={"List-Unsubscribe": "One-Click"}).status_code == 200
    assert _rows(session, Subscription) == []


# --- the rate limit ----------------------------------------------------------------------------


def test_one_client_may_subscribe_ten_times_an_hour(database_url, tmp_path, session):
    limited = create_app(
        "test",
        DATABASE_URL=database_url,
        PHOTO_DIR=str(tmp_path),
        RATELIMIT_ENABLED=True,
        RATELIMIT_STORAGE_URI="memory://",
    )
    claim = _filed(session)
    client = limited.test_client()
    try:
        statuses = [_subscribe(client, claim.reference, f"p{n}@example.org").status_code for n in range(11)]
    finally:
        limited.extensions["portal.engine"].dispose()

    assert statuses == [303] * 10 + [429]
