"""The glossary: its file is complete in every language and cites known sources; a broken one is
refused; each language reads its own terms in alphabetical order; the page follows the request's
language and cites sources by their titles; the footer of every page links to it."""

from __future__ import annotations

import copy
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from markupsafe import escape

from portal import glossary
from portal.flags.presenters import SOURCE_TITLES
from portal.i18n import ENDONYMS

ROOT = Path(__file__).resolve().parent.parent
RAW = yaml.safe_load(glossary.PATH.read_text(encoding="utf-8"))
INDICATOR_HEADER = (ROOT / "portal" / "risk" / "trafficking-indicators.yaml").read_text(encoding="utf-8")[:1500]
# Sources that are not in the indicator list's header: the portal's own definitions and two instruments
# the list does not cite (the ILO convention that defines forced labour, the UN smuggling protocol).
OWN_SOURCES = {"PORTAL", "ILO-C29", "SMUGGLING-3"}
SENTENCE_END = re.compile(r"[.!?](?:\s|$)")
CITE = re.compile(r'<cite lang="[a-z]+">([^<]*)</cite>')


def _definition(term_id: str, language: str) -> str:
    return next(t.definition for t in glossary.terms(language) if t.id == term_id)


def test_every_term_is_written_in_every_language_of_the_portal() -> None:
    assert set(glossary.LANGUAGES) == set(ENDONYMS)
    assert 14 <= len(RAW["terms"]) <= 18
    for term in RAW["terms"]:
        for language in glossary.LANGUAGES:
            assert term[language]["term"].strip() and term[language]["definition"].strip(), (term["id"], language)
    glossary.load()  # the whole file validates


def test_definitions_are_one_or_two_short_sentences() -> None:
    for language in glossary.LANGUAGES:
        for term in glossary.terms(language):
            assert len(SENTENCE_END.findall(term.definition)) <= 2, (term.id, language)
            assert len(term.definition) <= 260, (term.id, language)


def test_every_source_is_known_and_the_indicator_lists_codes_are_its_own() -> None:
    cited = {code for term in RAW["terms"] for code in term["sources"]}
    assert cited <= set(RAW["sources"])
    assert {"PALERMO-3", "ILO2009", "UNODC-HTI", "PORTAL"} <= cited
    for code in set(RAW["sources"]) - OWN_SOURCES:
        assert code in SOURCE_TITLES and code in INDICATOR_HEADER, code
    for term_id in ("claim", "sighting", "possible-match", "practice-space"):
        assert next(t for t in RAW["terms"] if t["id"] == term_id)["sources"] == ["PORTAL"]


def test_a_broken_file_is_refused_with_every_fault_named() -> None:
    broken = copy.deepcopy(RAW)
    claim = next(t for t in broken["terms"] if t["id"] == "claim")
    del claim["gn"]
    claim["sources"] = ["PORTAL", "ILO2008"]
    broken["terms"].append(copy.deepcopy(broken["terms"][0]))

    with pytest.raises(glossary.GlossaryError) as refused:
        glossary.parse(broken)

    message = str(refused.value)
    assert "term 'claim': no 'gn' text" in message
    assert "term 'claim': unknown source 'ILO2008'" in message
    assert f"term {broken['terms'][0]['id']!r}: the id is used twice" in message
    with pytest.raises(glossary.GlossaryError, match="no source"):
        glossary.parse({**RAW, "terms": [{**RAW["terms"][0], "sources": []}]})


@pytest.mark.parametrize("language", glossary.LANGUAGES)
def test_each_language_reads_every_term_in_alphabetical_order_with_readable_sources(language: str) -> None:
    terms = glossary.terms(language)

    assert {t.id for t in terms} == {t["id"] for t in RAW["terms"]}
    assert [glossary.sort_key(t.term) for t in terms] == sorted(glossary.sort_key(t.term) for t in terms)
    for term in terms:
        assert term.sources, term.id
        assert all(s.title not in RAW["sources"] and s.lang in glossary.LANGUAGES for s in term.sources), term.id
    portal_title = next(t for t in terms if t.id == "claim").sources[0]
    assert portal_title.lang == language  # the portal's own definitions are named in every language


def test_titles_fall_back_to_a_language_the_reader_reads() -> None:
    (palermo, *_) = next(t for t in glossary.terms("qu") if t.id == "child").sources
    assert palermo.lang == "es" and palermo.title.startswith("Protocolo de las Naciones Unidas")
    (palermo, *_) = next(t for t in glossary.terms("ht") if t.id == "child").sources
    assert palermo.lang == "fr"
    polaris = next(t for t in glossary.terms("pt") if t.id == "indicator").sources[2]
    assert polaris.lang == "en"


def test_an_unknown_locale_reads_spanish_and_a_regional_one_its_language() -> None:
    assert glossary.terms("de") == glossary.terms("es") == glossary.terms(None)
    assert glossary.language_of("pt_BR") == "pt" and glossary.language_of("fr-HT") == "fr"
    assert glossary.language_of("ay") == "ay"


def test_alphabetical_order_ignores_accents_and_apostrophes_and_puts_n_tilde_after_n() -> None:
    words = ["ñandutí", "Ópera", "nzau", "k'ari", "kawki", "Ábaco"]
    assert sorted(words, key=glossary.sort_key) == ["Ábaco", "k'ari", "kawki", "nzau", "ñandutí", "Ópera"]


def test_the_glossary_module_loads_without_flask() -> None:
    code = (
        "import sys, portal.glossary as g; g.terms('es'); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('flask', 'sqlalchemy', 'werkzeug')))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_the_spanish_page_is_the_default(client) -> None:
    response = client.get("/glossary")
    page = response.get_data(as_text=True)

    assert response.status_code == 200 and '<html lang="es"' in page
    assert str(escape(_definition("trafficking", "es"))) in page
    assert str(escape(_definition("trafficking", "en"))) not in page
    assert '<dt id="trafficking">' in page
    # Sources by their titles, never their codes.
    cited = CITE.findall(page)
    assert "Definición de este portal" in cited and not set(cited) & set(RAW["sources"])
    assert any(title.startswith("Protocolo de las Naciones Unidas para prevenir") for title in cited)
    assert "PALERMO-3" not in page and "ILO2009" not in page and "UNODC-HTI" not in page


def test_the_english_page_after_the_switch(client) -> None:
    assert client.get("/lang/en?next=/glossary").location.endswith("/glossary")
    page = client.get("/glossary").get_data(as_text=True)

    assert '<html lang="en"' in page and '<dl class="glossary" lang="en">' in page
    assert str(escape(_definition("trafficking", "en"))) in page
    assert str(escape(_definition("trafficking", "es"))) not in page
    assert "ILO/European Commission, Operational indicators of trafficking in human beings (2009)" in page
    assert "ILO2009" not in page and "PALERMO-3" not in page


@pytest.mark.parametrize("language", glossary.LANGUAGES)
def test_the_page_in_each_language_the_switch_offers(database_url, tmp_path, language: str) -> None:
    from portal.app import create_app

    app = create_app("test", DATABASE_URL=database_url, PHOTO_DIR=str(tmp_path), LOCALES=list(glossary.LANGUAGES))
    try:
        client = app.test_client()
        client.get(f"/lang/{language}")
        response = client.get("/glossary")
        page = response.get_data(as_text=True)
    finally:
        app.extensions["portal.engine"].dispose()

    assert response.status_code == 200
    assert f'<html lang="{language}"' in page and f'<dl class="glossary" lang="{language}">' in page
    assert str(escape(_definition("trafficking", language))) in page


def test_the_home_page_footer_links_to_the_glossary_and_keeps_the_emergency_line(client) -> None:
    page = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    footer = page[page.index("<footer>") :]

    assert 'href="/glossary"' in footer and "Glossary" in footer
    assert "In an emergency, call the police of your country." in footer
