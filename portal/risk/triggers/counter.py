"""Dimension K, counter-indicators (K1-K4): shown to the officer, never counted toward a level."""

from __future__ import annotations

from ..evidence import Trigger, note_hits


def _note_flag(flag: str) -> Trigger:
    # K1-K4 read one note flag each.
    return lambda context: note_hits(context, flag)


TRIGGERS: dict[str, Trigger] = {
    "K1": _note_flag("located_no_indicators"),
    "K2": _note_flag("voluntary_confirmed"),
    "K3": _note_flag("communicates_freely"),
    "K4": _note_flag("employer_verified"),
}
