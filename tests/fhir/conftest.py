from __future__ import annotations

from collections.abc import Iterable

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session
from werkzeug.test import TestResponse

from clinic.auth.identity import Actor
from clinic.auth.models import User
from clinic.fhir.tokens import create_token
from clinic.fhir.vocabulary import RESOURCE_TYPES

BASE_URL = "https://clinic.example.org/fhir"


@pytest.fixture
def app_overrides(app_overrides: dict[str, object]) -> dict[str, object]:
    return {**app_overrides, "FHIR_BASE_URL": BASE_URL}


class Api:
    """The FHIR API as another system calls it: a bearer token, no cookies."""

    def __init__(self, client: FlaskClient, token: str) -> None:
        self.client = client
        self.token = token

    def get(self, path: str, token: str | None = None) -> TestResponse:
        return self.client.get(
            f"/fhir/{path}", headers={"Authorization": f"Bearer {token or self.token}"}
        )


def make_token(session: Session, admin: User, name: str, scopes: Iterable[str]) -> str:
    actor = Actor(admin.id, admin.username, admin.role)
    return create_token(session, actor, name, scopes).secret


@pytest.fixture
def api(app: object, client: FlaskClient, db_session: Session, admin: User) -> Api:
    return Api(client, make_token(db_session, admin, "GP practice link", RESOURCE_TYPES))
