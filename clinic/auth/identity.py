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

    is_authenticated = True
    is_active = True
    is_anonymous = False

    def get_id(self) -> str:
        # Not what identifies the session: that is the server-side session's token
        # (clinic.auth.session), checked on every request.
        return str(self.id)


@dataclass(frozen=True)
class Actor:
    """Who performs a use case, for permission checks and the audit log."""

    user_id: int | None
    username: str
    role: Role | None
    request_id: str | None = None


# Who acts when no member of staff does: the audit log names them, and its staff filter
# offers them beside the accounts (and nothing else: never a name typed at sign-in).
KIOSK_ACTOR_NAME = "(kiosk)"
COMMAND_LINE_ACTOR_NAME = "(command line)"
DEMO_LOADER_ACTOR_NAME = "(demo loader)"
SYSTEM_ACTOR_NAMES = (KIOSK_ACTOR_NAME, COMMAND_LINE_ACTOR_NAME, DEMO_LOADER_ACTOR_NAME)
