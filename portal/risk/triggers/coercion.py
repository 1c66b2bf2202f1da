"""Dimension C, coercion and control: abduction, threats, documents, controlled communication,
debt, violence, branding, drugs (C1-C9).

Each trigger's comment names the facts it reads; grades come from the YAML, not from here.
"""

from __future__ import annotations

from ..evidence import (
    Hit,
    Trigger,
    TriggerContext,
    circumstance_lines,
    claim_line,
    conditions_seen,
    note_hits,
    sighting_hits,
    single_hit,
)


def _c1(context: TriggerContext) -> list[Hit]:
    # C1 reads circumstance abduction_witnessed.
    return single_hit(circumstance_lines(context, "abduction_witnessed"))


def _c2(context: TriggerContext) -> list[Hit]:
    # C2 reads circumstance child_sold_or_given.
    return single_hit(circumstance_lines(context, "child_sold_or_given"))


def _c3(context: TriggerContext) -> list[Hit]:
    # C3 reads circumstance threats_or_debt_to_family and note flags threatened / asked_for_money.
    return single_hit(circumstance_lines(context, "threats_or_debt_to_family")) + note_hits(
        context, "threatened", "asked_for_money"
    )


def _c4(context: TriggerContext) -> list[Hit]:
    # C4 reads circumstance documents_held_by_other, note flag documents_taken, sighting condition
    # documents_held_by_other (all at the base grade), and offer.documents_handed_over before
    # departure (the YAML's pre_departure grade).
    handed = [claim_line(context, "offer.documents_handed_over", True)] if context.offer.documents_handed_over else []
    return (
        single_hit(circumstance_lines(context, "documents_held_by_other"))
        + note_hits(context, "documents_taken")
        + sighting_hits(context, conditions_seen("documents_held_by_other"))
        + single_hit(handed, "pre_departure")
    )


def _c5(context: TriggerContext) -> list[Hit]:
    # C5 reads note flags third_party_present / coached / location_unknown and sighting condition
    # others_speak_for_person.
    return note_hits(context, "third_party_present", "coached", "location_unknown") + sighting_hits(
        context, conditions_seen("others_speak_for_person")
    )


def _c6(context: TriggerContext) -> list[Hit]:
    # C6 reads note flags owes_debt / cannot_leave (either suffices).
    return note_hits(context, "owes_debt", "cannot_leave")


def _c7(context: TriggerContext) -> list[Hit]:
    # C7 reads note flag reports_violence and sighting condition injuries.
    return note_hits(context, "reports_violence") + sighting_hits(context, conditions_seen("injuries"))


def _c8(context: TriggerContext) -> list[Hit]:
    # C8 reads sighting condition new_tattoo_or_brand (the claim's marks are free text: not read).
    return sighting_hits(context, conditions_seen("new_tattoo_or_brand"))


def _c9(context: TriggerContext) -> list[Hit]:
    # C9 reads sighting condition intoxicated.
    return sighting_hits(context, conditions_seen("intoxicated"))


TRIGGERS: dict[str, Trigger] = {
    "C1": _c1,
    "C2": _c2,
    "C3": _c3,
    "C4": _c4,
    "C5": _c5,
    "C6": _c6,
    "C7": _c7,
    "C8": _c8,
    "C9": _c9,
}
