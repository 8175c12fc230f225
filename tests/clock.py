"""A clock the tests move forward instead of sleeping (the app reads it as CLOCK)."""

from __future__ import annotations

from datetime import datetime, timedelta

from clinic.db import utcnow


class MovableClock:
    """Real time plus an offset the test sets: records written by the app (stamped with
    real time) and judgements made with this clock stay consistent."""

    def __init__(self) -> None:
        self.offset = timedelta(0)

    def __call__(self) -> datetime:
        return utcnow() + self.offset

    def advance(self, delta: timedelta) -> None:
        self.offset += delta

    def reset(self) -> None:
        self.offset = timedelta(0)
