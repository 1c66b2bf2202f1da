"""Writing to the outbox: the recipient's language, and nothing for a deactivated account."""

from __future__ import annotations

from portal.notify.outbox import enqueue_for_user, locale_for
from tests.builders import make_user


def test_the_language_is_the_accounts_then_its_countrys_then_spanish(session):
    chooses = make_user(session, "family", preferred_locale="en")
    belize = make_user(session, "police", "BZ")
    bolivia = make_user(session, "police", "BO")
    session.flush()

    assert locale_for(session, chooses) == "en"
    assert locale_for(session, belize) == session.get(type(belize.country), "BZ").default_locale
    assert locale_for(session, bolivia) == "es"
    assert locale_for(session, None, "fr") == "fr"
    assert locale_for(session, None, "xx") == "es"


def test_a_deactivated_account_is_written_nothing(session):
    user = make_user(session, "police", "BO")
    user.active = False
    session.flush()

    assert enqueue_for_user(session, user, "witness/acted", {"reference": "AV-1"}) is None
