"""Dosage in words a patient understands. Plain Python.

"10 times, hold for 5 seconds, 2 sets, twice a day, every day" reads better at home
than a row of numbers; the same words appear on the item page, the plan and the handout.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict
from typing import Any

from clinic.catalogue.content import Dosage

_TIMES = {1: "once", 2: "twice"}


def _count(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"


def _duration(seconds: int) -> str:
    if seconds >= 60 and seconds % 60 == 0:
        return _count(seconds // 60, "minute", "minutes")
    return _count(seconds, "second", "seconds")


def dosage_words(given: Mapping[str, Any] | Dosage) -> str:
    """The dosage as one phrase; empty when nothing is set."""
    dosage = asdict(given) if isinstance(given, Dosage) else given
    parts: list[str] = []
    reps, sets = dosage.get("reps"), dosage.get("sets")
    if reps:
        parts.append(_count(reps, "time", "times"))
    hold = dosage.get("hold_seconds")
    if hold:
        parts.append(f"hold for {_duration(hold)}")
    side = dosage.get("side")
    if side == "each":
        parts.append("on each side")
    elif side == "alternate":
        parts.append("changing sides each time")
    if sets:
        parts.append(_count(sets, "set", "sets"))
    rest = dosage.get("rest_seconds")
    if rest and sets and sets > 1:
        parts.append(f"rest {_duration(rest)} between sets")
    minutes = dosage.get("duration_minutes")
    if minutes:
        parts.append(f"for {_count(minutes, 'minute', 'minutes')}")
    per_day = dosage.get("times_per_day")
    if per_day:
        parts.append(f"{_TIMES.get(per_day, f'{per_day} times')} a day")
    days = dosage.get("days_per_week")
    if days == 7:
        parts.append("every day")
    elif days in _TIMES:
        parts.append(f"{_TIMES[days]} a week")
    elif days:
        parts.append(f"on {days} days a week")
    load = dosage.get("load")
    if load:
        parts.append(f"with {load}")
    return ", ".join(parts)
