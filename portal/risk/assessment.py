"""``assess(case, rules)``: the explainable trafficking-risk flag of DESIGN.md §6. Never a probability.

``assess`` runs the trigger of every indicator on the case (``triggers``, one module per dimension,
built on ``evidence``), combines the fired indicators into a level (``levels``: grades, reliability
downgrade, level rules) and returns an ``Assessment`` (``results``) that also lists the unknown facts
whose worst plausible value would raise the level.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import replace

from .evidence import Hit, TriggerContext
from .facts import Case, Identifier, Offer, SharedIdentifier, SightingFacts, Source
from .levels import combined_level, indicator_grades
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
    # Sightings that differ only by their record give the same level when either is made worse: each
    # such trial is assessed once, so a claim with hundreds of look-alike candidate sightings (a vague
    # claim in a big city) costs a few assessments, not one per sighting and unknown field.
    levels: dict[Hashable, int] = {}
    raised = []
    for missing, worse, twin in _trials(case):
        key = twin if twin is not None else object()
        if key not in levels:
            levels[key] = _final_level(worse, rules)
        if levels[key] > level:
            raised.append(missing)
    return out + raised


def _trials(case: Case) -> list[tuple[Missing, Case, Hashable | None]]:
    """Each unknown fact with the case at its worst plausible value, and for a sighting's fact a key
    shared by the trials of look-alike sightings (None: the trial is its own)."""
    claim, circumstances = case.claim, set(case.claim.circumstances)
    trials: list[tuple[Missing, Case, Hashable | None]] = []
    has_offer = bool(circumstances & OFFER_CIRCUMSTANCES or (claim.offer and claim.offer.type))
    if has_offer:
        offer = claim.offer or Offer()
        for name, worst_offer in _WORST_OFFER.items():
            if getattr(offer, name) in (None, "", "unknown"):
                worse = replace(claim, offer=worst_offer(offer))
                trials.append((Missing(f"offer.{name}", "offer_detail_unknown"), replace(case, claim=worse), None))
    if not claim.recruiters and (has_offer or circumstances & RECRUITER_CIRCUMSTANCES):
        shared = SharedIdentifier(Identifier("phone", "0"), ("claim:hypothetical",))
        network = replace(case.network, shared_recruiters=(*case.network.shared_recruiters, shared))
        trials.append((Missing("recruiters", "recruiter_identifier_unknown"), replace(case, network=network), None))
    if claim.prior_disappearances is None and "prior_disappearances" in circumstances:
        worse = replace(claim, prior_disappearances=3)
        trials.append(
            (Missing("prior_disappearances", "prior_disappearance_count_unknown"), replace(case, claim=worse), None)
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
                trials.append((missing, _with_sighting(case, n, worst_sighting(confirmed)), (name, twin)))
        if not sighting.reliable:
            reason = "sighting_match_unconfirmed" if sighting.link == "candidate" else "sighting_unverified"
            trials.append(
                (Missing("link", reason, sighting.record), _with_sighting(case, n, confirmed), ("link", twin))
            )
    return trials


def _with_sighting(case: Case, n: int, sighting: SightingFacts) -> Case:
    return replace(case, sightings=(*case.sightings[:n], sighting, *case.sightings[n + 1 :]))
