"""Who may create and manage which accounts (DESIGN.md §1).

An administrator manages everyone. A coordinator manages the police officers and trainers of
their own country, and may give them only those two roles. A trainer makes trainee accounts for
their sessions (portal.training). Nobody else manages accounts. An
account someone may not manage is NotFound to them: its existence is not revealed.
"""

from __future__ import annotations

from portal.accounts.models import Role, User
from portal.errors import NotFound

# The roles a coordinator hands out, and the only accounts a coordinator may touch.
COORDINATED_ROLES = frozenset({Role.POLICE, Role.TRAINER})
# A trainee account of their country too: once certified, the coordinator makes it an officer or a
# trainer, who runs the next level of the cascade (training, spec/training.md).
MANAGED_BY_COORDINATORS = COORDINATED_ROLES | {Role.TRAINEE}


def is_staff_manager(actor: User | None) -> bool:
    """True for the roles that have the staff page."""
    return actor is not None and actor.role in (Role.ADMIN, Role.COORDINATOR)


def check_may_create(actor: User | None, role: str, country_code: str | None) -> None:
    """NotFound unless ``actor`` may make an account of ``role`` in ``country_code``; None is the
    server's operator (the command line), who may make any."""
    if actor is None or actor.role == Role.ADMIN:
        return
    if (
        actor.role == Role.COORDINATOR
        and role in COORDINATED_ROLES
        and country_code
        and country_code.upper() == actor.country_code
    ):
        return
    # A trainer makes trainee accounts for the sessions they run, in their own country (training).
    if actor.role == Role.TRAINER and role == Role.TRAINEE and (country_code or "").upper() == actor.country_code:
        return
    raise NotFound()


def check_may_manage(actor: User | None, target: User) -> None:
    """NotFound unless ``actor`` may change ``target``'s account; None is the server's operator."""
    if actor is None or actor.role == Role.ADMIN:
        return
    if (
        actor.role == Role.COORDINATOR
        and target.role in MANAGED_BY_COORDINATORS
        and target.country_code == actor.country_code
    ):
        return
    raise NotFound()


def may_manage(actor: User | None, target: User) -> bool:
    """True when ``actor`` may change ``target``'s account (the staff page links only those)."""
    try:
        check_may_manage(actor, target)
    except NotFound:
        return False
    return True


def assignable_roles(actor: User) -> list[str]:
    """The roles ``actor`` may give on the staff page."""
    if actor.role == Role.ADMIN:
        return [Role.POLICE, Role.TRAINER, Role.COORDINATOR, Role.ADMIN, Role.FAMILY]
    return [Role.POLICE, Role.TRAINER]
