"""Which language a visitor gets, Aymara formatted as es_BO, and the Spanish fallback string by string."""

from __future__ import annotations

from datetime import date

from flask import render_template_string

from portal.app import create_app
from portal.i18n import aymara, format_date, format_number, gettext


def test_a_visitor_whose_browser_asks_for_nothing_gets_the_countrys_language(database_url, tmp_path):
    belize = create_app("test", DATABASE_URL=database_url, PHOTO_DIR=str(tmp_path), COUNTRY="BZ")
    bolivia = create_app("test", DATABASE_URL=database_url, PHOTO_DIR=str(tmp_path), COUNTRY="BO")

    english = belize.test_client().get("/").get_data(as_text=True)
    spanish = bolivia.test_client().get("/").get_data(as_text=True)

    assert '<html lang="en"' in english and '<html lang="es"' in spanish
    # A browser that asks for a language still gets it.
    asked = belize.test_client().get("/", headers={"Accept-Language": "es"}).get_data(as_text=True)
    assert '<html lang="es"' in asked
    haiti = create_app("test", DATABASE_URL=database_url, PHOTO_DIR=str(tmp_path), COUNTRY="HT")
    brazil = create_app("test", DATABASE_URL=database_url, PHOTO_DIR=str(tmp_path), COUNTRY="BR")
    assert '<html lang="ht"' in haiti.test_client().get("/").get_data(as_text=True)
    assert '<html lang="pt"' in brazil.test_client().get("/").get_data(as_text=True)
    for application in (belize, bolivia, haiti, brazil):
        application.extensions["portal.engine"].dispose()


def test_aymara_is_named_ay_and_formats_dates_and_numbers_as_bolivian_spanish(app):
    locale = aymara()
    assert str(locale) == "ay" and locale.language == "ay"
    with app.test_request_context("/"):
        from flask_babel import force_locale

        with force_locale(locale):
            assert format_date(date(2026, 3, 1), "long") == "1 de marzo de 2026"
            assert format_number(1234567) == "1.234.567"


def test_a_string_missing_from_a_catalogue_falls_back_to_spanish_not_english(app):
    with app.test_request_context("/"):
        from flask_babel import force_locale

        # German has no catalogue here at all: every string is a missing one.
        with force_locale("de"):
            assert gettext("Search") == "Buscar"
            assert render_template_string("{{ _('Search') }}") == "Buscar"
        with force_locale("en"):
            assert gettext("Search") == "Search"


def test_a_message_in_another_language_leaves_the_pages_language_as_it_was(app):
    # The request's translations are kept for its locale (i18n._TRANSLATIONS): an e-mail rendered for
    # a recipient in another language, mid-request, must neither take the page's nor leave it its own.
    page = "Search missing people"
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        from flask_babel import force_locale

        assert gettext(page) == "Search missing people"
        with force_locale("pt"):
            assert gettext(page) == "Buscar pessoas desaparecidas"
            with force_locale("fr"):
                assert gettext(page) == "Rechercher des personnes disparues"
            assert gettext(page) == "Buscar pessoas desaparecidas"
        assert gettext(page) == "Search missing people"
        assert render_template_string("{{ _('Search missing people') }}") == "Search missing people"
