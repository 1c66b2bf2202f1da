"""``assess(case, rules)``: the explainable trafficking-risk flag of DESIGN.md §6. Never a probability.

``assess`` runs the trigger of every indicator on the case (``triggers``, one module per dimension,
built on ``evidence``), combines the fired indicators into a level (``levels``: grades, reliability
downgrade, level rules) and returns an ``Assessment`` (``results``) that also lists the unknown facts
whose worst plausible value would raise the level.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass, replace
from typing import NamedTuple

from .evidence import Hit, TriggerContext
from .facts import Case, Identifier, Offer, SharedIdentifier, SightingFacts, Source
from .levels import combined_level, grade_rank, indicator_grades
from .results import Assessment, Fired, Missing
from .rules import Indicator, Rules
from .triggers import NEVER_EVALUATED, NOT_CAPTURED, TRIGGERS

NEXT_STEPS = {0: "none", 1: "review_indicators", 2: "priority_contact_anti_trafficking_unit"}

# ---------------------------------------------------------------- assessment


def assess(case: Case, rules: Rules) -> Assessment:
    """Evaluate every indicator on the case and combine them into a level, with the evidence."""
    check_coverage(rules)
    minor = case.claim.age is not None and case.claim.age < 18
    fired = _fire(case, rules, minor)
    level, profile = combined_level(fired, rules, minor)
    shown = [_fired(ind, hits, minor) for ind, hits in fired]
    return Assessment(
        level=level,
        minor=None if case.claim.age is None else minor,
        indicators=tuple(f for f in shown if f.dim not in ("G", "K")),
        counter_indicators=tuple(f for f in shown if f.dim == "K"),
        context=tuple(f for f in shown if f.dim == "G"),
        dimensions={**{d: profile.positive(d) for d in "RCTXVN"}, "D": profile.group_positive(rules.destination_group)},
        missing=tuple(_missing(case, rules, level)),
        rules_version=rules.version,
        next_step=NEXT_STEPS[level],
        assessed_on=case.today,
    )


def check_coverage(rules: Rules) -> None:
    """Refuse an indicator file naming an indicator this engine neither triggers nor excludes on purpose."""
    unknown = [
        i.id
        for i in rules.indicators
        if i.id not in TRIGGERS and i.id not in NOT_CAPTURED and i.id not in NEVER_EVALUATED
    ]
    if unknown:
        raise ValueError(f"indicators without a trigger in portal.risk: {', '.join(unknown)}")


def _fire(case: Case, rules: Rules, minor: bool) -> list[tuple[Indicator, list[Hit]]]:
    context = TriggerContext(case, minor, rules)
    out: list[tuple[Indicator, list[Hit]]] = []
    for ind in rules.indicators:
        trigger = TRIGGERS.get(ind.id)
        if trigger is None or (ind.dim != "K" and ind.grade_for(minor) is None):
            continue  # not captured, never evaluated, or not applicable to this age group
        hits = trigger(context)
        if hits:
            out.append((ind, hits))
    return out


def _fired(ind: Indicator, hits: list[Hit], minor: bool) -> Fired:
    base, effective, _ = indicator_grades(ind, hits, minor)
    lines = tuple(dict.fromkeys(line for hit in hits for line in hit.lines))
    return Fired(
        id=ind.id,
        dim=ind.dim,
        base_grade=base,
        grade=effective,
        counted=ind.counted,
        sources=ind.sources,
        text=ind.text,
        evidence=lines,
    )


def _final_level(case: Case, rules: Rules) -> int:
    minor = case.claim.age is not None and case.claim.age < 18
    return combined_level(_fire(case, rules, minor), rules, minor)[0]


# ---------------------------------------------------------------- what is missing

OFFER_CIRCUMSTANCES = frozenset({"job_offer", "job_offer_abroad", "study_or_modelling_offer"})
RECRUITER_CIRCUMSTANCES = OFFER_CIRCUMSTANCES | {"new_partner", "online_contact"}
# The worst plausible value of each unknown fact: it is reported missing only if that raises the level.
_WORST_OFFER: dict[str, Callable[[Offer], Offer]] = {
    "sector": lambda offer: replace(offer, sector="domestic_live_in"),
    "travel_paid_by": lambda offer: replace(offer, travel_paid_by="recruiter"),
    "debt_mentioned": lambda offer: replace(offer, debt_mentioned=True),
    "documents_handed_over": lambda offer: replace(offer, documents_handed_over=True),
}
_WORST_SIGHTING: dict[str, Callable[[SightingFacts], SightingFacts]] = {
    "venue": lambda sighting: replace(sighting, venue="brothel"),
    "companion": lambda sighting: replace(sighting, companion="guard_or_escort"),
    "free_to_leave": lambda sighting: replace(sighting, free_to_leave="no"),
}


def _missing(case: Case, rules: Rules, level: int) -> list[Missing]:
    """Unknown facts whose worst plausible value would raise the level; an unknown age always."""
    out = [Missing("age", "age_unknown")] if case.claim.age is None else []
    minor = case.claim.age is not None and case.claim.age < 18
    base: _OwnHits | None = None  # the case's own hits, fired once when a sighting is tried
    # Sightings that differ only by their record give the same level when either is made worse: each
    # such trial is assessed once, so a claim with hundreds of look-alike candidate sightings (a vague
    # claim in a big city) costs a few assessments, not one per sighting and unknown field.
    levels: dict[Hashable, int] = {}
    raised = []
    for trial in _trials(case):
        key = trial.twin if trial.twin is not None else object()
        if key not in levels:
            if trial.sighting is None:
                levels[key] = _final_level(trial.worse, rules)
            else:
                base = base or _OwnHits(_fire(case, rules, minor), minor)
                levels[key] = _level_with_sighting(case, base, trial.sighting, rules, minor)
        if levels[key] > level:
            raised.append(trial.missing)
    return out + raised


class _OwnHits:
    """A case's fired indicators, each with its hits strongest first (by the grade each gives on all
    evidence, and on reliable evidence only), and the records each hit names."""

    def __init__(self, fired: list[tuple[Indicator, list[Hit]]], minor: bool) -> None:
        self.indicators: list[tuple[Indicator, list[_Graded], list[_Graded]]] = []
        for ind, hits in fired:
            graded = [
                _Graded(h, frozenset(line.record for line in h.lines), indicator_grades(ind, [h], minor)) for h in hits
            ]
            by_effective = sorted(graded, key=lambda g: -grade_rank(g.grades[1]))
            by_reliable = sorted((g for g in graded if g.grades[2] is not None), key=lambda g: -grade_rank(g.grades[2]))
            self.indicators.append((ind, by_effective, by_reliable))

    def without(self, record: str) -> dict[str, list[Hit]]:
        """Per indicator, the hits not naming ``record`` that give its strongest grades (on all evidence and
        on reliable evidence only): with these alone, the grades the level reads are those of all the hits
        that do not name ``record``."""
        out: dict[str, list[Hit]] = {}
        for ind, by_effective, by_reliable in self.indicators:
            kept = [
                first.hit
                for ordered in (by_effective, by_reliable)
                if (first := next((g for g in ordered if record not in g.records), None)) is not None
            ]
            if kept:
                out[ind.id] = kept
        return out


class _Graded(NamedTuple):
    hit: Hit
    records: frozenset[str]
    grades: tuple[str | None, str | None, str | None]  # indicator_grades of the hit alone


def _level_with_sighting(case: Case, base: _OwnHits, sighting: SightingFacts, rules: Rules, minor: bool) -> int:
    """The level of ``case`` with one of its sightings replaced by ``sighting`` (same record), from the
    case's own hits: assessing each trial in full made a claim with hundreds of varied sightings cost
    seconds for every new one (decision 44).

    Every hit that rests on a sighting rests on that one sighting alone and names it in its evidence
    (``sighting_hits``, G1's legs, N2's links), and no other hit reads the sightings; so the hits of
    the case with the sighting replaced are the case's hits that do not name it, plus the hits that
    name it in the case holding that sighting alone. An indicator's grades are the strongest of its
    hits', so the strongest hits that remain stand for the others. Property tests in
    tests/risk/test_engine.py check this against assessing every trial in full.
    """
    record = sighting.record
    hits = base.without(record)
    for ind, found in _fire(replace(case, sightings=(sighting,)), rules, minor):
        hits.setdefault(ind.id, []).extend(h for h in found if record in {line.record for line in h.lines})
    fired = [(ind, hits[ind.id]) for ind in rules.indicators if hits.get(ind.id)]
    return combined_level(fired, rules, minor)[0]


@dataclass(frozen=True)
class _Trial:
    """An unknown fact and the case at its worst plausible value (``worse``): ``case`` changed as a
    whole, or, when ``sighting`` is set, ``case`` with its sighting number ``index`` replaced by it.
    Only the assessment in full reads ``worse``: the shortcut of _level_with_sighting needs the one
    sighting, not a copy of every sighting for every trial."""

    missing: Missing
    twin: Hashable | None  # a key shared by the trials of look-alike sightings (None: its own)
    case: Case
    sighting: SightingFacts | None = None
    index: int = -1

    @property
    def worse(self) -> Case:
        if self.sighting is None:
            return self.case
        return replace(
            self.case,
            sightings=(*self.case.sightings[: self.index], self.sighting, *self.case.sightings[self.index + 1 :]),
        )


def _trials(case: Case) -> list[_Trial]:
    """Each unknown fact with the case at its worst plausible value."""
    claim, circumstances = case.claim, set(case.claim.circumstances)
    trials: list[_Trial] = []
    has_offer = bool(circumstances & OFFER_CIRCUMSTANCES or (claim.offer and claim.offer.type))
    if has_offer:
        offer = claim.offer or Offer()
        for name, worst_offer in _WORST_OFFER.items():
            if getattr(offer, name) in (None, "", "unknown"):
                worse = replace(claim, offer=worst_offer(offer))
                trials.append(
                    _Trial(Missing(f"offer.{name}", "offer_detail_unknown"), None, replace(case, claim=worse))
                )
    if not claim.recruiters and (has_offer or circumstances & RECRUITER_CIRCUMSTANCES):
        shared = SharedIdentifier(Identifier("phone", "0"), ("claim:hypothetical",))
        network = replace(case.network, shared_recruiters=(*case.network.shared_recruiters, shared))
        trials.append(
            _Trial(Missing("recruiters", "recruiter_identifier_unknown"), None, replace(case, network=network))
        )
    if claim.prior_disappearances is None and "prior_disappearances" in circumstances:
        worse = replace(claim, prior_disappearances=3)
        trials.append(
            _Trial(
                Missing("prior_disappearances", "prior_disappearance_count_unknown"), None, replace(case, claim=worse)
            )
        )
    named = {link.sighting for link in case.network.linked_companions}  # N2 reads these by their record
    for n, sighting in enumerate(case.sightings):
        twin = sighting if sighting.record in named else replace(sighting, record="")
        # A sighting's unknown field is tried at its worst on the sighting as confirmed (the officer
        # would check both); the confirmation itself is tried on the sighting as it is.
        confirmed = replace(sighting, link="confirmed", source=Source(sighting.source.reported_by, True))
        for name, worst_sighting in _WORST_SIGHTING.items():
            if getattr(sighting, name) in ("", "unknown"):
                missing = Missing(name, f"{name}_unknown", sighting.record)
                trials.append(_Trial(missing, (name, twin), case, worst_sighting(confirmed), n))
        if not sighting.reliable:
            reason = "sighting_match_unconfirmed" if sighting.link == "candidate" else "sighting_unverified"
            trials.append(_Trial(Missing("link", reason, sighting.record), ("link", twin), case, confirmed, n))
    return trials
