"""A clock the tests move forward instead of sleeping (the app reads it as CLOCK)."""

from __future__ import annotations

from datetime import datetime, timedelta

from clinic.db import utcnow


class MovableClock:
    """Real time plus an offset the test sets: records written by the app (stamped with
    real time) and judgements made with this clock stay consistent."""

    def __init__(self, frozen: bool = False) -> None:
        self.offset = timedelta(0)
        # Frozen: time stands still unless the test moves it (for exact waits).
        self.frozen_at = utcnow() if frozen else None

    def __call__(self) -> datetime:
        return (self.frozen_at or utcnow()) + self.offset

    def advance(self, delta: timedelta) -> None:
        self.offset += delta

    def reset(self) -> None:
        self.offset = timedelta(0)
