"""The cases of a practice space: invented claims, duplicates, sightings and flags, filed as in real life.

Everything goes through ``portal.casework``, as the demo loader does, so the matching engine and
the trafficking indicators treat these records exactly as real ones: trainees find drafts to
validate, candidates to review and flags to act on. People, places and sentences come from
portal.practice_names; the same seed gives the same cases.
"""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, aliased

from portal import casework
from portal.accounts.models import Role, User
from portal.accounts.services import create_user, get_user_by_email
from portal.accounts.staff import set_active
from portal.cases import services as cases
from portal.cases.inputs import parse_claim
from portal.cases.models import Claim
from portal.flags.services import current
from portal.notify.models import OutboxMessage, Status
from portal.practice_names import MARKS, NEIGHBOURS, NICKNAMES, PEOPLE, PHONES, RELATIONS, SENTENCES, Person, pool
from portal.review.models import MatchCandidate
from portal.sightings.inputs import parse_sighting
from portal.sightings.models import Sighting

DEFAULT_LANGUAGE = "es"
EVERYDAY = (10, 14)  # how many ordinary claims, besides the flagged ones and the duplicates
DRAFTS = 3
# What the families of ordinary cases say happened; a new partner only for adults (for a minor it
# is a trafficking indicator, and the flagged cases are set up apart).
ORDINARY = ((), ("runaway_after_conflict",), ())
ADULT_ONLY = (("new_partner",),)


@dataclass(frozen=True)
class PracticeCounts:
    """What a practice space holds after filling, read from the database."""

    claims: int
    sightings: int
    duplicates: int  # claim–claim candidates whose two claims belong to two countries
    open_candidates: int
    level1: int
    level2: int


@dataclass
class _Space:
    """One filling: the database, the officer, the country and language, and the seeded dice."""

    session: Session
    officer: User
    country: str
    language: str
    today: date
    dice: random.Random
    members: list[str]

    def text(self, *keys: str) -> str:
        """The practice mark, then the sentences of ``keys`` in the session's language."""
        return " ".join([MARKS[self.language], *(SENTENCES[self.language][key] for key in keys)])

    def phone(self, country: str) -> str:
        """An invented mobile number of ``country``: never an e-mail address, so nobody is mailed."""
        start, digits = PHONES.get(country, PHONES["BO"])
        return f"{start}{self.dice.randrange(10**digits):0{digits}d}"

    def person(self, *, age: int, days: int, sex: str = "", nicknamed: bool = False) -> Person:
        """Someone of ``age`` when last seen ``days`` ago, with the names of this country."""
        home = self.country if self.country in PEOPLE else "BO"
        female, male, surnames, _places = pool(home)
        sex = sex or self.dice.choice("FM")
        names = female if sex == "F" else male
        if nicknamed:
            names = tuple(n for n in names if n in NICKNAMES) or (("Guadalupe",) if sex == "F" else ("Francisco",))
        first, second = self.dice.sample(surnames, 2)
        if home == "BZ" and self.dice.random() < 0.6:
            second = ""  # Belizeans of English names carry one surname
        birth = self.today - timedelta(days=days + round(age * 365.25) + self.dice.randrange(1, 360))
        height = self.dice.randint(120, 150) if age < 13 else self.dice.randint(145, 178)
        return Person(self.dice.choice(names), first, second, sex, birth, height, home)

    def claim(
        self,
        person: Person,
        *,
        days: int,
        circumstances: tuple[str, ...] = (),
        keys: tuple[str, ...] = ("left",),
        publication: str = "published",
        country: str = "",
        filer: User | None = None,
    ) -> Claim:
        """An officer files ``person``'s claim for the family, and validates it unless it stays a "draft"."""
        country, mother = country or self.country, self.dice.random() < 0.7
        data: dict[str, Any] = {
            "given_names": person.given,
            "first_surname": person.first,
            "second_surname": person.second,
            "aliases": NICKNAMES.get(person.given, "") if self.dice.random() < 0.5 else "",
            "sex": person.sex,
            # An office abroad often knows only the year of birth.
            "birth_date": person.birth.isoformat() if filer is None else str(person.birth.year),
            "nationality": person.home,
            "height_cm": str(person.height_cm),
            "description": self.text(self.dice.choice(("hair", "jumper", "backpack"))),
            "event_date": (self.today - timedelta(days=days)).isoformat(),
            "country": country,
            "place": self.dice.choice(pool(country)[3]),
            "circumstances": list(circumstances),
            "circumstances_text": self.text(*keys),
            # A mother's first surname is her child's second one.
            "reporter_name": f"{MARKS[self.language]} {self.dice.choice(pool(person.home)[0 if mother else 1])} "
            f"{person.second if mother and person.second else person.first}",
            "reporter_relation": RELATIONS[self.language][0 if mother else 1],
            "reporter_contact": self.phone(country),
            "guardian_consent": self.dice.random() < 0.5,
        }
        officer = filer or self.officer
        parsed = parse_claim(data, today=self.today, member_countries=self.members, require_reporter=True)
        claim = casework.claim_filed(self.session, officer, parsed)
        if publication != "draft":
            number = f"{MARKS[self.language]} {claim.id:05d}"
            casework.claim_validated(self.session, officer, claim, police_case_number=number, publication=publication)
        return claim

    def sighting(self, person: Person | None, *, days: int, country: str = "", **seen: str) -> Sighting:
        """A member of the public reports seeing ``person`` (or someone nobody reported) ``days`` ago."""
        country, day = country or self.country, self.today - timedelta(days=days)
        data: dict[str, Any] = {
            "event_date": day.isoformat(),
            "country": country,
            "place": self.dice.choice(pool(country)[3]),
            "reporter_contact": self.phone(country) if self.dice.random() < 0.6 else "",
            **seen,
        }
        if person is not None:
            age, given = person.age_on(day), person.given.split()[0]
            data |= {"sex": person.sex, "age_min": str(age - 1), "age_max": str(age + 1)}
            data["name_heard"] = NICKNAMES.get(person.given, given) if self.dice.random() < 0.7 else given
        parsed = parse_sighting(data, today=self.today, member_countries=self.members)
        return casework.sighting_reported(self.session, None, parsed)


def partner_officer(session: Session, country: str, language: str) -> User:
    """The deactivated, invented officer of ``country`` who files and validates that country's copy of
    a duplicate: only its own police may validate it, and a draft abroad stays hidden from the
    trainees. Nobody can log in as it, and nothing is mailed to it."""
    email = f"practice.partner.{country.lower()}@practice.example"
    found = get_user_by_email(session, email)
    if found is not None:
        return found
    name = f"{MARKS[language]} {country}"
    password = secrets.token_urlsafe(32)
    user = create_user(
        session, email=email, password=password, role=Role.POLICE, country_code=country, agency=name, display_name=name
    )
    set_active(session, None, user, False)
    return user


def fill_practice_space(
    session: Session, officer: User, *, country: str, language: str, today: date, seed: int
) -> PracticeCounts:
    """Fill a practice space with invented cases for every exercise of a session; count what it holds."""
    if officer.role != Role.POLICE or officer.country_code != country:
        raise ValueError(f"the practice cases are filed by a police officer of {country}")
    language = language if language in SENTENCES else DEFAULT_LANGUAGE
    members = [c.code for c in cases.member_countries(session)]
    dice = random.Random(seed)  # noqa: S311 - reproducible invented cases, not a secret
    space = _Space(session, officer, country, language, today, dice, members)
    last_message = session.scalar(select(func.max(OutboxMessage.id))) or 0

    # Level 1: minors who left for an offer. The girl will reach level 2 below.
    days = dice.randint(30, 90)
    girl = space.person(age=dice.randint(14, 16), days=days, sex="F", nicknamed=True)
    priority = space.claim(girl, days=days, circumstances=("job_offer_abroad",), keys=("job",))
    for offer in (("study_or_modelling_offer",), ("job_offer_abroad",)):
        age, days = dice.randint(13, 17), dice.randint(20, 120)
        space.claim(space.person(age=age, days=days), days=days, circumstances=offer, keys=("left", "job"))

    # Duplicates: the same person reported again across the border, spelt another way.
    abroad = NEIGHBOURS.get(country, "")
    abroad = abroad if abroad in members else next((c for c in members if c != country), "")
    duplicated = []
    for _pair in range(1 + (dice.random() < 0.5)):
        age, days = dice.randint(13, 30), dice.randint(30, 200)
        person = space.person(age=age, days=days)
        for _try in range(50):  # until another office would spell the given name or first surname differently
            if _spelt_apart(person, person.respelt()):
                break
            person = space.person(age=age, days=days)
        else:
            person = replace(person, given="Yessica", sex="F")
        duplicated.append((person, space.claim(person, days=days)))
        if abroad:
            copy = person.respelt()
            copy = replace(copy, second="") if dice.random() < 0.5 else copy  # or the office wrote one surname
            partner = partner_officer(session, abroad, language)
            space.claim(copy, days=days - dice.randint(0, 5), country=abroad, filer=partner)

    # Everyday cases: drafts to validate, active ones, one withheld.
    everyday = []
    for n in range(dice.randint(*EVERYDAY)):
        days = dice.randint(1, 6) if n < DRAFTS else dice.randint(10, 300)
        age = dice.randint(11, 17) if dice.random() < 0.6 else dice.randint(18, 40)
        person = space.person(age=age, days=days)
        publication = "draft" if n < DRAFTS else "withheld" if n == DRAFTS else "published"
        story = dice.choice(ORDINARY + ADULT_ONLY if age >= 18 else ORDINARY)
        keys = dice.choice((("left",), ("school", "left")))
        claim = space.claim(person, days=days, circumstances=story, keys=keys, publication=publication)
        if publication != "draft":
            everyday.append((person, claim))

    # Sightings: some of people we know (open candidates for the trainees), one of nobody reported.
    for person, claim in [*dice.sample(everyday, min(len(everyday), dice.randint(3, 5))), *duplicated[:1]]:
        since = (today - claim.event_date).days if claim.event_date else 2
        where = abroad if abroad and dice.random() < 0.3 else country
        said = space.text(dice.choice(("with_man", "selling")))
        space.sighting(person, days=dice.randint(1, max(1, since - 1)), country=where, description=said)
    old = {"sex": "M", "age_min": str(dice.randint(60, 65)), "age_max": str(dice.randint(70, 80))}
    space.sighting(None, days=dice.randint(1, 20), venue="street", description=space.text("selling"), **old)

    # Level 2: the girl seen in a bar with an unrelated adult, the match confirmed, the report verified.
    said = space.text("with_man")
    bar = space.sighting(girl, days=dice.randint(2, 25), venue="bar", companion="unrelated_adult", description=said)
    _confirm(space, priority, bar)
    casework.sighting_verified(session, officer, bar)

    # Notes on a few active cases, as the officers in charge would write them.
    for _person, claim in dice.sample(everyday, min(len(everyday), 3)):
        text = space.text(dice.choice(("photo", "neighbours")))
        casework.note_added(session, officer, claim, text=text, visibility="police")

    # Invented cases mail nobody, the trainees included: drop what this filling queued, and only
    # that (whatever else the space's outbox holds stays).
    queued = OutboxMessage.status.in_([Status.PENDING, Status.HELD])
    session.execute(delete(OutboxMessage).where(OutboxMessage.id > last_message, queued))
    session.flush()
    return count_space(session)


def _spelt_apart(person: Person, other: Person) -> bool:
    """Whether the given names or the first surnames differ (the second surname may be left out)."""
    return (person.given, person.first) != (other.given, other.first)


def _confirm(space: _Space, claim: Claim, sighting: Sighting) -> None:
    """Confirm the engine's candidate of this pair, or tie the sighting by hand if it proposed none."""
    candidate = space.session.scalar(
        select(MatchCandidate).where(
            MatchCandidate.left_claim_id == claim.id, MatchCandidate.right_sighting_id == sighting.id
        )
    )
    reason = space.text("with_man")
    if candidate is None:
        casework.sighting_attached(space.session, space.officer, sighting, claim, reason)
    else:
        casework.candidate_confirmed(space.session, space.officer, candidate, reason)


def count_space(session: Session) -> PracticeCounts:
    """Count what the space's database holds: records, candidates and the claims' current levels."""
    other = aliased(Claim)
    duplicates = (
        select(func.count())
        .select_from(MatchCandidate)
        .join(Claim, Claim.id == MatchCandidate.left_claim_id)
        .join(other, other.id == MatchCandidate.right_claim_id)
        .where(Claim.owner_country != other.owner_country)
    )
    assessments = (current(session, claim_id) for claim_id in session.scalars(select(Claim.id)))
    levels = [a.level for a in assessments if a is not None]
    return PracticeCounts(
        claims=session.scalar(select(func.count()).select_from(Claim)) or 0,
        sightings=session.scalar(select(func.count()).select_from(Sighting)) or 0,
        duplicates=session.scalar(duplicates) or 0,
        open_candidates=session.scalar(select(func.count()).where(MatchCandidate.status == "open")) or 0,
        level1=levels.count(1),
        level2=levels.count(2),
    )
