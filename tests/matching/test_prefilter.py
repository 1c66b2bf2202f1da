"""The vectorised pre-filter never drops a pair the scorer would keep (portal/matching/prefilter.py).

Its bound must be at least ``compare``'s weight for every pair of claims. Hypothesis builds small
sets of look-alike records (shared name pools, near documents, close dates, aliases, married names,
names in the wrong boxes) so that every level of every comparison is reached; the synthetic benchmark
checks the same on realistic pairs, and that the filter actually drops most of them.
"""

from __future__ import annotations

import sys
from datetime import date, timedelta
from pathlib import Path
from unittest import mock

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.matching.blocking import CandidateIndex, blocking_keys
from portal.matching.csvfiles import read_records
from portal.matching.linker import PREFILTER_MIN_PAIRS, dedupe, link, prepare_and_dedupe, prepare_with_keys
from portal.matching.prefilter import BoundColumns, tightened, upper_bound, worth_scoring
from portal.matching.records import CLAIM, SIGHTING, PersonRecord, prepare
from portal.matching.scoring import REVIEW, TermFrequencies, compare

GIVEN = [
    "María",
    "Maria José",
    "Majo",
    "Lupe",
    "Guadalupe",
    "Juan",
    "Juan Carlos",
    "Jhon",
    "Ximena",
    "Jimena",
    "Mari Cruz",
    "Maricruz",
    "J",
    "Quispe",
    "",
]
SURNAMES = [
    "Quispe",
    "Kispe",
    "Mamani",
    "Xicará",
    "Huanca",
    "Wanka",
    "de Pérez",
    "Thred Gold",
    "Thredgold",
    "Flores",
    "Flroes",
    "de la Cruz",
    "vda. de Rojas",
    "María",
    "",
]
PLACES = ["El Alto", "Alto Lima", "Cusco", "Belize City", "", "Calle Loyola 8"]
MARKS = [
    "tatuaje de mariposa en el hombro",
    "tenía una mariposa tatuada",
    "cicatriz en la pierna izquierda",
    "scar on right leg",
    "",
]
BASE = date(2010, 5, 17)

records = st.builds(
    PersonRecord,
    id=st.just(""),
    kind=st.sampled_from([CLAIM, CLAIM, CLAIM, SIGHTING]),
    given_names=st.sampled_from(GIVEN),
    first_surname=st.sampled_from(SURNAMES),
    second_surname=st.sampled_from(SURNAMES),
    aliases=st.lists(st.sampled_from(["Lupita", "Majo", "Chepe", "Mari"]), max_size=2).map(tuple),
    sex=st.sampled_from(["F", "M", ""]),
    birth_date=st.one_of(
        st.none(),
        st.sampled_from(
            [BASE, date(2010, 17 % 12, 5), date(2011, 5, 17), date(2009, 5, 17), date(2010, 1, 3), date(2013, 2, 1)]
        ),
    ),
    birth_precision=st.sampled_from(["day", "day", "month", "year"]),
    age_min=st.one_of(st.none(), st.integers(10, 20)),
    age_max=st.one_of(st.none(), st.integers(12, 24)),
    document_id=st.sampled_from(["", "4455667", "4455668", "445566", "9988776", "12"]),
    country=st.sampled_from(["BO", "PE", "CL", "GT", ""]),
    place=st.sampled_from(PLACES),
    event_date=st.one_of(st.none(), st.integers(0, 400).map(lambda d: date(2025, 1, 1) + timedelta(days=d))),
    height_cm=st.one_of(st.none(), st.integers(140, 175)),
    description=st.sampled_from(MARKS),
    photo_hashes=st.sampled_from([(), (0x0F0F0F0F0F0F0F0F,), (0x0F0F0F0F0F0F0F0E,)]),
)


def assert_bound_holds(prepared, tf, population) -> None:
    c = BoundColumns(prepared, tf)
    n = len(prepared)
    i, j = (a.ravel() for a in np.meshgrid(np.arange(n), np.arange(n), indexing="ij"))
    bound = upper_bound(c, i, j, population)
    tight = tightened(c, i, j, bound)  # marks and place words exact: between the weight and the bound
    assert np.all((tight <= bound + 1e-9) | np.isinf(bound))
    loose = upper_bound(c, i, j, population, given_exact=False)  # given names at their best: above it
    assert np.all(loose >= bound - 1e-9)
    for k, (x, y) in enumerate(zip(i.tolist(), j.tolist(), strict=True)):
        if x == y:
            continue
        weight = compare(prepared[x], prepared[y], tf, population).log2_bayes_factor
        assert weight <= tight[k] + 1e-9, (prepared[x].record, prepared[y].record, weight, tight[k], bound[k])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(records, min_size=2, max_size=8), st.sampled_from([10, 1000, 100_000]))
def test_the_bound_is_never_below_the_scorers_weight(people, population) -> None:
    prepared = [prepare(r) for r in people]
    assert_bound_holds(prepared, TermFrequencies.from_prepared(prepared), population)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(records, min_size=2, max_size=8), st.sampled_from([10, 1000, 100_000]))
def test_the_bound_holds_when_claims_of_one_country_read_its_own_name_frequencies(people, population) -> None:
    prepared = [prepare(r) for r in people]
    with mock.patch("portal.matching.scoring.LOCAL_MIN_RECORDS", 1):  # every country counts its own
        tf = TermFrequencies.from_prepared(prepared)
    assert_bound_holds(prepared, tf, population)


def test_the_bound_holds_for_names_rarer_in_the_country_than_in_the_network() -> None:
    # Ana Quispe Mamani Flores: common names in the network, each once in Bolivia's 10,000 claims. Two
    # Bolivian claims sharing them weigh more than the network's counts say, and the looser bounds (three
    # surname words, or the given names at their best) must still cover them.
    def claim(k: int, country: str) -> PersonRecord:
        return PersonRecord(
            id=f"C{k}", kind=CLAIM, given_names="Ana", first_surname="Quispe", second_surname="Mamani Flores",
            sex="F", birth_date=BASE, country=country, place="",
        )  # fmt: skip

    prepared = [prepare(claim(k, country)) for k, country in enumerate(["BO", "BO", "PE", ""])]
    common = {"quispe": 5000, "mamani": 5000, "flores": 5000}
    bolivia = ({"ana": 1}, dict.fromkeys(common, 1), 10_000)
    tf = TermFrequencies({"ana": 5000}, common, 20_000, by_country={"BO": bolivia})
    assert tf.for_pair(prepared[0], prepared[1]).surname("quispe") == 1e-4
    assert_bound_holds(prepared, tf, 20_000)


TRICKY = [  # (given names, first surname, second surname): each a level the bound must cover
    ("Ana", "Thred Gold", ""),
    ("Ana", "Thredgold", ""),
    ("Ana", "Thredgold", "Rojas"),  # glued / split
    ("Quispe Mamani", "Guadalupe", ""),
    ("Guadalupe", "Quispe", "Mamani"),
    ("Lupe", "Kispe", "Mamani"),  # boxes
    ("Rosa", "Gold", "Thred"),
    ("Thredgold", "Rosa", ""),
    ("Mari Cruz", "Flores", ""),
    ("Maricruz", "Flores", ""),
    ("María", "Pérez", "vda. de Rojas"),
    ("María", "Rojas", ""),
    ("Majo", "Xicará", ""),
    ("María José", "Xicara", ""),
    ("J", "Huanca", "Wanka"),
    ("Juan", "Wanka", "Huanca"),
    ("Jhon", "Flroes", "Flores"),
    ("Zoila", "", ""),
    ("", "Quispe", ""),
    ("Maria", "Quispe", "Mamani Flores"),
]


def test_the_bound_holds_on_names_glued_split_exchanged_and_married() -> None:
    people = [
        PersonRecord(
            str(k),
            given_names=g,
            first_surname=s1,
            second_surname=s2,
            sex="F",
            birth_date=BASE,
            country="BO",
            event_date=date(2025, 3, 1),
            document_id="4455667" if k % 3 else "",
        )
        for k, (g, s1, s2) in enumerate(TRICKY)
    ]
    prepared = [prepare(r) for r in people]
    # A rare-name file and a common-name file: token frequencies change which level is heaviest.
    for tf in (TermFrequencies.from_prepared(prepared), TermFrequencies.from_prepared(prepared * 50)):
        assert_bound_holds(prepared, tf, 1000)


def test_the_tightened_bound_weighs_marks_and_places_exactly() -> None:
    """Marks that differ and towns that differ are what the plain bound cannot see: the tightened bound
    gives them their weight, exactly the difference ``compare`` makes between the pairs."""

    def claim(k: str, description: str, place: str) -> PersonRecord:
        return PersonRecord(
            k, given_names="Ana", first_surname="Quispe", sex="F", birth_date=BASE, country="BO",
            place=place, event_date=date(2025, 3, 1), description=description,
        )  # fmt: skip

    people = [
        claim("a", "tatuaje de mariposa en el hombro", "El Alto"),
        claim("b", "tenía una mariposa tatuada", "El Alto"),  # the same mark, the same town
        claim("c", "cicatriz en la pierna izquierda", "Cusco"),  # another mark, another town
    ]
    prepared = [prepare(r) for r in people]
    tf = TermFrequencies.from_prepared(prepared)
    c = BoundColumns(prepared, tf)
    i, j = np.array([0, 0]), np.array([1, 2])
    bound = upper_bound(c, i, j, 1000)
    tight = tightened(c, i, j, bound)
    same, other = (compare(prepared[0], prepared[k], tf, 1000).log2_bayes_factor for k in (1, 2))
    assert bound[0] == bound[1] and tight[1] < tight[0] <= bound[0] + 1e-9
    assert tight[0] - tight[1] == pytest.approx(same - other)


def test_a_claim_and_a_sighting_are_bounded_in_either_order_and_two_sightings_never_dropped() -> None:
    claim = prepare(PersonRecord("c", given_names="Ana", first_surname="Quispe", birth_date=BASE))
    sighting = prepare(PersonRecord("s", kind=SIGHTING, given_names="Zoila", first_surname="Xicará"))
    other = prepare(PersonRecord("t", kind=SIGHTING, given_names="Ana", first_surname="Quispe"))
    people = [claim, sighting, other]
    tf = TermFrequencies.from_prepared(people)
    c = BoundColumns(people, tf)
    bound = upper_bound(c, np.array([0, 1, 1]), np.array([1, 0, 2]), 10)
    assert bound[0] == bound[1] and np.isfinite(bound[0]) and np.isinf(bound[2])
    assert compare(claim, sighting, tf, 10).log2_bayes_factor <= bound[0]


BENCH = Path(__file__).resolve().parents[2] / "bench"


def bench_claims(tmp_path_factory) -> list:
    sys.path.insert(0, str(BENCH))
    import generate  # the benchmark generator lives outside the package

    out = tmp_path_factory.mktemp("bench")
    generate.generate(3000, 11, str(out))
    return read_records(str(out / "claims.csv"), CLAIM, lambda warning: None)


@pytest.mark.parametrize("local_min", [1000, 100])  # 100: every country's claims read its own name frequencies
def test_on_the_benchmark_no_kept_pair_is_dropped_and_most_others_are(tmp_path_factory, monkeypatch, local_min) -> None:
    monkeypatch.setattr("portal.matching.scoring.LOCAL_MIN_RECORDS", local_min)
    prepared, keys = prepare_with_keys(bench_claims(tmp_path_factory))
    tf = TermFrequencies.from_prepared(prepared)
    pairs = CandidateIndex(prepared, keys).pairs()
    c = BoundColumns(prepared, tf)
    keep = worth_scoring(c, pairs, len(prepared), REVIEW)
    bound = upper_bound(c, pairs[:, 0], pairs[:, 1], len(prepared))
    for k, (x, y) in enumerate(pairs.tolist()):
        result = compare(prepared[x], prepared[y], tf, len(prepared))
        assert result.log2_bayes_factor <= bound[k] + 1e-9
        if result.score >= REVIEW:
            assert keep[k]
    assert keep.mean() < 0.5, f"the pre-filter kept {keep.mean():.0%} of the pairs"


@pytest.mark.parametrize("local_min", [1000, 100])  # 100: every country's claims read its own name frequencies
def test_dedupe_gives_the_same_candidates_with_and_without_the_prefilter(
    tmp_path_factory, monkeypatch, local_min
) -> None:
    monkeypatch.setattr("portal.matching.scoring.LOCAL_MIN_RECORDS", local_min)
    prepared, keys = prepare_with_keys(bench_claims(tmp_path_factory))
    with_filter = dedupe(prepared, keys=keys, workers=1)
    monkeypatch.setattr("portal.matching.linker.PREFILTER_MIN_PAIRS", 10**12)
    without = dedupe(prepared, keys=keys, workers=1)
    as_rows = lambda cs: sorted((c.left.id, c.right.id, c.result.score, c.result.reasons) for c in cs)  # noqa: E731
    assert as_rows(with_filter) == as_rows(without)
    assert len(with_filter) > 100
    assert PREFILTER_MIN_PAIRS < 20_001


def _counting_beside(monkeypatch) -> list[int]:
    """Lets ``linker._beside`` run from 1,000 records up, and counts its calls."""
    from portal.matching import linker

    calls: list[int] = []
    real = linker._beside
    monkeypatch.setattr(linker, "_beside", lambda *args: calls.append(1) or real(*args))
    monkeypatch.setattr(linker, "BESIDE_MIN_RECORDS", 1000)
    return calls


def test_dedupe_finds_the_same_pairs_in_a_forked_process_as_in_one(tmp_path_factory, monkeypatch) -> None:
    """``dedupe`` finds the pairs on a second core (``linker._beside``), keying the records there
    when no keys are given; the candidates are those of one process keyed beforehand."""
    prepared, keys = prepare_with_keys(bench_claims(tmp_path_factory))
    alone = dedupe(prepared, keys=keys, workers=1)
    calls = _counting_beside(monkeypatch)
    beside = dedupe(prepared)
    assert calls == [1] and len(prepared) >= 1000
    as_rows = lambda cs: sorted((c.left.id, c.right.id, c.result.score, c.result.reasons) for c in cs)  # noqa: E731
    assert as_rows(beside) == as_rows(alone)
    assert len(alone) > 100


def test_records_read_are_prepared_and_deduplicated_on_two_cores_as_on_one(tmp_path_factory, monkeypatch) -> None:
    """``prepare_and_dedupe`` keys and pairs records prepared without their marks in a forked process:
    no key that pairs claims reads a mark, and the candidates are those of ``dedupe`` in one process."""
    people = bench_claims(tmp_path_factory)
    marked = 0
    for person in people:
        full, unmarked = prepare(person), prepare(person, marks=False)
        marked += bool(full.marks)
        assert not unmarked.marks
        assert blocking_keys(unmarked, query_only=False) == blocking_keys(full, query_only=False)
    assert marked > len(people) / 2
    alone = dedupe([prepare(p) for p in people], workers=1)
    calls = _counting_beside(monkeypatch)
    beside = prepare_and_dedupe(people)
    assert calls == [1]
    as_rows = lambda cs: sorted((c.left.id, c.right.id, c.result.score, c.result.reasons) for c in cs)  # noqa: E731
    assert as_rows(beside) == as_rows(alone) and len(alone) > 100


# ---------------------------------------------------------------- a sighting's best candidates only


def _rows(candidates) -> list:
    return [(c.left.id, c.right.id, c.result.score, c.result.reasons) for c in candidates]


def _link_both_ways(left, right, monkeypatch, **kwargs):
    """``link`` through the bounded path (every call) and through scoring every pair."""
    monkeypatch.setattr("portal.matching.linker.PREFILTER_MIN_PAIRS", 0)
    bounded = link(left, right, **kwargs)
    monkeypatch.setattr("portal.matching.linker.PREFILTER_MIN_PAIRS", 10**12)
    every = link(left, right, **kwargs)
    return bounded, every


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    claims=st.lists(records.filter(lambda r: r.kind == CLAIM), min_size=1, max_size=12),
    queries=st.lists(records, min_size=1, max_size=4),
    top=st.integers(1, 4),
)
def test_linking_through_the_bound_keeps_exactly_what_scoring_every_pair_keeps(
    claims, queries, top, monkeypatch
) -> None:
    # Look-alike claims and sightings (ties in score included): each query's best `top`, in order,
    # ties broken by position, must not change when candidates that cannot enter them are skipped.
    left = [prepare(r) for r in claims]
    right = [prepare(r) for r in queries]
    bounded, every = _link_both_ways(left, right, monkeypatch, top=top, min_score=0.0)
    assert _rows(bounded) == _rows(every)
    # Without an index, link indexes the claims under the keys the queries look up only: the same.
    whole = link(left, right, top=top, min_score=0.0, index=CandidateIndex(left))
    assert _rows(whole) == _rows(every)


def test_on_the_benchmark_sightings_keep_their_candidates_and_most_pairs_are_not_scored(
    tmp_path_factory, monkeypatch
) -> None:
    sys.path.insert(0, str(BENCH))
    import generate

    out = tmp_path_factory.mktemp("sightings")
    generate.generate(3000, 5, str(out))
    left, keys = prepare_with_keys(read_records(str(out / "claims.csv"), CLAIM, lambda warning: None))
    right = [prepare(r) for r in read_records(str(out / "sightings.csv"), SIGHTING, lambda warning: None)]
    index = CandidateIndex(left, keys)
    monkeypatch.setattr("portal.matching.linker.os.cpu_count", lambda: 1)  # every pair scored in this process
    scored: list[int] = []

    def counted(*args):  # type: ignore[no-untyped-def]
        scored.append(1)
        return compare(*args)

    monkeypatch.setattr("portal.matching.linker.compare", counted)
    monkeypatch.setattr("portal.matching.linker.PREFILTER_MIN_PAIRS", 0)
    bounded = link(left, right, index=index)
    through_bound, scored[:] = len(scored), []
    monkeypatch.setattr("portal.matching.linker.PREFILTER_MIN_PAIRS", 10**12)
    every = link(left, right, index=index)
    assert _rows(bounded) == _rows(every) and len(bounded) > 100
    assert through_bound < len(scored) / 2, (through_bound, len(scored))
    # Without an index, the claims are indexed and the sightings looked up in a forked process, the
    # prefilter's columns built here over every record meanwhile: the same candidates.
    calls = _counting_beside(monkeypatch)
    monkeypatch.setattr("portal.matching.linker.PREFILTER_MIN_PAIRS", 0)
    beside = link(left, right)
    assert calls == [1] and _rows(beside) == _rows(bounded)
