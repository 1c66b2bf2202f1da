"""Claim search over the whole registry: names looked up by the matching engine's keys, no scan.

A claim's names are stored as keys (``claim.name_keys``, written by ``name_index.index_claim``
whenever the casework path files or changes a claim): each word as written, as it sounds, and as
the full names its nicknames stand for (portal/matching/lookup.py says which). A search looks its words up
under the same keys, in one query that also applies the filters and the caller's rights, ranks by
how well the words met (as written, by sound or nickname, by a slip) and pages in SQL. Only the
page shown is explained word by word.

On PostgreSQL the keys are an array with a GIN index, an inverted index: the database intersects
the claims of each word inside the index and reads only the claims found. SQLite, the embedded
database for a demonstration or a small office, has no such index and reads each claim's keys.

Counting stops at COUNT_LIMIT ("more than 1,000 people found"). A word that many published claims
share is not counted at all: the worker counts the common keys every few minutes
(``count_common_keys``, docs/decisions.md 48), and a search of that word alone reads the count.

Police may also find a claim by its reference or by a document number; the public never by a
document number.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from itertools import combinations
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, delete, exists, func, insert, literal, or_, select, true
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Session

from portal.accounts.models import Role
from portal.cases.codes import SEXES, STATUSES
from portal.cases.models import Claim, CommonNameKey
from portal.cases.name_index import VOCABULARY, name_record
from portal.cases.rules import granted_filter, linked_filter, visible_filter
from portal.cases.services import clean_reference
from portal.fields import FieldReader
from portal.matching.evidence import normalise_document
from portal.matching.lookup import EXACT, QueryWord, WordMatch, explain, needed, query_words, slips
from portal.matching.normalize import tokens

MAX_PER_PAGE = 100
COUNT_LIMIT = 1000  # a search counts its claims up to this many, and beyond says "more than"
# A word whose stored count (CommonNameKey, some minutes old) is at least this many published claims
# is taken as finding more than COUNT_LIMIT without counting: half of them would have to have left
# the public registry since they were counted.
COMMON_CLAIMS = 2 * COUNT_LIMIT
MAX_PAGE = 10_000
MIN_DOCUMENT = 5


@dataclass(frozen=True)
class SearchQuery:
    """Checked search parameters."""

    q: str = ""
    country: str = ""
    status: str = ""
    sex: str = ""
    age_min: int | None = None
    age_max: int | None = None
    age_on: date | None = None  # the day the ages are about; None: the day last seen
    date_from: date | None = None
    date_to: date | None = None
    place: str = ""
    page: int = 1
    per_page: int | None = None


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
        age_on=r.day("age_on"),
        date_from=r.day("date_from"),
        date_to=r.day("date_to"),
        place=r.text("place", 100),
        page=r.integer("page", 1, MAX_PAGE) or 1,
        per_page=r.integer("per_page", 1, MAX_PER_PAGE),
    )
    r.check()
    return query


# ------------------------------------------------------------------ words the registry lacks


def _with_slips(session: Session, words: list[QueryWord]) -> list[QueryWord]:
    """Words that no claim has as written or by sound get the stored sounds one slip away.

    A word with a sound this process has read as stored is known without a query (a sound is stored
    for good, even once its claims are gone: such a word then finds nothing, as it would by a slip to
    itself). One round trip asks for the others at once whether any claim is stored under their
    keys; the vocabulary is read only when some word is unknown.
    """
    stored = VOCABULARY.stored(session)
    unsure = [word for word in words if not any(key[2:] in stored for key in word.sounds)]
    if not unsure:
        return words
    keyed = _Keys(session)
    found = session.execute(
        select(
            *(
                select(Claim.id).where(keyed.any_of({word.exact} | word.sounds)).exists().label(f"w{i}")
                for i, word in enumerate(unsure)
            )
        )
    ).one()
    unknown = {word.exact for word, known in zip(unsure, found, strict=True) if not known}
    if not unknown:
        return words
    vocabulary = VOCABULARY.get(session)
    return [
        replace(word, slips=frozenset(slips(word.phonetic(), vocabulary))) if word.exact in unknown else word
        for word in words
    ]


# ------------------------------------------------------------------ the query


@dataclass(frozen=True)
class Hit:
    """A claim found, with how well the search words met its names (0..1) and how, word by word."""

    claim: Claim
    score: float
    matches: tuple[WordMatch, ...] = ()

    def public_matches(self) -> tuple[WordMatch, ...]:
        """The matches with only the words the public may read of the name (given names, first
        surname): a word met in a second surname or an alias is not named."""
        shown = set(tokens(f"{self.claim.given_names} {self.claim.first_surname}"))
        return tuple(m if m.matched in shown else WordMatch(m.word, "", m.kind) for m in self.matches)


@dataclass(frozen=True)
class Results:
    """One page of a search."""

    hits: list[Hit]
    total: int  # counted up to COUNT_LIMIT
    page: int
    per_page: int
    more: bool = False  # more claims than ``total`` were found

    @property
    def claims(self) -> list[Claim]:
        """The claims of the page, best first."""
        return [hit.claim for hit in self.hits]

    @property
    def pages(self) -> int:
        """How many pages the results fill (at least one)."""
        return max(1, -(-self.total // self.per_page))


def _filters(query: SearchQuery) -> list[ColumnElement[bool]]:
    found: list[ColumnElement[bool]] = []
    if query.country:
        found.append(Claim.country == query.country)
    if query.status:
        found.append(Claim.status == query.status)
    if query.sex:
        found.append(Claim.sex == query.sex)
    if query.date_from:
        found.append(Claim.event_date >= query.date_from)
    if query.date_to:
        found.append(Claim.event_date <= query.date_to)
    if query.place:
        found.append(func.lower(Claim.place).contains(query.place.lower(), autoescape=True))
    if query.age_min is not None or query.age_max is not None:
        # The age when last seen must be known and overlap the range asked for, or, on another day
        # (``age_on``: today, for a person found now), that age moved by the years between.
        found.append(or_(Claim.age_seen_min.is_not(None), Claim.age_seen_max.is_not(None)))
        low: ColumnElement[int] = func.coalesce(Claim.age_seen_min, 0)
        high: ColumnElement[int] = func.coalesce(Claim.age_seen_max, 120)
        if query.age_on is not None:
            # Of the years between, the last may not have ended: with no birthday known, someone 15
            # on 11 February is 17 or 18 on 1 June two years later, and 17 or 18 on 1 January three
            # years later.
            on, seen = query.age_on, Claim.event_date
            years = on.year - func.extract("year", seen)
            later_in_year = on.month * 100 + on.day >= func.extract("month", seen) * 100 + func.extract("day", seen)
            found.append(seen.is_not(None))
            low = low + years - case((later_in_year, 0), else_=1)
            high = high + years + case((later_in_year, 1), else_=0)
        if query.age_min is not None:
            found.append(high >= query.age_min)
        if query.age_max is not None:
            found.append(low <= query.age_max)
    return found


def _is_police(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_police", False))


def _holds_documents(user: Any) -> ColumnElement[bool]:
    """Claims whose document number ``user`` may search: those their country owns or is linked to, and
    those they were granted."""
    if getattr(user, "role", None) == Role.ADMIN:
        return true()
    return or_(linked_filter(user.country_code), granted_filter(user))


def _added(terms: list[ColumnElement[int]]) -> ColumnElement[int]:
    """The SQL sum of ``terms`` (at least one)."""
    total = terms[0]
    for term in terms[1:]:
        total = total + term
    return total


class _Keys:
    """Conditions on a claim's search keys, written for the session's database: all its names
    (``name_keys``), or only those the public reads (``public_name_keys``)."""

    def __init__(self, session: Session, public: bool = False) -> None:
        self.postgresql = session.get_bind().dialect.name == "postgresql"
        self.column = Claim.public_name_keys if public else Claim.name_keys

    def any_of(self, keys: set[str] | frozenset[str]) -> ColumnElement[bool]:
        """The claim is stored under at least one of ``keys`` (which must not be empty)."""
        if self.postgresql:  # && : the arrays overlap, answered by the GIN index
            overlap = self.column.op("&&", is_comparison=True)
            return overlap(literal(sorted(keys), postgresql.ARRAY(postgresql.TEXT)))
        each = func.json_each(self.column).table_valued("value")
        return exists(select(1).select_from(each).where(each.c.value.in_(sorted(keys))))


def _by_names(keyed: _Keys, words: Sequence[QueryWord]) -> tuple[ColumnElement[bool], ColumnElement[int]]:
    """The condition of claims meeting enough of ``words``, and their score (the sum of the grades).

    A claim must meet ``needed`` of the words: with three words or more, every choice of that many
    words is one conjunction, and PostgreSQL answers the disjunction of them from the index.
    """
    grades: list[ColumnElement[int]] = []
    for word in words:
        steps = [(keyed.any_of({word.exact}), EXACT)]
        if word.sounds:
            steps.append((keyed.any_of(word.sounds), EXACT - 1))
        if word.slips:
            steps.append((keyed.any_of(word.slips), EXACT - 2))
        grades.append(case(*steps, else_=0))
    meets = [keyed.any_of(word.keys) for word in words]
    chosen = [and_(*group) for group in combinations(meets, needed(len(words)))]
    return chosen[0] if len(chosen) == 1 else or_(*chosen), _added(grades)


def _tiers(
    keyed: _Keys, words: Sequence[QueryWord], common: Mapping[str, int]
) -> list[tuple[ColumnElement[bool], int]]:
    """Conditions under which every claim found scores the same, best first: every word as written;
    then, for a single word, by sound or nickname but not as written ("Kispe" finds a few Kispes,
    then 60,000 Quispes in a million claims). Their claims come first, each group newest first.

    Each comes with the stored count of its most common key (``common``, published claims), which
    less the claims of the tiers before it is a floor of how many it finds for anyone: every caller
    sees the published claims, and the police search keys that include the public's.
    """
    alone = words[0] if len(words) == 1 else None
    written = and_(*(keyed.any_of({word.exact}) for word in words))
    tiers = [(written, common.get(alone.exact, 0) if alone else 0)]
    if alone and alone.sounds:
        sounded = max(common.get(key, 0) for key in alone.sounds)
        tiers.append((and_(keyed.any_of(alone.sounds), ~keyed.any_of({alone.exact})), sounded))
    return tiers


def _common(session: Session, query: SearchQuery, words: Sequence[QueryWord]) -> dict[str, int]:
    """The stored counts of a single word's keys, when nothing but the caller's rights narrows the
    search (a filter could leave any number of them)."""
    if len(words) != 1 or _filters(query):
        return {}
    keys = sorted({words[0].exact} | words[0].sounds)
    stored = select(CommonNameKey.key, CommonNameKey.claims).where(CommonNameKey.key.in_(keys))
    return dict(session.execute(stored).all())


def count_common_keys(session: Session) -> int:
    """Count afresh the keys more than COUNT_LIMIT published claims are found under (CommonNameKey),
    in the caller's transaction; returns how many keys that is. The worker runs it every few minutes."""
    if session.get_bind().dialect.name == "postgresql":
        each = func.unnest(Claim.public_name_keys).table_valued("value").render_derived()
    else:  # SQLite's JSON list: json_each names its column "value"
        each = func.json_each(Claim.public_name_keys).table_valued("value")
    counted = (
        select(each.c.value, func.count())
        .select_from(Claim)
        .join(each, true())
        .where(visible_filter(None))
        .group_by(each.c.value)
        .having(func.count() > COUNT_LIMIT)
    )
    session.execute(delete(CommonNameKey))
    session.execute(insert(CommonNameKey).from_select(["key", "claims"], counted))
    return session.scalar(select(func.count()).select_from(CommonNameKey)) or 0


def _count(session: Session, stmt: Select[Claim] | Select[Claim, int]) -> int:
    """How many rows ``stmt`` finds, counted up to COUNT_LIMIT + 1."""
    return session.scalar(select(func.count()).select_from(stmt.limit(COUNT_LIMIT + 1).subquery())) or 0


def _with_claims(session: Session, page: Select[Any, Any, Any]) -> list[Any]:
    """The rows of ``page`` (ids, their score and a count ``whole``: one page, ranked and limited) with
    their claims joined in the same statement, best first, then newest: (claim, score, whole)."""
    ranked = page.subquery()
    return list(
        session.execute(
            select(Claim, ranked.c.score, ranked.c.whole)
            .join(ranked, Claim.id == ranked.c.id)
            .order_by(ranked.c.score.desc(), Claim.event_date.desc(), Claim.id.desc())
        ).all()
    )


def _small_tier(
    session: Session, tier: Select[Claim] | Select[Claim, int], score: ColumnElement[int], skip: int, limit: int
) -> tuple[int, list[Any]]:
    """How many claims ``tier`` finds, counted up to COUNT_LIMIT + 1, and, when that is no more than
    COUNT_LIMIT, its claims from ``skip`` on (``limit`` of them) newest first: one statement, which
    sorts no more than COUNT_LIMIT + 1 ids and dates and then reads the page's claims alone. A
    tier's claims all score the same. Past COUNT_LIMIT the claims are not returned (they would be a
    sample), nor past the tier's end, where no row is left to tell the count."""
    first = tier.with_only_columns(Claim.id, Claim.event_date, score.label("score")).limit(COUNT_LIMIT + 1).subquery()
    got = _with_claims(
        session,
        select(first.c.id, first.c.score, func.count().over().label("whole"))
        .order_by(first.c.event_date.desc(), first.c.id.desc())
        .limit(limit)
        .offset(skip),
    )
    if not got:
        return (0 if skip == 0 else _count(session, tier)), []
    size = int(got[0].whole)
    return size, ([] if size > COUNT_LIMIT else [(row[0], row[1]) for row in got])


def search_claims(session: Session, user: Any, query: SearchQuery, per_page: int = 20) -> Results:
    """One page of the claims ``user`` may see that the query finds, best first, with their total."""
    per_page = query.per_page or per_page
    text = query.q.strip()
    words: list[QueryWord] = []
    police = _is_police(user)
    document = normalise_document(text)
    reference = clean_reference(text)
    # What the search matches on is the policy's SEARCH action: the police search every name across
    # borders, and a document number where they hold the case; anyone else the public names only.
    keyed = _Keys(session, public=not police)
    score: ColumnElement[int] | None = None
    found_by: ColumnElement[bool] = true()
    if police and reference:
        found_by = Claim.reference == reference
    elif police and len(document) >= MIN_DOCUMENT and any(ch.isdigit() for ch in document):
        found_by = and_(keyed.any_of({f"d:{document}"}), _holds_documents(user))
    else:
        words = query_words(text)
        if words:
            words = _with_slips(session, words)
            found_by, score = _by_names(keyed, words)
    # Everyone the caller may see and the filters leave; the tiers below narrow it themselves, since
    # each implies ``found_by``, and repeating it would make PostgreSQL think them a hundred times
    # smaller than they are (it takes the two conditions as independent) and read them the wrong way.
    allowed = (select(Claim) if score is None else select(Claim, score.label("score"))).where(
        visible_filter(user), *_filters(query)
    )
    stmt = allowed.where(found_by)
    by_date: list[ColumnElement[Any]] = [Claim.event_date.desc(), Claim.id.desc()]
    full_order = [score.desc(), *by_date] if score is not None and words else by_date
    offset = (query.page - 1) * per_page
    rows: list[Any] = []
    found = 0  # claims in the tiers, each counted up to COUNT_LIMIT + 1
    if words and score is not None:  # words looked up are scored
        # The tiers' claims score the most, group by group, so they come first, by date: when they
        # fill the page, it is the page, and nobody else need be scored. A large tier (20,000 "María
        # Mamani"s, 60,000 Quispes for "Kispe" in a million claims) is read by walking the date
        # index; a small one through the name index and sorted, because a walk in search of a few
        # rows could cross the whole table.
        # A tier whose stored counts say it holds well over COUNT_LIMIT is not counted again.
        # A tier of no more than COUNT_LIMIT is counted and read in the same statement.
        wanted = offset  # the position, in the whole order, of the next row the page needs
        for condition, at_least in _tiers(keyed, words, _common(session, query, words)):
            tier = allowed.where(condition)
            skip, got = wanted - found, list[Any]()
            if at_least - found >= COMMON_CLAIMS:
                size = COUNT_LIMIT + 1
            else:
                size, got = _small_tier(session, tier, score, skip, per_page - len(rows))
            if size > COUNT_LIMIT and skip < size:
                got = list(session.execute(tier.order_by(*by_date).limit(per_page - len(rows)).offset(skip)).all())
            rows += got
            wanted += len(got)
            found += size
            if len(rows) == per_page or size > COUNT_LIMIT:
                break  # the page is full, or the next tier's place is unknown past an uncounted one
    counted: int | None = found if found > COUNT_LIMIT else None
    if len(rows) < per_page:
        if score is not None:
            # Ordered by score, the page reads every claim found anyway: it counts them as it goes,
            # ranking their ids alone (thousands of whole claims would spill the sort to disk), and
            # joins the page's claims to them in the same statement.
            best = _with_claims(
                session,
                stmt.with_only_columns(Claim.id, score.label("score"), func.count().over().label("whole"))
                .order_by(*full_order)
                .limit(per_page)
                .offset(offset),
            )
            rows = [(row[0], row[1]) for row in best]
            counted = best[0].whole if best else counted
        else:
            rows = list(session.execute(stmt.order_by(*full_order).limit(per_page).offset(offset)).all())
    if counted is None:
        # Counting stops past COUNT_LIMIT: at a million claims a common surname alone finds 60,000,
        # and counting them all would cost more than the page itself.
        counted = _count(session, stmt)
    hits = []
    for row in rows:
        claim = row[0]
        if words:
            value = float(row[1]) / (EXACT * len(words))
            hits.append(Hit(claim, round(min(value, 1.0), 3), explain(words, name_record(claim, public=not police))))
        else:
            hits.append(Hit(claim, 1.0))
    return Results(hits, min(counted, COUNT_LIMIT), query.page, per_page, more=counted > COUNT_LIMIT)


def recently_published(session: Session, limit: int = 6) -> list[Claim]:
    """The latest published claims, for the home page (one indexed query, no name scan)."""
    return list(
        session.scalars(
            select(Claim).where(visible_filter(None)).order_by(Claim.event_date.desc(), Claim.id.desc()).limit(limit)
        )
    )
