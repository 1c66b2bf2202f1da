"""The pure trafficking-indicators engine (no Flask, no SQLAlchemy): facts in, explained level out.

``assess(case, load_rules())`` returns level 0/1/2 with every fired indicator, its grade and evidence;
never a probability. See DESIGN.md §6 and trafficking-indicators.yaml (a copy of the reference list).
"""

from .engine import NEVER_EVALUATED, NOT_CAPTURED, Assessment, EvidenceLine, Fired, Missing, assess
from .facts import (
    Case,
    ClaimFacts,
    Cluster,
    Identifier,
    Link,
    NetworkFacts,
    NoteFacts,
    Offer,
    SharedIdentifier,
    SightingFacts,
    Source,
    normalise_identifier,
)
from .rules import Indicator, Rules, load_rules

__all__ = [
    "NEVER_EVALUATED",
    "NOT_CAPTURED",
    "Assessment",
    "Case",
    "ClaimFacts",
    "Cluster",
    "EvidenceLine",
    "Fired",
    "Identifier",
    "Indicator",
    "Link",
    "Missing",
    "NetworkFacts",
    "NoteFacts",
    "Offer",
    "Rules",
    "SharedIdentifier",
    "SightingFacts",
    "Source",
    "assess",
    "load_rules",
    "normalise_identifier",
]
