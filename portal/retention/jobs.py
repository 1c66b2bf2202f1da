"""A retention run: forget settled witnesses, anonymise expired drafts and old closed cases, drop old mail.

Records are changed in batches, one transaction each, through the casework path (so the search,
the matching and the indicators follow) and through the append-only door (``allow_rewrite``),
which records why in the audit trail. Each batch reads its records again with their rule, locked,
so a case reopened since the selection is left alone. Photo files go after their batch commits.
A dry run selects the same records and changes nothing, not even the audit trail.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session, sessionmaker

from portal import casework
from portal.audit.models import AuditEvent
from portal.audit.rewrite import allow_rewrite
from portal.audit.services import COMMAND_LINE, record
from portal.cases.models import Claim
from portal.idempotency.services import purge_expired
from portal.notify.erasure import sent_before
from portal.notify.worker import last_digest_time
from portal.photos.erasure import unlink_unreferenced
from portal.photos.storage import PhotoStore, delete_orphan_files
from portal.retention.policies import Cutoffs, Periods, aged_closed_case, expired_draft, settled_sighting
from portal.sightings.models import Sighting

log = logging.getLogger(__name__)

BATCH = 200


@dataclass
class Report:
    """What a run did (or, dry, would do): counts only."""

    witnesses_forgotten: int = 0
    drafts_anonymised: int = 0
    closed_cases_anonymised: int = 0
    old_messages_deleted: int = 0
    idempotency_keys_deleted: int = 0
    photo_files_deleted: int = 0

    def counts(self) -> dict[str, int]:
        """The counts by name, for the audit trail and the command's output."""
        return asdict(self)


def _chunks(ids: list[int], size: int) -> Iterator[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def _ids(session: Session, model: Any, condition: ColumnElement[bool]) -> list[int]:
    return list(session.scalars(select(model.id).where(condition).order_by(model.id)))


def _apply(
    factory: sessionmaker[Session],
    model: Any,
    condition: Callable[[], ColumnElement[bool]],
    reason: str,
    change: Callable[[Session, Any], set[str]],
    store: PhotoStore,
    report: Report,
    counter: str,
    batch: int,
) -> None:
    """Change every record ``condition`` selects, ``batch`` at a time, one transaction each."""
    with factory() as session:
        ids = _ids(session, model, condition())
    for chunk in _chunks(ids, batch):
        hashes: set[str] = set()
        with factory() as session:
            with session.begin():
                due = session.scalars(
                    select(model).where(model.id.in_(chunk), condition()).order_by(model.id).with_for_update()
                ).all()
                if not due:
                    continue
                with allow_rewrite(session, reason):
                    for row in due:
                        hashes |= change(session, row)
            setattr(report, counter, getattr(report, counter) + len(due))
            report.photo_files_deleted += unlink_unreferenced(session, store, hashes)


def run(
    factory: sessionmaker[Session],
    store: PhotoStore,
    periods: Periods,
    now: datetime,
    *,
    dry_run: bool = False,
    batch: int = BATCH,
    ip: str = COMMAND_LINE,
    scheduled: bool = False,
) -> Report:
    """One retention run at ``now``; with ``dry_run`` only count what it would do.

    ``scheduled``: the worker's daily run, whose ``retention.run`` event is stamped with the worker's
    ``now`` (its clock), which ``due`` reads; an operator's run is stamped when it happens.
    """
    cutoffs = Cutoffs.at(periods, now)
    report = Report()
    rules: Iterable[tuple[str, Any, Callable[[], ColumnElement[bool]], str]] = (
        ("witnesses_forgotten", Sighting, lambda: settled_sighting(cutoffs), "retention.sighting_settled"),
        ("drafts_anonymised", Claim, lambda: expired_draft(cutoffs), "retention.expired_draft"),
        ("closed_cases_anonymised", Claim, lambda: aged_closed_case(cutoffs), "retention.closed_case"),
    )
    if dry_run:
        with factory() as session:
            for counter, model, condition, _reason in rules:
                setattr(report, counter, session.scalar(select(func.count(model.id)).where(condition())) or 0)
            report.old_messages_deleted = sent_before(session, cutoffs.sent_mail, dry_run=True)
        return report

    for counter, model, condition, reason in rules:

        def change(session: Session, row: Any, reason: str = reason) -> set[str]:
            if isinstance(row, Sighting):
                casework.witness_forgotten(session, row, reason, now, ip=ip)
                return set()
            return casework.claim_anonymised(session, row, reason, now, ip=ip)

        _apply(factory, model, condition, reason, change, store, report, counter, batch)
    with factory() as session, session.begin():
        report.old_messages_deleted = sent_before(session, cutoffs.sent_mail)
        report.idempotency_keys_deleted = purge_expired(session, now)
        done = record(
            session, None, "retention.run", "", "", ip, now=now.isoformat(), scheduled=scheduled, **report.counts()
        )
        if scheduled:
            done.at = now
    # A crash between a batch's commit and its files' removal leaves files no row names.
    with factory() as session:
        report.photo_files_deleted += delete_orphan_files(session, store)
    log.info("retention run: %s", report.counts())
    return report


def due(session: Session, now: datetime, hour: int) -> bool:
    """True when no run is recorded since the latest ``hour`` o'clock (UTC) at or before ``now``."""
    last = session.scalar(select(func.max(AuditEvent.at)).where(AuditEvent.action == "retention.run"))
    return last is None or last < last_digest_time(now, hour)
