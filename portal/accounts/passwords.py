"""Password hashing with argon2id (argon2-cffi); parameters upgrade themselves on login."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_default = PasswordHasher()  # RFC 9106 low-memory profile: argon2id, t=3, m=64 MiB
# Tests only: same algorithm, tiny cost, so the suite stays fast.
_fast = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
_hasher = _default

MIN_LENGTH = 10
MAX_LENGTH = 256


def use_fast_hashes(fast: bool) -> None:
    """Switch to cheap parameters (test configuration only)."""
    global _hasher
    _hasher = _fast if fast else _default


def hash_password(password: str) -> str:
    """Return an argon2id hash of ``password``."""
    return _hasher.hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    """True when ``password`` matches ``stored_hash``; never raises on a bad hash."""
    try:
        return _hasher.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    """True when the hash was made with weaker parameters than the current ones."""
    try:
        return _hasher.check_needs_rehash(stored_hash)
    except InvalidHashError:
        return True


# A hash to verify against when the email is unknown, so timing does not reveal accounts.
DUMMY_HASH = _default.hash("not-a-real-password")
