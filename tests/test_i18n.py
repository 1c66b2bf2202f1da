"""Spanish by default, English after the switch, the choice remembered, no open redirect."""

from __future__ import annotations


def test_spanish_is_the_default_and_the_switch_gives_english(client):
    assert 'lang="es"' in client.get("/").get_data(as_text=True)
    response = client.get("/lang/en?next=/")
    assert response.status_code == 302
    assert 'lang="en"' in client.get("/").get_data(as_text=True)


def test_accept_language_is_honoured_without_a_choice(client):
    page = client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"}).get_data(as_text=True)
    assert 'lang="en"' in page


def test_unknown_language_and_foreign_next_are_ignored(client):
    response = client.get("/lang/xx?next=//evil.example/")
    assert response.status_code == 302 and "evil" not in response.location
    assert 'lang="es"' in client.get("/").get_data(as_text=True)
