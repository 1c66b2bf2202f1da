"""The engine's view of the portal's rows: claims and sightings as PersonRecords, with their photos' hashes."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, object_session

from portal.cases.models import Claim
from portal.matching.names import one_box_name, split_whole_name, whole_name_words
from portal.matching.normalize import fold
from portal.matching.records import CLAIM, SIGHTING, PersonRecord, Prepared, prepare
from portal.photos.models import Photo
from portal.review.models import TOKEN_LENGTH, MatchToken
from portal.sightings.models import Sighting

UNSIGNED_64 = 0xFFFFFFFFFFFFFFFF


def _hashes(session: Session | None, column: Any, record_id: int | None) -> tuple[int, ...]:
    if session is None or record_id is None:
        return ()
    return tuple(hashes_by_record(session, column, [record_id])[record_id])


def _text(*parts: str | None) -> str:
    return "\n".join(p for p in parts if p)


def record_for_claim(claim: Claim, photo_hashes: Sequence[int] | None = None) -> PersonRecord:
    """The engine's view of a claim (``photo_hashes`` read from its photos when not given). A whole name
    written in one box ("Rosa Quispe Mamani" as given names) is read as given names and surnames, as
    the registry's claims use each word (``names.split_whole_name``; ``portal link`` reads one so)."""
    session = object_session(claim)
    if photo_hashes is None:
        photo_hashes = _hashes(session, Photo.claim_id, claim.id)
    names = (claim.given_names or "", claim.first_surname or "", claim.second_surname or "")
    whole = one_box_name(*names)
    if whole and session is not None:
        counts = word_uses(session, whole_name_words(whole))
        names = split_whole_name(whole, lambda word: counts.get(word, (0, 0))) or names
    return PersonRecord(
        id=f"claim:{claim.id}",
        kind=CLAIM,
        given_names=names[0],
        first_surname=names[1],
        second_surname=names[2],
        aliases=tuple(claim.aliases or ()),
        sex=claim.sex or "",
        birth_date=claim.birth_date,
        birth_precision=claim.birth_date_precision or "day",
        age_min=claim.age_min,
        age_max=claim.age_max,
        document_id=claim.document_id or "",
        nationality=claim.nationality or "",
        country=claim.country or "",
        place=claim.place or "",
        event_date=claim.event_date,
        height_cm=claim.height_cm,
        description=_text(claim.distinguishing_marks, claim.description),
        photo_hashes=tuple(photo_hashes),
    )


def split_heard_name(name: str, surnames: Collection[str] = ()) -> tuple[str, str, str]:
    """A name a witness heard as (given, first surname, second surname).

    One word is a given name (usually a nickname), unless it is in ``surnames`` ("la Mamani"); with
    more, the last one or two are surnames.
    """
    words = (name or "").split()
    if len(words) == 1 and fold(words[0]) in surnames:
        return "", words[0], ""
    if len(words) <= 1:
        return " ".join(words), "", ""
    if len(words) == 2:
        return words[0], words[1], ""
    return " ".join(words[:-2]), words[-2], words[-1]


def word_uses(session: Session, words: Iterable[str]) -> dict[str, tuple[int, int]]:
    """How many of the registry's claims carry each folded word as a given name and as a surname (words
    no claim carries are left out)."""
    wanted = {w[:TOKEN_LENGTH]: w for w in words if w}
    counts: dict[str, list[int]] = {}
    if wanted:
        rows = session.execute(
            select(MatchToken.token, MatchToken.kind, func.count())
            .where(MatchToken.token.in_(wanted))
            .group_by(MatchToken.token, MatchToken.kind)
        )
        for token, kind, n in rows:
            counts.setdefault(wanted[token], [0, 0])[0 if kind == "given" else 1] = int(n)
    return {word: (given, surname) for word, (given, surname) in counts.items()}


def surname_words(session: Session | None, names: Iterable[str | None]) -> set[str]:
    """The one-word names among ``names`` (folded) that the registry's claims carry more often as a
    surname than as a given name: the network's own names decide, not a list of ours."""
    words = {fold(n) for n in names if n and len(n.split()) == 1} - {""}
    if session is None or not words:
        return set()
    counts = word_uses(session, words)
    return {w for w in words if (c := counts.get(w, (0, 0)))[1] > c[0]}


def record_for_sighting(
    sighting: Sighting, photo_hashes: Sequence[int] | None = None, surnames: Collection[str] | None = None
) -> PersonRecord:
    """The engine's view of a sighting (``surnames``: see ``surname_words``; read when not given)."""
    if photo_hashes is None:
        photo_hashes = _hashes(object_session(sighting), Photo.sighting_id, sighting.id)
    if surnames is None:
        surnames = surname_words(object_session(sighting), [sighting.name_heard])
    given, first, second = split_heard_name(sighting.name_heard, surnames)
    return PersonRecord(
        id=f"sighting:{sighting.id}",
        kind=SIGHTING,
        given_names=given,
        first_surname=first,
        second_surname=second,
        sex=sighting.sex or "",
        age_min=sighting.age_min,
        age_max=sighting.age_max,
        country=sighting.country or "",
        place=sighting.place or "",
        event_date=sighting.event_date,
        height_cm=sighting.height_cm,
        description=_text(sighting.marks, sighting.description),
        photo_hashes=tuple(photo_hashes),
    )


def hashes_by_record(session: Session, column: Any, ids: list[int]) -> dict[int, list[int]]:
    """Perceptual hashes of the photos of each record; stored signed (PostgreSQL has no unsigned
    64-bit type), returned unsigned as the engine wants them."""
    found: dict[int, list[int]] = {i: [] for i in ids}
    if ids:
        for owner, value in session.execute(
            select(column, Photo.perceptual_hash).where(column.in_(ids), Photo.perceptual_hash.is_not(None))
        ):
            found[owner].append(int(value) & UNSIGNED_64)
    return found


def _load(session: Session, model: Any, photo_column: Any, to_record: Any, ids: list[int]) -> list[Prepared]:
    """Claims or sightings by id, prepared for the engine with their photos' hashes."""
    if not ids:
        return []
    photos = hashes_by_record(session, photo_column, ids)
    rows = session.scalars(select(model).where(model.id.in_(ids)))
    return [prepare(to_record(row, photos[row.id])) for row in rows]


def load_claims(session: Session, ids: list[int]) -> list[Prepared]:
    """Claims by id, prepared for the engine."""
    return _load(session, Claim, Photo.claim_id, record_for_claim, ids)


def load_sightings(session: Session, ids: list[int]) -> list[Prepared]:
    """Sightings by id, prepared for the engine."""
    if not ids:
        return []
    photos = hashes_by_record(session, Photo.sighting_id, ids)
    rows = list(session.scalars(select(Sighting).where(Sighting.id.in_(ids))))
    surnames = surname_words(session, [row.name_heard for row in rows])
    return [prepare(record_for_sighting(row, photos[row.id], surnames)) for row in rows]
