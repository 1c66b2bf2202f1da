"""The sentinel crawl (issue 14): unique strings in every restricted field, then every page, API
answer, e-mail and log line read as every role and relation. Each sentinel may appear only where
the access policy table (``portal.access.policy.POLICY``) lets that reader read its field.

The expectations come from the table and from the relations this test *declares* for each reader
(it builds the links itself), never from the portal's own ``sight()``: removing a check in the
portal makes this test fail (see docs/decisions.md, "access policy").

Records:
- claim A: Bolivia, active and published, filed by family ``fam_a``, with indicators of trafficking;
- claim B: the same person filed in Chile, active, unpublished, by ``fam_b``: the engine proposes
  the pair, which links Bolivia and Chile to both claims;
- sighting S: in Bolivia, of the same person, at a bar: readers are the police of Bolivia (its
  country) and of the countries whose claims it is a candidate of;
- Guatemala's officer holds a granted request on A; Peru's officer is tied to nothing.
"""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urldefrag, urlsplit

import pytest
from sqlalchemy import select

from portal import casework
from portal.access.models import AccessRequest
from portal.access.policy import FIELDS, SIGHTING_READERS, Action, Group, Relation, allowed, role_class
from portal.db import utcnow
from portal.notify.models import OutboxMessage
from portal.notify.render import render
from tests.builders import browser_of, candidates, lupe_sighting, make_claim, make_user

OWN, L, G, X, F, P = (
    Relation.OWNER_COUNTRY,
    Relation.LINKED_COUNTRY,
    Relation.GRANTED,
    Relation.OTHER_COUNTRY,
    Relation.REPORTING_FAMILY,
    Relation.PUBLIC,
)


def sentinels(tag: str) -> dict[str, str]:
    """Policy field -> a unique word for record ``tag``, lower case (pages are compared lowered)."""
    return {
        "given_names": f"zqxgiven{tag}",
        "description": f"zqxdescription{tag}",
        "public_notes": f"zqxpublicnote{tag}",
        "second_surname": f"zqxsecond{tag}",
        "aliases": f"zqxalias{tag}",
        "distinguishing_marks": f"zqxmarks{tag}",
        "clothing": f"zqxclothing{tag}",
        "circumstances_text": f"zqxcircumstances{tag}",
        "offer": f"zqxdestination{tag}",
        "reporter_name": f"zqxreporter{tag}",
        "reporter_contact": f"zqxcontact{tag}",
        "document_id": f"zqx90012{ord(tag)}",
        "police_case_number": f"zqxcase{tag}",
        "agency": f"zqxagency{tag}",
        "recruiters": f"zqxrecruiter{tag}",
        "family_notes": f"zqxfamilynote{tag}",
        "police_notes": f"zqxpolicenote{tag}",
    }


SIGHTING = {"reporter_contact": "zqxwitnesscontact", "description": "zqxsightingdescription"}
CARD = "indicators only, not a determination"  # the trafficking card's heading, in English


def _claim(session: Any, reporter: Any, country: str, tag: str, *, publication: str) -> Any:
    s = sentinels(tag)
    claim = make_claim(
        session,
        reporter,
        status="active",
        publication=publication,
        given_names=f"Guadalupe {s['given_names'].title()}",
        first_surname="Quispe",
        second_surname=s["second_surname"].title(),
        aliases=s["aliases"].title(),
        birth_date="2010",
        document_id=s["document_id"],
        distinguishing_marks=s["distinguishing_marks"],
        clothing=s["clothing"],
        description=s["description"],
        country=country,
        place="El Alto",
        event_date="2026-03-01",
        circumstances=["job_offer_abroad"],
        circumstances_text=s["circumstances_text"],
        reporter_name=s["reporter_name"],
        reporter_contact=s["reporter_contact"],
        offer={"destination_place": s["offer"], "destination_country": "AR", "type": "job"},
        recruiters=[{"kind": "social_handle", "value": "@" + s["recruiters"]}],
    )
    claim.police_case_number, claim.agency = s["police_case_number"], s["agency"]
    return claim


@dataclass
class Reader:
    """One role holding declared relations to each record."""

    name: str
    role: str | None
    user: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    relations: dict[str, frozenset[Relation]] = field(default_factory=dict)
    sighting: frozenset[Relation] = frozenset()  # relations to the sighting

    @property
    def reads_sighting(self) -> bool:
        """What the table says of this reader and the sighting."""
        return any(SIGHTING_READERS.get((role_class(self.role), r), False) for r in self.sighting)


@dataclass
class World:
    claims: dict[str, Any]
    sighting: Any
    readers: list[Reader]


@pytest.fixture
def world(app: Any, session: Any, token_for: Any) -> World:
    def reader(name: str, role: str | None, country: str | None = None) -> Reader:
        if role is None:
            return Reader(name, None)
        user, headers = token_for(role, country)
        return Reader(name, role, user, headers)

    r = {
        name: reader(name, role, country)
        for name, role, country in (
            ("bo_police", "police", "BO"),
            ("bo_coordinator", "coordinator", "BO"),
            ("cl_police", "police", "CL"),
            ("pe_police", "police", "PE"),
            ("gt_police", "police", "GT"),
            ("fam_a", "family", None),
            ("fam_b", "family", None),
            ("stranger", "family", None),
            ("trainer", "trainer", "BO"),
            ("admin", "admin", None),
            ("anonymous", None, None),
        )
    }
    a = _claim(session, r["fam_a"].user, "BO", "a", publication="published")
    b = _claim(session, r["fam_b"].user, "CL", "b", publication="unpublished")
    officer = make_user(session, "police", "BO")
    for claim, tag in ((a, "a"), (b, "b")):
        s = sentinels(tag)
        for visibility in ("public", "family", "police"):
            casework.note_added(session, officer, claim, text=s[f"{visibility}_notes"], visibility=visibility)
    sighting = lupe_sighting(
        session,
        country="BO",
        place="El Alto",
        name_heard="Guadalupe",
        venue="bar",
        companion="unrelated_adult",
        description=SIGHTING["description"],
        reporter_contact=SIGHTING["reporter_contact"],
    )
    session.add(
        AccessRequest(
            claim_id=a.id,
            requester_id=r["gt_police"].user.id,
            requester_country="GT",
            owner_country="BO",
            kind="request",
            reason="Investigación de una red en Guatemala.",
            status="granted",
            expires_at=utcnow().replace(year=utcnow().year + 1),
        )
    )
    session.commit()
    # The links this test relies on: the engine paired A and B, and the sighting with both.
    pairs = {(c.left_claim_id, c.right_claim_id, c.right_sighting_id) for c in candidates(session)}
    assert (a.id, b.id, None) in pairs or (b.id, a.id, None) in pairs, pairs
    sighting_claims = {c.left_claim_id for c in candidates(session) if c.right_sighting_id == sighting.id}
    assert sighting_claims == {a.id, b.id}, sighting_claims

    declared = {
        "bo_police": ({OWN, P}, {L}),
        "bo_coordinator": ({OWN, P}, {L}),
        "cl_police": ({L, P}, {OWN}),
        "pe_police": ({X, P}, {X}),
        "gt_police": ({G, P}, {X}),
        "fam_a": ({F, P}, set()),
        "fam_b": ({P}, {F}),
        "stranger": ({P}, set()),
        "trainer": ({P}, set()),
        "admin": ({P}, {P}),
        "anonymous": ({P}, set()),
    }
    for name, (on_a, on_b) in declared.items():
        r[name].relations = {"a": frozenset(on_a), "b": frozenset(on_b)}
    # The sighting is Bolivia's, and a candidate of A (Bolivia) and B (Chile).
    sighting_relations = {"bo_police": {OWN, L}, "bo_coordinator": {OWN, L}, "cl_police": {L}, "admin": {P}}
    for reader in r.values():
        default = {X} if reader.role in ("police", "coordinator") else {P}
        reader.sighting = frozenset(sighting_relations.get(reader.name, default))
    return World({"a": a, "b": b}, sighting, list(r.values()))


# ------------------------------------------------------------------ expectations from the table


def may_read(reader: Reader, tag: str, policy_field: str, action: Action = Action.READ) -> bool:
    """What the table says ``reader`` may do with ``policy_field`` of claim ``tag``."""
    return FIELDS[policy_field] in allowed(reader.role, reader.relations[tag], action)


# ------------------------------------------------------------------ the crawl

SKIP = re.compile(r"^/(logout|lang/|static/|photos/|training/sign-in/)")
HREF = re.compile(r'href="(/[^"]*)"')
MAX_PAGES = 150


def crawl(client: Any, seeds: list[str]) -> dict[str, str]:
    """Every same-site page reachable by GET from ``seeds``: address -> text, lowered."""
    seen: dict[str, str] = {}
    queue = list(seeds)
    while queue and len(seen) < MAX_PAGES:
        path = urldefrag(queue.pop(0))[0].replace("&amp;", "&")
        if path in seen or SKIP.match(path):
            continue
        response = client.get(path)
        seen[path] = response.get_data(as_text=True).lower() if response.status_code == 200 else ""
        if response.status_code == 200 and response.mimetype == "text/html":
            queue += [link for link in HREF.findall(seen[path]) if urlsplit(link).path not in seen]
    return seen


def api_answers(client: Any, reader: Reader, world: World) -> dict[str, str]:
    """The API's answers about the records, as ``reader``: address -> text, lowered."""
    paths = [f"/api/v1/claims/{c.id}" for c in world.claims.values()]
    paths += [f"/api/v1/claims/{c.id}/candidates" for c in world.claims.values()]
    paths += [f"/api/v1/sightings/{world.sighting.id}", "/api/v1/claims?q=Guadalupe+Quispe"]
    return {p: client.get(p, headers=reader.headers).get_data(as_text=True).lower() for p in paths}


def claim_pages(world: World) -> list[str]:
    """Where to start: the records' own pages, the lists and the searches."""
    pages = ["/", "/cases", "/claims", "/review/queue", "/flags/", "/sightings", "/access/requests", "/training/"]
    pages += ["/account", "/staff/users", "/admin/outbox", f"/sightings/{world.sighting.id}"]
    for claim in world.claims.values():
        pages += [f"/cases/{claim.id}", f"/claims/{claim.reference}"]
    return [*pages, "/claims?q=Guadalupe+Quispe"]


def browser(app: Any, reader: Reader) -> Any:
    client = browser_of(app, reader.user) if reader.user is not None else app.test_client()
    client.get("/lang/en")
    return client


def test_every_sentinel_appears_only_where_the_table_allows(app, session, world, caplog):
    caplog.set_level(logging.DEBUG)
    leaks: list[str] = []
    missing: list[str] = []
    for reader in world.readers:
        client = browser(app, reader)
        texts = {**crawl(client, claim_pages(world)), **api_answers(client, reader, world)}
        found: dict[tuple[str, str], list[str]] = defaultdict(list)
        for where, text in texts.items():
            for tag in world.claims:
                for policy_field, word in sentinels(tag).items():
                    if word in text:
                        found[(tag, policy_field)].append(where)
            for name, word in SIGHTING.items():
                if word in text:
                    found[("sighting", name)].append(where)
        for tag in world.claims:
            for policy_field in sentinels(tag):
                allowed_here = may_read(reader, tag, policy_field)
                if found[(tag, policy_field)] and not allowed_here:
                    leaks.append(f"{reader.name} read {policy_field} of {tag} at {found[(tag, policy_field)][:3]}")
                if allowed_here and not found[(tag, policy_field)]:
                    missing.append(f"{reader.name} never saw {policy_field} of {tag}")
        for name in SIGHTING:
            if found[("sighting", name)] and not reader.reads_sighting:
                leaks.append(f"{reader.name} read the sighting's {name} at {found[('sighting', name)][:3]}")
            if reader.reads_sighting and not found[("sighting", name)]:
                missing.append(f"{reader.name} never saw the sighting's {name}")
        for tag, claim in world.claims.items():
            card = CARD in texts.get(f"/cases/{claim.id}", "")
            risk = '"risk"' in texts[f"/api/v1/claims/{claim.id}"]
            if (card or risk) and not may_read(reader, tag, "risk"):
                leaks.append(f"{reader.name} read the trafficking card of {tag}")
    assert not leaks, "\n".join(leaks)
    assert not missing, "\n".join(missing)
    # Log lines never carry a sentinel, whoever asked.
    logged = [r.getMessage().lower() for r in caplog.records]
    every_word = [w for tag in world.claims for w in sentinels(tag).values()] + list(SIGHTING.values())
    assert not [w for w in every_word if any(w in line for line in logged)]


def test_every_e_mail_in_the_outbox_holds_only_what_its_recipient_may_read(app, session, world):
    by_email = {r.user.email: r for r in world.readers if r.user is not None}
    messages = list(session.scalars(select(OutboxMessage)))
    assert messages, "the seeding wrote no e-mail: nothing was checked"
    leaks = []
    for message in messages:
        with app.test_request_context(base_url="https://portal.example.org"):
            rendered = render(app, message.template, message.context or {}, "en")
        text = (rendered.subject + rendered.body).lower()
        reader = by_email.get(message.address)
        for tag in world.claims:
            for policy_field, word in sentinels(tag).items():
                if word in text and (reader is None or not may_read(reader, tag, policy_field)):
                    leaks.append(
                        f"{message.template} to {reader.name if reader else 'an outside address'}: {policy_field}"
                    )
    assert not leaks, leaks


def test_search_matches_only_on_what_the_searcher_may_search(app, world):
    """A search confirms a field as surely as showing it: each sentinel name and document is searched
    as every reader, and finds the claim only where the table allows SEARCH on its group."""
    wrong = []
    for reader in world.readers:
        client = browser(app, reader)
        for tag, claim in world.claims.items():
            s = sentinels(tag)
            for policy_field in ("second_surname", "aliases", "document_id"):
                page = client.get("/claims", query_string={"q": s[policy_field]}).get_data(as_text=True)
                api = client.get("/api/v1/claims", query_string={"q": s[policy_field]}, headers=reader.headers)
                hit = claim.reference in page or claim.reference in api.get_data(as_text=True)
                may = may_read(reader, tag, policy_field, Action.SEARCH) and may_read(reader, tag, "given_names")
                if hit != may:
                    wrong.append(f"{reader.name} searching {policy_field} of {tag}: found={hit}, table={may}")
    assert not wrong, "\n".join(wrong)


def test_the_table_itself_keeps_the_issue_s_rules():
    """The rules of issue 14, read off the table: identification network-wide, the rest for the
    owner and linked countries, the public only the public fields."""
    network = allowed("police", frozenset({Relation.OTHER_COUNTRY}))
    assert network == {Group.PUBLIC, Group.IDENTIFICATION}
    for group in (Group.REPORTER, Group.DOCUMENT, Group.POLICE_NOTES, Group.CASE, Group.RECRUITERS, Group.TRAFFICKING):
        for relation in (Relation.OWNER_COUNTRY, Relation.LINKED_COUNTRY, Relation.GRANTED):
            assert group in allowed("police", frozenset({relation}))
        assert group in allowed("police", frozenset({Relation.OTHER_COUNTRY}), Action.REQUEST)
        assert group in allowed("police", frozenset({Relation.OTHER_COUNTRY}), Action.BREAK_GLASS)
    for role in ("family", "trainer", None):
        assert allowed(role, frozenset({Relation.PUBLIC}), Action.SEARCH) == {Group.PUBLIC}
        assert allowed(role, frozenset({Relation.PUBLIC})) == {Group.PUBLIC}
    assert Group.POLICE_NOTES not in allowed("family", frozenset({Relation.REPORTING_FAMILY}))


def test_every_claim_column_has_a_field_group_or_is_declared_internal():
    """A new column must be placed in the table before it can be shown anywhere."""
    from portal.cases.models import Claim

    # Shown through another policy field (ages through "age", consent through "guardian_consent"), or
    # never shown (ids, keys, bookkeeping).
    internal = {
        "id", "reporter_id", "created_at", "updated_at", "version", "validated_by_id", "birth_date_precision",
        "age_min", "age_max", "age_seen_min", "age_seen_max", "name_keys", "public_name_keys",
        "guardian_consent_at", "guardian_consent_by_id", "anonymised_at",
    }  # fmt: skip
    columns = set(Claim.__table__.columns.keys())
    unplaced = columns - set(FIELDS) - internal
    assert not unplaced, f"columns with no field group in portal.access.policy.FIELDS: {sorted(unplaced)}"
