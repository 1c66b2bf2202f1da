"""Who may read, search and ask for what of a claim: the access policy as one table (issue 14).

The table ``POLICY`` maps (role, relation to the record) to what each field group allows. Both the
enforcement (``portal.access.relations.sight``, then the pages, the API, the photos and the search)
and the tests (``tests/access``: the generated checks and the sentinel crawl) are read from it, so the
table is the one place to change a rule.

Relations (``Relation``) are what ties the caller to one claim:

- ``owner_country``: an officer of the country that owns the claim;
- ``linked_country``: an officer of a country linked to it through a match candidate that was not
  rejected (another claim of that country, or a sighting there) or a confirmed link;
- ``granted``: an officer of another country whose reasoned request the owner country's
  coordinator granted, or who broke the glass (both audited, both expiring);
- ``other_country``: an officer of any other member country;
- ``reporting_family``: the account that filed the claim;
- ``public``: anyone else, signed in or not.

A trainee in a practice space acts there as an officer of the session's country (the space's copy of
the account), so inside the space the same rows apply to practice records; outside it a trainee has
no police role and reads what the public reads. An account may hold several relations (an officer
who filed a claim abroad is its reporting family and an officer of another country): it gets the
union of their rows.
"""

from __future__ import annotations

from enum import StrEnum


class Relation(StrEnum):
    """How the caller is tied to one record (see the module docstring)."""

    OWNER_COUNTRY = "owner_country"
    LINKED_COUNTRY = "linked_country"
    GRANTED = "granted"
    OTHER_COUNTRY = "other_country"
    REPORTING_FAMILY = "reporting_family"
    WITNESS = "witness"  # whoever holds a sighting's private link (sightings only)
    PUBLIC = "public"


class Group(StrEnum):
    """Fields that are shown, searched and withheld together. ``FIELDS`` says which group holds what."""

    PUBLIC = "public"  # what the public reads of a published claim
    IDENTIFICATION = "identification"  # every name, physical description, marks: search across borders
    PERSONAL = "personal"  # birth date, nationality, circumstances, the offer and vulnerability facts
    REPORTER = "reporter"  # the reporter's name, relation and contact
    DOCUMENT = "document"  # the identity document number
    CASE = "case"  # police case number, agency, publication, validation, match candidates
    FAMILY_NOTES = "family_notes"  # notes written for the family and the police
    POLICE_NOTES = "police_notes"  # police notes, their authors and structured flags
    RECRUITERS = "recruiters"  # phone numbers, accounts and plates of recruiters
    TRAFFICKING = "trafficking"  # the trafficking indicators card and its HTCDS view


class Action(StrEnum):
    """What a caller may do with a field group."""

    READ = "read"
    SEARCH = "search"  # the search matches on these fields
    EDIT = "edit"  # change them (the person's details; the case's police data)
    REQUEST = "request"  # ask the owner country, with a reason, to read them
    BREAK_GLASS = "break_glass"  # read them at once in an emergency, audited and reviewed afterwards


READ, SEARCH, EDIT, REQUEST, BREAK_GLASS = Action
Allowed = dict[Group, frozenset[Action]]

RESTRICTED = frozenset(
    {
        Group.PERSONAL,
        Group.REPORTER,
        Group.DOCUMENT,
        Group.CASE,
        Group.FAMILY_NOTES,
        Group.POLICE_NOTES,
        Group.RECRUITERS,
        Group.TRAFFICKING,
    }
)


def _each(groups: frozenset[Group] | set[Group], *actions: Action) -> Allowed:
    return {group: frozenset(actions) for group in groups}


_PUBLIC: Allowed = {Group.PUBLIC: frozenset({READ, SEARCH})}
# Police network-wide: identification, so that a search across borders keeps working; the rest is
# asked for (or, in an emergency, read at once) from the owner country.
_NETWORK: Allowed = {
    Group.PUBLIC: frozenset({READ, SEARCH}),
    Group.IDENTIFICATION: frozenset({READ, SEARCH}),
    **_each(RESTRICTED, REQUEST, BREAK_GLASS),
}
# The countries that hold the case: everything.
_HOLDER: Allowed = _each({Group.PUBLIC, Group.IDENTIFICATION} | RESTRICTED, READ, SEARCH)
_OWNER: Allowed = {
    **_HOLDER,
    Group.IDENTIFICATION: frozenset({READ, SEARCH, EDIT}),
    Group.PERSONAL: frozenset({READ, SEARCH, EDIT}),
    Group.CASE: frozenset({READ, SEARCH, EDIT}),
}
# The family reads back what it filed (not the police's own data) and corrects it while a draft.
_FAMILY: Allowed = {
    **_each({Group.PUBLIC, Group.IDENTIFICATION, Group.PERSONAL, Group.REPORTER, Group.DOCUMENT}, READ, EDIT),
    Group.RECRUITERS: frozenset({READ}),
    Group.FAMILY_NOTES: frozenset({READ}),
}

POLICE, COORDINATOR, ADMIN, FAMILY, ANYONE = "police", "coordinator", "admin", "family", "anyone"
ROLES = (POLICE, COORDINATOR, ADMIN, FAMILY, ANYONE)

# (role, relation) -> what each field group allows. A pair that is absent allows nothing. ``anyone``
# is the public and every account with no role below (trainers; trainees outside a practice space).
POLICY: dict[tuple[str, Relation], Allowed] = {
    **{(role, Relation.OWNER_COUNTRY): _OWNER for role in (POLICE, COORDINATOR)},
    **{(role, Relation.LINKED_COUNTRY): _HOLDER for role in (POLICE, COORDINATOR)},
    **{(role, Relation.GRANTED): _HOLDER for role in (POLICE, COORDINATOR)},
    **{(role, Relation.OTHER_COUNTRY): _NETWORK for role in (POLICE, COORDINATOR)},
    **{(role, Relation.REPORTING_FAMILY): _FAMILY for role in ROLES},
    **{(role, Relation.PUBLIC): _PUBLIC for role in (POLICE, COORDINATOR, FAMILY, ANYONE)},
    # Administrators run the portal for every country: with no tie to a claim they read and manage it
    # as its owner country would (they validate for a country that has no officer yet).
    (ADMIN, Relation.PUBLIC): _OWNER,
}

# Where each field of a claim (and its photos, notes and derived views) belongs.
FIELDS: dict[str, Group] = {
    "reference": Group.PUBLIC,
    "status": Group.PUBLIC,
    "given_names": Group.PUBLIC,
    "first_surname": Group.PUBLIC,
    "sex": Group.PUBLIC,
    "age": Group.PUBLIC,
    "event_date": Group.PUBLIC,
    "country": Group.PUBLIC,
    "place": Group.PUBLIC,
    "description": Group.PUBLIC,
    "public_notes": Group.PUBLIC,
    "published_photos": Group.PUBLIC,
    "second_surname": Group.IDENTIFICATION,
    "aliases": Group.IDENTIFICATION,
    "height_cm": Group.IDENTIFICATION,
    "build": Group.IDENTIFICATION,
    "hair": Group.IDENTIFICATION,
    "eyes": Group.IDENTIFICATION,
    "distinguishing_marks": Group.IDENTIFICATION,
    "clothing": Group.IDENTIFICATION,
    "birth_date": Group.PERSONAL,
    "nationality": Group.PERSONAL,
    "circumstances": Group.PERSONAL,
    "circumstances_text": Group.PERSONAL,
    "offer": Group.PERSONAL,
    "prior_disappearances": Group.PERSONAL,
    "missing_from_state_care": Group.PERSONAL,
    "occupation": Group.PERSONAL,
    "guardian_consent": Group.PERSONAL,
    "unpublished_photos": Group.PERSONAL,
    "reporter_name": Group.REPORTER,
    "reporter_relation": Group.REPORTER,
    "reporter_contact": Group.REPORTER,
    "document_id": Group.DOCUMENT,
    "owner_country": Group.CASE,
    "police_case_number": Group.CASE,
    "agency": Group.CASE,
    "publication": Group.CASE,
    "validated_at": Group.CASE,
    "candidates": Group.CASE,
    "family_notes": Group.FAMILY_NOTES,
    "police_notes": Group.POLICE_NOTES,
    "recruiters": Group.RECRUITERS,
    "risk": Group.TRAFFICKING,
    "htcds": Group.TRAFFICKING,
}

# Sightings are read whole or not at all: the witness's contact is what they are read for, and a
# sighting's mere existence can put its witness in danger. Who reads one, by relation to the
# sighting: its own country, or a country whose claim it is linked to (its claim, or a candidate not
# rejected). The witness reads what they reported, and adds to it, through their private link only.
SIGHTING_READERS: dict[tuple[str, Relation], bool] = {
    **{(role, Relation.OWNER_COUNTRY): True for role in (POLICE, COORDINATOR)},
    **{(role, Relation.LINKED_COUNTRY): True for role in (POLICE, COORDINATOR)},
    (ADMIN, Relation.PUBLIC): True,
    **{(role, Relation.WITNESS): True for role in ROLES},
}

# Which note visibilities each group opens.
NOTE_GROUPS = {"public": Group.PUBLIC, "family": Group.FAMILY_NOTES, "police": Group.POLICE_NOTES}


def role_class(role: str | None) -> str:
    """The table's role for an account role (None for the public)."""
    return role if role in (POLICE, COORDINATOR, ADMIN, FAMILY) else ANYONE


def allowed(role: str | None, relations: frozenset[Relation], action: Action = READ) -> frozenset[Group]:
    """The field groups that ``action`` is allowed on for ``role`` holding ``relations``."""
    who = role_class(role)
    return frozenset(
        group
        for relation in relations
        for group, actions in POLICY.get((who, relation), {}).items()
        if action in actions
    )
