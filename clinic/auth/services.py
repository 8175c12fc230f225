"""Sign-in, throttling and account administration. Services flush; views commit."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from clinic.audit.models import AuditAction
from clinic.audit.services import record
from clinic.auth.identity import Actor, SignedInStaff
from clinic.auth.models import LoginThrottle, User
from clinic.auth.passwords import hash_password, password_problem, verify_password
from clinic.auth.roles import Role
from clinic.db import utcnow
from clinic.errors import ConflictError, FieldError, NotFoundError

USERNAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{2,63}$")

# One message for a wrong password, an unknown name and a deactivated account, and one
# for throttling that is shown the same way for real and invented names.
WRONG_CREDENTIALS = "The username or password is not right. Check them and try again."
THROTTLED = (
    "Too many unsuccessful sign-in attempts. Wait {minutes} minutes and try again, "
    "or ask an administrator to reset the password."
)


def normalise_username(username: str) -> str:
    return username.strip().lower()[:64]


def _snapshot(user: User) -> SignedInStaff:
    return SignedInStaff(
        id=user.id,
        username=user.username,
        display_name=user.display_name,
        role=user.role,
        session_version=user.session_version,
    )


@dataclass(frozen=True)
class SignInResult:
    staff: SignedInStaff | None
    message: str | None = None


@dataclass(frozen=True)
class ThrottlePolicy:
    max_attempts: int
    lockout: timedelta


def sign_in(
    session: Session,
    username: str,
    password: str,
    policy: ThrottlePolicy,
    request_id: str | None = None,
    now: datetime | None = None,
) -> SignInResult:
    now = now or utcnow()
    key = normalise_username(username)
    throttle = session.get(LoginThrottle, key)
    user = session.scalar(select(User).where(User.username == key))
    anonymous = Actor(user_id=None, username=key or "(blank)", role=None, request_id=request_id)
    failed_as = (
        Actor(user.id, user.username, user.role, request_id) if user is not None else anonymous
    )

    if throttle is not None and throttle.locked_until is not None and throttle.locked_until > now:
        record(session, failed_as, AuditAction.FAILED_LOGIN, detail="throttled")
        minutes = max(1, -(-int((throttle.locked_until - now).total_seconds()) // 60))
        return SignInResult(None, THROTTLED.format(minutes=minutes))

    usable = user is not None and user.active
    password_ok = verify_password(user.password_hash if usable and user else None, password)
    if usable and password_ok and user is not None:
        if throttle is not None:
            session.delete(throttle)
        user.last_login_at = now
        staff = _snapshot(user)
        record(session, Actor(user.id, user.username, user.role, request_id), AuditAction.LOGIN)
        return SignInResult(staff)

    if throttle is None:
        throttle = LoginThrottle(username_key=key, failures=0, window_started_at=now)
        session.add(throttle)
    elif now - throttle.window_started_at > policy.lockout:
        # The earlier failures are old: start counting again.
        throttle.failures = 0
        throttle.window_started_at = now
        throttle.locked_until = None
    throttle.failures += 1
    if throttle.failures >= policy.max_attempts:
        throttle.locked_until = now + policy.lockout
    detail = "account deactivated" if user is not None and not user.active else None
    record(session, failed_as, AuditAction.FAILED_LOGIN, detail=detail)
    return SignInResult(None, WRONG_CREDENTIALS)


def load_signed_in_staff(session: Session, token: str) -> SignedInStaff | None:
    """The staff member a session cookie names, if the account is still active and the
    cookie was issued after the last password reset or deactivation."""
    user_id, _, version = token.partition(":")
    if not (user_id.isdigit() and version.isdigit()):
        return None
    user = session.get(User, int(user_id))
    if user is None or not user.active or user.session_version != int(version):
        return None
    return _snapshot(user)


def record_sign_out(session: Session, actor: Actor) -> None:
    record(session, actor, AuditAction.LOGOUT)


@dataclass(frozen=True)
class UserRow:
    id: int
    username: str
    display_name: str
    role: Role
    active: bool
    last_login_at: datetime | None


def _row(user: User) -> UserRow:
    return UserRow(
        user.id, user.username, user.display_name, user.role, user.active, user.last_login_at
    )


def list_users(session: Session) -> list[UserRow]:
    users = session.scalars(select(User).order_by(User.active.desc(), User.username))
    return [_row(user) for user in users]


def get_user(session: Session, user_id: int) -> UserRow:
    return _row(_user(session, user_id))


def _user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFoundError("There is no such account.")
    return user


def _check_password(password: str, field: str = "password") -> None:
    problem = password_problem(password)
    if problem:
        raise FieldError(field, problem)


def create_user(
    session: Session,
    actor: Actor,
    username: str,
    display_name: str,
    role: Role,
    password: str,
) -> UserRow:
    key = normalise_username(username)
    if not USERNAME_PATTERN.match(key):
        raise FieldError(
            "username",
            "Username must be 3 to 64 characters: lower-case letters, digits, dots, "
            "dashes or underscores, starting with a letter or digit",
        )
    if session.scalar(select(User.id).where(User.username == key)) is not None:
        raise FieldError("username", "That username is already taken")
    _check_password(password)
    user = User(
        username=key,
        display_name=display_name.strip(),
        role=role,
        password_hash=hash_password(password),
    )
    session.add(user)
    session.flush()
    record(session, actor, AuditAction.CREATE, entity_type="user", entity_id=user.id)
    return _row(user)


def set_active(session: Session, actor: Actor, user_id: int, active: bool) -> UserRow:
    user = _user(session, user_id)
    if not active:
        if user.id == actor.user_id:
            raise ConflictError("You cannot deactivate your own account.")
        if user.role is Role.ADMIN and _active_admin_count(session) <= 1:
            raise ConflictError("This is the last active administrator account.")
        user.session_version += 1  # signs the account out everywhere
    user.active = active
    session.flush()
    record(
        session,
        actor,
        AuditAction.UPDATE,
        entity_type="user",
        entity_id=user.id,
        detail="activated" if active else "deactivated",
    )
    return _row(user)


def reset_password(session: Session, actor: Actor, user_id: int, password: str) -> UserRow:
    user = _user(session, user_id)
    _check_password(password)
    user.password_hash = hash_password(password)
    user.password_changed_at = utcnow()
    user.session_version += 1
    throttle = session.get(LoginThrottle, user.username)
    if throttle is not None:
        session.delete(throttle)
    session.flush()
    record(
        session,
        actor,
        AuditAction.UPDATE,
        entity_type="user",
        entity_id=user.id,
        detail="password reset",
    )
    return _row(user)


def _active_admin_count(session: Session) -> int:
    return (
        session.scalar(
            select(func.count()).select_from(User).where(User.role == Role.ADMIN, User.active)
        )
        or 0
    )
