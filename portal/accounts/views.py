"""Account pages: registration, e-mailed links, login, logout, the account page, staff management."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_user, logout_user
from werkzeug.wrappers import Response

from portal.accounts import logins, recovery, rules, services, staff
from portal.accounts.models import User
from portal.cases.services import member_countries
from portal.db import get_session
from portal.errors import NotFound, ValidationFailed
from portal.extensions import limiter
from portal.i18n import gettext as _
from portal.login_sessions import mark_reauthenticated, reauth_required
from portal.security import login_required, safe_next

bp = Blueprint("accounts", __name__)


def _me() -> User:
    """The logged-in account, read in this request's session."""
    user = get_session().get(User, current_user.id)
    if user is None:
        raise NotFound()
    return user


def _failed(response: Response) -> bool:
    """Flask-Limiter counts a login attempt only when it did not log in (a success redirects)."""
    return response.status_code != 302


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit("10/hour", methods=["POST"])
def register() -> ResponseReturnValue:
    """Self-registration of a family account: the same answer whether or not the address has one."""
    form, errors = request.form, {}
    if request.method == "POST":
        session = get_session()
        try:
            services.register_family(
                session,
                email=form.get("email", ""),
                password=form.get("password", ""),
                password_again=form.get("password2", ""),
                display_name=form.get("display_name", "")[:120],
                preferred_locale=str(request.accept_languages.best or "")[:8] or None,
                ip=g.client_ip,
            )
        except ValidationFailed as error:
            errors = error.fields
        else:
            session.commit()
            return redirect(url_for("accounts.check_email", purpose="registration"), 303)
    return render_template("accounts/register.html", values=form, errors=errors), 422 if errors else 200


@bp.get("/check-your-email/<any(registration, reset):purpose>")
def check_email(purpose: str) -> ResponseReturnValue:
    """What to do next, after a registration or a reset request."""
    return render_template("accounts/check_email.html", purpose=purpose)


@bp.get("/verify/<string(maxlength=500):token>")
def verify(token: str) -> ResponseReturnValue:
    """Follow the link that verifies a family's address, then log in."""
    # No login here: mail scanners open links before people do, and a link that logged in would
    # hand a session to whoever opened it first. Typing the password proves it is the family.
    session = get_session()
    recovery.verify_email(session, token, ip=g.client_ip)
    session.commit()
    flash(_("Your email address is confirmed. You can log in now."), "success")
    return redirect(url_for("accounts.login"))


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("20/15 minutes", methods=["POST"], deduct_when=_failed)
def login() -> ResponseReturnValue:
    """Log in with email and password; an address that keeps failing must wait longer each time."""
    errors, status = {}, 200
    if request.method == "POST":
        session, form = get_session(), request.form
        try:
            user = logins.authenticate(session, form.get("email", ""), form.get("password", ""), ip=g.client_ip)
        except (logins.LoginFailed, logins.EmailNotVerified) as error:
            session.commit()  # the failed attempt, its audit event and any e-mail are kept
            errors, status = {"password": [error.message]}, error.status
        else:
            session.commit()
            login_user(user)
            return redirect(safe_next(request.args.get("next") or form.get("next"), url_for("cases.mine")))
    return render_template("accounts/login.html", values=request.form, errors=errors), status


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


@bp.route("/forgot-password", methods=["GET", "POST"])
@limiter.limit("10/hour", methods=["POST"])
def forgot_password() -> ResponseReturnValue:
    """Ask for a reset link: the same answer whether or not the address has an account."""
    errors = {}
    if request.method == "POST":
        session = get_session()
        try:
            recovery.request_reset(session, request.form.get("email", ""), ip=g.client_ip)
        except ValidationFailed as error:
            errors = error.fields
        else:
            session.commit()
            return redirect(url_for("accounts.check_email", purpose="reset"), 303)
    return render_template("accounts/forgot.html", values=request.form, errors=errors), 422 if errors else 200


@bp.route("/reset-password/<string(maxlength=500):token>", methods=["GET", "POST"])
def reset_password(token: str) -> ResponseReturnValue:
    """Choose a new password through an e-mailed link (used, expired or dead links get a clear page)."""
    session, form, errors = get_session(), request.form, {}
    if request.method == "POST":
        try:
            new, again = form.get("password", ""), form.get("password2", "")
            recovery.reset_password(session, token, new, again=again, ip=g.client_ip)
        except ValidationFailed as error:
            errors = error.fields
        else:
            session.commit()
            flash(_("Your password was changed and every device was logged out. Log in with the new one."), "success")
            return redirect(url_for("accounts.login"), 303)
    else:
        recovery.account_for_reset(session, token)  # a dead link says so before anyone types a password
    return render_template("accounts/reset.html", errors=errors), 422 if errors else 200


@bp.get("/unlock/<string(maxlength=500):token>")
def unlock(token: str) -> ResponseReturnValue:
    """Follow the e-mailed link that lets every address try the account's password again."""
    session = get_session()
    recovery.unlock(session, token, ip=g.client_ip)
    session.commit()
    flash(_("Your account can be used again from every device. You can log in now."), "success")
    return redirect(url_for("accounts.login"))


def _account_page(errors: dict[str, Any] | None = None, new_token: str | None = None) -> str:
    """Render the account page with the user's live tokens."""
    tokens = services.live_tokens(get_session(), _me())
    return render_template(
        "accounts/account.html", tokens=tokens, errors=errors or {}, new_token=new_token, days=services.TOKEN_DAYS
    )


@bp.get("/account")
@login_required
def account() -> ResponseReturnValue:
    """The account page: language, password, API tokens."""
    return _account_page()


@bp.route("/account/confirm", methods=["GET", "POST"])
@login_required
@limiter.limit("20/15 minutes", methods=["POST"], deduct_when=_failed)
def confirm() -> ResponseReturnValue:
    """Type the password again before a sensitive action, then go back to it (``next``)."""
    errors, status = {}, 200
    if request.method == "POST":
        session = get_session()
        try:
            logins.reauthenticate(session, _me(), request.form.get("password", ""), ip=g.client_ip)
        except logins.ReauthFailed as error:
            session.commit()  # the failure is counted and audited
            errors, status = {"password": [error.message]}, error.status
        else:
            session.commit()
            mark_reauthenticated()
            back = request.args.get("next") or request.form.get("next")
            return redirect(safe_next(back, url_for("accounts.account")))
    return render_template("accounts/confirm.html", errors=errors), status


@bp.post("/account/password")
@login_required
def change_password() -> ResponseReturnValue:
    """Change the password; every other session ends, and the API tokens too if the box is ticked."""
    session, user, form = get_session(), _me(), request.form
    try:
        services.change_password(
            session,
            user,
            form.get("current_password", ""),
            form.get("new_password", ""),
            revoke_tokens=bool(form.get("revoke_tokens")),
            ip=g.client_ip,
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
    """Save the account's language and, for the police, how often they hear of new candidates."""
    session, form = get_session(), request.form
    services.set_preferences(session, _me(), form.get("locale", ""), form.get("notify_candidates", ""))
    session.commit()
    return redirect(url_for("accounts.account"))


@bp.post("/account/tokens")
@login_required
def create_token() -> ResponseReturnValue:
    """Create an API token for 30, 90 or 365 days and show it once."""
    session, form = get_session(), request.form
    days = int(form["days"]) if form.get("days", "").isdigit() else services.DEFAULT_TOKEN_DAYS
    try:
        token = services.create_token(session, _me(), form.get("name", "")[:80], days=days, ip=g.client_ip)
    except ValidationFailed as error:
        return _account_page(errors=error.fields), 422
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


def _manager() -> User:
    """The logged-in admin or coordinator; NotFound for anyone else."""
    actor = _me()
    if not rules.is_staff_manager(actor):
        raise NotFound()
    return actor


@bp.route("/staff/users", methods=["GET", "POST"])
@login_required
def staff_users() -> ResponseReturnValue:
    """Admins and coordinators list the staff accounts they see and create new ones."""
    session, errors, actor, form = get_session(), {}, _manager(), request.form
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
        users=staff.staff_accounts(session, actor),
        may_manage=lambda user: rules.may_manage(actor, user),
        countries=member_countries(session),
        values=form,
        errors=errors,
    ), 422 if errors else 200


@bp.route("/staff/users/<int:user_id>", methods=["GET", "POST"])
@login_required
@reauth_required()
def staff_user(user_id: int) -> ResponseReturnValue:
    """Change one account's role, country or agency, within the manager's powers."""
    session, actor, form, errors = get_session(), _manager(), request.form, {}
    user = staff.managed_account(session, actor, user_id)
    if request.method == "POST":
        try:
            staff.change_account(
                session,
                actor,
                user,
                role=form.get("role", ""),
                country_code=form.get("country") or None,
                agency=form.get("agency", "")[:120],
                ip=g.client_ip,
            )
        except ValidationFailed as error:
            errors = error.fields
        else:
            session.commit()
            flash(_("The account was saved."), "success")
            return redirect(url_for("accounts.staff_user", user_id=user.id), 303)
    values = form if errors else {"role": user.role, "country": user.country_code or "", "agency": user.agency}
    return render_template(
        "accounts/staff_user.html",
        user=user,
        roles=rules.assignable_roles(actor),
        countries=member_countries(session),
        values=values,
        errors=errors,
    ), 422 if errors else 200


@bp.post("/staff/users/<int:user_id>/<any(deactivate, reactivate):action>")
@login_required
@reauth_required()
def staff_user_access(user_id: int, action: str) -> ResponseReturnValue:
    """Deactivate an account (its sessions and tokens end at once) or reactivate it."""
    session, actor = get_session(), _manager()
    user = staff.managed_account(session, actor, user_id)
    staff.set_active(session, actor, user, action == "reactivate", ip=g.client_ip)
    session.commit()
    flash(_("The account was reactivated.") if action == "reactivate" else _("The account was deactivated."), "success")
    return redirect(url_for("accounts.staff_user", user_id=user.id), 303)
