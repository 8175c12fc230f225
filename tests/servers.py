"""Real gunicorn servers on loopback, and a client that signs in and posts forms as a
browser does: for tests that need a second app process on the same database, and for
the benchmarks (``bench/``)."""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import time
import urllib.parse
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
ATTEMPTS = 8


class _Token(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.token = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "input" and values.get("name") == "csrf_token":
            self.token = values.get("value") or ""


def csrf_token(page: str) -> str:
    parser = _Token()
    parser.feed(page)
    return parser.token


class Browser:
    """One client: its own cookie, its own connection, one request at a time."""

    def __init__(self, port: int, tally: Counter[str] | None = None) -> None:
        self.port = port
        self.cookie = ""
        self.token = ""
        self.tally: Counter[str] = Counter() if tally is None else tally
        self.headers: dict[str, str] = {}

    def raw(
        self, method: str, path: str, form: dict[str, Any] | None = None
    ) -> tuple[int, dict[str, str], bytes]:
        """One request: the status, the headers (lower-case names) and the body."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            body = None
            headers = {"Cookie": self.cookie} if self.cookie else {}
            if method == "POST":
                form = form or {}
                body = urllib.parse.urlencode({**form, "csrf_token": self.token}, doseq=True)
                headers["Content-Type"] = "application/x-www-form-urlencoded"
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            data = response.read()
            for header, value in response.getheaders():
                if header.lower() == "set-cookie" and value.startswith("clinic_session="):
                    self.cookie = value.split(";", 1)[0]
            return response.status, {k.lower(): v for k, v in response.getheaders()}, data
        finally:
            connection.close()

    def request(
        self, method: str, path: str, form: dict[str, Any] | None = None
    ) -> tuple[int, str, str]:
        """Sent again after a dropped connection or a 5xx, as a person would."""
        for attempt in range(ATTEMPTS):
            try:
                status, headers, data = self.raw(method, path, form)
            except (OSError, http.client.HTTPException):
                self.tally["dropped"] += 1
                time.sleep(0.2 * (attempt + 1))
                continue
            self.tally["requests"] += 1
            if status >= 500:
                self.tally["5xx"] += 1
                time.sleep(0.2 * (attempt + 1))
                continue
            self.headers = headers
            return status, headers.get("location", ""), data.decode("utf-8", "replace")
        raise RuntimeError(f"{method} {path}: no answer after {ATTEMPTS} attempts")

    def sign_in(self, username: str, password: str) -> None:
        _, _, page = self.request("GET", "/login")
        self.token = csrf_token(page)
        status, _, _ = self.request("POST", "/login", {"username": username, "password": password})
        if status != 302:
            raise RuntimeError(f"sign-in failed ({status})")
        _, _, home = self.request("GET", "/")
        self.token = csrf_token(home)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def gunicorn(
    url: str,
    instance: Path,
    port: int,
    workers: int = 1,
    app: str = "clinic.wsgi:app",
    **settings: str,
) -> Iterator[subprocess.Popen[bytes]]:
    """``app`` (the production entry point unless told) under gunicorn on ``port``, until
    the block ends."""
    environment = {
        **os.environ,
        "CLINIC_DATABASE_URL": url,
        "CLINIC_INSTANCE_PATH": str(instance),
        "CLINIC_SECRET_KEY": "b" * 48,
        "CLINIC_LOG_LEVEL": "WARNING",
        **settings,
    }
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--graceful-timeout",
            "2",
            "--log-level",
            "error",
            app,
        ],
        env=environment,
        cwd=ROOT,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if server.poll() is not None:
                    raise RuntimeError("gunicorn exited before it listened") from None
                time.sleep(0.2)
        yield server
    finally:
        server.terminate()
        server.wait(timeout=30)
