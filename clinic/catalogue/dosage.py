"""Dosage in the words a person would use. Plain Python.

A therapist says "Hold for 20 seconds. Do it 3 times on each side. Twice a day.", not
"3 times, hold for 20 seconds, on each side, 3 sets, twice a day". The rules, in the order
the sentences come:

1. How long one go lasts: "Hold for 20 seconds." or "10 minutes at a time." (on each side,
   when the item is done on each side and has no repetitions).
2. How many: "Do it 10 times.", "Do it 3 times on each side.", "Do it 8 times, changing
   sides each time."; with sets, "Do 2 sets of 10, resting 30 seconds between sets.";
   sets of a hold with no repetitions, "Do this 3 times, resting 30 seconds in between."
3. How often: "Twice a day." (every day goes without saying), "Once a day, on 5 days a
   week.", "Every day.", "On 4 days a week.", "Once a week."
4. With what: "Resistance: light band."

The item page, the plan page and the handout all print these words (``dosage_words``), so
a patient reads at home what the therapist read on the screen.
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


def _times(number: int) -> str:
    return _TIMES.get(number, f"{number} times")


def _sentence(text: str) -> str:
    return text[0].upper() + text[1:] + "."


def _how_long(dosage: Mapping[str, Any]) -> str | None:
    hold, minutes = dosage.get("hold_seconds"), dosage.get("duration_minutes")
    each_side = dosage.get("side") == "each" and not dosage.get("reps")
    if hold:
        return f"hold for {_duration(hold)}" + (" on each side" if each_side else "")
    if minutes:
        return f"{_count(minutes, 'minute', 'minutes')} " + (
            "on each side" if each_side else "at a time"
        )
    return None


def _how_many(dosage: Mapping[str, Any]) -> str | None:
    reps, sets, side = dosage.get("reps"), dosage.get("sets"), dosage.get("side")
    rest = dosage.get("rest_seconds")
    sides = {"each": " on each side", "alternate": ", changing sides each time"}.get(side or "", "")
    resting = f", resting {_duration(rest)}" if rest and sets and sets > 1 else ""
    if reps and sets and sets > 1:
        return f"do {sets} sets of {reps}{sides}{resting + ' between sets' if resting else ''}"
    if reps:
        return f"do it {'once' if reps == 1 else f'{reps} times'}{sides}"
    if sets and sets > 1:
        return f"do this {sets} times{resting + ' in between' if resting else ''}"
    return None


def _how_often(dosage: Mapping[str, Any]) -> str | None:
    per_day, days = dosage.get("times_per_day"), dosage.get("days_per_week")
    if per_day:
        daily = f"{_times(per_day)} a day"
        return daily if days in (None, 7) else f"{daily}, on {_count(days, 'day', 'days')} a week"
    if days == 7:
        return "every day"
    if days in _TIMES:
        return f"{_TIMES[days]} a week"
    if days:
        return f"on {days} days a week"
    return None


def dosage_words(given: Mapping[str, Any] | Dosage) -> str:
    """The dosage as short sentences; empty when nothing is set."""
    dosage = asdict(given) if isinstance(given, Dosage) else given
    parts = [_how_long(dosage), _how_many(dosage), _how_often(dosage)]
    load = dosage.get("load")
    if load:
        parts.append(f"resistance: {load}")
    return " ".join(_sentence(part) for part in parts if part)


def ticks_per_day(given: Mapping[str, Any] | Dosage) -> int:
    """How many boxes a day of the handout's log gives an item: one per time a day."""
    dosage = asdict(given) if isinstance(given, Dosage) else given
    per_day = dosage.get("times_per_day")
    return per_day if isinstance(per_day, int) and per_day > 0 else 1
