"""Every route has an explicit audience in the route table, and the table is enforced (issue 14)."""

from __future__ import annotations

import re

import pytest

from portal.access.routes import RECORD_ROUTES, ROUTES, Audience
from tests.builders import csrf_token


def _rules(app):  # type: ignore[no-untyped-def]
    return {rule.endpoint: rule for rule in app.url_map.iter_rules()}


def test_every_route_has_an_explicit_policy_and_the_table_names_no_route_that_is_gone(app):
    endpoints = set(_rules(app))
    assert not endpoints - set(ROUTES), f"routes with no access policy: {sorted(endpoints - set(ROUTES))}"
    assert not set(ROUTES) - endpoints, f"policies of routes that do not exist: {sorted(set(ROUTES) - endpoints)}"
    assert set(ROUTES) >= RECORD_ROUTES


def _example(rule):  # type: ignore[no-untyped-def]
    """A URL of ``rule`` with plausible values (the route check runs before any record is read)."""
    values = {}
    for name, converter in rule._converters.items():
        choices = getattr(converter, "items", None)
        values[name] = next(iter(choices)) if choices else (1 if "Integer" in type(converter).__name__ else "x")
    return (
        rule.rule
        if not values
        else re.sub(r"<[^>]+>", lambda m: str(values[m.group(0)[1:-1].split(":")[-1]]), rule.rule)
    )


RESTRICTED = [e for e, a in ROUTES.items() if a in (Audience.POLICE, Audience.COORDINATOR, Audience.ADMIN)]


@pytest.mark.parametrize("endpoint", RESTRICTED)
def test_a_family_account_never_reaches_a_police_route_and_the_public_is_sent_to_sign_in(
    app, client, login_as, token_for, endpoint
):
    rule = _rules(app)[endpoint]
    url = _example(rule)
    method = "GET" if "GET" in rule.methods else "POST"
    if rule.rule.startswith("/api/"):
        # The API asks the public for a token, as its OpenAPI document says; to a family the route
        # does not exist.
        assert client.open(url, method=method).status_code == 401, url
        _family, headers = token_for("family")
        assert client.open(url, method=method, headers=headers).status_code == 404, url
        return
    anonymous = client.open(url, method=method, data={"csrf_token": csrf_token(client, "/sightings/new")})
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"], url
    login_as("family")
    form = {} if method == "GET" else {"csrf_token": csrf_token(client, "/sightings/new")}
    assert client.open(url, method=method, data=form).status_code == 404, url


def test_a_route_missing_from_the_table_is_refused(app, client, monkeypatch):
    monkeypatch.delitem(ROUTES, "main.glossary")
    assert client.get("/glossary").status_code == 404
