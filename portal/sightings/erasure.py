"""Forgetting a witness: after the sighting is settled (retention), or when they ask (erasure)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from portal.sightings.models import Sighting


def forget_witness(session: Session, sighting: Sighting, now: datetime) -> str:
    """Blank the witness's contact, private link and language; returns the contact that was removed.

    What they saw stays (the observation, its photo, what they added later): it is evidence about a
    possibly missing person, not about the witness. A signed-in reporter's account id stays too:
    accounts have their own life-cycle. Flushes, never commits.
    """
    contact = sighting.reporter_contact
    sighting.reporter_contact = ""
    sighting.witness_key_digest = None  # the private link opens nothing any more
    sighting.witness_locale = None
    sighting.contact_purged_at = now
    session.flush()
    return contact
