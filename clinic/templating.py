"""Jinja filters: dates and times as people in the clinic read them, and sources as
users may see them."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo


def format_date(value: date | None) -> str:
    return "" if value is None else f"{value.day} {value:%B %Y}"


def datetime_formatter(zone: ZoneInfo) -> Callable[[datetime | None], str]:
    """Stored times are UTC; staff read them in the clinic's own time zone."""

    def format_datetime(value: datetime | None) -> str:
        if value is None:
            return ""
        local = value.astimezone(zone)
        return f"{local.day} {local:%b %Y, %H:%M}"

    return format_datetime


def date_formatter(zone: ZoneInfo) -> Callable[[datetime | None], str]:
    """The clinic's calendar day of a stored time: "29 November 2026"."""

    def format_local_date(value: datetime | None) -> str:
        return "" if value is None else format_date(value.astimezone(zone).date())

    return format_local_date


# Our own reference material, which staff and patients must never see named: pages cite
# the guideline or study itself (a rule's ``source``), never the project's files.
INTERNAL_REFERENCE = re.compile(
    r"\s*\((?:[^()]*;\s*)?clinical\.md[^()]*\)|;?\s*clinical\.md(?:\s*§[\d.,\s§]*)?"
    r"|;?\s*[Ss]eed (?:articles?|documents?)\b[^;()]*",
)


def without_internal_references(text: str) -> str:
    """A source as users may see it: results screened before sources were rewritten
    (2026-11) still carry "(clinical.md §3.1 E-CES-1)" in their stored JSON."""
    cleaned = INTERNAL_REFERENCE.sub("", text)
    return cleaned.strip(" ;,") or "Clinical guidance"


def minutes(value: timedelta) -> str:
    whole = int(value.total_seconds() // 60)
    if whole < 1:
        return "under a minute"
    return "1 minute" if whole == 1 else f"{whole} minutes"
