"""Claim pages: file a claim, follow it, validate, publish, add notes, edit, search, the public page."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal import casework
from portal.access import services as access_services
from portal.accounts.models import Role, User
from portal.audit.services import record as audit
from portal.cases import forms, presenters, rules, services
from portal.cases import search as finder
from portal.cases.codes import PUBLICATION_LABELS, STATUS_TRANSITIONS
from portal.cases.inputs import parse_claim
from portal.cases.models import Claim
from portal.cases.rules import Access, Sight
from portal.db import get_session, valid_id
from portal.errors import NotFound, ValidationFailed
from portal.extensions import limiter
from portal.flags import presenters as flag_presenters
from portal.i18n import gettext as _
from portal.idempotency import services as idempotency
from portal.login_sessions import require_reauth
from portal.photos.decoding import PhotoLimits
from portal.photos.location import photo_dir
from portal.photos.storage import PhotoNotStored, PhotoStore
from portal.review import decisions as review_decisions
from portal.security import login_required
from portal.template_helpers import country_name, label

bp = Blueprint("cases", __name__)

# The search form's fields besides the name: folded away on the page until one is used.
SEARCH_FILTERS = ("country", "sex", "status", "age_min", "age_max", "age_on", "place", "date_from", "date_to")


def _search_rate() -> str:
    return str(current_app.config["SEARCH_RATE_LIMIT"])


def _signed_in() -> bool:
    """A user signed in on the pages or by an API token: their searches are audited, not limited."""
    api_user = g.get("api_user")  # the API's caller, anonymous or not, once its token was read
    return bool(getattr(api_user, "is_authenticated", False) or current_user.is_authenticated)


# The public's searches, one budget per client for the page and the API together (the API decorates
# its view with this too): anyone can send searches, and a flood of them must not take the page down.
search_rate_limit = limiter.shared_limit(_search_rate, scope="claim-search", exempt_when=_signed_in)
# Cards (also on the home page) pick their thumbnails with these; only public photos are offered.
bp.add_app_template_global(presenters.card_thumbs, "card_thumbs")
bp.add_app_template_global(rules.photo_is_public, "photo_is_public")


def _user() -> User:
    """The logged-in account (every page that asks has ``login_required``)."""
    user = current_user._get_current_object()
    if not isinstance(user, User):
        raise NotFound()
    return user


def _country_options(session: Session) -> list[tuple[str, str]]:
    """Member countries as (code, name in the user's language), by name."""
    codes = [country.code for country in services.member_countries(session)]
    return sorted(((code, country_name(code)) for code in codes), key=lambda item: item[1])


def _file_with_photos(session: Session, countries: list[str]) -> Claim:
    """Parse the form, file the claim, save its photos, once however many times the same form is sent;
    ValidationFailed lists every problem, KeyReused says the form's key came with other content."""
    user, uploads = _user(), forms.chosen_files(request.files)
    photos = forms.read_files(uploads)
    fields = request.form.to_dict(flat=False)
    attempt = idempotency.form_attempt("claim", user, fields, [("photos", photo) for photo in photos])

    def create() -> Claim:
        limit, errors = current_app.config["MAX_PHOTOS_PER_CLAIM"], {}
        if len(uploads) > limit:
            errors["photos"] = [_("Choose at most %(n)d photos.", n=limit)]
        try:
            parsed = parse_claim(
                forms.claim_form_data(request.form),
                today=date.today(),
                member_countries=countries,
                require_reporter=user.role == Role.FAMILY,
            )
        except ValidationFailed as error:
            raise ValidationFailed(fields={**error.fields, **errors}) from None
        if errors:
            raise ValidationFailed(fields=errors)
        return casework.claim_filed(
            session,
            user,
            parsed,
            photos=photos,
            store=PhotoStore(photo_dir()),
            limits=PhotoLimits.from_config(current_app.config),
            ip=g.client_ip,
        )

    return idempotency.run_once(session, attempt, Claim, create).record


@bp.route("/claims/new", methods=["GET", "POST"])
@login_required
def new() -> ResponseReturnValue:
    """The claim form: the person, the disappearance, who reports it, photos and guardian consent."""
    if current_user.role not in services.FILING_ROLES:
        raise NotFound()
    session, errors, status = get_session(), {}, 422
    countries = _country_options(session)
    if request.method == "POST":
        try:
            claim = _file_with_photos(session, [code for code, _name in countries])
        except ValidationFailed as error:
            session.rollback()  # the claim and its photos are one unit: nothing is half-saved
            errors = error.fields
        except PhotoNotStored as error:  # a full disk: the form comes back as it was sent
            session.rollback()
            errors, status = {"photos": [error.message]}, error.status
        except idempotency.KeyReused:
            session.rollback()
            errors = {idempotency.FORM_FIELD: [idempotency.FORM_SENT_BEFORE]}
        else:
            session.commit()
            flash(
                _(
                    "Your claim was saved with the reference %(ref)s. The police of %(country)s will check it.",
                    ref=claim.reference,
                    country=country_name(claim.owner_country),
                ),
                "success",
            )
            return redirect(url_for("cases.detail", claim_id=claim.id))
    values = request.form if request.method == "POST" else {"country": current_user.country_code or ""}
    return render_template(
        "cases/new.html",
        values=values,
        errors=errors,
        once_key=idempotency.form_key(request.form, errors),
        countries=countries,
        selected=request.form.getlist("circumstances"),
        today=date.today().isoformat(),
    ), status if errors else 200


@bp.get("/cases")
@login_required
def mine() -> ResponseReturnValue:
    """Family: the claims they filed. Officers: their country's drafts to validate, then active cases."""
    return render_template("cases/mine.html", lists=presenters.case_lists(get_session(), current_user))


def _detail_page(
    session: Session, claim: Claim, seen: Sight, errors: dict[str, Any] | None = None, status: int = 200
) -> ResponseReturnValue:
    user = _user()
    candidates = len(review_decisions.for_claim(session, user, claim, ("open",))) if seen.reads("candidates") else 0
    return render_template(
        "cases/detail.html",
        claim=claim,
        level=seen.level,
        seen=seen,
        Access=Access,
        name=presenters.full_name(claim) if seen.reads("second_surname") else presenters.public_name(claim),
        candidates=candidates,
        flag=flag_presenters.card(session, user, claim),
        facts=presenters.person_facts(claim, seen),
        restricted=presenters.restricted_facts(claim, seen),
        offer_facts=presenters.offer_facts(claim, seen),
        notes=presenters.timeline(claim, seen),
        photos=presenters.claim_photos(session, claim, seen),
        requests=access_services.request_state(session, user, claim, seen),
        manage=rules.can_manage(user, claim),
        can_edit=rules.can_edit_person(user, claim),
        minor=rules.is_minor(claim),
        transitions=STATUS_TRANSITIONS.get(claim.status, ()),
        errors=errors or {},
        values=request.form if errors else {},
    ), status


@bp.get("/cases/<int:claim_id>")
@login_required
def detail(claim_id: int) -> ResponseReturnValue:
    """The whole record as the family or the police may see it; every view is audited."""
    session = get_session()
    claim, seen = services.get_claim(session, _user(), claim_id, ip=g.client_ip)
    session.commit()
    if seen.level == Access.PUBLIC:
        return redirect(url_for("cases.public", reference=claim.reference))
    return _detail_page(session, claim, seen)


Action = Callable[[Session, User, Claim], object]


def _act(claim_id: int, action: Action, done: Callable[[Claim], str]) -> ResponseReturnValue:
    """Run one case action; its errors re-render the record (422), success goes back to it."""
    session, user = get_session(), _user()
    claim = session.get(Claim, claim_id) if valid_id(claim_id) else None
    if claim is None:
        raise NotFound()
    try:
        action(session, user, claim)  # each service checks the caller's rights (404 otherwise)
    except ValidationFailed as error:
        session.rollback()
        claim, seen = services.get_claim(session, user, claim_id, ip=g.client_ip)
        session.commit()
        return _detail_page(session, claim, seen, errors=error.fields, status=422)
    session.commit()
    flash(done(claim), "success")
    return redirect(url_for("cases.detail", claim_id=claim.id))


@bp.post("/cases/<int:claim_id>/validate")
@login_required
def validate(claim_id: int) -> ResponseReturnValue:
    """An officer turns a draft into an active case and decides its publication."""

    def action(session: Session, user: User, claim: Claim) -> object:
        return casework.claim_validated(
            session,
            user,
            claim,
            ip=g.client_ip,
            police_case_number=forms.form_text(request.form, "police_case_number"),
            publication=request.form.get("publication", ""),
        )

    return _act(claim_id, action, lambda claim: _("The claim %(ref)s is now an active case.", ref=claim.reference))


@bp.post("/cases/<int:claim_id>/publication")
@login_required
def publication(claim_id: int) -> ResponseReturnValue:
    """An officer publishes, withholds or unpublishes a validated claim."""

    def action(session: Session, user: User, claim: Claim) -> object:
        return casework.claim_published(
            session,
            user,
            claim,
            request.form.get("publication", ""),
            forms.form_text(request.form, "reason"),
            ip=g.client_ip,
        )

    return _act(
        claim_id,
        action,
        lambda claim: _("Publication: %(publication)s", publication=label(PUBLICATION_LABELS, claim.publication)),
    )


@bp.post("/cases/<int:claim_id>/access")
@login_required
def ask_access(claim_id: int) -> ResponseReturnValue:
    """An officer of another country asks for the restricted information, or breaks the glass."""
    kind = "break_glass" if request.form.get("kind") == "break_glass" else "request"
    if kind == "break_glass" and (confirm := require_reauth()) is not None:
        return confirm  # emergency access asks for the password again (the page asks before the button)

    def action(session: Session, user: User, claim: Claim) -> object:
        return access_services.ask(session, user, claim, kind, forms.form_text(request.form, "reason"), ip=g.client_ip)

    if kind == "break_glass":
        return _act(
            claim_id,
            action,
            lambda claim: _("Emergency access is open for 24 hours. It is recorded and will be reviewed."),
        )
    return _act(
        claim_id,
        action,
        lambda claim: _(
            "Your request was sent to the police of %(country)s.", country=country_name(claim.owner_country)
        ),
    )


@bp.post("/cases/<int:claim_id>/consent")
@login_required
def consent(claim_id: int) -> ResponseReturnValue:
    """Record that a parent or legal guardian agrees that the minor's photo may be published."""

    def action(session: Session, user: User, claim: Claim) -> object:
        return casework.consent_recorded(session, user, claim, ip=g.client_ip)

    return _act(claim_id, action, lambda claim: _("The guardian's consent is recorded."))


@bp.post("/cases/<int:claim_id>/notes")
@login_required
def add_note(claim_id: int) -> ResponseReturnValue:
    """Add a note; officers who manage the case may change its status with it."""
    form = request.form

    def action(session: Session, user: User, claim: Claim) -> object:
        return casework.note_added(
            session,
            user,
            claim,
            text=forms.form_text(form, "text"),
            visibility=form.get("visibility", ""),
            new_status=form.get("new_status", ""),
            no_contact=form.get("no_contact", "") in ("1", "on", "true"),
            flags=form.getlist("flags"),
            ip=g.client_ip,
        )

    return _act(claim_id, action, lambda claim: _("The note was added."))


@bp.route("/cases/<int:claim_id>/edit", methods=["GET", "POST"])
@login_required
def edit(claim_id: int) -> ResponseReturnValue:
    """Correct the person's data; a form older than the record answers 409 and changes nothing."""
    session, user, errors = get_session(), _user(), {}
    claim, _level = services.get_claim(session, user, claim_id, ip=g.client_ip)
    if not rules.can_edit_person(user, claim):
        raise NotFound()
    countries = _country_options(session)
    if request.method == "POST":
        try:
            parsed = parse_claim(
                forms.claim_form_data(request.form),
                today=date.today(),
                member_countries=[code for code, _name in countries],
                require_reporter=False,
            )
        except ValidationFailed as error:
            errors = error.fields
        else:
            casework.claim_changed(
                session,
                user,
                claim,
                parsed,
                ip=g.client_ip,
                expected_version=forms.parse_version(request.form.get("version")),
            )
            session.commit()
            flash(_("The changes to %(ref)s were saved.", ref=claim.reference), "success")
            return redirect(url_for("cases.detail", claim_id=claim.id))
    session.commit()  # the audit of this view
    posted = request.method == "POST"
    return render_template(
        "cases/edit.html",
        claim=claim,
        errors=errors,
        countries=countries,
        today=date.today().isoformat(),
        values=request.form if posted else forms.claim_values(claim),
        selected=request.form.getlist("circumstances") if posted else claim.circumstances or [],
    ), 422 if errors else 200


@bp.get("/claims")
@search_rate_limit
def search() -> ResponseReturnValue:
    """Search claims: the public finds published ones (cards), officers every claim they may see (table)."""
    session, errors, query = get_session(), {}, finder.SearchQuery()
    try:
        query = finder.parse_search(request.args)
    except ValidationFailed as error:
        errors = error.fields
    police = bool(getattr(current_user, "is_police", False))
    results = (
        None
        if errors
        else finder.search_claims(session, current_user, query, per_page=current_app.config["SEARCH_PAGE_SIZE"])
    )
    hits = results.hits if results else []
    if results is not None and current_user.is_authenticated and query.q:
        # As in the API: who searched and which claims they were shown is kept, never the query text.
        audit(session, current_user, "claim.search", "claim", "", g.client_ip, ids=[h.claim.id for h in hits])
        session.commit()
    return render_template(
        "cases/search.html",
        values=request.args,
        errors=errors,
        results=results.claims if results else [],
        reasons={
            hit.claim.id: presenters.search_reason(hit.matches if police else hit.public_matches())
            for hit in hits
            if hit.matches
        },
        total=results.total if results else 0,
        more=results.more if results else False,
        query=query,
        pages=results.pages if results else 1,
        countries=_country_options(session),
        police=police,
        filtering=any(request.args.get(name) or name in errors for name in SEARCH_FILTERS),
        args={k: v for k, v in request.args.items() if k != "page" and v},
    ), 422 if errors else 200


@bp.get("/claims/<reference>")
def public(reference: str) -> ResponseReturnValue:
    """The public page of a published claim: only the public fields and public notes."""
    session, cleaned = get_session(), services.clean_reference(reference)
    claim = session.scalar(select(Claim).where(Claim.reference == cleaned)) if cleaned else None
    if claim is None or rules.access(current_user, claim) == Access.NONE:
        raise NotFound()
    if not rules.is_public(claim):  # only the family or the police can see it, on the full page
        return redirect(url_for("cases.detail", claim_id=claim.id))
    return render_template(
        "cases/public.html",
        claim=claim,
        name=presenters.public_name(claim),
        facts=presenters.public_facts(claim),
        notes=presenters.timeline(claim, rules.PUBLIC_SIGHT),
        photos=presenters.claim_photos(session, claim, rules.PUBLIC_SIGHT),
    )
