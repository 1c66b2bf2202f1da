"""Estimating the engine's m and u from data (portal/matching/estimate.py): EM, u from random pairs,
the refit from officers' decisions, and the engine scoring with fitted weights (synthetic people only)."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.matching import estimate, scoring, weights
from portal.matching.batch import run_link
from portal.matching.records import PersonRecord, prepare
from portal.matching.scoring import TermFrequencies, compare
from portal.matching.terms import birth, dates, document, names, place, sex
from tests.matching.test_prefilter import TRICKY, assert_bound_holds
from tests.matching.test_prefilter import records as person_records

# Three comparisons of a known Fellegi-Sunter model (levels named as the engine's terms).
MODEL = {
    "sex": (np.array([0.95, 0.05]), np.array([0.5, 0.5])),
    "document": (np.array([0.7, 0.2, 0.1]), np.array([0.01, 0.04, 0.95])),
    "dates": (np.array([0.8, 0.15, 0.05]), np.array([0.05, 0.25, 0.7])),
}
TRUE_LAMBDA = 0.1


def simulate(n: int, lam: float = TRUE_LAMBDA, seed: int = 7) -> tuple[list[dict[str, str]], np.ndarray]:
    """Levels of ``n`` pairs drawn from MODEL, and which of them are matches."""
    rng = np.random.default_rng(seed)
    match = rng.random(n) < lam
    pairs: list[dict[str, str]] = [{} for _ in range(n)]
    for term, (m, u) in MODEL.items():
        drawn_m = rng.choice(len(m), size=n, p=m)
        drawn_u = rng.choice(len(u), size=n, p=u)
        for k, level in enumerate(np.where(match, drawn_m, drawn_u).tolist()):
            pairs[k][term] = estimate.LEVELS[term][level]
    return pairs, match


def test_em_recovers_the_m_and_lambda_of_a_known_model() -> None:
    pairs, _ = simulate(20_000)
    encoded = estimate.Encoded(pairs, terms=tuple(MODEL))
    u = {t: MODEL[t][1] for t in MODEL}
    start = {t: np.full(len(MODEL[t][0]), 1 / len(MODEL[t][0])) for t in MODEL}
    start["document"] = np.array([0.5, 0.3, 0.2])  # EM needs a start that says which side is "match"
    m, _, lam, iterations, converged = estimate.expectation_maximisation(encoded, u, start, 0.3)
    assert converged and iterations < 200
    assert abs(lam - TRUE_LAMBDA) <= 0.03
    for t, (true_m, _) in MODEL.items():
        assert np.abs(m[t] - true_m).max() <= 0.03, (t, m[t], true_m)


def test_em_with_u_free_recovers_both_m_and_u() -> None:
    pairs, _ = simulate(20_000)
    encoded = estimate.Encoded(pairs, terms=tuple(MODEL))
    u_start = {t: np.full(len(MODEL[t][1]), 1 / len(MODEL[t][1])) for t in MODEL}
    m_start = {t: np.array(MODEL[t][0]) * 0.5 + 0.5 / len(MODEL[t][0]) for t in MODEL}
    m, u, lam, _, converged = estimate.expectation_maximisation(encoded, u_start, m_start, 0.3, fix_u=False)
    assert converged and abs(lam - TRUE_LAMBDA) <= 0.03
    for t, (true_m, true_u) in MODEL.items():
        assert np.abs(m[t] - true_m).max() <= 0.03 and np.abs(u[t] - true_u).max() <= 0.03


def test_a_prior_keeps_a_level_the_matches_never_reach_near_its_prior_m() -> None:
    # No simulated match has documents that disagree: EM alone drives that level's m toward the floor
    # (about 0.01 against a prior of 0.1, three bits more against); a prior worth 1,000 pairs keeps it
    # nearer its prior m, while the levels the data does inform still move to the data's m.
    pairs, match = simulate(20_000)
    for k in np.flatnonzero(match):
        if pairs[k]["document"] == "disagree":
            pairs[k]["document"] = "agree"
    encoded = estimate.Encoded(pairs, terms=tuple(MODEL))
    u = {t: MODEL[t][1] for t in MODEL}
    start = {t: np.array(MODEL[t][0]) for t in MODEL}
    alone, *_ = estimate.expectation_maximisation(encoded, u, start, 0.3)
    with_prior, _, lam, _, converged = estimate.expectation_maximisation(encoded, u, start, 0.3, prior_pairs=1_000)
    assert alone["document"][2] < 0.015
    assert converged and abs(lam - TRUE_LAMBDA) <= 0.03
    assert 0.03 <= with_prior["document"][2] <= 0.1  # 1,000 x 0.1 pseudo-pairs against ~2,000 matches
    assert np.abs(with_prior["dates"] - MODEL["dates"][0]).max() <= 0.03


def test_the_iteration_cap_stops_em_and_says_it_did_not_converge() -> None:
    pairs, _ = simulate(2_000)
    encoded = estimate.Encoded(pairs, terms=tuple(MODEL))
    u = {t: MODEL[t][1] for t in MODEL}
    start = {t: np.full(len(MODEL[t][0]), 1 / len(MODEL[t][0])) for t in MODEL}
    *_, iterations, converged = estimate.expectation_maximisation(encoded, u, start, 0.3, max_iterations=2)
    assert (iterations, converged) == (2, False)


def test_u_is_the_share_of_each_level_among_random_pairs() -> None:
    pairs, match = simulate(20_000, lam=0.0)
    assert not match.any()
    u = estimate.estimate_u(pairs)
    for t, (_, true_u) in MODEL.items():
        assert np.abs(u[t] - true_u).max() <= 0.01
    drawn = estimate.random_pairs(50, 10_000, seed=3)
    assert drawn.shape == (10_000, 2) and (drawn[:, 0] != drawn[:, 1]).all()
    assert drawn.min() >= 0 and drawn.max() < 50


def test_levels_never_seen_are_reported_with_finite_weights_and_never_applied() -> None:
    pairs, _ = simulate(5_000)
    fitted = estimate.fit_levels(pairs, simulate(5_000, lam=0.0, seed=8)[0])
    assert "height/agree" in fitted["unobserved"] and "sex/agree" not in fitted["unobserved"]
    row = fitted["terms"]["height"]["agree"]
    assert row["count"] == 0 and 0 < row["m"] < 1 and 0 < row["u"] < 1 and np.isfinite(row["weight"])
    json.dumps(fitted)  # plain, serialisable
    hand_height = dict(estimate.appearance.W_HEIGHT)
    with weights.applied_weights(fitted) as applied:
        assert hand_height == estimate.appearance.W_HEIGHT
        assert "document/agree" in applied and not any(label.startswith("height/") for label in applied)
        assert document.W_DOC["agree"] == pytest.approx(fitted["terms"]["document"]["agree"]["weight"])


def test_the_refit_moves_m_toward_the_confirmed_and_u_toward_the_rejected() -> None:
    fitted = estimate.fit_levels(*(simulate(5_000, seed=s)[0] for s in (1, 2)))
    before = fitted["terms"]["document"]
    confirmed = [{"document": "partial"}] * 200
    rejected = [{"document": "agree"}] * 200
    after = estimate.refit(fitted, confirmed, rejected, prior_pairs=50, u_prior_pairs=1_000)["terms"]["document"]
    assert after["partial"]["m"] > before["partial"]["m"]
    assert after["partial"]["m"] == pytest.approx((50 * before["partial"]["m"] + 200) / 250)
    assert after["agree"]["u"] == pytest.approx((1_000 * before["agree"]["u"] + 200) / 1_200)
    assert after["partial"]["confirmed"] == 200 and after["agree"]["rejected"] == 200
    assert fitted["terms"]["document"] == before  # the fit it started from is not changed
    # By default u weighs as many pairs as it was counted on: a few rejections barely move it.
    default = estimate.refit(fitted, confirmed, rejected)["terms"]["document"]
    assert abs(default["agree"]["u"] - before["agree"]["u"]) < 0.05


# ---------------------------------------------------------------- the engine with fitted weights


def tricky_rows() -> list[PersonRecord]:
    """One invented claim per TRICKY name, with varied sex, birth date, country, place, height, document."""
    return [
        PersonRecord(
            str(k),
            given_names=g,
            first_surname=s1,
            second_surname=s2,
            sex="F" if k % 2 else "M",
            birth_date=date(2008 + k % 3, 1 + k % 12, 1 + k % 27),
            country=["BO", "PE", "CL"][k % 3],
            place=["El Alto", "Cusco", ""][k % 3],
            event_date=date(2025, 1 + k % 6, 1),
            height_cm=150 + k,
            document_id="4455667" if k % 4 == 0 else "",
        )
        for k, (g, s1, s2) in enumerate(TRICKY)
    ]


def people() -> list:
    rows = tricky_rows()
    return [prepare(r) for r in rows + rows[:6]]


def engine_tables() -> str:
    return repr(
        (
            sex.W_SEX,
            birth.W_DOB,
            birth.DOB_EXACT_M,
            birth.AGE_M,
            document.W_DOC,
            dates.W_EVENT,
            dates.W_SIGHTING_DELAY,
            estimate.appearance.W_HEIGHT,
            estimate.appearance.W_MARKS,
            place.W_PLACE,
            place.PLACE_M,
            place.COUNTRY_M,
            names.W_NAME_NONE,
            names.M_TOKEN,
            names.M_TOKEN_BY_FIELD,
            scoring.CALIBRATION,
        )
    )


def scores(prepared: list) -> list[float]:
    tf = TermFrequencies.from_prepared(prepared)
    return [compare(a, b, tf, 1000).log2_bayes_factor for a in prepared for b in prepared if a is not b]


def extreme_fit(seed: int) -> estimate.FittedWeights:
    """A fit whose every level is applied, with m and u drawn anywhere (weights of either sign)."""
    fitted = estimate.fit_levels(*(simulate(500, seed=s)[0] for s in (1, 2)))
    rng = np.random.default_rng(seed)
    for table in fitted["terms"].values():
        for row in table.values():
            row["m"], row["u"] = (float(x) for x in rng.uniform(0.001, 0.999, size=2))
            row["weight"] = float(np.log2(row["m"] / row["u"]))
            row["count"] = estimate.MIN_APPLIED_COUNT
    return fitted


def test_without_weights_the_engine_is_unchanged_and_the_tables_come_back() -> None:
    prepared = people()
    tables, before = engine_tables(), scores(prepared)
    with weights.applied_weights(None) as applied:
        assert applied == [] and scores(prepared) == before
    with weights.applied_weights(extreme_fit(1)) as applied:
        assert applied and engine_tables() != tables
        assert scores(prepared) != before
    assert engine_tables() == tables and scores(prepared) == before


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_with_fitted_weights_the_prefilter_bound_still_holds(seed: int) -> None:
    prepared = people()
    with weights.applied_weights(extreme_fit(seed)):
        for tf in (TermFrequencies.from_prepared(prepared), TermFrequencies.from_prepared(prepared * 50)):
            assert_bound_holds(prepared, tf, 1000)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(person_records, min_size=2, max_size=8), st.integers(0, 10_000))
def test_the_bound_holds_with_any_fitted_weights(group: list, seed: int) -> None:
    prepared = [prepare(r) for r in group]
    with weights.applied_weights(extreme_fit(seed)):
        assert_bound_holds(prepared, TermFrequencies.from_prepared(prepared), 1000)


def test_link_with_a_weights_file_and_without(tmp_path: Path) -> None:
    header = "id,given_names,first_surname,second_surname,sex,birth_date,document_id,country,place,event_date\n"
    rows = "".join(
        f"c{k},Ana,Quispe,Mamani,F,2010-05-{1 + k % 3:02d},{'4455667' if k % 2 else ''},BO,El Alto,2025-03-01\n"
        for k in range(6)
    )
    claims = tmp_path / "claims.csv"
    claims.write_text(header + rows, encoding="utf-8")
    weights_file = tmp_path / "weights.json"
    weights.save(extreme_fit(4), str(weights_file))
    tables = engine_tables()
    plain, again, fitted = (tmp_path / name for name in ("plain.csv", "again.csv", "fitted.csv"))
    run_link(str(claims), None, str(plain))
    run_link(str(claims), None, str(fitted), weights=str(weights_file), min_score=0.0)
    run_link(str(claims), None, str(again))
    assert plain.read_text(encoding="utf-8") == again.read_text(encoding="utf-8")
    assert engine_tables() == tables
    assert len(fitted.read_text(encoding="utf-8").splitlines()) > 1
    bad = tmp_path / "bad.json"
    bad.write_text('{"version": 1, "terms": {"sex": {"agree": {"m": 2, "u": 0.5}}}}', encoding="utf-8")
    with pytest.raises(weights.WeightsFileError):
        run_link(str(claims), None, str(plain), weights=str(bad))


# ---------------------------------------------------------------- calibrating a fit without labels


def test_the_em_posterior_averages_to_the_fitted_share_of_matches() -> None:
    """At EM's fixed point λ is the mean posterior of the pairs it ran on: ``em_posterior`` is that E step."""
    blocked, match = simulate(20_000)
    fitted = estimate.fit_levels(blocked, simulate(20_000, lam=0.0, seed=8)[0], tolerance=1e-9, max_iterations=1000)
    posterior = estimate.em_posterior(fitted, blocked)
    assert fitted["converged"]
    assert abs(float(posterior.mean()) - fitted["lambda"]) < 1e-4
    assert posterior[match].mean() > 0.5 and posterior[~match].mean() < 0.01


def test_platt_recovers_a_known_slope_and_offset() -> None:
    rng = np.random.default_rng(3)
    w = rng.uniform(-25, 25, size=5000)
    p = 1 / (1 + 2.0 ** -(0.7 * w - 4.0))
    slope, offset = weights.platt(w, p)
    assert abs(slope - 0.7) < 1e-6 and abs(offset + 4.0) < 1e-5


def test_a_fit_is_calibrated_on_officers_decisions_once_there_are_enough() -> None:
    rows = [replace(r, country="BO", place="", height_cm=None, document_id="") for r in tricky_rows()]
    originals = [prepare(r) for r in rows]
    copies = [prepare(replace(r, id=f"{r.id}b", event_date=date(2025, 7, 1))) for r in rows]
    registry = originals + copies
    confirmed = list(zip(originals, copies, strict=True))
    rejected = [(originals[k], originals[k + 1]) for k in range(0, 10)]
    fitted = estimate.fit(registry, random_count=2000)
    assert weights.calibrated_on_decisions(fitted, registry, confirmed[:-1], rejected) is None
    assert weights.calibrated_on_decisions(fitted, registry, confirmed, rejected[: weights.MIN_REJECTED - 1]) is None
    calibrated = weights.calibrated_on_decisions(fitted, registry, confirmed, rejected)
    assert calibrated is not None and "calibration" not in fitted
    c = calibrated["calibration"]
    assert c["slope"] > 0 and (c["confirmed"], c["rejected"]) == (20, 10)
    with weights.applied_weights(calibrated):
        tf = TermFrequencies.from_prepared(registry)
        score = {
            kind: [compare(a, b, tf, len(registry)).score for a, b in pairs]
            for kind, pairs in (("confirmed", confirmed), ("rejected", rejected))
        }
    # The fit is the regression's optimum: its probabilities average to Platt's targets.
    mean_target = (20 * 21 / 22 + 10 * 1 / 12) / 30
    assert abs(np.mean(score["confirmed"] + score["rejected"]) - mean_target) < 0.01
    assert np.mean(score["confirmed"]) > 0.5 > np.mean(score["rejected"])


@pytest.mark.parametrize("calibration", [{"slope": 0, "offset": 1}, {"slope": "x"}, {"slope": 1}, [1, 2]])
def test_a_weights_file_with_a_bad_calibration_is_refused(tmp_path: Path, calibration: object) -> None:
    fitted = extreme_fit(5)
    fitted["calibration"] = calibration
    path = tmp_path / "weights.json"
    weights.save(fitted, str(path))
    with pytest.raises(weights.WeightsFileError, match="calibration"):
        weights.load(str(path))


def test_pair_levels_reads_the_levels_compare_weighs() -> None:
    a = prepare(
        PersonRecord(
            "a", given_names="Ana", first_surname="Quispe", sex="F", birth_date=date(2010, 5, 17), country="BO"
        )
    )
    b = prepare(PersonRecord("b", given_names="Ana", first_surname="Kispe", sex="F", birth_date=date(2010, 17 % 12, 5)))
    levels = estimate.pair_levels(a, b)
    assert levels["given"] == "exact" and levels["sex"] == "agree"
    assert levels["surname"] in ("phonetic", "typo") and "document" not in levels and "place" not in levels
    assert levels["birth"] in estimate.LEVELS["birth"]
