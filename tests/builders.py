"""Builders of synthetic records: invented people only, never real ones."""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from portal.accounts.models import User
from portal.accounts.services import create_user
from portal.cases.inputs import parse_claim
from portal.cases.models import Claim
from portal.casework import claim_filed

PASSWORD = "correct horse battery"
_counter = itertools.count(1)


def make_user(session: Session, role: str = "family", country: str | None = "BO", **kwargs: Any) -> User:
    """An account with a unique synthetic email and the password ``PASSWORD``."""
    n = next(_counter)
    if role == "family" and "country_code" not in kwargs:
        country = None
    return create_user(
        session,
        email=kwargs.pop("email", f"{role}{n}@example.test"),
        password=kwargs.pop("password", PASSWORD),
        role=role,
        country_code=country if role != "family" else kwargs.pop("country_code", None),
        agency=kwargs.pop("agency", "Distrito 1" if role != "family" else ""),
        **kwargs,
    )


def claim_data(**overrides: Any) -> dict[str, Any]:
    """Form values of a plausible, invented claim (a 15-year-old last seen in El Alto)."""
    data: dict[str, Any] = {
        "given_names": "Rosa Elvira",
        "first_surname": "Quispe",
        "second_surname": "Condori",
        "aliases": "Rosi",
        "sex": "F",
        "birth_date": "2010-05-14",
        "document_id": "9900123",
        "nationality": "BO",
        "height_cm": "152",
        "build": "delgada",
        "hair": "negro, largo",
        "eyes": "cafés",
        "distinguishing_marks": "lunar en la mejilla izquierda",
        "clothing": "chompa roja, pollera azul",
        "description": "Lleva trenzas.",
        "event_date": "2026-02-11",
        "country": "BO",
        "place": "El Alto, Distrito 8",
        "circumstances": ["job_offer"],
        "circumstances_text": "Le ofrecieron trabajo en una tienda.",
        "reporter_name": "Juana Condori (invented)",
        "reporter_relation": "madre",
        "reporter_contact": "+591 70000000",
    }
    data.update(overrides)
    return data


def make_claim(
    session: Session,
    reporter: User | None = None,
    *,
    status: str = "draft",
    publication: str = "unpublished",
    **overrides: Any,
) -> Claim:
    """A claim filed through the real service, then moved to ``status``/``publication`` directly."""
    reporter = reporter or make_user(session, "family")
    parsed = parse_claim(
        claim_data(**overrides),
        today=date(2026, 11, 29),
        member_countries=["BO", "PE", "CL", "EC", "GT", "NI", "CR", "BZ", "PR"],
        require_reporter=False,
    )
    claim = claim_filed(session, reporter, parsed)
    claim.status, claim.publication = status, publication
    if status != "draft":
        claim.police_case_number = claim.police_case_number or "FELCC-2026-001"
    session.flush()
    return claim
