"""Claim pages' forms: request.form to the dict parse_claim expects, and back for prefilling."""

from __future__ import annotations

import re
from typing import Any

from werkzeug.datastructures import FileStorage, MultiDict

from portal.cases.inputs import MAX_RECRUITERS
from portal.cases.models import Claim

# Text fields of the person and disappearance sections (the edit form shows these).
PERSON_TEXT_FIELDS = (
    "given_names",
    "first_surname",
    "second_surname",
    "sex",
    "document_id",
    "nationality",
    "build",
    "hair",
    "eyes",
    "distinguishing_marks",
    "clothing",
    "description",
    "country",
    "place",
    "circumstances_text",
)
_NUMBER_FIELDS = ("age_min", "age_max", "height_cm", "prior_disappearances")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Public references look like BO-2026-000123; anything else names no claim.


def claim_form_data(form: MultiDict[str, str]) -> dict[str, Any]:
    """The posted claim form as parse_claim reads it: one value per field, circumstances as a list.

    The form's ``offer.<name>`` fields become the ``offer`` object and its rows ``recruiters.<n>.kind``
    and ``.value`` the ``recruiters`` list, as in the API, so that errors name the same fields.
    """
    data: dict[str, Any] = {
        name: form.get(name, "")
        for name in form
        if name != "circumstances" and not name.startswith(("offer.", "recruiters."))
    }
    data["circumstances"] = form.getlist("circumstances")
    data["offer"] = {name[6:]: form.get(name, "") for name in form if name.startswith("offer.") and form.get(name, "")}
    data["recruiters"] = [
        {"kind": form.get(f"recruiters.{n}.kind", ""), "value": form.get(f"recruiters.{n}.value", "")}
        for n in range(MAX_RECRUITERS)
        if f"recruiters.{n}.kind" in form or f"recruiters.{n}.value" in form
    ]
    return data


def _yes_no(value: bool | None) -> str:
    if value is None:
        return ""  # unknown: the form's empty choice
    return "yes" if value else "no"


def form_text(form: MultiDict[str, str], name: str) -> str:
    """A posted value without control characters (NUL breaks PostgreSQL text); services check the rest."""
    return _CONTROL.sub("", form.get(name, ""))


def chosen_files(files: MultiDict[str, FileStorage], name: str = "photos") -> list[FileStorage]:
    """The files actually chosen in a multiple file input (a form without a choice sends an empty part)."""
    return [upload for upload in files.getlist(name) if upload is not None and upload.filename]


def read_files(uploads: list[FileStorage]) -> list[bytes]:
    """The bytes of each upload, leaving out empty files."""
    contents = (upload.read() for upload in uploads)
    return [data for data in contents if data]


def parse_version(value: str | None) -> int | None:
    """The ``version`` hidden field as an int; None when missing or tampered with (a conflict)."""
    if isinstance(value, str) and re.fullmatch(r"\s*\d{1,9}\s*", value):
        return int(value)
    return None


def partial_date_text(claim: Claim) -> str:
    """The birth date as it was given: ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``."""
    if claim.birth_date is None:
        return ""
    return {"year": claim.birth_date.strftime("%Y"), "month": claim.birth_date.strftime("%Y-%m")}.get(
        claim.birth_date_precision, claim.birth_date.isoformat()
    )


def claim_values(claim: Claim) -> dict[str, str]:
    """A claim's person and disappearance fields as form values, to prefill the edit form."""
    values = {name: getattr(claim, name) or "" for name in PERSON_TEXT_FIELDS}
    values.update({name: "" if getattr(claim, name) is None else str(getattr(claim, name)) for name in _NUMBER_FIELDS})
    values["aliases"] = "; ".join(claim.aliases or [])
    values["birth_date"] = partial_date_text(claim)
    values["event_date"] = claim.event_date.isoformat() if claim.event_date else ""
    values["version"] = str(claim.version)
    values["missing_from_state_care"] = _yes_no(claim.missing_from_state_care)
    values["occupation"] = claim.occupation or ""
    for name, value in (claim.offer or {}).items():
        values[f"offer.{name}"] = _yes_no(value) if isinstance(value, bool) else str(value)
    for n, recruiter in enumerate(claim.recruiters):
        values[f"recruiters.{n}.kind"], values[f"recruiters.{n}.value"] = recruiter.kind, recruiter.value
    return values
