"""Helpers for page tests: sign in, submit forms with their CSRF token, read the HTML."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bs4 import BeautifulSoup
from click.testing import CliRunner, Result
from flask.testing import FlaskClient
from sqlalchemy import func, select
from werkzeug.test import TestResponse

TEST_PASSWORD = "test-password-long-enough"


def html(response: TestResponse) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def text_of(response: TestResponse) -> str:
    return " ".join(html(response).get_text(" ").split())


def field_error(response: TestResponse, field_id: str) -> str | None:
    """The error message shown next to a field, or None."""
    element = html(response).find(id=f"{field_id}-error")
    return " ".join(element.get_text(" ").split()).removeprefix("Error: ") if element else None


def error_summary(response: TestResponse) -> list[str]:
    summary = html(response).select(".error-summary__list li")
    return [" ".join(item.get_text(" ").split()) for item in summary]


def input_value(response: TestResponse, field_id: str) -> str | None:
    element = html(response).find(id=field_id)
    if element is None:
        return None
    if element.name == "textarea":
        return str(element.get_text())
    value = element.get("value")
    return None if value is None else str(value)


def form_values(response: TestResponse, form: str) -> dict[str, Any]:
    """The fields of the form matching the CSS selector ``form``, as a browser would send
    them unchanged (no CSRF token, no file: the caller adds what it needs)."""
    data: dict[str, Any] = {}
    for element in html(response).select(f"{form} input, {form} textarea, {form} select"):
        name = element.get("name")
        if not name or name == "csrf_token" or element.get("type") == "file":
            continue
        if element.name == "textarea":
            # A browser drops the newline that opens a textarea's content.
            data[name] = element.get_text().removeprefix("\r\n").removeprefix("\n")
        elif element.name == "select":
            chosen = element.find("option", selected=True) or element.find("option")
            data[name] = chosen.get("value", "")
        elif element.get("type") == "checkbox":
            if element.has_attr("checked"):
                data.setdefault(name, []).append(element.get("value", "y"))
        else:
            data[name] = element.get("value", "")
    return data


class PageClient:
    """The Flask test client, driven the way a browser drives the forms."""

    def __init__(self, client: FlaskClient, form_page: str = "/login") -> None:
        self.client = client
        # A page that always carries a form (and so a CSRF token) for this client.
        self.form_page = form_page

    def csrf_token(self) -> str:
        # The sign-in page (or, once signed in, the sign-out button) carries a token.
        response = self.client.get(self.form_page, follow_redirects=True)
        token = html(response).find("input", attrs={"name": "csrf_token"})
        if token is None:
            raise AssertionError("no CSRF token on the page")
        return str(token["value"])

    def get(self, url: str, **kwargs: Any) -> TestResponse:
        return self.client.get(url, **kwargs)

    def post(self, url: str, data: dict[str, Any] | None = None, **kwargs: Any) -> TestResponse:
        return self.client.post(
            url, data={**(data or {}), "csrf_token": self.csrf_token()}, **kwargs
        )

    def login(self, username: str, password: str = TEST_PASSWORD) -> TestResponse:
        return self.post("/login", {"username": username, "password": password})


def run_cli(url: str, instance: Path, *args: str, input: str | None = None, **env: str) -> Result:
    """The `clinic` command against the database at ``url``."""
    from clinic.cli import cli

    environment = {"CLINIC_DATABASE_URL": url, "CLINIC_INSTANCE_PATH": str(instance), **env}
    return CliRunner().invoke(cli, list(args), env=environment, input=input, catch_exceptions=False)


def count_rows(url: str, model: type[Any]) -> int:
    """How many rows the table of ``model`` holds in the database at ``url``."""
    from clinic.db import make_engine

    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return connection.scalar(select(func.count()).select_from(model)) or 0
    finally:
        engine.dispose()


def listings(session: Any, where: str) -> list[set[int]]:
    """The patients named by each list-view audit entry for ``where`` ("search results",
    "review queue"...), oldest first: one entry per view, naming every patient shown."""
    from clinic.audit.models import AuditEvent

    rows = session.scalars(
        select(AuditEvent.patient_ids)
        .where(AuditEvent.detail.endswith(f"listed in {where}"))
        .order_by(AuditEvent.id)
    )
    return [{int(part) for part in ids.strip(",").split(",")} for ids in rows if ids]
