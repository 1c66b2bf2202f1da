"""Claim pages (being written)."""
from flask import Blueprint

bp = Blueprint("cases", __name__)


@bp.get("/claims")
def search():  # type: ignore[no-untyped-def]
    return "search"


@bp.get("/claims/new")
def new():  # type: ignore[no-untyped-def]
    return "new"


@bp.get("/cases")
def mine():  # type: ignore[no-untyped-def]
    return "mine"
