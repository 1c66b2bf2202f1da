"""The archive: an uncompressed tar holding a manifest, one gzip'd JSON-lines file per table, the photos.

    tables/0001-country.jsonl.gz   ...  in dependency order (Base.metadata.sorted_tables)
    photos/ab/cd/<sha256>.jpg      ...  laid out as in PHOTO_DIR (portal.photos.storage)
    manifest.json                       written last: format, revision, counts and checksums

Nothing in it is trusted before it is checked: ``verify`` reads every member once, compares each
with the manifest, and refuses unknown members, links and paths, before a restore writes anything.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import io
import json
import os
import re
import tarfile
import tempfile
import zlib
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO

FORMAT = "portal-backup"
VERSION = 1
MANIFEST = "manifest.json"
_PHOTO_MEMBER = re.compile(r"photos/[0-9a-f]{2}/[0-9a-f]{2}/([0-9a-f]{64})(\.jpg|\.thumb\.jpg)")
_CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why (it names no person)."""


@dataclass
class TableEntry:
    """One table in the archive."""

    name: str
    file: str
    columns: list[str]
    rows: int
    sha256: str


@dataclass
class PhotoEntry:
    """One photo file in the archive."""

    file: str
    bytes: int
    sha256: str


@dataclass
class Manifest:
    """What the archive holds, and the checksum of each part."""

    created_at: str
    revision: str
    dialect: str
    tables: list[TableEntry] = field(default_factory=list)
    photos: list[PhotoEntry] = field(default_factory=list)
    missing_photos: int = 0
    format: str = FORMAT
    version: int = VERSION

    def to_bytes(self) -> bytes:
        """The manifest as JSON."""
        return json.dumps(asdict(self), indent=1, sort_keys=True).encode("utf-8")

    @classmethod
    def from_bytes(cls, data: bytes) -> Manifest:
        """Parse a manifest; BackupError if it is not one this portal can read."""
        try:
            raw = json.loads(data)
            if raw.get("format") != FORMAT or raw.get("version") != VERSION:
                raise BackupError(f"not a {FORMAT} archive of version {VERSION}")
            tables = [TableEntry(**t) for t in raw.pop("tables")]
            photos = [PhotoEntry(**p) for p in raw.pop("photos")]
            return cls(tables=tables, photos=photos, **raw)
        except (ValueError, TypeError, KeyError, AttributeError) as error:
            raise BackupError("the archive's manifest is damaged") from error


def photo_member(relative: str) -> str:
    """The member name of a photo file at ``relative`` (to PHOTO_DIR)."""
    return f"photos/{relative}"


def photo_key(member: str) -> tuple[str, str]:
    """(content hash, "full" or "thumb") of a photo member; BackupError for any other name."""
    match = _PHOTO_MEMBER.fullmatch(member)
    if match is None:
        raise BackupError("the archive names a photo file outside the photo layout")
    return match.group(1), "thumb" if match.group(2) == ".thumb.jpg" else "full"


class Writer:
    """Builds an archive in a private temporary file next to ``path``; ``commit`` moves it into place."""

    def __init__(self, path: Path) -> None:
        if path.exists():
            raise BackupError(f"{path} exists already; choose a new file name")
        if not path.parent.is_dir():
            raise BackupError(f"the folder {path.parent} does not exist")
        # mkstemp makes the file 0600: it holds personal data from its first byte.
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".portal-backup-", suffix=".tmp")
        self.path, self.temp = path, Path(temp)
        self.handle = os.fdopen(fd, "wb")
        self.tar = tarfile.open(fileobj=self.handle, mode="w", format=tarfile.PAX_FORMAT)  # noqa: SIM115 - closed by commit or abort

    def add_file(self, name: str, source: Path) -> None:
        """Add the file ``source`` as member ``name``."""
        with source.open("rb") as data:
            self.tar.addfile(self._info(name, source.stat().st_size), data)

    def add_bytes(self, name: str, data: bytes) -> None:
        """Add ``data`` as member ``name``."""
        self.tar.addfile(self._info(name, len(data)), io.BytesIO(data))

    @staticmethod
    def _info(name: str, size: int) -> tarfile.TarInfo:
        info = tarfile.TarInfo(name)
        info.size, info.mode = size, 0o600
        return info

    def commit(self) -> None:
        """Finish the archive and give it its name, atomically."""
        self.tar.close()
        self.handle.flush()
        os.fsync(self.handle.fileno())
        self.handle.close()
        os.chmod(self.temp, 0o600)
        os.replace(self.temp, self.path)

    def abort(self) -> None:
        """Remove the unfinished archive."""
        with contextlib.suppress(Exception):
            self.tar.close()
        self.handle.close()
        self.temp.unlink(missing_ok=True)


def sha256_of(stream: IO[bytes]) -> tuple[int, str]:
    """(bytes, SHA-256) of what ``stream`` holds."""
    digest, size = hashlib.sha256(), 0
    while chunk := stream.read(_CHUNK):
        digest.update(chunk)
        size += len(chunk)
    return size, digest.hexdigest()


class Reader:
    """An archive opened for reading; every member is looked up by the manifest's names only."""

    def __init__(self, path: Path) -> None:
        try:
            self.tar = tarfile.open(path, mode="r:")  # noqa: SIM115 - closed by close()
            self.members = {m.name: m for m in self.tar.getmembers()}
        except (OSError, tarfile.TarError) as error:
            raise BackupError(f"{path} is not a readable backup archive") from error
        self.manifest = Manifest.from_bytes(self.read(MANIFEST))

    def close(self) -> None:
        """Close the archive."""
        self.tar.close()

    def _open(self, name: str) -> IO[bytes]:
        member = self.members.get(name)
        if member is None or not member.isfile():
            raise BackupError(f"the archive lacks {name}")
        stream = self.tar.extractfile(member)
        if stream is None:
            raise BackupError(f"the archive lacks {name}")
        return stream

    def read(self, name: str) -> bytes:
        """The whole of a (small) member."""
        return self._open(name).read()

    def photo(self, entry: PhotoEntry) -> bytes:
        """A photo's bytes."""
        return self.read(entry.file)

    def lines(self, entry: TableEntry) -> Iterator[bytes]:
        """A table's canonical lines, without their newlines."""
        try:
            with gzip.open(self._open(entry.file), "rb") as data:
                for line in data:
                    yield line.rstrip(b"\n")
        except (OSError, EOFError, zlib.error) as error:  # BadGzipFile is an OSError
            raise BackupError(f"the archive's file {entry.file} is damaged") from error

    def verify(self) -> None:
        """Check every member against the manifest; BackupError at the first difference."""
        expected = {MANIFEST} | {t.file for t in self.manifest.tables} | {p.file for p in self.manifest.photos}
        if set(self.members) != expected:
            raise BackupError("the archive holds files its manifest does not list, or lacks some it lists")
        for table in self.manifest.tables:
            digest, rows = hashlib.sha256(), 0
            for line in self.lines(table):
                digest.update(line + b"\n")
                rows += 1
            if (rows, digest.hexdigest()) != (table.rows, table.sha256):
                raise BackupError(f"the archive's table {table.name} does not match its checksum")
        for photo in self.manifest.photos:
            photo_key(photo.file)
            if sha256_of(self._open(photo.file)) != (photo.bytes, photo.sha256):
                raise BackupError(f"the archive's photo file {photo.file} does not match its checksum")


def gzip_lines(lines: Iterator[bytes], target: Path) -> tuple[int, str]:
    """Write canonical lines gzip'd to ``target``; (rows, SHA-256 of the uncompressed lines)."""
    digest, rows = hashlib.sha256(), 0
    with target.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as out:
        for line in lines:
            out.write(line + b"\n")
            digest.update(line + b"\n")
            rows += 1
    return rows, digest.hexdigest()
