"""Home page, language switch, glossary, health check."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, session
from flask.typing import ResponseReturnValue

from portal import glossary, i18n
from portal.cases.search import recently_published
from portal.db import get_session
from portal.security import safe_next

bp = Blueprint("main", __name__)


@bp.get("/")
def home() -> ResponseReturnValue:
    """The front page: what the portal is for, the latest published claims, the main actions."""
    return render_template("main/home.html", recent=recently_published(get_session()))


@bp.get("/lang/<code>")
def set_language(code: str) -> ResponseReturnValue:
    """Remember the chosen language for this browser and go back to the page."""
    if i18n.is_supported(code):
        session["locale"] = code
    return redirect(safe_next(request.args.get("next"), "/"))


@bp.get("/glossary", endpoint="glossary")
def glossary_page() -> ResponseReturnValue:
    """The network's glossary in the reader's language (Spanish for a language it lacks)."""
    language = glossary.language_of(str(i18n.get_locale() or ""))
    return render_template("main/glossary.html", terms=glossary.terms(language), language=language)


# Pages that moved when their features were renamed (matching_store -> review, risk_store -> flags).
# 308 keeps the method and body, so an old bookmark or a form rendered before an upgrade still lands.
@bp.route("/matching/<path:rest>", methods=["GET", "POST"])
@bp.route("/risk/<path:rest>", methods=["GET", "POST"])
def moved(rest: str) -> ResponseReturnValue:
    """Send an old review or flags address to its new place."""
    if request.path.startswith("/matching/"):
        target = f"/review/{rest}"
    else:
        target = "/flags/" if rest == "flags" else f"/flags/{rest}"
    query = request.query_string.decode("ascii", "replace")
    return redirect(target + (f"?{query}" if query else ""), 308)


@bp.get("/healthz")
def health() -> ResponseReturnValue:
    """Liveness check for the load balancer."""
    return {"status": "ok"}
