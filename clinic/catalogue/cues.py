"""Safety cues that fit where the item is done. Plain Python.

An item's cue "Stop if you feel ... tingling spreading down an arm or leg" is written for
any spine, but a patient doing a lower-back stretch should read about a leg, and one doing
a neck stretch about an arm: pain spreading into the limb the treated part of the spine
supplies is the warning sign (lumbar nerve roots to the legs, cervical to the arms; the
thoracic roots wrap around the chest). The catalogue keeps the general wording, which the
item page shows; a plan item's cues name the limb for its body area. An item with no one
place keeps the general wording.
"""

from __future__ import annotations

import re

# Where pain from each body area spreads: (with "a"/"an", with "your").
_SPREAD: dict[str, tuple[str, str]] = {
    "neck": ("an arm", "your arm"),
    "shoulders_arms": ("an arm", "your arm"),
    "hands": ("an arm", "your arm"),
    "upper_back": ("around your chest or down an arm", "around your chest or down your arm"),
    "chest_abdomen": ("around your chest", "around your chest"),
    "lower_back": ("a leg", "your leg"),
    "hips_buttocks": ("a leg", "your leg"),
    "legs": ("a leg", "your leg"),
    "feet": ("a leg", "your leg"),
}
# "down an arm or leg", "down your arm or leg", "down an arm or a leg".
_ARM_OR_LEG = re.compile(r"\bdown (an|your) arm or (?:a |your )?leg\b")


def cue_for_area(cue: str, area: str | None) -> str:
    """``cue`` with "down an arm or leg" narrowed to the limb ``area`` reaches."""
    spread = _SPREAD.get(area or "")
    if spread is None:
        return cue

    def narrowed(match: re.Match[str]) -> str:
        phrase = spread[0] if match.group(1) == "an" else spread[1]
        return phrase if phrase.startswith("around") else f"down {phrase}"

    return _ARM_OR_LEG.sub(narrowed, cue)


def cues_for_area(cues: tuple[str, ...], area: str | None) -> tuple[str, ...]:
    return tuple(cue_for_area(cue, area) for cue in cues)
