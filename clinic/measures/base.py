"""What every measure returns, and the checks they share."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any


class MeasureError(ValueError):
    """Input that is not a set of responses to the instrument (a wrong item or value)."""

    def __init__(self, item: str, message: str) -> None:
        super().__init__(f"{item}: {message}")
        self.item = item
        self.message = message


@dataclass(frozen=True)
class ScoreResult:
    instrument: str
    version: str
    scorable: bool
    score: float | None = None
    band: str | None = None
    # Every number behind the score (totals, subscales, items answered) by name.
    details: Mapping[str, Any] = field(default_factory=dict)
    # The missing-data or rounding policy that was applied, in words.
    policy: str = ""
    reason: str | None = None
    higher_is_better: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "instrument": self.instrument,
            "version": self.version,
            "scorable": self.scorable,
            "score": self.score,
            "band": self.band,
            "details": dict(self.details),
            "policy": self.policy,
            "reason": self.reason,
            "higher_is_better": self.higher_is_better,
        }


def not_scorable(
    instrument: str, version: str, reason: str, policy: str, **details: Any
) -> ScoreResult:
    return ScoreResult(
        instrument, version, scorable=False, reason=reason, policy=policy, details=details
    )


def require_mapping(responses: Any) -> Mapping[str, Any]:
    if not isinstance(responses, Mapping):
        raise MeasureError("(responses)", "must be a JSON object keyed by item id")
    return responses


def refuse_unknown_items(responses: Mapping[str, Any], known: set[str] | frozenset[str]) -> None:
    for item in responses:
        if item not in known:
            raise MeasureError(str(item), "is not an item of this instrument")


def whole_number(item: str, value: Any, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise MeasureError(item, f"must be a whole number from {low} to {high}")
    if not low <= value <= high:
        raise MeasureError(item, f"must be from {low} to {high}")
    return value


def missing_allowance(name: str, allowance: Any, items: int) -> int:
    """A clinic's allowance of missing items: a whole number below the number of items."""
    if isinstance(allowance, bool) or not isinstance(allowance, int) or not 0 <= allowance < items:
        raise MeasureError(name, f"must be a whole number from 0 to {items - 1}")
    return allowance


def too_many_missing(missing: Sequence[str], allowance: int, noun: str) -> str | None:
    """Why the responses cannot be scored, or None when few enough are missing."""
    if len(missing) > allowance:
        return f"{len(missing)} {noun} unanswered (at most {allowance} allowed)"
    return None
