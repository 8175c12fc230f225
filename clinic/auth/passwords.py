"""Password hashing (scrypt, through Werkzeug) and the password policy."""

from __future__ import annotations

from werkzeug.security import check_password_hash, generate_password_hash

MINIMUM_LENGTH = 12
MAXIMUM_LENGTH = 256

# Verified against when the username is unknown, so an unknown name costs the same time
# as a wrong password and timing reveals nothing.
_DUMMY_HASH: str | None = None


def hash_password(password: str) -> str:
    return generate_password_hash(password, method="scrypt")


def verify_password(password_hash: str | None, password: str) -> bool:
    global _DUMMY_HASH
    if password_hash is None:
        if _DUMMY_HASH is None:
            _DUMMY_HASH = hash_password("not-a-real-password-for-timing")
        check_password_hash(_DUMMY_HASH, password)
        return False
    return check_password_hash(password_hash, password)


def password_problem(password: str) -> str | None:
    """Why ``password`` is not acceptable, or None."""
    if len(password) < MINIMUM_LENGTH:
        return f"Password must be at least {MINIMUM_LENGTH} characters long"
    if len(password) > MAXIMUM_LENGTH:
        return f"Password must be {MAXIMUM_LENGTH} characters or fewer"
    if password.strip() != password:
        return "Password must not start or end with a space"
    return None
