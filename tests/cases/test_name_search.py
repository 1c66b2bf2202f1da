"""GET /claims?q=: names found the way the matching engine reads them, over the whole registry.

The issue's four searches, among decoys that share a name or a surname with the person sought;
slips of the sound; police-only look-ups; reasons that never name what the public may not read.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from portal.cases.inputs import parse_claim
from portal.cases.search import SearchQuery, search_claims
from portal.casework import claim_changed
from tests.builders import MEMBERS, claim_data, make_claim, make_user


def _published(session, **overrides):  # type: ignore[no-untyped-def]
    """A published claim with no alias (claim_data's "Rosi" would answer to every Rosa)."""
    return make_claim(session, status="active", publication="published", **{"aliases": "", **overrides})


def _refs(page: str) -> list[str]:
    return list(dict.fromkeys(re.findall(r"[A-Z]{2}-\d{4}-\d{6}", page)))


@pytest.fixture
def registry(session):  # type: ignore[no-untyped-def]
    """Invented people filed as in the issue's table, and decoys around each of them."""
    people = {
        "quispe": _published(session, given_names="Edwin", first_surname="Quispe", second_surname="Apaza"),
        "guadalupe": _published(session, given_names="Guadalupe", first_surname="Quispe", second_surname=""),
        "rosa": _published(session, given_names="Rosa", first_surname="Quispe", second_surname="Condori"),
        "maria_jose": _published(session, given_names="María José", first_surname="Mamani", second_surname=""),
        # Decoys: the same surnames with other given names, other surnames with the same given names.
        "rosa_mamani": _published(session, given_names="Rosa", first_surname="Mamani", second_surname="Huanca"),
        "lupe_condori": _published(session, given_names="Lupe", first_surname="Condori", second_surname="Choque"),
        "jose_luis": _published(session, given_names="José Luis", first_surname="Mamani", second_surname="Flores"),
        "maria_quispe": _published(session, given_names="María", first_surname="Quispe", second_surname="Ticona"),
    }
    session.commit()
    return {key: claim.reference for key, claim in people.items()}


@pytest.mark.parametrize(
    ("q", "who"),
    [
        ("Kispe", "quispe"),
        ("Lupe Quispe", "guadalupe"),
        ("Condori Quispe Rosa", "rosa"),
        ("Mari Jose Mamani", "maria_jose"),
    ],
)
def test_the_issues_searches_find_the_claim_on_the_first_page(client, registry, q, who):
    found = _refs(client.get("/claims", query_string={"q": q}).get_data(as_text=True))
    assert registry[who] in found


@pytest.mark.parametrize(
    ("q", "who", "below"),
    [
        ("Lupe Quispe", "guadalupe", ["maria_quispe", "lupe_condori"]),  # one word each, or none
        ("Condori Quispe Rosa", "rosa", ["rosa_mamani", "maria_quispe"]),
        ("Mari Jose Mamani", "maria_jose", ["jose_luis", "rosa_mamani"]),
    ],
)
def test_the_person_sought_ranks_above_people_who_share_only_part_of_the_name(client, registry, q, who, below):
    found = _refs(client.get("/claims", query_string={"q": q}).get_data(as_text=True))
    for other in below:
        if registry[other] in found:
            assert found.index(registry[who]) < found.index(registry[other]), other


def test_a_word_written_as_filed_ranks_above_one_that_only_sounds_alike(client, registry):
    found = _refs(client.get("/claims", query_string={"q": "Quispe"}).get_data(as_text=True))
    quispes = {registry[k] for k in ("quispe", "guadalupe", "rosa", "maria_quispe")}
    assert set(found) == quispes


def test_two_surnames_in_either_order_or_one_missing(client, session, registry):
    both = _refs(client.get("/claims", query_string={"q": "Rosa Condori Quispe"}).get_data(as_text=True))
    assert both[0] == registry["rosa"]
    # Filed with one surname; searched with two: found, with three words of which one is missing.
    one = _refs(client.get("/claims", query_string={"q": "Guadalupe Quispe Mamani"}).get_data(as_text=True))
    assert registry["guadalupe"] in one
    # Two words must both be there: "Rosa Choque" is nobody.
    assert _refs(client.get("/claims", query_string={"q": "Rosa Choque"}).get_data(as_text=True)) == []


@pytest.mark.parametrize("q", ["Qusipe", "Quipse Edwin", "Mamnai Maria Jose", "quispé", "QUISPE"])
def test_slips_accents_and_case(client, registry, q):
    found = _refs(client.get("/claims", query_string={"q": q}).get_data(as_text=True))
    assert found and (registry["quispe"] in found or registry["maria_jose"] in found)


def test_reasons_say_how_each_word_was_found_in_the_users_language(client, login_as, registry):
    page = client.get("/claims", query_string={"q": "Lupe Kispe"}).get_data(as_text=True)
    assert "Lupe → Guadalupe (apodo)" in page
    assert "Kispe → Quispe (suena igual)" in page
    login_as("police", "BO")
    page = client.get("/claims", query_string={"q": "Condori Quispe Rosa"}).get_data(as_text=True)
    assert "Condori (mismo nombre)" in page


def test_public_search_never_confirms_a_name_it_may_not_read(client, registry, login_as):
    # Edwin Quispe Apaza: the public reads "Edwin Quispe"; Apaza, his second surname, is hidden, so a
    # public search for it must not find him (issue 14), on the page or through the API.
    for q in ("Apaza", "Edwin Apaza"):
        assert registry["quispe"] not in _refs(client.get("/claims", query_string={"q": q}).get_data(as_text=True))
        body = client.get("/api/v1/claims", query_string={"q": q}).get_json()
        assert registry["quispe"] not in [item["reference"] for item in body["items"]]
    assert registry["quispe"] in _refs(client.get("/claims", query_string={"q": "Edwin Quispe"}).get_data(as_text=True))
    # The police of any member country search every name: identification is network-wide.
    login_as("police", "PE")
    page = client.get("/claims", query_string={"q": "Edwin Apaza"}).get_data(as_text=True)
    assert registry["quispe"] in _refs(page)


def test_police_find_a_claim_by_reference_and_by_document_the_public_does_not(client, session, login_as):
    claim = _published(session, document_id="4.455.667-K")
    session.commit()
    assert _refs(client.get("/claims", query_string={"q": "4455667k"}).get_data(as_text=True)) == []
    # The document number is for the countries that hold the case: an unlinked country does not find it.
    login_as("police", "PE")
    assert _refs(client.get("/claims", query_string={"q": "4455667-k"}).get_data(as_text=True)) == []
    login_as("police", claim.owner_country)
    assert _refs(client.get("/claims", query_string={"q": "4455667-k"}).get_data(as_text=True)) == [claim.reference]
    assert _refs(client.get("/claims", query_string={"q": claim.reference.lower()}).get_data(as_text=True)) == [
        claim.reference
    ]


def test_the_index_follows_a_change_of_name(session):
    claim = make_claim(session, given_names="Yola", first_surname="Choque")
    officer = make_user(session, "police", "BO")
    data = parse_claim(
        claim_data(given_names="Yolanda", first_surname="Chuquimia"),
        today=claim.event_date,
        member_countries=MEMBERS,
        require_reporter=False,
    )
    claim_changed(session, officer, claim, data, expected_version=claim.version)
    session.commit()
    keys = set(claim.name_keys)
    assert "w:chuquimia" in keys and "w:choque" not in keys
    found = search_claims(session, officer, SearchQuery(q="Chuquimia"))
    assert [hit.claim.id for hit in found.hits] == [claim.id]
    assert search_claims(session, officer, SearchQuery(q="Choque")).total == 0


def test_a_word_whose_sound_is_stored_needs_no_query_to_be_known(session, monkeypatch):
    """The search asks the database whether a word exists only when its sounds are not among those
    the process has read; a sound stored since is still found in the database, and gets no slips."""
    from sqlalchemy import event

    from portal.cases import search

    _published(session, given_names="Nilda", first_surname="Quispe")
    session.commit()
    search_claims(session, None, SearchQuery(q="Quispe"))  # the vocabulary is read once here
    asked: list[str] = []
    engine = session.get_bind()
    # Whether a word exists is one statement of that shape (the others select claims or count them).
    listener = lambda *args: asked.append(args[2].lstrip()[:13])  # noqa: E731  (conn, cursor, statement, ...)
    event.listen(engine, "before_cursor_execute", listener)
    try:
        found = search_claims(session, None, SearchQuery(q="Kispe"))
        assert [hit.claim.first_surname for hit in found.hits] == ["Quispe"]
        assert asked and "SELECT EXISTS" not in asked
        # A surname filed after the vocabulary was read: the database is asked, it is known, no slips.
        late = _published(session, given_names="Nilda", first_surname="Ccoyllo")
        session.commit()
        slipped: list[object] = []
        real = search.slips
        monkeypatch.setattr(search, "slips", lambda *args: slipped.append(args) or real(*args))
        asked.clear()
        found = search_claims(session, None, SearchQuery(q="Ccoyllo"))
        assert [hit.claim.id for hit in found.hits] == [late.id]
        assert "SELECT EXISTS" in asked and slipped == []
        # A word nobody has, as written or by sound, is still corrected by a slip.
        found = search_claims(session, None, SearchQuery(q="Ccoymo Nilda"))
        assert late.id in [hit.claim.id for hit in found.hits] and slipped
    finally:
        event.remove(engine, "before_cursor_execute", listener)


def test_place_filter_and_results_without_a_name(client, session):
    cusco = _published(session, given_names="Nilda", place="Cusco, San Blas", country="PE")
    _published(session, given_names="Nilda", place="Puno", country="PE")
    session.commit()
    assert _refs(client.get("/claims", query_string={"place": "san blas"}).get_data(as_text=True)) == [cusco.reference]
    assert _refs(client.get("/claims", query_string={"q": "Nilda", "place": "cusco"}).get_data(as_text=True)) == [
        cusco.reference
    ]


@pytest.mark.parametrize("count_limit", [1000, 1])  # the best read through the name index, or by date
def test_a_page_is_the_same_whether_the_best_claims_fill_it_or_not(session, monkeypatch, count_limit):
    """Claims meeting every word as written come first, newest first, then the others by score: the
    shortcut that reads the first group alone gives the same pages as scoring everyone."""
    from portal.cases import search

    monkeypatch.setattr(search, "COUNT_LIMIT", count_limit)
    exact = [
        _published(session, given_names="Nilda", first_surname="Mamani", event_date=f"2026-0{month}-01")
        for month in (1, 3, 5)
    ]
    sounds = [
        _published(session, given_names="Nilda", first_surname="Mamany", event_date=f"2026-0{month}-02")
        for month in (2, 4, 6)
    ]  # newer than the exact ones in each month, and lower
    session.commit()
    expected = [c.id for c in sorted(exact, key=lambda c: c.event_date, reverse=True)]
    expected += [c.id for c in sorted(sounds, key=lambda c: c.event_date, reverse=True)]
    pages = [
        [hit.claim.id for hit in search_claims(session, None, SearchQuery(q="Nilda Mamani", page=n, per_page=2)).hits]
        for n in (1, 2, 3)
    ]
    assert pages == [expected[0:2], expected[2:4], expected[4:6]]
    whole = search_claims(session, None, SearchQuery(q="Nilda Mamani", per_page=10))
    assert [hit.claim.id for hit in whole.hits] == expected
    assert [hit.score for hit in whole.hits][:3] == [1.0, 1.0, 1.0] and whole.hits[3].score < 1.0


@pytest.mark.parametrize("count_limit", [1000, 2, 1])
def test_one_respelt_word_pages_through_the_written_then_the_sound_alikes(session, monkeypatch, count_limit):
    """ "Kispe": the Kispes as written, newest first, then the Quispes by sound, newest first, then
    the rest; each page the same whichever group it is read from."""
    from portal.cases import search

    monkeypatch.setattr(search, "COUNT_LIMIT", count_limit)
    written = [_published(session, first_surname="Kispe", event_date=f"2026-0{month}-01") for month in (2, 5)]
    sound = [_published(session, first_surname="Quispe", event_date=f"2026-0{month}-02") for month in (1, 3, 4, 6)]
    session.commit()
    expected = [c.id for c in sorted(written, key=lambda c: c.event_date, reverse=True)]
    expected += [c.id for c in sorted(sound, key=lambda c: c.event_date, reverse=True)]
    for per_page in (1, 2, 3, 4):
        pages = [
            [
                hit.claim.id
                for hit in search_claims(session, None, SearchQuery(q="Kispe", page=n, per_page=per_page)).hits
            ]
            for n in range(1, 8)
        ]
        assert [claim for page in pages for claim in page] == expected, per_page
    whole = search_claims(session, None, SearchQuery(q="Kispe", per_page=10))
    assert [hit.score for hit in whole.hits] == [1.0, 1.0] + [round(2 / 3, 3)] * 4
    assert (whole.total, whole.more) == ((6, False) if count_limit == 1000 else (count_limit, True))


def test_counting_stops_at_the_limit_and_says_there_are_more(client, session, monkeypatch):
    from portal.cases import search

    for day in range(1, 6):
        _published(session, given_names="Nilda", first_surname="Mamani", event_date=f"2026-03-0{day}")
    session.commit()
    monkeypatch.setattr(search, "COUNT_LIMIT", 3)
    found = search_claims(session, None, SearchQuery(q="Nilda Mamani"))
    assert (found.total, found.more, len(found.hits)) == (3, True, 5)
    answer = client.get("/api/v1/claims", query_string={"q": "Nilda Mamani"}).get_json()
    assert (answer["total"], answer["total_is_lower_bound"], len(answer["items"])) == (3, True, 5)
    page = client.get("/claims", query_string={"q": "Nilda Mamani"}).get_data(as_text=True)
    assert "Más de 3 personas encontradas" in page
    monkeypatch.setattr(search, "COUNT_LIMIT", 5)
    found = search_claims(session, None, SearchQuery(q="Nilda Mamani"))
    assert (found.total, found.more) == (5, False)
    assert client.get("/api/v1/claims", query_string={"q": "Nilda Mamani"}).get_json()["total_is_lower_bound"] is False


# ------------------------------------------------------------------ counts of common keys


def _limit(monkeypatch, limit: int) -> None:  # type: ignore[no-untyped-def]
    from portal.cases import search

    monkeypatch.setattr(search, "COUNT_LIMIT", limit)
    monkeypatch.setattr(search, "COMMON_CLAIMS", 2 * limit)


def _counts_run(session) -> list[str]:  # type: ignore[no-untyped-def]
    """The statements a search runs that count claims, recorded while it runs."""
    from sqlalchemy import event

    seen: list[str] = []

    def record(_conn, _cursor, statement, *_args):  # type: ignore[no-untyped-def]
        if "count(" in statement.lower():
            seen.append(statement)

    event.listen(session.get_bind(), "before_cursor_execute", record)
    return seen


def test_the_common_keys_are_those_of_more_published_claims_than_a_search_counts(session, monkeypatch):
    from portal.cases.models import CommonNameKey
    from portal.cases.search import count_common_keys

    _limit(monkeypatch, 2)
    for given in ("Edwin", "Nilda", "Rosa"):
        _published(session, given_names=given, first_surname="Quispe", second_surname="Mamani")
    make_claim(session, status="active", publication="unpublished", given_names="Edwin", first_surname="Quispe")
    _published(session, given_names="Edwin", first_surname="Condori", second_surname="Quispe")
    session.commit()
    assert count_common_keys(session) == session.query(CommonNameKey).count() > 0
    stored = dict(session.execute(select(CommonNameKey.key, CommonNameKey.claims)).all())
    assert stored["w:quispe"] == 3  # published ones, by the names the public reads (not a second surname)
    assert "w:mamani" not in stored and "w:edwin" not in stored  # second surnames; two published Edwins
    _published(session, given_names="Edwin", first_surname="Apaza")
    session.commit()
    count_common_keys(session)
    assert session.get(CommonNameKey, "w:edwin").claims == 3  # counted afresh, not added to


@pytest.mark.parametrize("police", [False, True])
def test_a_common_word_is_not_counted_again_and_its_pages_stay_the_same(session, monkeypatch, police):
    """The stored counts spare the count, never change a page: "Kispe" reads the same pages with
    them as without, for the public and for an officer."""
    from portal.cases.search import count_common_keys

    _limit(monkeypatch, 1)
    written = [_published(session, first_surname="Kispe", event_date=f"2026-0{month}-01") for month in (2, 5)]
    sound = [_published(session, first_surname="Quispe", event_date=f"2026-0{month}-02") for month in (1, 3, 4, 6)]
    user = make_user(session, "police", country="BO") if police else None
    session.commit()

    def pages() -> list[list[int]]:
        return [
            [hit.claim.id for hit in search_claims(session, user, SearchQuery(q="Kispe", page=n, per_page=2)).hits]
            for n in range(1, 5)
        ]

    counted = _counts_run(session)
    before = pages()
    counts_before = len(counted)
    count_common_keys(session)
    session.commit()
    counted.clear()
    assert pages() == before
    assert [claim for page in before for claim in page] == [
        c.id for group in (written, sound) for c in sorted(group, key=lambda c: c.event_date, reverse=True)
    ]
    assert len(counted) < counts_before  # the Kispes (2) and the Quispes (4 less 2) are over 2 x 1
    found = search_claims(session, user, SearchQuery(q="Kispe"))
    assert (found.total, found.more) == (1, True)


def test_stale_counts_change_only_the_total_never_who_is_shown(session, monkeypatch):
    """Counts some minutes old may still say "more than": the claims listed are those the caller
    may see now (an unpublished claim never shows)."""
    from portal.cases.search import count_common_keys

    _limit(monkeypatch, 1)
    claims = [_published(session, first_surname="Quispe", event_date=f"2026-0{month}-01") for month in (1, 2, 3)]
    session.commit()
    count_common_keys(session)
    for claim in claims[1:]:
        claim.publication = "unpublished"
    session.commit()
    found = search_claims(session, None, SearchQuery(q="Quispe", per_page=1))
    assert [hit.claim.id for hit in found.hits] == [claims[0].id]
    assert found.more  # the stored count (3) says so until the worker counts again
    found = search_claims(session, None, SearchQuery(q="Quispe"))
    assert [hit.claim.id for hit in found.hits] == [claims[0].id]
    assert not found.more  # a page the claims do not fill was ranked by score, and counted
    count_common_keys(session)
    found = search_claims(session, None, SearchQuery(q="Quispe"))
    assert (found.total, found.more) == (1, False)


def test_a_filtered_search_counts_for_itself(session, monkeypatch):
    from portal.cases.search import count_common_keys

    _limit(monkeypatch, 1)
    for country in ("BO", "PE", "PE"):
        _published(session, first_surname="Quispe", country=country)
    session.commit()
    count_common_keys(session)
    found = search_claims(session, None, SearchQuery(q="Quispe", country="BO"))
    assert (found.total, found.more, len(found.hits)) == (1, False, 1)


def test_a_page_ranked_by_score_counts_the_claims_it_ranked(session, monkeypatch):
    """Nobody is "Carmen Mamani Flores" as written: an officer's page is ranked by score over the five
    who meet two words, and counted in the same pass; a page past the end is counted apart."""
    for given in ("Nilda", "Rosa", "Edwin", "María", "Juana"):
        _published(session, given_names=given, first_surname="Mamani", second_surname="Flores")
    _published(session, given_names="Carmen", first_surname="Apaza", second_surname="Choque")  # one word
    officer = make_user(session, "police", country="BO")
    session.commit()
    found = search_claims(session, officer, SearchQuery(q="Carmen Mamani Flores"))
    assert (found.total, found.more, [hit.score for hit in found.hits]) == (5, False, [round(6 / 9, 3)] * 5)
    beyond = search_claims(session, officer, SearchQuery(q="Carmen Mamani Flores", page=3, per_page=3))
    assert (beyond.total, beyond.hits) == (5, [])
    _limit(monkeypatch, 3)
    found = search_claims(session, officer, SearchQuery(q="Carmen Mamani Flores"))
    assert (found.total, found.more, len(found.hits)) == (3, True, 5)
    # The public reads no second surname: "Flores" meets nobody, and one word of three is not enough.
    assert search_claims(session, None, SearchQuery(q="Carmen Mamani Flores")).total == 0
