"""The registry of triggers: every indicator id of the YAML mapped to the function that fires it.

One module per dimension of trafficking-indicators.yaml holds that dimension's triggers (facts in,
evidence lines out), the vocabularies they read, and for each indicator it does not trigger the
reason why: ``NOT_CAPTURED`` (our facts cannot express it) or ``NEVER_EVALUATED`` (nationality- or
ethnicity-adjacent: never a reason). Grades come from the YAML, not from the triggers; ``levels``
combines them. The tables below list the dimensions in the YAML's order (R, C, T, X, V, N, G, K).
"""

from __future__ import annotations

from ..evidence import Trigger
from . import coercion, counter, exploitation, geography, network, recruitment, transfer, vulnerability

TRIGGERS: dict[str, Trigger] = {
    **recruitment.TRIGGERS,
    **coercion.TRIGGERS,
    **transfer.TRIGGERS,
    **exploitation.TRIGGERS,
    **vulnerability.TRIGGERS,
    **network.TRIGGERS,
    **geography.TRIGGERS,
    **counter.TRIGGERS,
}
NOT_CAPTURED: dict[str, str] = {
    **transfer.NOT_CAPTURED,
    **exploitation.NOT_CAPTURED,
    **vulnerability.NOT_CAPTURED,
    **geography.NOT_CAPTURED,
}
NEVER_EVALUATED: dict[str, str] = {**vulnerability.NEVER_EVALUATED}

__all__ = ["NEVER_EVALUATED", "NOT_CAPTURED", "TRIGGERS"]
