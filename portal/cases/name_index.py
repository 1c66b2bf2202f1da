"""The search's index: the keys each claim is found under, and the sounds a misspelt word is corrected against.

``index_claim`` runs in the casework path's match step whenever a claim is filed or its names
change; ``portal/cases/search.py`` reads what it writes.
"""

from __future__ import annotations

import threading
import weakref

from sqlalchemy import func, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from portal.cases.models import Claim, NameSound
from portal.matching.lookup import index_keys
from portal.matching.lookup import sounds_of as lookup_sounds
from portal.matching.records import PersonRecord, Prepared, prepare


def name_record(claim: Claim, public: bool = False) -> Prepared:
    """What the look-up reads of a claim: its names and its document number; ``public``: only the
    names the public reads (given names and first surname)."""
    return prepare(
        PersonRecord(
            id=f"claim:{claim.id}",
            given_names=claim.given_names or "",
            first_surname=claim.first_surname or "",
            second_surname="" if public else claim.second_surname or "",
            aliases=() if public else tuple(claim.aliases or ()),
            document_id="" if public else claim.document_id or "",
        )
    )


def index_claim(session: Session, claim: Claim) -> None:
    """Store the keys the search finds ``claim`` under (casework step 1, with the matching)."""
    session.flush()
    prepared = name_record(claim)
    keys = sorted(index_keys(prepared))
    public = sorted(index_keys(name_record(claim, public=True)))
    if claim.name_keys != keys or claim.public_name_keys != public:
        # Derived from the names, not an edit: written beside the ORM so the claim's version (its
        # optimistic lock) stays the one the edit gave it.
        session.execute(update(Claim).where(Claim.id == claim.id).values(name_keys=keys, public_name_keys=public))
        set_committed_value(claim, "name_keys", keys)
        set_committed_value(claim, "public_name_keys", public)
    _add_sounds(session, lookup_sounds(prepared))


def _add_sounds(session: Session, sounds: set[str]) -> None:
    if not sounds:
        return
    known = set(session.scalars(select(NameSound.sound).where(NameSound.sound.in_(sorted(sounds)))))
    for sound in sorted(sounds - known):
        # A savepoint each: another request may add the same sound a moment earlier.
        try:
            with session.begin_nested():
                session.add(NameSound(sound=sound))
        except IntegrityError:
            continue


class _Vocabulary:
    """The stored sounds of each database (each engine: a practice space on PostgreSQL shares the
    portal's address but not its tables), read once per process and again when their number changes.

    ``stored`` answers the search's commoner question, whether a word's sounds are stored at all,
    from the sounds last read and without a query: NameSound is only ever added to, so a sound read
    once stays stored. What it does not hold may have been added since; the caller asks the database.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_engine: weakref.WeakKeyDictionary[Engine, tuple[int, list[str], frozenset[str]]] = (
            weakref.WeakKeyDictionary()
        )

    def get(self, session: Session) -> list[str]:
        """Every stored sound, read again when their number has changed."""
        engine = session.get_bind().engine
        count = session.scalar(select(func.count()).select_from(NameSound)) or 0
        with self._lock:
            cached = self._by_engine.get(engine)
            if cached is not None and cached[0] == count:
                return cached[1]
        sounds = list(session.scalars(select(NameSound.sound)))
        with self._lock:
            self._by_engine[engine] = (count, sounds, frozenset(sounds))
        return sounds

    def stored(self, session: Session) -> frozenset[str]:
        """Sounds known to be stored: those last read for this database, read now if never."""
        with self._lock:
            cached = self._by_engine.get(session.get_bind().engine)
        if cached is None:
            self.get(session)
            with self._lock:
                cached = self._by_engine.get(session.get_bind().engine)
        return cached[2] if cached is not None else frozenset()

    def forget(self) -> None:
        """Drop every vocabulary read. The portal never deletes a sound; whatever empties the tables
        (the test suite between tests) calls this."""
        with self._lock:
            self._by_engine.clear()


VOCABULARY = _Vocabulary()
