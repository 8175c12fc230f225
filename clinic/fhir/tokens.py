"""Creating, listing, revoking and checking API tokens. Services: they take the session,
flush, and never commit."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from clinic.audit.models import AuditAction
from clinic.audit.services import record
from clinic.auth.identity import Actor
from clinic.auth.models import User
from clinic.errors import FieldError, NotFoundError
from clinic.fhir.models import ApiToken
from clinic.fhir.vocabulary import RESOURCE_TYPES

TOKEN_PREFIX = "clinic_"  # noqa: S105 (marks a token in logs and scanners)
API_ACTOR_PREFIX = "API token: "


@dataclass(frozen=True)
class ApiClient:
    """Who is reading through the API: the token's name and what it may read."""

    token_id: int
    name: str
    scopes: frozenset[str]

    def actor(self, request_id: str | None) -> Actor:
        # Audit entries name the token; no member of staff acts.
        return Actor(None, f"{API_ACTOR_PREFIX}{self.name}", None, request_id)

    def may_read(self, resource_type: str) -> bool:
        return resource_type in self.scopes


@dataclass(frozen=True)
class TokenView:
    id: int
    name: str
    prefix: str
    scopes: tuple[str, ...]
    created_at: datetime
    created_by: str
    last_used_at: datetime | None
    revoked_at: datetime | None
    revoked_by: str | None


@dataclass(frozen=True)
class CreatedToken:
    id: int
    name: str
    # Shown once; only its hash is stored.
    secret: str


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create_token(session: Session, actor: Actor, name: str, scopes: Iterable[str]) -> CreatedToken:
    name = " ".join(name.split())
    chosen = [scope for scope in RESOURCE_TYPES if scope in set(scopes)]
    if not name:
        raise FieldError("name", "Enter a name for the token, such as the system that uses it")
    if not chosen:
        raise FieldError("scopes", "Choose at least one kind of record the token may read")
    if session.scalar(select(ApiToken.id).where(ApiToken.name == name)) is not None:
        raise FieldError("name", "A token has that name already. Choose another name")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        name=name,
        token_hash=_hash(secret),
        prefix=secret[: len(TOKEN_PREFIX) + 4],
        scopes=chosen,
        created_by_id=actor.user_id,
    )
    session.add(token)
    session.flush()
    record(
        session,
        actor,
        AuditAction.CREATE,
        entity_type="api_token",
        entity_id=token.id,
        detail=f"API token {name!r} created, may read {', '.join(chosen)}",
    )
    return CreatedToken(token.id, name, secret)


def revoke_token(session: Session, actor: Actor, token_id: int, now: datetime) -> str:
    """Revoke a token at once (its next request is refused); returns its name."""
    token = session.get(ApiToken, token_id)
    if token is None:
        raise NotFoundError("There is no such API token.")
    if token.revoked_at is None:
        token.revoked_at = now
        token.revoked_by_id = actor.user_id
        session.flush()
        record(
            session,
            actor,
            AuditAction.UPDATE,
            entity_type="api_token",
            entity_id=token.id,
            detail=f"API token {token.name!r} revoked",
        )
    return token.name


def list_tokens(session: Session) -> list[TokenView]:
    creator, revoker = aliased(User), aliased(User)
    rows = session.execute(
        select(ApiToken, creator.display_name, revoker.display_name)
        .outerjoin(creator, creator.id == ApiToken.created_by_id)
        .outerjoin(revoker, revoker.id == ApiToken.revoked_by_id)
        .order_by(ApiToken.revoked_at.is_not(None), ApiToken.name)
    )
    return [
        TokenView(
            token.id,
            token.name,
            token.prefix,
            tuple(token.scopes),
            token.created_at,
            created_by or "(command line)",
            token.last_used_at,
            token.revoked_at,
            revoked_by,
        )
        for token, created_by, revoked_by in rows
    ]


class TokenRefusedError(Exception):
    """A request's token is missing, unknown or revoked (401)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def authenticate(session: Session, authorization: str | None, now: datetime) -> ApiClient:
    """The client an ``Authorization: Bearer`` header names, or TokenRefusedError."""
    scheme, _, presented = (authorization or "").partition(" ")
    presented = presented.strip()
    if scheme.lower() != "bearer" or not presented:
        raise TokenRefusedError("Send an API token as 'Authorization: Bearer <token>'.")
    digest = _hash(presented)
    token = session.scalar(select(ApiToken).where(ApiToken.token_hash == digest))
    # The lookup is by hash; the comparison repeats it in constant time all the same.
    if token is None or not hmac.compare_digest(token.token_hash, digest):
        raise TokenRefusedError("That API token is not known here.")
    if token.revoked_at is not None:
        raise TokenRefusedError("That API token has been revoked.")
    token.last_used_at = now
    return ApiClient(token.id, token.name, frozenset(token.scopes))
