"""Template helpers of the intake: the header's emergency count, and labels for answers
and conditions."""

from __future__ import annotations

from typing import Any

from flask import request
from flask_login import current_user

from clinic.auth.roles import Role
from clinic.db import session_for_the_page
from clinic.intake.review import unreviewed_emergency_count
from clinic.screening.model import Condition


def emergency_count() -> dict[str, Any]:
    if request.endpoint == "static" or not current_user.is_authenticated:
        return {}
    if current_user.role not in (Role.THERAPIST, Role.FRONT_DESK):
        return {}
    # A count only: no patient data in the header.
    return {"emergency_count": unreviewed_emergency_count(session_for_the_page())}


def condition_label(value: str) -> str:
    try:
        return Condition(value).label
    except ValueError:
        return value.replace("_", " ").capitalize()
