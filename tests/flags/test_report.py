"""The coordinators' fairness report: flag rates by country, sex and age band; small groups hidden."""

from __future__ import annotations

import pytest

from portal.errors import NotFound
from portal.flags.report import SMALL_GROUP, age_band, fairness_report
from tests.builders import girl, make_claim, make_user


def adults(session, n: int, **overrides) -> None:  # type: ignore[no-untyped-def]
    """``n`` invented adults with no circumstances (level 0), filed through the service."""
    for k in range(n):
        make_claim(
            session,
            status="active",
            given_names=f"Ana{k}",
            first_surname="Prueba",
            second_surname="",
            aliases="",
            birth_date="1990-01-01",
            document_id="",
            circumstances=[],
            circumstances_text="",
            **overrides,
        )


def test_age_bands() -> None:
    assert [age_band(a) for a in (None, 0, 12, 13, 17, 18, 24, 25, 59, 60, 99)] == [
        "?",
        "0-12",
        "0-12",
        "13-17",
        "13-17",
        "18-24",
        "18-24",
        "25-59",
        "25-59",
        "60+",
        "60+",
    ]


def test_rates_by_group_and_small_groups_hidden(session) -> None:  # type: ignore[no-untyped-def]
    for _ in range(SMALL_GROUP):
        girl(session)  # 15, job offer abroad: level 1
    adults(session, SMALL_GROUP)
    session.commit()
    report = fairness_report(session, make_user(session, "coordinator", "BO"))
    assert report.total.claims == 2 * SMALL_GROUP and report.total.flagged == SMALL_GROUP
    assert report.total.flagged_rate == 0.5 and report.total.priority == 0
    bands = {row.group: row for row in report.by_age}
    assert bands["13-17"].flagged_rate == 1.0 and bands["25-59"].flagged_rate == 0.0
    assert {row.group for row in report.by_sex} == {"F"}
    # One more claim from another country: a group of one shows its count, never a rate.
    adults(session, 1, country="PE")
    session.commit()
    countries = {row.group: row for row in fairness_report(session, make_user(session, "admin", None)).by_country}
    assert countries["BO"].shown and countries["PE"].claims == 1
    assert countries["PE"].flagged_rate is None


@pytest.mark.parametrize("role", ["police", "family", "trainer"])
def test_only_coordinators_and_administrators_read_it(session, role) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(NotFound):
        fairness_report(session, make_user(session, role, "BO"))


def test_the_page_for_a_coordinator_and_404_for_others(client, login_as, session) -> None:  # type: ignore[no-untyped-def]
    for _ in range(SMALL_GROUP):
        girl(session)
    session.commit()
    login_as("coordinator", "BO")
    page = client.get("/flags/report", headers={"Accept-Language": "es"}).get_data(as_text=True)
    assert "13-17 años" in page and "100% (5)" in page
    assert "nacionalidad" in page  # the page says what the indicators never read
    client.get("/logout")
    for role in ("police", "family"):
        login_as(role, "BO")
        assert client.get("/flags/report").status_code == 404
        client.get("/logout")
    assert client.get("/flags/report").status_code == 404
