"""The account journeys through real e-mail: the worker sends to an SMTP server on loopback, and the
person follows the link in the message they received."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from tests.accounts.helpers import english
from tests.builders import PASSWORD, csrf_token, make_user

LINK = re.compile(r"https?://\S+")


def _link(message, path_start: str) -> str:
    """The path of the link in ``message`` that starts with ``path_start``."""
    paths = [urlsplit(url).path for url in LINK.findall(message.get_content())]
    found = [path for path in paths if path.startswith(path_start)]
    assert found, paths
    return found[0]


def _log_in(client, email, password):
    data = {"email": email, "password": password, "csrf_token": csrf_token(client, "/login")}
    return client.post("/login", data=data)


def test_a_password_is_reset_through_the_emailed_link_which_then_fails_a_second_time(app, session, mailbox, deliver):
    make_user(session, "family", email="madre@example.org", preferred_locale="en")
    session.commit()
    browser = english(app.test_client())
    browser.post(
        "/forgot-password", data={"email": "madre@example.org", "csrf_token": csrf_token(browser, "/forgot-password")}
    )

    deliver()

    (message,) = mailbox.to("madre@example.org")
    assert message["Content-Language"] == "en"
    reset = _link(message, "/reset-password/")
    assert browser.get(reset).status_code == 200
    new = {"password": "a new long password 2026", "password2": "a new long password 2026"}
    done = browser.post(reset, data={**new, "csrf_token": csrf_token(browser, reset)})
    assert done.status_code in (302, 303)
    assert _log_in(english(app.test_client()), "madre@example.org", PASSWORD).status_code == 401
    assert _log_in(english(app.test_client()), "madre@example.org", new["password"]).status_code in (302, 303)

    again = english(app.test_client()).get(reset)
    assert again.status_code == 400
    assert "already been used" in again.get_data(as_text=True)


def test_registering_an_existing_address_looks_the_same_and_only_the_owner_hears_of_it(app, session, mailbox, deliver):
    make_user(session, "family", email="ya.existe@example.org", preferred_locale="en")
    session.commit()

    def register(address):
        client = english(app.test_client())
        data = {
            "email": address,
            "password": "another long password",
            "password2": "another long password",
            "csrf_token": csrf_token(client, "/register"),
        }
        response = client.post("/register", data=data)
        return response.status_code, response.location, client.get(response.location).get_data(as_text=True)

    assert register("ya.existe@example.org") == register("nueva@example.org")
    deliver()

    (owner,) = mailbox.to("ya.existe@example.org")
    (newcomer,) = mailbox.to("nueva@example.org")
    assert "already has an account" in owner.get_content()
    assert _link(newcomer, "/verify/")
