"""Photo files and their rows as one unit.

Files are content-addressed (``root/ab/cd/<sha256>.jpg`` and ``.thumb.jpg``),
outside ``static/``, so the same photo uploaded twice is stored once. A file
is written before its row is flushed; session events then tie the file to
the transaction: files a transaction created are removed if it rolls back
(or the session closes without committing), kept when it commits. A file
that existed before the transaction is never removed by it.

Decoding is bounded per request (``PhotoBudget``): each photo within the per-image budget, all of
them together within the request's. A photo that cannot be written (a full disk, mostly) raises
``PhotoNotStored``, a 503 that says nothing was saved; its files are removed and the caller rolls
the rows back.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import re
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import event, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, SessionTransaction

from portal.errors import PayloadTooLarge, PortalError, Unavailable, UnsupportedMedia
from portal.i18n import lazy_gettext as _l
from portal.photos.decoding import DEFAULT_LIMITS, DecodePlan, PhotoLimits, plan_decode
from portal.photos.models import Photo
from portal.photos.processing import ImageRejected, process_image

log = logging.getLogger(__name__)

SIZES = {"full": ".jpg", "thumb": ".thumb.jpg"}
_HASH = re.compile(r"[0-9a-f]{64}")
_TEMP_PREFIX = ".tmp-"
# session.info keys: files per open transaction, and "listeners installed".
_PENDING = "portal.photos.pending"
_LISTENING = "portal.photos.listening"
# No hard links on this filesystem: fall back to an atomic replace. Anything else (a full disk) fails.
_NO_LINKS = frozenset(
    {errno.EPERM, errno.EACCES, errno.EMLINK, errno.EXDEV, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP}
)


class PhotoNotStored(Unavailable):
    """A photo's file could not be written (a full disk, mostly): nothing of the request is saved."""

    code = "photo_not_stored"
    default_message = _l("The server could not store the photo: what you sent was NOT saved. Please try again later.")


class PhotoBudget:
    """What one request may spend decoding photos: each one within ``limits.image_bytes``, all of
    them together within ``limits.request_bytes`` (so five photos do not each get the whole budget)."""

    def __init__(self, limits: PhotoLimits | None = None) -> None:
        self.limits = limits or DEFAULT_LIMITS
        self.spent = 0

    def charge(self, data: bytes) -> DecodePlan:
        """Plan ``data``'s decoding from its header and count its cost; the uploader's PortalError if refused."""
        try:
            plan = plan_decode(data, limits=self.limits)
        except ImageRejected as rejected:
            raise rejection_error(rejected.reason, self.limits) from rejected
        if self.spent + plan.cost > self.limits.request_bytes:
            raise PayloadTooLarge(
                _l("These photos together are too large to process at once. Send fewer or smaller photos.")
            )
        self.spent += plan.cost
        return plan


class PhotoStore:
    """Content-addressed photo files under ``root``."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)

    def path_for(self, content_hash: str, size: str = "full") -> Path:
        """Where the ``size`` ("full" or "thumb") file of ``content_hash`` lives; ValueError if malformed."""
        # Only 64 lowercase hex characters: no separator, dot or drive can reach the path.
        if not isinstance(content_hash, str) or not _HASH.fullmatch(content_hash):
            raise ValueError("not a SHA-256 hex digest")
        if size not in SIZES:
            raise ValueError(f"unknown photo size {size!r}")
        return self.root / content_hash[:2] / content_hash[2:4] / f"{content_hash}{SIZES[size]}"

    def write(self, content_hash: str, size: str, data: bytes) -> bool:
        """Store ``data`` unless the file exists; True only if this call created it."""
        path = self.path_for(content_hash, size)
        if path.exists():
            return False
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        # mkstemp: private (0600) and in the same directory, so the final link/replace is atomic.
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=_TEMP_PREFIX)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            try:
                # link() fails if the name exists: of two concurrent uploads of the
                # same photo exactly one "creates" it, so a rollback of the other
                # can never remove a file it did not create.
                os.link(temp, path)
            except FileExistsError:
                return False
            except OSError as error:
                if error.errno not in _NO_LINKS:
                    raise
                # No hard links on this filesystem: replace is still atomic for
                # readers; only the exists() race above remains.
                if path.exists():
                    return False
                os.replace(temp, path)
            return True
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temp)


@dataclass
class _Saved:
    """A photo written in an open transaction: its bytes (to restore) and the files it created."""

    store: PhotoStore
    content_hash: str
    full: bytes
    thumb: bytes
    created: list[Path] = field(default_factory=list)

    def write_missing(self) -> None:
        """Write the files not yet on disk, remembering which ones this save created; PhotoNotStored if one
        cannot be."""
        for size, data in (("full", self.full), ("thumb", self.thumb)):
            try:
                created = self.store.write(self.content_hash, size, data)
            except OSError as error:
                # The error's kind only: its message holds the path.
                log.error("photo file not written: %s", errno.errorcode.get(error.errno or 0, type(error).__name__))
                raise PhotoNotStored() from None
            if created:
                self.created.append(self.store.path_for(self.content_hash, size))


def save_photo(
    session: Session,
    store: PhotoStore,
    data: bytes,
    *,
    claim_id: int | None = None,
    sighting_id: int | None = None,
    uploaded_by_id: int | None = None,
    position: int = 0,
    budget: PhotoBudget | None = None,
    charged: bool = False,
) -> Photo:
    """Clean ``data`` within the request's ``budget``, store its files and flush its Photo row, as one
    unit; raises a PortalError (PhotoNotStored when the disk refuses the files).

    ``charged``: the caller already charged ``data`` to ``budget`` (checking every photo of a request
    before decoding any); otherwise it is charged here."""
    if (claim_id is None) == (sighting_id is None):
        raise ValueError("a photo belongs to exactly one claim or one sighting")
    budget = budget or PhotoBudget()
    if not charged:
        budget.charge(data)
    try:
        processed = process_image(data, limits=budget.limits)
    except ImageRejected as rejected:
        raise rejection_error(rejected.reason, budget.limits) from rejected

    saved = _Saved(store, processed.content_hash, processed.full, processed.thumb)
    # Registered before the first byte is written, so any later failure finds it.
    _pending_for(session).append(saved)
    photo = Photo(
        content_hash=processed.content_hash,
        claim_id=claim_id,
        sighting_id=sighting_id,
        width=processed.width,
        height=processed.height,
        thumb_width=processed.thumb_width,
        thumb_height=processed.thumb_height,
        byte_size=len(processed.full),
        position=position,
        uploaded_by_id=uploaded_by_id,
        perceptual_hash=to_signed64(processed.perceptual_hash),
    )
    try:
        saved.write_missing()
        session.add(photo)
        session.flush()
    except BaseException:
        _forget(session, saved)
        _remove_created(saved)
        raise
    return photo


def to_signed64(value: int) -> int:
    """Map an unsigned 64-bit hash onto the signed range of a BIGINT column."""
    return value - (1 << 64) if value >= (1 << 63) else value


def delete_orphan_files(session: Session, store: PhotoStore, *, min_age_seconds: float = 3600) -> int:
    """Remove photo files (and stale temp files) that no Photo row names; return how many."""
    # Younger files may belong to an upload whose transaction is still open.
    cutoff = time.time() - min_age_seconds
    removed = 0
    candidates: dict[str, list[Path]] = {}
    for path in store.root.glob("??/??/*"):
        try:
            if path.stat().st_mtime >= cutoff:
                continue
        except FileNotFoundError:  # removed meanwhile by a rollback
            continue
        if path.name.startswith(_TEMP_PREFIX):  # left by a crash mid-write
            removed += unlink(path)
            continue
        content_hash = path.name.split(".", 1)[0]
        with contextlib.suppress(ValueError):
            if path in (store.path_for(content_hash, "full"), store.path_for(content_hash, "thumb")):
                candidates.setdefault(content_hash, []).append(path)
    hashes = list(candidates)
    for start in range(0, len(hashes), 500):
        chunk = hashes[start : start + 500]
        for known in session.scalars(select(Photo.content_hash).where(Photo.content_hash.in_(chunk))):
            candidates.pop(known, None)
    for paths in candidates.values():
        removed += sum(unlink(path) for path in paths)
    return removed


def rejection_error(reason: str, limits: PhotoLimits) -> PortalError:
    """The uploader's explanation of an ImageRejected reason."""
    if reason == "too_many_pixels":
        return PayloadTooLarge(
            _l(
                "This photo is too large (over %(megapixels)s megapixels).",
                megapixels=format(limits.max_pixels / 1_000_000, "g"),
            )
        )
    if reason == "too_costly":
        return PayloadTooLarge(_l("This photo is too large to process. Send a smaller version of it, or a JPEG."))
    if reason == "unsupported_format":
        return UnsupportedMedia(_l("Only JPEG, PNG or WebP photos are accepted."))
    return UnsupportedMedia(_l("This file is damaged or is not a photo."))


# --- tying files to the session's transaction -------------------------------


def _pending_for(session: Session) -> list[_Saved]:
    """The list of photos saved in the session's innermost transaction (a savepoint or the root)."""
    if not session.info.get(_LISTENING):
        event.listen(session, "before_commit", _before_commit)
        event.listen(session, "after_commit", _after_commit)
        event.listen(session, "after_transaction_end", _after_transaction_end)
        session.info[_LISTENING] = True
    if session.get_transaction() is None:
        session.connection()  # autobegin, so the files have a transaction to belong to
    owner = session.get_nested_transaction() or session.get_transaction()
    pending: dict[SessionTransaction | None, list[_Saved]] = session.info.setdefault(_PENDING, {})
    return pending.setdefault(owner, [])


def _forget(session: Session, saved: _Saved) -> None:
    for entries in session.info.get(_PENDING, {}).values():
        if saved in entries:
            entries.remove(saved)


def _before_commit(session: Session) -> None:
    # A concurrent upload of the same photo may have rolled back and removed a
    # file this transaction reused: write it again before the row is committed.
    for entries in session.info.get(_PENDING, {}).values():
        for saved in entries:
            saved.write_missing()


def _after_commit(session: Session) -> None:
    pending = session.info.get(_PENDING, {})
    transaction = session.get_nested_transaction() or session.get_transaction()
    entries = pending.pop(transaction, [])
    if transaction is not None and transaction.nested and transaction.parent is not None:
        # A released savepoint hands its files to the enclosing transaction.
        pending.setdefault(transaction.parent, []).extend(entries)


def _after_transaction_end(session: Session, transaction: SessionTransaction) -> None:
    # Committed transactions were popped by _after_commit: what is left rolled back.
    entries = session.info.get(_PENDING, {}).pop(transaction, None)
    for saved in entries or ():
        if transaction.parent is None and _committed_elsewhere(session, saved.content_hash):
            continue  # another upload of the same photo committed a row meanwhile
        _remove_created(saved)


def _committed_elsewhere(session: Session, content_hash: str) -> bool:
    """True if a committed Photo row names ``content_hash`` (or if that cannot be known)."""
    bind = session.get_bind(Photo)
    if not isinstance(bind, Engine):
        return False
    try:
        with bind.connect() as connection:
            row = connection.execute(select(Photo.id).where(Photo.content_hash == content_hash).limit(1)).first()
    except Exception:
        log.warning("photo cleanup could not check the database; keeping the files", exc_info=True)
        return True  # an orphan file can be swept later; a photo lost cannot be recovered
    return row is not None


def _remove_created(saved: _Saved) -> None:
    for path in saved.created:
        unlink(path)
    saved.created.clear()


def unlink(path: Path) -> int:
    """Remove ``path``; 1 if removed. Never raises: cleanup runs inside rollback and close."""
    try:
        path.unlink()
    except FileNotFoundError:
        return 0
    except OSError:
        log.warning("could not remove photo file %s", path.name, exc_info=True)
        return 0
    return 1
