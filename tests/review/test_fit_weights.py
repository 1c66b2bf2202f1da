"""`portal review fit-weights`: weights estimated on the registry, refined by the queue's decisions."""

from __future__ import annotations

import json

from click.testing import CliRunner

from portal.casework import candidate_confirmed, candidate_rejected
from portal.cli import main
from portal.commands import AppLoader
from portal.matching import weights
from portal.matching.weights import load
from tests.builders import candidates, guadalupe, make_user

SURNAMES = ["Condori", "Choque", "Apaza", "Flores", "Ticona", "Huanca", "Poma", "Limachi"]


def _registry(session):
    """Invented claims: a Guadalupe filed twice (confirmed), a namesake (rejected), and others."""
    first = guadalupe(session)
    guadalupe(session, first_surname="Kispe", country="PE", place="Cusco")
    guadalupe(session, second_surname="Condori", birth_date="2009", place="Oruro")
    for n, surname in enumerate(SURNAMES):
        guadalupe(session, given_names=["Rosa", "Wilmer", "Noemí", "Franz"][n % 4], first_surname=surname, sex="")
    session.commit()
    officer = make_user(session, "police", "BO")
    pairs = [c for c in candidates(session) if c.right_type == "claim" and c.left_claim_id == first.id]
    by_right = {c.right_claim_id: c for c in pairs}
    ids = sorted(by_right)
    candidate_confirmed(session, officer, by_right[ids[0]], "La misma madre presentó ambas.")
    candidate_rejected(session, officer, by_right[ids[1]], "Otra niña: otra madre, otro colegio.")
    session.commit()


def test_the_weights_file_counts_the_registry_and_the_decisions(app, session, tmp_path):
    _registry(session)
    out = tmp_path / "weights.json"
    result = CliRunner().invoke(
        main, ["review", "fit-weights", str(out), "--random-pairs", "500"], obj=AppLoader(lambda: app)
    )
    assert result.exit_code == 0, result.output
    assert "11 claims" in result.output and "1 confirmed and 1 rejected" in result.output
    fitted = load(str(out))  # the file `portal link --weights` reads
    assert fitted["decisions"]["confirmed"] == 1 and fitted["decisions"]["rejected"] == 1
    assert fitted["records"] == 11 and fitted["random_pairs"] == 500
    assert "Guadalupe" not in result.output and "Guadalupe" not in json.dumps(fitted)
    assert "too few decisions to calibrate" in result.output and "calibration" not in fitted


def test_enough_decisions_calibrate_the_scores(app, session, tmp_path, monkeypatch):
    """The queue's decisions calibrate the fit once there are enough (here the minimum is lowered to
    the registry's one confirmed and one rejected pair)."""
    monkeypatch.setattr(weights, "MIN_CONFIRMED", 1)
    monkeypatch.setattr(weights, "MIN_REJECTED", 1)
    _registry(session)
    out = tmp_path / "weights.json"
    result = CliRunner().invoke(
        main, ["review", "fit-weights", str(out), "--random-pairs", "500"], obj=AppLoader(lambda: app)
    )
    assert result.exit_code == 0, result.output
    assert "scores calibrated on those decisions" in result.output
    calibration = load(str(out))["calibration"]
    assert calibration["slope"] > 0 and (calibration["confirmed"], calibration["rejected"]) == (1, 1)


def test_an_empty_registry_is_refused_with_a_message(app, session, tmp_path):
    result = CliRunner().invoke(main, ["review", "fit-weights", str(tmp_path / "w.json")], obj=AppLoader(lambda: app))
    assert result.exit_code == 1 and "at least two claims" in result.output
    assert not (tmp_path / "w.json").exists()
