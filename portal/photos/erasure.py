"""Removing a record's photos, rows first and files once the removal is committed.

The files are content-addressed, so one file may serve several rows (the same photo sent for two
claims): a file goes only when no row names its hash any more. Files are removed after the commit,
so that a rolled-back removal loses nothing; a crash in between leaves files no row names, which
``storage.delete_orphan_files`` (run by retention every day) removes.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from portal.photos.models import Photo
from portal.photos.storage import SIZES, PhotoStore, unlink


def remove_photos(session: Session, *, claim_id: int | None = None, sighting_id: int | None = None) -> set[str]:
    """Delete the photo rows of a claim or a sighting; return their content hashes (for unlink_unreferenced)."""
    if (claim_id is None) == (sighting_id is None):
        raise ValueError("name exactly one claim or one sighting")
    owner = Photo.claim_id == claim_id if claim_id is not None else Photo.sighting_id == sighting_id
    hashes = set(session.scalars(select(Photo.content_hash).where(owner)))
    if hashes:
        session.execute(delete(Photo).where(owner).execution_options(synchronize_session="fetch"))
    return hashes


def unlink_unreferenced(session: Session, store: PhotoStore, hashes: Iterable[str]) -> int:
    """After the commit: remove the files of ``hashes`` that no photo row names; return how many files."""
    wanted = sorted(set(hashes))
    if not wanted:
        return 0
    kept = set(session.scalars(select(Photo.content_hash).where(Photo.content_hash.in_(wanted))))
    gone = (content_hash for content_hash in wanted if content_hash not in kept)
    # ``unlink`` never raises: a file that will not go stays for delete_orphan_files, and the run goes on.
    return sum(unlink(store.path_for(content_hash, size)) for content_hash in gone for size in SIZES)
