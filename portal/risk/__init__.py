"""The pure trafficking-indicators engine (no Flask, no SQLAlchemy): facts in, explained level out.

``assess(case, load_rules())`` returns level 0/1/2 with every fired indicator, its grade and evidence;
never a probability. See DESIGN.md §6 and trafficking-indicators.yaml (a copy of the reference list).

The package's public surface, for the portal's adapter (``portal.flags``) and the API, is the list in
``__all__`` below: the facts the engine reads (``facts``), the indicator list (``rules``), ``assess``
(``assessment``), its result (``results``) and which indicators are deliberately not triggered
(``triggers``). The modules behind it:

- ``facts``: the typed input; ``rules``: the YAML read and checked;
- ``evidence``: what a trigger reads and returns, and the helpers that make evidence lines;
- ``triggers``: one module per dimension (R, C, T, X, V, N, G, K) and the registry ``TRIGGERS``;
- ``levels``: grades, the reliability downgrade and the level rules;
- ``assessment``: ``assess`` and the missing facts; ``results``: its output;
- ``htcds``: a crosswalk of the facts to the IOM Human Trafficking Case Data Standard.
"""

from .assessment import assess
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
from .results import Assessment, EvidenceLine, Fired, Missing
from .rules import Indicator, Rules, load_rules
from .triggers import NEVER_EVALUATED, NOT_CAPTURED

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
