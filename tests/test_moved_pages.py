"""Old addresses of the review and flags pages (before the features were renamed) lead to the new ones."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("/matching/queue", "/review/queue"),
        ("/matching/queue?claim=7", "/review/queue?claim=7"),
        ("/matching/candidates/12", "/review/candidates/12"),
        ("/risk/flags", "/flags/"),
        ("/risk/report", "/flags/report"),
        ("/risk/claims/3/escalate", "/flags/claims/3/escalate"),
    ],
)
def test_old_address_redirects_with_method_kept(client, old, new):
    response = client.get(old)
    assert response.status_code == 308
    assert response.headers["Location"] == new


def test_a_form_posted_to_an_old_address_is_sent_on_as_a_post(client, csrf):
    response = client.post("/risk/claims/3/dismiss", data={"csrf_token": csrf(), "reason": "x"})
    assert response.status_code == 308 and response.headers["Location"] == "/flags/claims/3/dismiss"
