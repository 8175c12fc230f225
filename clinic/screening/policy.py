"""The clinic's policy choices: every point marked [P] in clinical.md, with its default.

Defaults are the ones written in clinical.md and must be signed off by the clinical lead.
A clinic changes them with a JSON file (``load_policy``), for example::

    {"age_flag_upper_years": 65, "disabled_rules": ["U-AGE-1"]}
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any

from clinic.screening.model import Tier


@dataclass(frozen=True)
class ScreeningPolicy:
    # [P] clinical.md §1.4: "unsure" is positive in the time-critical clusters.
    unsure_counts_as_yes: bool = True
    # [P] clinical.md §1.4 and §2: an unanswered time-critical question gives INCOMPLETE.
    incomplete_when_time_critical_unanswered: bool = True
    # [P] clinical.md §3.1 / §1.5: "new" cauda equina symptoms are those of at most this many days.
    recent_onset_days: int = 14
    # [P] clinical.md §3.1 E-CES-5: bilateral leg symptoms, stable and longer than
    # recent_onset_days: URGENT by default (NHS D&G), EMERGENCY if the clinic follows GIRFT.
    stable_bilateral_leg_tier: Tier = Tier.URGENT
    # [P] clinical.md §3.2 U-FX-1: age from which sudden severe pain suggests fragility fracture.
    fracture_age_years: int = 70
    # [P] clinical.md §3.3 U-MAL-3: age above which the malignancy features count.
    malignancy_age_years: int = 50
    # [P] clinical.md §4.7 U-AGE-1: first episode below the lower or above the upper age.
    age_flag_lower_years: int = 15
    age_flag_upper_years: int = 60
    # [P] clinical.md §6 R-DUR-1: spasms beyond this many days that are not improving;
    # improving spasms raise no flag unless the clinic chooses otherwise.
    spasm_days: int = 14
    spasm_flag_when_improving: bool = False
    # clinical.md §6: pain beyond 3-6 weeks calls for reassessment (NG59).
    persistent_pain_days: int = 42
    # Rules a clinic has switched off, and tiers it has changed, by rule id. Every change
    # shows in the result's policy so a reviewer can see what was not the default.
    disabled_rules: frozenset[str] = field(default_factory=frozenset)
    tier_overrides: Mapping[str, Tier] = field(default_factory=dict)

    def changes_from_default(self) -> dict[str, Any]:
        default = ScreeningPolicy()
        return {
            item.name: _plain(getattr(self, item.name))
            for item in fields(self)
            if getattr(self, item.name) != getattr(default, item.name)
        }


def _plain(value: Any) -> Any:
    if isinstance(value, Tier):
        return value.value
    if isinstance(value, frozenset):
        return sorted(value)
    if isinstance(value, Mapping):
        return {key: _plain(item) for key, item in sorted(value.items())}
    return value


class PolicyError(ValueError):
    """A policy file names an unknown setting or gives a value of the wrong kind."""


def policy_from_mapping(data: Mapping[str, Any], known_rule_ids: frozenset[str]) -> ScreeningPolicy:
    settings = {item.name: item for item in fields(ScreeningPolicy)}
    changes: dict[str, Any] = {}
    for name, value in data.items():
        if name not in settings:
            raise PolicyError(f"unknown screening policy setting {name!r}")
        default = getattr(ScreeningPolicy(), name)
        if name == "disabled_rules":
            changes[name] = frozenset(_rule_ids(name, value, known_rule_ids))
        elif name == "tier_overrides":
            if not isinstance(value, Mapping):
                raise PolicyError("tier_overrides must map rule ids to tiers")
            _rule_ids(name, list(value), known_rule_ids)
            changes[name] = {
                rule_id: _tier(f"tier_overrides.{rule_id}", tier) for rule_id, tier in value.items()
            }
        elif isinstance(default, Tier):
            changes[name] = _tier(name, value)
        elif isinstance(default, bool):
            if not isinstance(value, bool):
                raise PolicyError(f"{name} must be true or false")
            changes[name] = value
        else:
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise PolicyError(f"{name} must be a whole number of 0 or more")
            changes[name] = value
    return replace(ScreeningPolicy(), **changes)


def _rule_ids(name: str, value: Any, known_rule_ids: frozenset[str]) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise PolicyError(f"{name} must be a list of rule ids")
    unknown = sorted(set(value) - known_rule_ids)
    if unknown:
        raise PolicyError(f"{name} names unknown rules: {', '.join(unknown)}")
    return list(value)


def _tier(name: str, value: Any) -> Tier:
    try:
        tier = Tier(value)
    except ValueError:
        raise PolicyError(f"{name} must be one of EMERGENCY, URGENT, ROUTINE_WITH_FLAG") from None
    if tier in (Tier.NONE, Tier.INCOMPLETE):
        raise PolicyError(f"{name} must be one of EMERGENCY, URGENT, ROUTINE_WITH_FLAG")
    return tier


def load_policy(text: str, known_rule_ids: frozenset[str]) -> ScreeningPolicy:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise PolicyError(
            f"the policy is not valid JSON: {error.msg} (line {error.lineno})"
        ) from None
    if not isinstance(data, dict):
        raise PolicyError("the policy must be a JSON object")
    return policy_from_mapping(data, known_rule_ids)
