"""GET /claims: accents, case and one typo forgiven; filters; public never sees drafts; bad values are 422."""

from __future__ import annotations

import re

import pytest

from tests.builders import make_claim


def _published(session, **overrides):  # type: ignore[no-untyped-def]
    return make_claim(session, status="active", publication="published", **overrides)


def _refs(page: str) -> set[str]:
    return set(re.findall(r"[A-Z]{2}-\d{4}-\d{6}", page))


@pytest.fixture
def people(session):  # type: ignore[no-untyped-def]
    """Invented people: published ones in BO and PE, a draft and an unpublished active claim."""
    found = {
        "jose": _published(
            session,
            given_names="José Luis",
            first_surname="Mamani",
            second_surname="",
            sex="M",
            birth_date="",
            age_min="30",
            age_max="35",
            event_date="2026-01-05",
        ),
        "rosa": _published(session),  # Rosa Elvira Quispe Condori, F, 15, BO, 2026-02-11
        "pe": _published(
            session,
            given_names="Ximena",
            first_surname="Huanca",
            country="PE",
            place="Puno",
            event_date="2026-03-20",
            birth_date="2008-01-01",
        ),
        "draft": make_claim(session, given_names="Josefa", first_surname="Quispe"),
        "hidden": make_claim(
            session, status="active", publication="unpublished", given_names="Jose", first_surname="Quispe"
        ),
    }
    session.commit()
    return {key: claim.reference for key, claim in found.items()}


def test_accents_and_case_do_not_matter(client, people):
    assert people["jose"] in _refs(client.get("/claims?q=jose").get_data(as_text=True))
    assert people["jose"] in _refs(client.get("/claims?q=JOSÉ+mamani").get_data(as_text=True))


def test_one_typo_is_forgiven(client, people):
    refs = _refs(client.get("/claims?q=Qispe").get_data(as_text=True))
    assert people["rosa"] in refs and people["jose"] not in refs


def test_a_quechua_name_written_with_other_vowels_still_finds_the_usual_spelling(client, session, people):
    """One claim stored as "Quispi" used to make every Quispe unreachable from that spelling: the word
    was known, so no slip was looked for. Vowels e/i and o/u are exchanged as the names are written."""
    quispi = _published(session, given_names="Wilma", first_surname="Quispi", second_surname="").reference
    session.commit()
    page = client.get("/claims?q=Quispi").get_data(as_text=True)
    assert {quispi, people["rosa"]} <= _refs(page)
    assert page.index(quispi) < page.index(people["rosa"])  # as written first
    assert people["rosa"] in _refs(client.get("/claims?q=Rosa+Kispi").get_data(as_text=True))


def test_the_public_never_finds_drafts_or_unpublished_claims(client, people):
    for q in ("", "jose", "quispe", "josefa"):
        refs = _refs(client.get(f"/claims?q={q}").get_data(as_text=True))
        assert people["draft"] not in refs and people["hidden"] not in refs, q
    assert _refs(client.get("/claims?status=draft").get_data(as_text=True)) == set()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("country=PE", {"pe"}),
        ("country=BO", {"jose", "rosa"}),
        ("sex=M", {"jose"}),
        ("sex=F", {"rosa", "pe"}),
        ("age_min=30", {"jose"}),
        ("age_max=16", {"rosa"}),
        ("age_min=16&age_max=20", {"pe"}),
        # Ages on another day (a person found today): the age when last seen moved by the years
        # between, the last of them perhaps not ended. Rosa was 15 on 11 February 2026, Ximena 18 on
        # 20 March 2026, José Luis 30-35 on 5 January 2026.
        ("age_min=18&age_max=18", {"pe"}),
        ("age_min=18&age_max=18&age_on=2029-01-01", {"rosa"}),  # 17 or 18
        ("age_min=19&age_max=19&age_on=2029-01-01", set()),  # Rosa 17 or 18, Ximena 20 or 21
        ("age_min=21&age_max=21&age_on=2029-01-01", {"pe"}),
        ("age_min=19&age_max=20&age_on=2028-06-01", {"pe"}),  # 20 or 21
        ("age_max=17&age_on=2028-06-01", {"rosa"}),  # 17 or 18
        ("age_max=16&age_on=2028-06-01", set()),
        ("age_min=16&age_max=16&age_on=2026-12-07", {"rosa"}),  # 15 or 16 the same year
        ("age_on=2030-01-01", {"jose", "rosa", "pe"}),
        ("date_from=2026-02-01", {"rosa", "pe"}),
        ("date_to=2026-02-11", {"jose", "rosa"}),
        ("date_from=2026-02-01&date_to=2026-02-28&sex=F", {"rosa"}),
    ],
)
def test_filters(client, people, query, expected):
    assert _refs(client.get(f"/claims?{query}").get_data(as_text=True)) == {people[k] for k in expected}


def test_the_public_sees_cards_and_officers_a_table_with_statuses(client, login_as, people):
    page = client.get("/claims").get_data(as_text=True)
    assert 'class="cards"' in page and "<table>" not in page and 'name="status"' not in page
    login_as("police", "BO")
    page = client.get("/claims?status=draft").get_data(as_text=True)
    assert "<table>" in page and 'name="status"' in page
    assert _refs(page) == {people["draft"]}
    assert _refs(client.get("/claims?q=quispe").get_data(as_text=True)) >= {people["draft"], people["hidden"]}


@pytest.mark.parametrize(
    "query",
    [
        "age_min=abc",
        "page=-1",
        "date_from=2026-13-45",
        "sex=X",
        "country=ZZZ",
        "age_max=1000",
        "age_on=tomorrow",
        "age_on=2026-02-30",
        "page=abc",
        "date_to=yesterday",
        "status=lost",
    ],
)
def test_bad_values_answer_422_with_the_form(client, query):
    response = client.get(f"/claims?{query}")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'class="field-error"' in page and '<form method="get"' in page


def _filters_open(page: str) -> bool:
    tag = re.search(r'<details class="filters"[^>]*>', page)
    assert tag, "the search form has no folded filters"
    return " open" in tag.group(0)


def test_the_filters_stay_folded_until_one_is_used(client, people):
    # A name alone: the results come right under the name box (on a phone, on the first screen).
    assert not _filters_open(client.get("/claims?q=quispe").get_data(as_text=True))
    assert not _filters_open(client.get("/claims").get_data(as_text=True))
    # A filter in use, or a filter in error, is shown open.
    assert _filters_open(client.get("/claims?q=quispe&country=PE").get_data(as_text=True))
    assert _filters_open(client.get("/claims?age_on=2026-02-30").get_data(as_text=True))


@pytest.mark.parametrize(
    ("query", "fields"), [("age_min=abc&date_to=yesterday", ["age_min", "date_to"]), ("sex=X", ["sex"])]
)
def test_a_search_with_errors_starts_with_a_summary_linking_to_each_field(client, query, fields):
    page = client.get(f"/claims?q=quispe&{query}").get_data(as_text=True)
    form = page[page.index('<form method="get"') :]
    # The summary opens the form, before the name box, and links to every field in error.
    assert form.index('class="error-summary"') < form.index('name="q"')
    summary = form[form.index('class="error-summary"') : form.index("</ul>")]
    assert re.findall(r'href="#([a-z_]+)"', summary) == fields
    for field in fields:
        assert f'id="{field}"' in form
    assert _filters_open(page)


def test_pagination(app, client, session):
    app.config["SEARCH_PAGE_SIZE"] = 2
    refs = {_published(session, given_names=f"Invented{n}").reference for n in range(5)}
    session.commit()
    seen: set[str] = set()
    for number in (1, 2, 3):
        page = client.get(f"/claims?country=BO&page={number}").get_data(as_text=True)
        seen |= _refs(page)
        assert (f"page={number + 1}" in page) == (number < 3)
        assert "country=BO" in page
    assert seen == refs
    assert _refs(client.get("/claims?page=4").get_data(as_text=True)) == set()
