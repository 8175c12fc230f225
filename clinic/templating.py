"""Jinja filters: dates and times as people in the clinic read them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
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
