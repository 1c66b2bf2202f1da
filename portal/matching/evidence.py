"""Comparators of the non-name evidence between a claim and a sighting (or another claim).

Each comparator returns an ``Evidence(level, reason)``: ``level`` is one of LEVELS and ``reason``
a short code a person can read ("age✗(seen 30-35, born 2010)", "doc=exact", "corridor(BO→PE)").
"unknown" means one side lacks the value; it is never evidence against a match.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from rapidfuzz.distance import OSA

from .marks import MarkConcepts, extract_marks
from .normalize import fold, tokens

AGREE, PARTIAL, DISAGREE, IMPOSSIBLE, UNKNOWN = "agree", "partial", "disagree", "impossible", "unknown"
LEVELS = (AGREE, PARTIAL, DISAGREE, IMPOSSIBLE, UNKNOWN)


@dataclass(frozen=True)
class Evidence:
    """What one comparison found: a level of LEVELS and a reason code a person can read."""

    level: str
    reason: str


# ---------------------------------------------------------------- sex

_SEX_WORDS = {
    "f": "F",
    "female": "F",
    "femenino": "F",
    "feminino": "F",
    "mujer": "F",
    "mulher": "F",
    "woman": "F",
    "femme": "F",
    "feminin": "F",
    "fanm": "F",
    "m": "M",
    "male": "M",
    "masculino": "M",
    "hombre": "M",
    "homem": "M",
    "varon": "M",
    "man": "M",
    "homme": "M",
    "masculin": "M",
    "gason": "M",
}


def normalise_sex(value: str | None) -> str:
    """ "F", "M", or "" when the value is not a known word for a sex (es/en/pt/fr/ht)."""
    return _SEX_WORDS.get(fold(value or ""), "")


def compare_sex(a: str | None, b: str | None) -> Evidence:
    """Two sexes as written: agree, disagree, or unknown when either is not a known word."""
    sa, sb = normalise_sex(a), normalise_sex(b)
    if not sa or not sb:
        return Evidence(UNKNOWN, "sex?")
    return Evidence(AGREE, "sex✓") if sa == sb else Evidence(DISAGREE, "sex✗")


# ---------------------------------------------------------------- age and birth date

AGE_SLACK = 1  # years of gap between birth-year intervals still taken as agreement
AGE_PARTIAL_GAP = 3  # gap up to which the intervals partly agree (2 years beyond the slack)


def birth_years_from_age(age_min: int, age_max: int, on: date) -> tuple[int, int]:
    """Birth-year interval of someone aged ``age_min``..``age_max`` on ``on`` (birthday may be later in the year)."""
    lo, hi = sorted((age_min, age_max))
    return on.year - hi - 1, on.year - lo


def _interval(
    birth: date | None, age_min: int | None, age_max: int | None, on: date | None
) -> tuple[tuple[int, int] | None, str]:
    """The birth-year interval of one side and how it reads ("born 2010", "seen 14-18")."""
    if birth is not None:
        return (birth.year, birth.year), f"born {birth.year}"
    lo = age_min if age_min is not None else age_max
    hi = age_max if age_max is not None else age_min
    if on is None or lo is None or hi is None:
        return None, ""
    label = f"seen {lo}" if lo == hi else f"seen {lo}-{hi}"
    return birth_years_from_age(lo, hi, on), label


def _compare_birth_dates(a: date, pa: str, b: date, pb: str) -> Evidence:
    years = abs(a.year - b.year)
    if pa == pb == "day":
        if a == b:
            return Evidence(AGREE, "dob=exact")
        if (a.year, a.month, a.day) == (b.year, b.day, b.month):
            return Evidence(PARTIAL, "dob≈(day/month swapped)")
        if (a.month, a.day) == (b.month, b.day) and years == 1:
            return Evidence(PARTIAL, "dob≈(year±1)")
        if years == 0:
            return Evidence(PARTIAL, "dob≈(same year)")
    elif "year" not in (pa, pb) and (a.year, a.month) == (b.year, b.month):
        return Evidence(AGREE, "dob=month")
    elif years == 0:
        return Evidence(AGREE, "dob=year")
    if years <= 1:
        return Evidence(PARTIAL, f"dob≈({a.year} vs {b.year})")
    return Evidence(DISAGREE, f"dob✗({a.year} vs {b.year})")


def compare_age(
    birth_date: date | None,
    birth_precision: str = "day",
    age_min_a: int | None = None,
    age_max_a: int | None = None,
    event_date_a: date | None = None,
    age_min_b: int | None = None,
    age_max_b: int | None = None,
    event_date_b: date | None = None,
    *,
    birth_date_b: date | None = None,
    birth_precision_b: str = "day",
) -> Evidence:
    """Side a: a birth date, or an estimated age on ``event_date_a``; side b likewise (``birth_date_b``).

    Two birth dates: exact → agree; swapped day/month, same year or ±1 year → partial.
    Otherwise birth-year intervals: gap ≤ 1 year → agree, ≤ 3 → partial, else disagree.
    """
    if birth_date is not None and birth_date_b is not None:
        return _compare_birth_dates(birth_date, birth_precision, birth_date_b, birth_precision_b)
    ia, label_a = _interval(birth_date, age_min_a, age_max_a, event_date_a)
    ib, label_b = _interval(birth_date_b, age_min_b, age_max_b, event_date_b)
    if ia is None or ib is None:
        return Evidence(UNKNOWN, "age?")
    gap = max(ia[0], ib[0]) - min(ia[1], ib[1])
    detail = f"({label_b}, {label_a})" if label_a.startswith("born") else f"({label_a}, {label_b})"
    if gap <= AGE_SLACK:
        return Evidence(AGREE, "age✓")
    if gap <= AGE_PARTIAL_GAP:
        return Evidence(PARTIAL, f"age≈{detail}")
    return Evidence(DISAGREE, f"age✗{detail}")


# ---------------------------------------------------------------- document number


MIN_NEAR_DOCUMENT = 6  # characters from which two documents one edit apart still partly agree


def normalise_document(value: str | None) -> str:
    """A document number folded to upper-case letters and digits ("12.345.678-k" -> "12345678K")."""
    return "".join(ch for ch in fold(value or "").upper() if ch.isalnum())


def compare_document(a: str | None, b: str | None) -> Evidence:
    """Two document numbers as written: equal, one edit apart (long enough), or different."""
    return compare_normalised_documents(normalise_document(a), normalise_document(b))


def compare_normalised_documents(da: str, db: str) -> Evidence:
    """``compare_document`` on numbers already normalised (the engine normalises them once per record)."""
    if not da or not db:
        return Evidence(UNKNOWN, "doc?")
    if da == db:
        return Evidence(AGREE, "doc=exact")
    if min(len(da), len(db)) >= MIN_NEAR_DOCUMENT and OSA.distance(da, db, score_cutoff=1) <= 1:
        return Evidence(PARTIAL, "doc≈(1 edit)")  # one digit wrong, missing, extra, or two swapped
    return Evidence(DISAGREE, "doc✗")


# ---------------------------------------------------------------- height

HEIGHT_TOLERANCE_CM, HEIGHT_ESTIMATE_TOLERANCE_CM = 5.0, 10.0
MAX_GROWTH_CM_PER_YEAR = 8.0


def compare_height(
    a_cm: float | None,
    b_cm: float | None,
    *,
    a_is_estimate: bool = False,
    b_is_estimate: bool = False,
    years_between: float = 0.0,
    minor: bool = False,
) -> Evidence:
    """Height ``a_cm`` (earlier record) against ``b_cm`` measured ``years_between`` years later."""
    if not a_cm or not b_cm:
        return Evidence(UNKNOWN, "height?")
    tol = HEIGHT_ESTIMATE_TOLERANCE_CM if a_is_estimate or b_is_estimate else HEIGHT_TOLERANCE_CM
    growth = MAX_GROWTH_CM_PER_YEAR * max(years_between, 0.0) if minor else 0.0
    diff = b_cm - a_cm
    low, high = -tol, growth + tol
    if low <= diff <= high:
        return Evidence(AGREE, "height≈(grown)" if growth and diff > tol else "height≈")
    beyond = low - diff if diff < low else diff - high
    direction = "shorter" if diff < 0 else "taller"
    if beyond <= tol:
        return Evidence(PARTIAL, f"height~({direction} {abs(diff):.0f}cm)")
    return Evidence(DISAGREE, f"height✗({direction} {abs(diff):.0f}cm)")


# ---------------------------------------------------------------- time order

AGREE_WITHIN_DAYS = round(3 * 365.25)


def compare_time_order(disappearance_date: date | None, sighting_date: date | None) -> Evidence:
    """A sighting before the disappearance is impossible; within three years it agrees, later partly."""
    if disappearance_date is None or sighting_date is None:
        return Evidence(UNKNOWN, "time?")
    days = (sighting_date - disappearance_date).days
    if days < 0:
        return Evidence(IMPOSSIBLE, f"before_disappearance({-days}d)")
    return Evidence(AGREE if days <= AGREE_WITHIN_DAYS else PARTIAL, f"after+{days}d")


# ---------------------------------------------------------------- distinguishing marks


def compare_marks(text_a: str | None, text_b: str | None) -> Evidence:
    """Agree on type+motif or type+body part; disagree only on the same type at clearly different parts."""
    return compare_mark_concepts(extract_marks(text_a or ""), extract_marks(text_b or ""))


def compare_mark_concepts(a: MarkConcepts, b: MarkConcepts) -> Evidence:
    """``compare_marks`` on concepts already extracted (the engine extracts them once per record)."""
    if not a or not b:
        return Evidence(UNKNOWN, "mark?")
    types, motifs, parts = a.types & b.types, a.motifs & b.motifs, a.parts & b.parts
    shown = ",".join([*sorted(types), *sorted(motifs), *sorted(parts)])
    if types and a.motifs and b.motifs and not motifs:
        # The same kind of mark with different designs (a star and a scorpion): at most partial.
        return Evidence(PARTIAL, f"mark≈({shown};motif≠)")
    if types and (motifs or parts):
        sides_clash = parts and a.sides and b.sides and not a.sides & b.sides
        if sides_clash and not motifs:
            return Evidence(PARTIAL, f"mark≈({shown};side≠)")
        return Evidence(AGREE, f"mark✓({shown})")
    if types and a.parts and b.parts:  # same type, only different parts, nothing else shared
        return Evidence(DISAGREE, f"mark✗({shown}:{'/'.join(sorted(a.parts))}≠{'/'.join(sorted(b.parts))})")
    if types or motifs:
        return Evidence(PARTIAL, f"mark≈({shown})")
    return Evidence(UNKNOWN, "mark?")


# ---------------------------------------------------------------- place and cross-border corridors

# Known cross-border movement corridors: context for reviewers only, never proof of anything.
CORRIDORS: dict[frozenset[str], str] = {
    frozenset(pair.split("-")): note
    for pair, note in {
        "BO-PE": "Desaguadero / Kasani (Lake Titicaca)",
        "BO-CL": "Pisiga-Colchane / Charaña",
        "BO-AR": "Villazón-La Quiaca / Yacuiba-Salvador Mazza",
        "BO-BR": "Puerto Quijarro-Corumbá / Guayaramerín-Guajará-Mirim",
        "PE-CL": "Tacna-Arica (Chacalluta)",
        "PE-EC": "Tumbes-Huaquillas",
        "PE-BR": "Iñapari-Assis Brasil",
        "PE-CO": "Putumayo / Leticia-Santa Rosa",
        "CO-EC": "Ipiales-Tulcán (Rumichaca)",
        "CO-BR": "Leticia-Tabatinga",
        "AR-CL": "Los Libertadores / Mendoza",
        "AR-BR": "Puerto Iguazú-Foz do Iguaçu",
        "GT-MX": "Tecún Umán-Ciudad Hidalgo",
        "BZ-MX": "Chetumal-Santa Elena",
        "BZ-GT": "Benque Viejo-Melchor de Mencos",
        "HN-GT": "Corinto / Agua Caliente",
        "SV-GT": "La Hachadura / San Cristóbal",
        "HN-SV": "El Amatillo",
        "HN-NI": "Guasaule / Las Manos",
        "NI-CR": "Peñas Blancas",
        "DO-PR": "Mona Passage (boats)",
        "MX-US": "Tijuana-San Diego / Ciudad Juárez-El Paso",
    }.items()
}
MIN_PLACE_TOKEN = 4


def _country(value: str | None) -> str:
    return (value or "").strip().upper()


def place_words(place: str | None) -> frozenset[str]:
    """The words of a place that can identify it (4+ letters: "alto", "cusco"; not "8" or "de")."""
    return frozenset(t for t in tokens(place or "") if len(t) >= MIN_PLACE_TOKEN and t.isalpha())


def compare_place(country_a: str | None, place_a: str | None, country_b: str | None, place_b: str | None) -> Evidence:
    """Same country and a shared place word → agree; same country or a known corridor → partial."""
    return compare_place_words(_country(country_a), place_words(place_a), _country(country_b), place_words(place_b))


def compare_place_words(ca: str, words_a: frozenset[str], cb: str, words_b: frozenset[str]) -> Evidence:
    """``compare_place`` on upper-case country codes and ``place_words`` computed once per record.

    Shared place words count when the countries agree or are not given (files without countries).
    """
    if ca and cb and ca != cb:
        if frozenset((ca, cb)) in CORRIDORS:
            return Evidence(PARTIAL, f"corridor({ca}→{cb})")
        return Evidence(UNKNOWN, f"country≠({ca}→{cb})")
    shared = words_a & words_b
    if shared:
        return Evidence(AGREE, f"place✓({','.join(sorted(shared))})")
    if ca and cb:
        if words_a and words_b:  # two places named in one country, not a word in common
            return Evidence(PARTIAL, f"place≠({ca})")
        return Evidence(PARTIAL, f"country={ca}")
    return Evidence(UNKNOWN, "place?")
