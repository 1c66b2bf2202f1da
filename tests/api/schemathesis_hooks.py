"""Schemathesis hooks of tests/api/test_schemathesis.py (SCHEMATHESIS_HOOKS): the two things about a
valid request that JSON Schema cannot say, and nothing else. Every check stays on.

1. Ordered pairs. A claim's lowest age may not be above its highest, nor the birth date after the day
   last seen. JSON Schema cannot compare two values, so the document states these pairs under
   ``x-ordered`` (read here from the same ``portal.api.inputs.ORDERED``) and the API refuses a body
   that breaks one (422; tests/api/test_contract.py proves it). A *positive* case that breaks one is
   not the valid request schemathesis means it to be: it is dropped.
2. References. ``claim_reference`` names a claim the caller may see: a generated one names none and
   is refused (422), as a generated id answers 404. Positive cases get the reference of a published
   claim seeded for the run (PORTAL_SCHEMATHESIS_REFERENCE), as schemathesis' own guide suggests for
   identifiers.
3. Idempotency keys. A key names one request: sent again with another body it is refused (422
   ``idempotency_key_reused``, as draft-ietf-httpapi-idempotency-key-header says; tests/idempotency
   prove it). The generator draws the same few keys for many bodies, which no client does: each
   positive case gets a key of its own.
"""

from __future__ import annotations

import os
import uuid
from datetime import date
from typing import Any

import schemathesis
from schemathesis import GenerationMode

from portal.api.inputs import ORDERED
from portal.fields import parse_partial_date

_COMPONENTS = "#/components/schemas/"


def _positive(case: Any) -> bool:
    meta = getattr(case, "meta", None)
    return meta is None or meta.generation.mode == GenerationMode.POSITIVE


def _body_schema(case: Any) -> str:
    """The component name of the operation's JSON body ("ClaimInput"), or ""."""
    body = case.operation.definition.raw.get("requestBody", {})
    ref = body.get("content", {}).get("application/json", {}).get("schema", {}).get("$ref", "")
    return ref[len(_COMPONENTS) :] if ref.startswith(_COMPONENTS) else ""


def _comparable(value: Any) -> Any:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return value
    parsed = parse_partial_date(value) if isinstance(value, str) else None
    return parsed[0] if parsed else None


def _out_of_order(body: dict[str, Any], pairs: tuple[tuple[str, str], ...]) -> bool:
    for first, second in pairs:
        low, high = _comparable(body.get(first)), _comparable(body.get(second))
        if low is not None and high is not None and isinstance(low, date) == isinstance(high, date) and low > high:
            return True
    return False


@schemathesis.hook
def filter_case(ctx: Any, case: Any) -> bool:
    """Drop a positive case whose body breaks an ``x-ordered`` pair of its schema."""
    pairs = ORDERED.get(_body_schema(case), ())
    return not (pairs and _positive(case) and isinstance(case.body, dict) and _out_of_order(case.body, pairs))


@schemathesis.hook
def map_case(ctx: Any, case: Any) -> Any:
    """Give a positive case's ``claim_reference`` the reference of a claim that exists, and its
    ``Idempotency-Key`` a value of its own."""
    if not _positive(case):
        return case
    if isinstance(case.body, dict) and case.body.get("claim_reference"):
        case.body["claim_reference"] = os.environ["PORTAL_SCHEMATHESIS_REFERENCE"]
    if case.headers and "Idempotency-Key" in case.headers:
        case.headers["Idempotency-Key"] = f"schemathesis-{uuid.uuid4().hex}"
    return case
