"""Every page and handout the tests render is scanned for the names of our own reference
material ("clinical.md §9.2", "Seed articles 000 and 001"): users see the guidelines, never
the project's files. The scan hooks into the app, so it covers every response of every
test (page tests, browser tests, PDFs read back as text), not a list of chosen pages."""

from __future__ import annotations

import io
import re

import pypdf
from flask import Flask, Response, request

FORBIDDEN = re.compile(
    r"clinical\.md|seed[ -](?:articles?|documents?)|reference/clinical|\.\./shared|STYLE\.md",
    re.IGNORECASE,
)
LEAKS_KEY = "internal_reference_leaks"


def response_text(response: Response) -> str | None:
    if response.direct_passthrough or response.is_streamed:
        return None
    if response.mimetype == "application/pdf":
        reader = pypdf.PdfReader(io.BytesIO(response.get_data()))
        return " ".join(page.extract_text() or "" for page in reader.pages)
    if response.mimetype in {"text/html", "application/json", "text/plain", "image/svg+xml"}:
        return response.get_data(as_text=True)
    return None


def watch(app: Flask) -> list[str]:
    """Record each response that names internal reference material; returns the list."""
    leaks: list[str] = app.extensions.setdefault(LEAKS_KEY, [])

    @app.after_request
    def scan(response: Response) -> Response:
        text = response_text(response)
        if text is not None:
            found = FORBIDDEN.search(text)
            if found is not None:
                start = max(0, found.start() - 60)
                leaks.append(
                    f"{request.method} {request.path}: ...{text[start : found.end() + 60]}..."
                )
        return response

    return leaks
