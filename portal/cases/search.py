"""Claim search: SQL filters, then accent- and case-insensitive name matching tolerant of one typo.

The name step runs in Python over the rows the filters keep; the matching
engine's blocking keys (issue 3) will replace it for network-sized registries.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from rapidfuzz.distance import Levenshtein
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.cases.codes import SEXES, STATUSES
from portal.cases.models import Claim
from portal.cases.rules import age_range, visible_filter
from portal.fields import FieldReader
from portal.matching.normalize import tokens

MAX_SCANNED = 20_000


@dataclass(frozen=True)
class SearchQuery:
    """Checked search parameters."""

    q: str = ""
    country: str = ""
    status: str = ""
    sex: str = ""
    age_min: int | None = None
    age_max: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    page: int = 1


def parse_search(args: Mapping[str, Any]) -> SearchQuery:
    """Check query-string parameters; raise ValidationFailed on bad ones."""
    r = FieldReader(args)
    query = SearchQuery(
        q=r.text("q", 200),
        country=r.country("country"),
        status=r.code("status", STATUSES),
        sex=r.code("sex", SEXES),
        age_min=r.integer("age_min", 0, 120),
        age_max=r.integer("age_max", 0, 120),
        date_from=r.day("date_from"),
        date_to=r.day("date_to"),
        page=r.integer("page", 1, 10_000) or 1,
    )
    r.check()
    return query


def name_matches(query_tokens: list[str], name_tokens: list[str]) -> int | None:
    """Total edit distance if every query word matches a name word (one typo per word of 4+ letters)."""
    total = 0
    for q in query_tokens:
        allowed = 1 if len(q) >= 4 else 0
        best = min((Levenshtein.distance(q, n, score_cutoff=allowed) for n in name_tokens), default=allowed + 1)
        if best > allowed:
            return None
        total += best
    return total


def _age_overlaps(claim: Claim, low: int | None, high: int | None) -> bool:
    c_low, c_high = age_range(claim)
    if c_low is None and c_high is None:
        return False
    c_low = c_low if c_low is not None else 0
    c_high = c_high if c_high is not None else 120
    return (low is None or c_high >= low) and (high is None or c_low <= high)


def search_claims(session: Session, user: Any, query: SearchQuery, page_size: int = 20) -> tuple[list[Claim], int]:
    """Return (claims of the requested page, total matches) visible to ``user``, best first."""
    stmt = select(Claim).where(visible_filter(user))
    if query.country:
        stmt = stmt.where(Claim.country == query.country)
    if query.status:
        stmt = stmt.where(Claim.status == query.status)
    if query.sex:
        stmt = stmt.where(Claim.sex == query.sex)
    if query.date_from:
        stmt = stmt.where(Claim.event_date >= query.date_from)
    if query.date_to:
        stmt = stmt.where(Claim.event_date <= query.date_to)
    stmt = stmt.order_by(Claim.event_date.desc(), Claim.id.desc()).limit(MAX_SCANNED)
    wanted = tokens(query.q)
    scored: list[tuple[int, int, Claim]] = []
    for position, claim in enumerate(session.scalars(stmt)):
        if (query.age_min is not None or query.age_max is not None) and not _age_overlaps(
            claim, query.age_min, query.age_max
        ):
            continue
        distance = name_matches(wanted, claim.search_names.split()) if wanted else 0
        if distance is not None:
            scored.append((distance, position, claim))
    scored.sort(key=lambda item: (item[0], item[1]))
    start = (query.page - 1) * page_size
    return [claim for _d, _p, claim in scored[start : start + page_size]], len(scored)


def recently_published(session: Session, limit: int = 6) -> list[Claim]:
    """The latest published claims, for the home page (one indexed query, no name scan)."""
    return list(
        session.scalars(
            select(Claim).where(visible_filter(None)).order_by(Claim.event_date.desc(), Claim.id.desc()).limit(limit)
        )
    )
