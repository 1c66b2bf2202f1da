"""photos/storage.py: files and rows as one unit, without a Flask app."""

from __future__ import annotations

import errno
import io
import os
import random
import tempfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PIL import Image, ImageDraw
from sqlalchemy import event, func, insert, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

import portal.models  # noqa: F401  (complete metadata)
from portal.accounts.models import Country
from portal.cases.models import Claim
from portal.db import Base, make_engine
from portal.errors import PayloadTooLarge, UnsupportedMedia
from portal.photos.decoding import PhotoLimits
from portal.photos.models import Photo
from portal.photos.processing import process_image
from portal.photos.storage import PhotoBudget, PhotoNotStored, PhotoStore, delete_orphan_files, save_photo
from portal.sightings.models import Sighting


def picture(seed: int = 1) -> bytes:
    """A synthetic JPEG of coloured shapes."""
    rng = random.Random(seed)
    image = Image.new("RGB", (120, 80), (rng.randrange(256), 90, 40))
    draw = ImageDraw.Draw(image)
    for _ in range(6):
        x, y = rng.randrange(120), rng.randrange(80)
        draw.rectangle((x, y, x + 30, y + 20), fill=(rng.randrange(256), rng.randrange(256), 200))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG")
    return buffer.getvalue()


def files_of(store: PhotoStore, data: bytes) -> list[Path]:
    content_hash = process_image(data).content_hash
    return [store.path_for(content_hash, "full"), store.path_for(content_hash, "thumb")]


def all_files(store: PhotoStore) -> list[Path]:
    return sorted(p for p in store.root.rglob("*") if p.is_file())


def photo_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Photo))


@pytest.fixture(params=["memory", "file"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """SQLite with foreign keys on: in memory (StaticPool) and in a file (separate connections)."""
    url = "sqlite://" if request.param == "memory" else f"sqlite:///{tmp_path / 'photos.sqlite3'}"
    eng = make_engine(url)
    Base.metadata.create_all(eng)
    with Session(eng) as setup:
        setup.add(Country(code="BO", name="Bolivia"))
        setup.add(Claim(id=1, reference="BO-2026-000001", owner_country="BO"))
        setup.add(Sighting(id=1, event_date=date(2026, 3, 1), country="BO"))
        setup.commit()
    yield eng
    eng.dispose()


@pytest.fixture
def sessions(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


@pytest.fixture
def session(sessions: sessionmaker[Session]) -> Iterator[Session]:
    with sessions() as s:
        yield s


@pytest.fixture
def store(tmp_path: Path) -> PhotoStore:
    return PhotoStore(tmp_path / "photos")


# --- PhotoStore ---


def test_path_layout_is_content_addressed(store: PhotoStore) -> None:
    content_hash = "ab" + "cd" + "0" * 60
    assert store.path_for(content_hash) == store.root / "ab" / "cd" / f"{content_hash}.jpg"
    assert store.path_for(content_hash, "thumb") == store.root / "ab" / "cd" / f"{content_hash}.thumb.jpg"


@pytest.mark.parametrize(
    "bad", ["../etc/passwd", "../" * 21 + "x", "A" * 64, "a" * 63, "a" * 65, "/" + "a" * 63, "a" * 62 + "/.", "", None]
)
def test_path_for_rejects_anything_but_a_hex_digest(store: PhotoStore, bad: object) -> None:
    with pytest.raises(ValueError):
        store.path_for(bad)  # type: ignore[arg-type]


def test_path_for_rejects_unknown_size(store: PhotoStore) -> None:
    with pytest.raises(ValueError):
        store.path_for("a" * 64, "original")


def test_write_is_create_once_and_leaves_no_temp_file(store: PhotoStore) -> None:
    assert store.write("a" * 64, "full", b"first") is True
    assert store.write("a" * 64, "full", b"second") is False
    assert store.path_for("a" * 64).read_bytes() == b"first"
    assert all_files(store) == [store.path_for("a" * 64)]
    if os.name == "posix":
        assert store.path_for("a" * 64).stat().st_mode & 0o077 == 0  # private to the portal


# --- save_photo: one unit with the transaction ---


def test_commit_keeps_row_and_files(session: Session, store: PhotoStore) -> None:
    photo = save_photo(session, store, picture(), claim_id=1, position=2)
    session.commit()

    full, thumb = files_of(store, picture())
    assert full.is_file() and thumb.is_file()
    assert photo.id is not None and photo.content_hash == full.name[:64]
    assert (photo.width, photo.height, photo.position) == (120, 80, 2)
    assert photo.byte_size == full.stat().st_size
    assert Image.open(thumb).size == (photo.thumb_width, photo.thumb_height)


def test_rollback_removes_the_files_and_the_row(session: Session, store: PhotoStore) -> None:
    save_photo(session, store, picture(), sighting_id=1)
    assert all(p.is_file() for p in files_of(store, picture()))
    session.rollback()

    assert all_files(store) == []
    assert photo_count(session) == 0


def test_closing_without_commit_removes_the_files(sessions: sessionmaker[Session], store: PhotoStore) -> None:
    session = sessions()
    save_photo(session, store, picture(), claim_id=1)
    session.close()
    assert all_files(store) == []


def test_failed_flush_leaves_no_files(session: Session, store: PhotoStore) -> None:
    with pytest.raises(IntegrityError):
        save_photo(session, store, picture(), claim_id=999)  # no such claim
    assert all_files(store) == []
    session.rollback()
    assert photo_count(session) == 0


def test_two_owners_is_refused_before_anything_is_written(session: Session, store: PhotoStore) -> None:
    with pytest.raises(ValueError):
        save_photo(session, store, picture(), claim_id=1, sighting_id=1)
    assert all_files(store) == []


def test_rollback_never_removes_a_file_an_earlier_row_uses(sessions: sessionmaker[Session], store: PhotoStore) -> None:
    with sessions() as first:
        save_photo(first, store, picture(), claim_id=1)
        first.commit()
    with sessions() as second:
        save_photo(second, store, picture(), sighting_id=1)  # same bytes: same files
        second.rollback()
    with sessions() as third, pytest.raises(IntegrityError):
        save_photo(third, store, picture(), claim_id=999)
    assert all(p.is_file() for p in files_of(store, picture()))


def test_only_the_files_of_the_rolled_back_transaction_go(session: Session, store: PhotoStore) -> None:
    save_photo(session, store, picture(1), claim_id=1)
    session.commit()
    save_photo(session, store, picture(2), claim_id=1)
    save_photo(session, store, picture(2), sighting_id=1)  # same new photo twice
    session.rollback()
    assert all_files(store) == sorted(files_of(store, picture(1)))


def test_savepoint_rollback_removes_only_its_files(session: Session, store: PhotoStore) -> None:
    save_photo(session, store, picture(1), claim_id=1)
    savepoint = session.begin_nested()
    save_photo(session, store, picture(2), claim_id=1)
    savepoint.rollback()
    assert all_files(store) == sorted(files_of(store, picture(1)))

    with session.begin_nested():
        save_photo(session, store, picture(3), claim_id=1)
    session.commit()
    assert all_files(store) == sorted(files_of(store, picture(1)) + files_of(store, picture(3)))
    assert photo_count(session) == 2


def test_released_savepoint_files_go_with_an_outer_rollback(session: Session, store: PhotoStore) -> None:
    # Write first: pysqlite does not BEGIN before a SAVEPOINT, so a leading
    # savepoint's RELEASE would commit (and the files would rightly stay).
    save_photo(session, store, picture(1), claim_id=1)
    with session.begin_nested():
        save_photo(session, store, picture(2), claim_id=1)
    session.rollback()
    assert all_files(store) == []
    assert photo_count(session) == 0


def test_commit_restores_a_reused_file_removed_meanwhile(session: Session, store: PhotoStore) -> None:
    # Another upload of the same photo created the files, then rolled back and removed them.
    save_photo(session, store, picture(), claim_id=1)
    for path in files_of(store, picture()):
        path.unlink()
    session.commit()
    assert all(p.is_file() for p in files_of(store, picture()))


@pytest.mark.parametrize("engine", ["file"], indirect=True)  # needs a second real connection
def test_rollback_keeps_files_a_concurrent_upload_committed(
    engine: Engine, session: Session, store: PhotoStore
) -> None:
    content_hash = process_image(picture()).content_hash

    def other_upload_commits(_session: Session) -> None:
        # Runs after this session's database rollback: another request's row lands.
        with engine.begin() as connection:
            connection.execute(
                insert(Photo).values(
                    content_hash=content_hash,
                    sighting_id=1,
                    width=1,
                    height=1,
                    thumb_width=1,
                    thumb_height=1,
                    byte_size=1,
                    position=0,
                )
            )

    save_photo(session, store, picture(), claim_id=1)
    event.listen(session, "after_rollback", other_upload_commits)
    session.rollback()
    assert all(p.is_file() for p in files_of(store, picture()))


# --- refusals ---


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (b"GIF89a" + b"\0" * 40, UnsupportedMedia),
        (b"not a photo at all", UnsupportedMedia),
        (picture()[:200], UnsupportedMedia),
    ],
)
def test_refused_uploads_raise_portal_errors(session: Session, store: PhotoStore, data: bytes, error: type) -> None:
    with pytest.raises(error) as caught:
        save_photo(session, store, data, claim_id=1)
    assert caught.value.code == "unsupported_media_type" and caught.value.status == 415
    assert all_files(store) == [] and photo_count(session) == 0


def test_too_many_pixels_is_payload_too_large(session: Session, store: PhotoStore) -> None:
    with pytest.raises(PayloadTooLarge) as caught:
        save_photo(session, store, picture(), claim_id=1, budget=PhotoBudget(PhotoLimits(max_pixels=5_000)))
    assert caught.value.code == "payload_too_large" and caught.value.status == 413
    assert all_files(store) == []


# --- orphan sweep ---


def test_delete_orphan_files_keeps_referenced_and_recent_files(session: Session, store: PhotoStore) -> None:
    save_photo(session, store, picture(1), claim_id=1)
    session.commit()
    orphan = process_image(picture(2))
    store.write(orphan.content_hash, "full", orphan.full)
    store.write(orphan.content_hash, "thumb", orphan.thumb)
    stale_temp = store.path_for(orphan.content_hash).parent / ".tmp-crashed"
    stale_temp.write_bytes(b"half a photo")
    stranger = store.root / "README.txt"
    stranger.write_text("not ours")

    assert delete_orphan_files(session, store) == 0  # all young: an upload may be in flight
    an_hour_ago = os.stat(stale_temp).st_mtime - 7200
    for path in all_files(store):
        os.utime(path, (an_hour_ago, an_hour_ago))

    assert delete_orphan_files(session, store) == 3
    assert all_files(store) == sorted([*files_of(store, picture(1)), stranger])


# --- a full disk: PhotoNotStored, and no file or row left ---


class _FullDisk:
    """Makes the ``nth`` call of a file-system operation fail as a full disk does (ENOSPC)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, call: str, nth: int) -> None:
        self.calls, self.nth = 0, nth
        owner, name = {
            "mkdir": (Path, "mkdir"),
            "mkstemp": (tempfile, "mkstemp"),
            "write": (os, "fdopen"),
            "fsync": (os, "fsync"),
            "link": (os, "link"),
        }[call]
        real = getattr(owner, name)

        def failing(*args: object, **kwargs: object) -> object:
            self.calls += 1
            if call == "write":  # the handle's write fails, as a buffered write to a full disk does
                return _FailingHandle(real(*args, **kwargs), self.calls == self.nth)
            if self.calls == self.nth:
                raise OSError(errno.ENOSPC, "No space left on device")
            return real(*args, **kwargs)

        monkeypatch.setattr(owner, name, failing)


class _FailingHandle:
    def __init__(self, handle: io.BufferedWriter, fail: bool) -> None:
        self.handle, self.fail = handle, fail

    def __enter__(self) -> _FailingHandle:
        return self

    def __exit__(self, *exc: object) -> None:
        self.handle.close()

    def write(self, data: bytes) -> int:
        if self.fail:
            raise OSError(errno.ENOSPC, "No space left on device")
        return self.handle.write(data)

    def flush(self) -> None:
        self.handle.flush()

    def fileno(self) -> int:
        return self.handle.fileno()


@pytest.mark.parametrize(
    ("call", "nth"),
    [("mkdir", 1), ("mkstemp", 1), ("write", 1), ("write", 2), ("fsync", 1), ("fsync", 2), ("link", 1), ("link", 2)],
    ids=lambda value: str(value),
)
def test_a_full_disk_raises_photo_not_stored_and_leaves_nothing(
    session: Session, store: PhotoStore, monkeypatch: pytest.MonkeyPatch, call: str, nth: int
) -> None:
    # The second call is the thumbnail's, after the full-size file was written.
    _FullDisk(monkeypatch, call, nth)
    with pytest.raises(PhotoNotStored) as caught:
        save_photo(session, store, picture(), claim_id=1)
    assert (caught.value.status, caught.value.code) == (503, "photo_not_stored")
    assert "NOT saved" in str(caught.value.message)
    assert all_files(store) == []  # no photo file, no temporary file
    session.rollback()
    assert photo_count(session) == 0


def test_a_link_refused_for_want_of_hard_links_still_stores(
    session: Session, store: PhotoStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_links(*args: object) -> None:
        raise OSError(errno.EPERM, "Operation not permitted")  # some mounted volumes have no hard links

    monkeypatch.setattr(os, "link", no_links)
    save_photo(session, store, picture(), claim_id=1)
    session.commit()
    assert all_files(store) == files_of(store, picture())


def test_a_full_disk_when_a_reused_file_is_written_again_at_commit_keeps_nothing(
    session: Session, store: PhotoStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    save_photo(session, store, picture(), claim_id=1)
    for path in all_files(store):  # a concurrent upload of the same photo rolled back meanwhile
        path.unlink()
    _FullDisk(monkeypatch, "fsync", 1)
    with pytest.raises(PhotoNotStored):
        session.commit()
    session.rollback()
    assert photo_count(session) == 0 and all_files(store) == []
    monkeypatch.undo()
    save_photo(session, store, picture(), claim_id=1)  # once there is room again, it is stored
    session.commit()
    assert photo_count(session) == 1 and len(all_files(store)) == 2
