"""How long a client must wait after failed attempts: pure arithmetic, no storage.

Failures slow the next attempt down instead of locking anyone out: a few are free, then
each further failure doubles the wait, up to a ceiling. The waits are kept per *scope*
(see ``clinic.auth.services``): per client address and username together, so an attacker
elsewhere cannot lock a colleague out; per username across every address, with a short
ceiling, so a spread-out attack is slowed without refusing the real user for long; and per
address for the waiting-room tablet's codes.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta


class Scope(enum.StrEnum):
    SIGN_IN = "sign_in"  # one address trying one username
    ACCOUNT = "account"  # one username, from every address
    KIOSK_CODE = "kiosk_code"  # one address entering tablet codes


@dataclass(frozen=True)
class Backoff:
    """Failures before any wait, the first wait, and the longest one."""

    free_failures: int
    first_wait: timedelta
    longest_wait: timedelta
    # Failures older than this (counted from the last one) are forgotten.
    forget_after: timedelta

    def wait_after(self, failures: int) -> timedelta:
        if failures < self.free_failures:
            return timedelta(0)
        doublings = min(failures - self.free_failures, 32)
        wait: timedelta = self.first_wait * (2**doublings)
        return min(wait, self.longest_wait)

    def counts_from(self, failures: int, last_failure_at: datetime | None, now: datetime) -> int:
        """The failures that still count at ``now``."""
        if last_failure_at is None or now - last_failure_at > self.forget_after:
            return 0
        return failures


def wait_message(wait: timedelta) -> str:
    """ "2 minutes", "40 seconds": how long, rounded up, for a person to read."""
    seconds = max(1, -(-int(wait.total_seconds() * 1000) // 1000))
    if seconds < 90:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = -(-seconds // 60)
    return f"{minutes} minutes"
