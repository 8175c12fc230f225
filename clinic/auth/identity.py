"""Plain records of who is signed in and who is acting; no ORM objects leave the services."""

from __future__ import annotations

from dataclasses import dataclass

from clinic.auth.roles import Role


@dataclass(frozen=True)
class SignedInStaff:
    """The Flask-Login user: a snapshot of the account, safe to hand to templates."""

    id: int
    username: str
    display_name: str
    role: Role
    session_version: int

    is_authenticated = True
    is_active = True
    is_anonymous = False

    def get_id(self) -> str:
        # The version makes a password reset or deactivation void every older cookie.
        return f"{self.id}:{self.session_version}"


@dataclass(frozen=True)
class Actor:
    """Who performs a use case, for permission checks and the audit log."""

    user_id: int | None
    username: str
    role: Role | None
    request_id: str | None = None
