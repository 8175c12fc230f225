"""Sign-in, throttling and account administration. Services flush; views commit."""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from clinic.audit.models import AuditAction
from clinic.audit.services import record
from clinic.auth.identity import Actor, SignedInStaff
from clinic.auth.models import SessionEnd, StaffSession, Throttle, User
from clinic.auth.passwords import hash_password, password_problem, verify_password
from clinic.auth.roles import Role
from clinic.auth.throttling import Backoff, Scope, wait_message
from clinic.db import utcnow
from clinic.errors import ConflictError, FieldError, NotFoundError

USERNAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{2,63}$")

# One message for a wrong password, an unknown name and a deactivated account, and one
# for throttling that is shown the same way for real and invented names.
WRONG_CREDENTIALS = "The username or password is not right. Check them and try again."
THROTTLED = (
    "Too many unsuccessful sign-in attempts. Wait {wait} and try again, "
    "or ask an administrator to reset the password."
)


def normalise_username(username: str) -> str:
    return username.strip().lower()[:64]


def _snapshot(user: User) -> SignedInStaff:
    return SignedInStaff(
        id=user.id, username=user.username, display_name=user.display_name, role=user.role
    )


# Throttling ---------------------------------------------------------------------------

UNKNOWN_USERNAME = "(unknown username)"


def _throttle_key(scope: Scope, address: str, username_key: str) -> dict[str, object]:
    return {"scope": scope, "address": address[:64], "username_key": username_key[:64]}


def _locked_throttle(
    session: Session, scope: Scope, address: str, username_key: str, now: datetime
) -> Throttle:
    """The throttle row, created if missing and locked until the transaction ends, so
    concurrent failures each count (PostgreSQL row lock; SQLite writes one at a time)."""
    key = _throttle_key(scope, address, username_key)
    insert = postgresql_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    session.execute(
        insert(Throttle)
        .values(**key, failures=0, refused=0, first_failure_at=now, last_failure_at=now)
        .on_conflict_do_nothing()
    )
    query = select(Throttle).filter_by(**key).with_for_update()
    return session.scalars(query.execution_options(populate_existing=True)).one()


def throttle_wait(
    session: Session, scope: Scope, address: str, username_key: str, now: datetime
) -> timedelta:
    """How long the next attempt must still wait (zero when it may go ahead)."""
    throttle = session.get(Throttle, tuple(_throttle_key(scope, address, username_key).values()))
    if throttle is None or throttle.wait_until is None or throttle.wait_until <= now:
        return timedelta(0)
    return throttle.wait_until - now


def refuse_attempt(
    session: Session, scope: Scope, address: str, username_key: str, now: datetime
) -> None:
    """Count an attempt that came too early (shown to administrators, not audited one by
    one: a flood of refused attempts must not flood the audit log)."""
    _locked_throttle(session, scope, address, username_key, now).refused += 1


def record_failure(
    session: Session,
    scope: Scope,
    backoff: Backoff,
    address: str,
    username_key: str,
    now: datetime,
) -> int:
    """Count a failed attempt and set the wait before the next one; the count."""
    throttle = _locked_throttle(session, scope, address, username_key, now)
    counted = backoff.counts_from(throttle.failures, throttle.last_failure_at, now)
    if counted == 0:
        throttle.first_failure_at = now
        throttle.refused = 0
    throttle.failures = counted + 1
    throttle.last_failure_at = now
    wait = backoff.wait_after(throttle.failures)
    throttle.wait_until = now + wait if wait else None
    return throttle.failures


def forget_failures(session: Session, scope: Scope, address: str, username_key: str) -> None:
    session.execute(delete(Throttle).filter_by(**_throttle_key(scope, address, username_key)))


# Signing in ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SignInResult:
    staff: SignedInStaff | None
    message: str | None = None


@dataclass(frozen=True)
class SignInPolicy:
    per_address: Backoff  # one address trying one username
    per_account: Backoff  # one username from every address: short waits only


def sign_in(
    session: Session,
    username: str,
    password: str,
    policy: SignInPolicy,
    address: str,
    now: datetime,
    request_id: str | None = None,
) -> SignInResult:
    """Check a username and password. Failures slow down the next attempt from the same
    address for the same name (growing waits) and, more gently, attempts for the name
    from anywhere: an attacker elsewhere can delay a colleague by a minute at most, never
    lock them out."""
    key = normalise_username(username)
    wait = max(
        throttle_wait(session, Scope.SIGN_IN, address, key, now),
        throttle_wait(session, Scope.ACCOUNT, "", key, now),
    )
    if wait:
        refuse_attempt(session, Scope.SIGN_IN, address, key, now)
        return SignInResult(None, THROTTLED.format(wait=wait_message(wait)))

    user = session.scalar(select(User).where(User.username == key))
    usable = user is not None and user.active
    password_ok = verify_password(user.password_hash if usable and user else None, password)
    if usable and password_ok and user is not None:
        forget_failures(session, Scope.SIGN_IN, address, key)
        user.last_login_at = now
        record(session, Actor(user.id, user.username, user.role, request_id), AuditAction.LOGIN)
        return SignInResult(_snapshot(user))

    record_failure(session, Scope.SIGN_IN, policy.per_address, address, key, now)
    record_failure(session, Scope.ACCOUNT, policy.per_account, "", key, now)
    # An unknown name is not written to the audit log as a username: it may be anything
    # (a password typed into the wrong box), and it is nobody on the staff.
    failed_as = (
        Actor(user.id, user.username, user.role, request_id)
        if user is not None
        else Actor(None, UNKNOWN_USERNAME, None, request_id)
    )
    detail = "account deactivated" if user is not None and not user.active else None
    record(session, failed_as, AuditAction.FAILED_LOGIN, detail=detail)
    return SignInResult(None, WRONG_CREDENTIALS)


@dataclass(frozen=True)
class AttackRow:
    """Recent failed sign-ins for one account (or, in one row, for names that are not
    accounts), for the administrators."""

    username: str | None  # None: names that are not accounts
    failures: int
    refused: int
    addresses: int
    first_failure_at: datetime
    last_failure_at: datetime
    waiting_until: datetime | None


def accounts_under_attack(session: Session, backoff: Backoff, now: datetime) -> list[AttackRow]:
    """Accounts with failed sign-ins that still count, most failures first."""
    since = now - backoff.forget_after
    accounts = set(session.scalars(select(User.username)))
    per_address = session.execute(
        select(
            Throttle.username_key,
            func.count(),
            func.sum(Throttle.refused),
        )
        .where(Throttle.scope == Scope.SIGN_IN, Throttle.last_failure_at >= since)
        .group_by(Throttle.username_key)
    ).all()
    addresses = {name: (count, refused or 0) for name, count, refused in per_address}
    rows: list[AttackRow] = []
    unknown: list[Throttle] = []
    for throttle in session.scalars(
        select(Throttle).where(Throttle.scope == Scope.ACCOUNT, Throttle.last_failure_at >= since)
    ):
        if throttle.username_key not in accounts:
            unknown.append(throttle)
            continue
        count, refused = addresses.get(throttle.username_key, (0, 0))
        waiting = throttle.wait_until if throttle.wait_until and throttle.wait_until > now else None
        rows.append(
            AttackRow(
                throttle.username_key,
                throttle.failures,
                refused,
                count,
                throttle.first_failure_at,
                throttle.last_failure_at,
                waiting,
            )
        )
    rows.sort(key=lambda row: (-row.failures, row.username or ""))
    if unknown:
        rows.append(
            AttackRow(
                None,
                sum(t.failures for t in unknown),
                sum(addresses.get(t.username_key, (0, 0))[1] for t in unknown),
                sum(addresses.get(t.username_key, (0, 0))[0] for t in unknown),
                min(t.first_failure_at for t in unknown),
                max(t.last_failure_at for t in unknown),
                None,
            )
        )
    return rows


# Sessions held on the server ----------------------------------------------------------


@dataclass(frozen=True)
class SessionPolicy:
    idle: timedelta
    lifetime: timedelta  # however active, a session ends this long after sign-in
    # last_seen_at is written at most this often (not on every request).
    touch_every: timedelta = timedelta(seconds=30)


@dataclass(frozen=True)
class ResumedSession:
    staff: SignedInStaff | None
    ended: SessionEnd | None = None  # why it ended just now (idle, expired), if it did


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def open_session(session: Session, staff: SignedInStaff, now: datetime) -> str:
    """A new server-side session for a successful sign-in; the token for the cookie."""
    token = secrets.token_urlsafe(32)
    session.add(
        StaffSession(
            token_hash=_token_hash(token), user_id=staff.id, started_at=now, last_seen_at=now
        )
    )
    session.flush()
    return token


def resume_session(
    session: Session, token: str, policy: SessionPolicy, now: datetime, active: bool
) -> ResumedSession:
    """The staff member whose session the cookie's token names, if it is still open. A
    session past its idle timeout or lifetime is ended here. ``active``: the request is
    the user's own activity (not a page polling by itself), which keeps the session alive."""
    row = session.execute(
        select(StaffSession, User)
        .join(User, User.id == StaffSession.user_id)
        .where(StaffSession.token_hash == _token_hash(token))
    ).one_or_none()
    if row is None:
        return ResumedSession(None)
    staff_session, user = row
    if staff_session.ended_at is not None or not user.active:
        return ResumedSession(None)
    ended = None
    if now - staff_session.started_at > policy.lifetime:
        ended = SessionEnd.EXPIRED
    elif now - staff_session.last_seen_at > policy.idle:
        ended = SessionEnd.IDLE
    if ended is not None:
        staff_session.ended_at = now
        staff_session.end_reason = ended
        return ResumedSession(None, ended)
    if active and now - staff_session.last_seen_at >= policy.touch_every:
        staff_session.last_seen_at = now
    return ResumedSession(_snapshot(user))


def close_session(session: Session, token: str, now: datetime) -> None:
    session.execute(
        update(StaffSession)
        .where(StaffSession.token_hash == _token_hash(token), StaffSession.ended_at.is_(None))
        .values(ended_at=now, end_reason=SessionEnd.SIGNED_OUT)
    )


def _end_sessions_of(session: Session, user_id: int, reason: SessionEnd) -> None:
    session.execute(
        update(StaffSession)
        .where(StaffSession.user_id == user_id, StaffSession.ended_at.is_(None))
        .values(ended_at=utcnow(), end_reason=reason)
    )


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
        _end_sessions_of(session, user.id, SessionEnd.DEACTIVATED)  # signed out everywhere
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
    _end_sessions_of(session, user.id, SessionEnd.PASSWORD_RESET)
    # A new password is a fresh start: earlier failures for the name no longer slow it.
    session.execute(delete(Throttle).where(Throttle.username_key == user.username))
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
