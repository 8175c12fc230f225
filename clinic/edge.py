"""Input checked at the edge, before any view runs: one rule for ids and numbers, one
for the characters any text may hold, and forms only as forms.

- Ids in paths use the ``int`` converter below: a whole number from 1 to the largest a
  PostgreSQL ``integer`` holds. Anything else matches no route (404), never reaching a
  query that would overflow.
- Numbers in query strings and hidden fields go through ``whole_number``.
- NUL and other control characters (everything below U+0020 except tab, line feed and
  carriage return, and DEL) are refused in the path, the query string and form fields,
  names and values, with 400 and a message: PostgreSQL cannot store NUL in text, and no
  one types the others.
- Every POST the app answers is an HTML form: a JSON body is refused with 415 instead of
  being read as form fields it was never meant to fill.
"""

from __future__ import annotations

import re
from typing import Any

from flask import Flask, request
from werkzeug.routing import IntegerConverter, Map

from clinic.errors import DomainError

MAX_ID = 2**31 - 1
_WHOLE_NUMBER = re.compile(r"[0-9]{1,10}")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
FORM_TYPES = frozenset({"", "application/x-www-form-urlencoded", "multipart/form-data"})


class BadInputError(DomainError):
    status_code = 400


class UnsupportedBodyError(DomainError):
    status_code = 415


class IdConverter(IntegerConverter):
    """``<int:...>`` in every route: 1 to MAX_ID, digits only."""

    def __init__(self, url_map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min", 1)
        kwargs.setdefault("max", MAX_ID)
        super().__init__(url_map, *args, **kwargs)


def whole_number(text: object, maximum: int = MAX_ID) -> int | None:
    """The number a field or query value holds, if it is plain digits within range."""
    if not isinstance(text, str) or not _WHOLE_NUMBER.fullmatch(text):
        return None
    value = int(text)
    return value if value <= maximum else None


def int_arg(name: str) -> int | None:
    """A whole number from the query string (``?version=3``), or None."""
    return whole_number(request.args.get(name))


def has_control_characters(text: str) -> bool:
    return _CONTROL.search(text) is not None


def _check_request() -> None:
    if request.method == "POST" and request.mimetype not in FORM_TYPES:
        raise UnsupportedBodyError(
            "This address takes a form sent from its page. Go back to the page and try again."
        )
    texts = [request.path]
    sources = [request.args, request.form] if request.method == "POST" else [request.args]
    for source in sources:
        for key, values in source.lists():
            texts.append(key)
            texts.extend(values)
    if any(has_control_characters(text) for text in texts):
        raise BadInputError(
            "The request held characters that cannot be typed (such as a NUL or another "
            "control character). Remove them and try again."
        )


def init_app(app: Flask) -> None:
    """Before the blueprints are registered (their rules use the converter)."""
    app.url_map.converters["int"] = IdConverter
    app.before_request(_check_request)
