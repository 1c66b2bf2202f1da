"""Pages for registering, logging in and out, the account page, and staff account management."""

from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select

from portal.accounts import services
from portal.accounts.models import ApiToken, Role, User
from portal.audit.services import record as audit
from portal.cases.services import member_countries
from portal.db import get_session
from portal.errors import NotFound, ValidationFailed
from portal.extensions import limiter
from portal.i18n import is_supported
from portal.security import safe_next

bp = Blueprint("accounts", __name__)


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit("10/hour", methods=["POST"])
def register():  # type: ignore[no-untyped-def]
    """Self-registration of a family account."""
    form, errors = request.form, {}
    if request.method == "POST":
        session = get_session()
        try:
            if form.get("password", "") != form.get("password2", ""):
                raise ValidationFailed(fields={"password2": [_("The two passwords differ.")]})
            user = services.register_family(
                session,
                email=form.get("email", ""),
                password=form.get("password", ""),
                display_name=form.get("display_name", "")[:120],
                preferred_locale=str(request.accept_languages.best or "")[:8] or None,
            )
        except ValidationFailed as error:
            errors = error.fields
        else:
            audit(session, user, "account.register", "user", user.id, g.client_ip)
            session.commit()
            login_user(user)
            flash(_("Your account is ready. You can now report a missing relative."), "success")
            return redirect(url_for("cases.new"))
    return render_template("accounts/register.html", values=form, errors=errors), 422 if errors else 200


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("20/15 minutes", methods=["POST"])
def login():  # type: ignore[no-untyped-def]
    """Log in with email and password; locks the account after repeated failures."""
    errors = {}
    if request.method == "POST":
        session = get_session()
        try:
            user = services.authenticate(session, request.form.get("email", ""), request.form.get("password", ""))
        except services.LoginFailed as error:
            audit(session, None, "account.login_failed", ip=g.client_ip)
            session.commit()
            errors = {"password": [error.message]}
        else:
            audit(session, user, "account.login", "user", user.id, g.client_ip)
            session.commit()
            login_user(user)
            return redirect(safe_next(request.args.get("next") or request.form.get("next"), url_for("cases.mine")))
    return render_template("accounts/login.html", values=request.form, errors=errors), 401 if errors else 200


@bp.post("/logout")
@login_required
def logout():  # type: ignore[no-untyped-def]
    """Log out everywhere: the epoch moves, so every copy of the session cookie dies."""
    session = get_session()
    user = session.get(User, current_user.id)
    services.end_all_sessions(session, user)
    audit(session, user, "account.logout", "user", user.id, g.client_ip)
    session.commit()
    logout_user()
    flash(_("You are logged out."), "success")
    return redirect(url_for("main.home"))


def _account_page(errors: dict | None = None, new_token: str | None = None):  # type: ignore[no-untyped-def]
    """Render the account page with the user's live tokens."""
    tokens = get_session().scalars(
        select(ApiToken).where(ApiToken.user_id == current_user.id, ApiToken.revoked_at.is_(None)).order_by(ApiToken.id)
    )
    return render_template("accounts/account.html", tokens=list(tokens), errors=errors or {}, new_token=new_token)


@bp.get("/account")
@login_required
def account():  # type: ignore[no-untyped-def]
    """The account page: language, password, API tokens."""
    return _account_page()


@bp.post("/account/password")
@login_required
def change_password():  # type: ignore[no-untyped-def]
    """Change the password; every other session ends."""
    session = get_session()
    user = session.get(User, current_user.id)
    try:
        services.change_password(
            session, user, request.form.get("current_password", ""), request.form.get("new_password", "")
        )
    except ValidationFailed as error:
        return _account_page(errors=error.fields), 422
    audit(session, user, "account.password", "user", user.id, g.client_ip)
    session.commit()
    login_user(user)  # this browser stays logged in with the new epoch
    flash(_("Your password was changed. Other devices have been logged out."), "success")
    return redirect(url_for("accounts.account"))


@bp.post("/account/locale")
@login_required
def set_locale():  # type: ignore[no-untyped-def]
    """Save the preferred language of the account."""
    session = get_session()
    code = request.form.get("locale", "")
    if is_supported(code):
        session.get(User, current_user.id).preferred_locale = code
        session.commit()
    return redirect(url_for("accounts.account"))


@bp.post("/account/tokens")
@login_required
def create_token():  # type: ignore[no-untyped-def]
    """Create an API token and show it once."""
    session = get_session()
    user = session.get(User, current_user.id)
    token = services.create_token(session, user, request.form.get("name", "")[:80])
    audit(session, user, "token.create", "user", user.id, g.client_ip)
    session.commit()
    return _account_page(new_token=token)


@bp.route("/staff/users", methods=["GET", "POST"])
@login_required
def staff_users():  # type: ignore[no-untyped-def]
    """Admins and coordinators create police, coordinator and trainer accounts."""
    if current_user.role not in (Role.ADMIN, Role.COORDINATOR):
        raise NotFound()
    session, errors = get_session(), {}
    actor = session.get(User, current_user.id)
    if request.method == "POST":
        form = request.form
        try:
            user = services.create_user(
                session,
                email=form.get("email", ""),
                password=form.get("password", ""),
                role=form.get("role", ""),
                country_code=form.get("country") or None,
                agency=form.get("agency", "")[:120],
                created_by=actor,
            )
        except ValidationFailed as error:
            errors = error.fields
        else:
            audit(session, actor, "account.create", "user", user.id, g.client_ip, role=user.role)
            session.commit()
            flash(_("The account was created."), "success")
            return redirect(url_for("accounts.staff_users"))
    query = select(User).where(User.role != Role.FAMILY).order_by(User.country_code, User.email)
    if actor.role == Role.COORDINATOR:
        query = query.where(User.country_code == actor.country_code)
    return render_template(
        "accounts/staff_users.html",
        users=list(session.scalars(query)),
        countries=member_countries(session),
        values=request.form,
        errors=errors,
    ), 422 if errors else 200
