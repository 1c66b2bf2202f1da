"""Managing accounts: deactivate, reactivate, change role, country or agency (rules.py says who may).

Deactivation and a change of role or country end every session of the account and revoke its
API tokens: what it could do before must not outlive the decision. Nobody deactivates,
reactivates or re-roles their own account: another manager must.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.accounts import rules, services
from portal.accounts.models import COUNTRY_ROLES, Country, Role, User
from portal.audit.services import record as audit
from portal.db import valid_id
from portal.errors import Forbidden, NotFound, ValidationFailed
from portal.i18n import lazy_gettext as _l


class OwnAccount(Forbidden):
    """A manager tried to change their own access."""

    code = "own_account"
    default_message = _l("You cannot change the access of your own account: ask another manager.")


def staff_accounts(session: Session, actor: User) -> list[User]:
    """Police, coordinator, trainer and admin accounts ``actor`` sees on the staff page: all for an
    admin, their country's for a coordinator."""
    query = select(User).where(User.role != Role.FAMILY).order_by(User.country_code, User.email)
    if actor.role == Role.COORDINATOR:
        query = query.where(User.country_code == actor.country_code)
    return list(session.scalars(query))


def managed_account(session: Session, actor: User | None, user_id: int) -> User:
    """The account ``user_id`` if ``actor`` may manage it, else NotFound."""
    user = session.get(User, user_id) if valid_id(user_id) else None
    if user is None:
        raise NotFound()
    rules.check_may_manage(actor, user)
    return user


def set_active(session: Session, actor: User | None, user: User, active: bool, *, ip: str = "") -> None:
    """Activate or deactivate an account (``actor`` None is the server's operator); deactivation
    ends its sessions and revokes its tokens; audited."""
    rules.check_may_manage(actor, user)
    if actor is not None and actor.id == user.id:
        raise OwnAccount()
    if user.active == active:
        return
    user.active = active
    if not active:
        services.end_access(session, user, actor, ip=ip)
    audit(session, actor, "account.activate" if active else "account.deactivate", "user", user.id, ip)
    session.flush()


def change_account(
    session: Session, actor: User, user: User, *, role: str, country_code: str | None, agency: str, ip: str = ""
) -> None:
    """Give ``user`` a role, country and agency within ``actor``'s powers; a new role or country ends
    the account's access (sessions, tokens); audited as ``account.change`` with the changed fields."""
    rules.check_may_manage(actor, user)
    country = (country_code or "").upper() or None
    if role not in rules.assignable_roles(actor):
        raise (
            NotFound() if role in {r.value for r in Role} else ValidationFailed(fields={"role": [_l("Unknown role.")]})
        )
    if role not in COUNTRY_ROLES:
        country = None
    elif country is None or session.get(Country, country) is None:
        raise ValidationFailed(
            fields={"country": [_l("Police, coordinator and trainer accounts need a member country.")]}
        )
    rules.check_may_create(actor, role, country)
    changed = [
        name for name, old, new in (("role", user.role, role), ("country", user.country_code, country)) if old != new
    ]
    if changed and actor.id == user.id:
        raise OwnAccount()
    if user.agency != agency.strip():
        changed.append("agency")
    if not changed:
        return
    if {"role", "country"} & set(changed):
        services.end_access(session, user, actor, ip=ip)
    user.role, user.country_code, user.agency = role, country, agency.strip()
    audit(session, actor, "account.change", "user", user.id, ip, fields=changed, role=role, country=country)
    session.flush()
