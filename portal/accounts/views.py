"""Pages for registering, logging in and out, the account page, and staff account management.

Every change is audited by the account services themselves (the same trail as the command line).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_user, logout_user

from portal.accounts import services
from portal.accounts.models import Role, User
from portal.cases.services import member_countries
from portal.db import get_session
from portal.errors import NotFound, ValidationFailed
from portal.extensions import limiter
from portal.i18n import gettext as _
from portal.i18n import is_supported
from portal.security import login_required, safe_next

bp = Blueprint("accounts", __name__)


def _me() -> User:
    """The logged-in account, read in this request's session."""
    user = get_session().get(User, current_user.id)
    if user is None:
        raise NotFound()
    return user


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit("10/hour", methods=["POST"])
def register() -> ResponseReturnValue:
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
                ip=g.client_ip,
            )
        except ValidationFailed as error:
            errors = error.fields
        else:
            session.commit()
            login_user(user)
            flash(_("Your account is ready. You can now report a missing relative."), "success")
            return redirect(url_for("cases.new"))
    return render_template("accounts/register.html", values=form, errors=errors), 422 if errors else 200


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("20/15 minutes", methods=["POST"])
def login() -> ResponseReturnValue:
    """Log in with email and password; locks the account after repeated failures."""
    errors = {}
    if request.method == "POST":
        session = get_session()
        form = request.form
        try:
            user = services.authenticate(session, form.get("email", ""), form.get("password", ""), ip=g.client_ip)
        except services.LoginFailed as error:
            session.commit()  # the failed attempt and its audit event are kept
            errors = {"password": [error.message]}
        else:
            session.commit()
            login_user(user)
            return redirect(safe_next(request.args.get("next") or form.get("next"), url_for("cases.mine")))
    return render_template("accounts/login.html", values=request.form, errors=errors), 401 if errors else 200


@bp.post("/logout")
@login_required
def logout() -> ResponseReturnValue:
    """Log out everywhere: the epoch moves, so every copy of the session cookie dies."""
    session = get_session()
    services.log_out(session, _me(), ip=g.client_ip)
    session.commit()
    logout_user()
    flash(_("You are logged out."), "success")
    return redirect(url_for("main.home"))


def _account_page(errors: dict[str, Any] | None = None, new_token: str | None = None) -> str:
    """Render the account page with the user's live tokens."""
    tokens = services.live_tokens(get_session(), _me())
    return render_template("accounts/account.html", tokens=tokens, errors=errors or {}, new_token=new_token)


@bp.get("/account")
@login_required
def account() -> ResponseReturnValue:
    """The account page: language, password, API tokens."""
    return _account_page()


@bp.post("/account/password")
@login_required
def change_password() -> ResponseReturnValue:
    """Change the password; every other session ends."""
    session, user, form = get_session(), _me(), request.form
    try:
        services.change_password(
            session, user, form.get("current_password", ""), form.get("new_password", ""), ip=g.client_ip
        )
    except ValidationFailed as error:
        return _account_page(errors=error.fields), 422
    session.commit()
    login_user(user)  # this browser stays logged in with the new epoch
    flash(_("Your password was changed. Other devices have been logged out."), "success")
    return redirect(url_for("accounts.account"))


@bp.post("/account/locale")
@login_required
def set_locale() -> ResponseReturnValue:
    """Save the preferred language of the account."""
    session = get_session()
    code = request.form.get("locale", "")
    if is_supported(code):
        _me().preferred_locale = code
        session.commit()
    return redirect(url_for("accounts.account"))


@bp.post("/account/tokens")
@login_required
def create_token() -> ResponseReturnValue:
    """Create an API token and show it once."""
    session = get_session()
    token = services.create_token(session, _me(), request.form.get("name", "")[:80], ip=g.client_ip)
    session.commit()
    return _account_page(new_token=token)


@bp.post("/account/tokens/<int:token_id>/revoke")
@login_required
def revoke_token(token_id: int) -> ResponseReturnValue:
    """Revoke one of the account's tokens: programs using it lose access at once."""
    session = get_session()
    services.revoke_token(session, _me(), token_id, ip=g.client_ip)
    session.commit()
    flash(_("The token was revoked."), "success")
    return redirect(url_for("accounts.account"), 303)


@bp.route("/staff/users", methods=["GET", "POST"])
@login_required
def staff_users() -> ResponseReturnValue:
    """Admins and coordinators create police, coordinator and trainer accounts."""
    if current_user.role not in (Role.ADMIN, Role.COORDINATOR):
        raise NotFound()
    session, errors, actor, form = get_session(), {}, _me(), request.form
    if request.method == "POST":
        try:
            services.create_user(
                session,
                email=form.get("email", ""),
                password=form.get("password", ""),
                role=form.get("role", ""),
                country_code=form.get("country") or None,
                agency=form.get("agency", "")[:120],
                created_by=actor,
                ip=g.client_ip,
            )
        except ValidationFailed as error:
            errors = error.fields
        else:
            session.commit()
            flash(_("The account was created."), "success")
            return redirect(url_for("accounts.staff_users"))
    return render_template(
        "accounts/staff_users.html",
        users=services.staff_accounts(session, actor),
        countries=member_countries(session),
        values=form,
        errors=errors,
    ), 422 if errors else 200
