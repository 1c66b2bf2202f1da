"""A form with errors starts with a summary that links to every field in error (_forms.html).

On a phone the field in error can be thousands of pixels below the top of the form, so the
summary lists each one, in page order, by its label and message, linking to its id; each
field keeps its own message beside it. tests/e2e/test_phone_layout.py measures it in Chromium.
"""

from __future__ import annotations

import re
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from portal import template_helpers
from tests.builders import PASSWORD, claim_data, csrf_token, make_claim, make_user

FORM = re.compile(r"<form\b[^>]*>(.*?)</form>", re.S)
SUMMARY = re.compile(r'<div class="error-summary" role="alert" tabindex="-1" autofocus>(.*?)</div>', re.S)
LINK = re.compile(r'<a href="#([^"]+)">(.*?)</a>', re.S)
ID = re.compile(r'\sid="([^"]+)"')
TAG = re.compile(r"<[^>]+>")
HIDDEN = re.compile(r'\s*<input type="hidden"[^>]*>')


def _summaries(page: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """(form body, [(link target, link text)]) of every form of ``page`` that has a summary."""
    found = []
    for body in FORM.findall(page):
        summary = SUMMARY.search(body)
        if summary:
            links = [(target, " ".join(TAG.sub(" ", text).split())) for target, text in LINK.findall(summary.group(1))]
            found.append((body, links))
    return found


def _only_summary(page: str) -> tuple[str, list[tuple[str, str]]]:
    summaries = _summaries(page)
    assert len(summaries) == 1, f"{len(summaries)} summaries"
    body, links = summaries[0]
    assert HIDDEN.sub("", body).lstrip().startswith('<div class="error-summary"')  # first in the form
    assert {target for target, _ in links} <= set(ID.findall(body))  # every link leads into this form
    return body, links


def _post(client: FlaskClient, path: str, data: dict[str, Any]) -> str:
    response = client.post(path, data={"csrf_token": csrf_token(client), **data})
    assert response.status_code in (401, 422), response.status_code
    return response.get_data(as_text=True)


def test_the_claim_form_lists_every_field_in_error_in_page_order(client: FlaskClient, login_as: Any) -> None:
    login_as("family")
    client.get("/lang/en")
    data = claim_data(
        birth_date="14/05/2010",
        age_min="20",
        age_max="10",
        event_date="2999-01-01",
        place="",
        circumstances=["no_such_code"],
        reporter_contact="",
        **{"offer.type": "no_such_offer", "recruiters.0.kind": "", "recruiters.0.value": "@someone"},
    )
    body, links = _only_summary(_post(client, "/claims/new", data))
    assert [target for target, _ in links] == [
        "birth_date",
        "age_max",
        "event_date",
        "place",
        "circumstances",  # the first box of the group
        "offer.type",
        "recruiters.0.kind",
        "reporter_contact",
    ]
    texts = dict(links)
    assert texts["place"] == "Place last seen This field is required."
    assert texts["age_max"] == "Estimated age, at most The highest age must not be below the lowest."
    assert texts["circumstances"].startswith("What do you know about how the person left?")
    # Each field keeps its own message beside it, and says it is invalid.
    for target in texts:
        assert f'id="{target}-error"' in body, target
    assert re.search(r'<input id="place"[^>]*aria-invalid="true" aria-describedby="place-error"', body)


def test_a_form_without_errors_has_no_summary(client: FlaskClient, login_as: Any) -> None:
    login_as("family")
    page = client.get("/claims/new").get_data(as_text=True)
    assert "error-summary" not in page and 'id="circumstances"' in page


def test_on_a_page_of_several_forms_only_the_sent_one_has_a_summary(
    client: FlaskClient, login_as: Any, session: Any
) -> None:
    login_as("police", "BO")
    claim = make_claim(session, make_user(session, "family"))  # a draft: the validate form shows too
    session.commit()
    client.get("/lang/en")
    page = _post(client, f"/cases/{claim.id}/notes", {"text": "", "visibility": "police"})
    assert f'action="/cases/{claim.id}/validate"' in page and 'name="police_case_number"' in page
    body, links = _only_summary(page)
    assert 'name="text"' in body and [target for target, _ in links] == ["text"]


def test_the_account_page_says_a_new_password_is_too_short_beside_its_field(client: FlaskClient, login_as: Any) -> None:
    login_as("family")
    client.get("/lang/en")
    page = _post(client, "/account/password", {"current_password": PASSWORD, "new_password": "short"})
    body, links = _only_summary(page)
    assert links == [("new_password", "New password Use at least 10 characters.")]
    assert 'id="new_password-error"' in body


def test_a_failed_log_in_links_to_the_password(client: FlaskClient, session: Any) -> None:
    make_user(session, "family", email="invented.person@example.test")
    session.commit()
    client.get("/lang/en")
    page = _post(client, "/login", {"email": "invented.person@example.test", "password": "not the password"})
    _, links = _only_summary(page)
    assert [target for target, _ in links] == ["password"]


def test_each_form_collects_only_its_own_fields(app: Flask) -> None:
    with app.test_request_context():
        template_helpers.note_field_error("outside", "Outside", ["ignored: no summary is open"])
        template_helpers.begin_error_summary()
        template_helpers.note_field_error("a", "A", ["first"])
        template_helpers.begin_error_summary()
        template_helpers.note_field_error("b", "B", ["second", "third"])
        inner = template_helpers.end_error_summary()
        outer = template_helpers.end_error_summary()
    assert [(e.target, e.messages) for e in inner] == [("b", ("second", "third"))]
    assert [(e.target, e.label) for e in outer] == [("a", "A")]
