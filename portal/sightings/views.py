"""Sighting pages (being written)."""
from flask import Blueprint

bp = Blueprint("sightings", __name__)


@bp.get("/sightings/new")
def report():  # type: ignore[no-untyped-def]
    return "report"
