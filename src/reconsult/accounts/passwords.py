"""Hash and check passwords with argon2id, and say plainly what is wrong with a new one.

argon2-cffi's defaults are the RFC 9106 low-memory profile (argon2id, 3
passes, 64 MiB, 4 lanes): about 0.12 s per hash here, so callers run it in
a thread and rate-limit sign-in. Tests pass a cheaper hasher.
"""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from reconsult.i18n import gettext as _

__all__ = [
    "MAX_LENGTH",
    "MIN_LENGTH",
    "PasswordHasher",
    "check_password",
    "default_hasher",
    "password_problem",
]

# NIST SP 800-63B s.3.1.1.2: at least 8 characters when chosen by a person, no
# composition rules, allow at least 64. We ask for 10 and accept 200.
MIN_LENGTH = 10
MAX_LENGTH = 200


def default_hasher() -> PasswordHasher:
    """Return argon2-cffi's default argon2id hasher (RFC 9106 low-memory profile)."""
    return PasswordHasher()


def password_problem(password: str, *, email: str = "") -> str | None:
    """Return why ``password`` cannot be used, in plain words, or None if it can."""
    if len(password) < MIN_LENGTH:
        return _("Choose a password of at least %(length)s characters") % {"length": MIN_LENGTH}
    if len(password) > MAX_LENGTH:
        return _("Choose a password of at most %(length)s characters") % {"length": MAX_LENGTH}
    if password.strip() == "":
        return _("Choose a password that is not only spaces")
    if email and password.strip().lower() == email.strip().lower():
        return _("Choose a password that is not your email address")
    return None


def check_password(hasher: PasswordHasher, stored_hash: str, password: str) -> bool:
    """Return whether ``password`` matches ``stored_hash``; a damaged hash never matches."""
    try:
        return hasher.verify(stored_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False
