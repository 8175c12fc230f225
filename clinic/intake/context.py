"""Template helpers of the intake: the header's emergency count, and labels for answers
and conditions."""

from __future__ import annotations

from typing import Any

from flask import g, request
from flask_login import current_user

from clinic.auth.roles import Role
from clinic.auth.session import PASSIVE_ENDPOINTS
from clinic.db import get_session, session_for_the_page
from clinic.intake.review import unreviewed_emergency_count
from clinic.screening.model import Condition

_COUNT_KEY = "emergency_count"


def _shows_the_count() -> bool:
    return bool(
        request.endpoint != "static"
        and current_user.is_authenticated
        and current_user.role in (Role.THERAPIST, Role.FRONT_DESK)
    )


def count_emergencies_first() -> None:
    """Before a page (GET) of staff who see the header's count: count in the request's
    own transaction, which signing in has begun, rather than in another after its
    commit. The count is as of the request's start; the alert poll keeps it current."""
    if (
        request.method == "GET"
        and request.endpoint not in PASSIVE_ENDPOINTS  # the alert poll counts for itself
        and _shows_the_count()
    ):
        setattr(g, _COUNT_KEY, unreviewed_emergency_count(get_session()))


def emergency_count() -> dict[str, Any]:
    if not _shows_the_count():
        return {}
    # A count only: no patient data in the header.
    counted = g.get(_COUNT_KEY)
    if counted is None:
        counted = unreviewed_emergency_count(session_for_the_page())
    return {"emergency_count": counted}


def condition_label(value: str) -> str:
    try:
        return Condition(value).label
    except ValueError:
        return value.replace("_", " ").capitalize()
