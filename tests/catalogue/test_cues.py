"""Safety cues narrowed to the limb a body area reaches (``clinic.catalogue.cues``), and
the rule that catalogue text advising a modality carries that modality's safety codes."""

from __future__ import annotations

import pytest

from clinic.catalogue.cues import cue_for_area
from clinic.catalogue.files import ITEMS_DIR, read_item
from clinic.catalogue.safety import CODES
from clinic.plans.contraindications import modalities_advised

CUE = "Stop if you feel sharp pain, or pain or tingling spreading down an arm or leg."


@pytest.mark.parametrize(
    ("area", "expected"),
    [
        ("lower_back", "tingling spreading down a leg."),
        ("hips_buttocks", "tingling spreading down a leg."),
        ("legs", "tingling spreading down a leg."),
        ("neck", "tingling spreading down an arm."),
        ("shoulders_arms", "tingling spreading down an arm."),
        ("upper_back", "tingling spreading around your chest or down an arm."),
        (None, "tingling spreading down an arm or leg."),
    ],
)
def test_a_spreading_pain_cue_names_the_limb_of_the_items_area(
    area: str | None, expected: str
) -> None:
    assert cue_for_area(CUE, area).endswith(expected)


def test_your_arm_or_leg_narrows_too_and_other_cues_are_left_alone() -> None:
    assert (
        cue_for_area("Tell them if it spreads down your arm or leg.", "neck")
        == "Tell them if it spreads down your arm."
    )
    other = "Keep your head and shoulders relaxed on the floor."
    assert cue_for_area(other, "lower_back") == other
    # "arm" inside another word, or an arm alone, is not the phrase.
    assert cue_for_area("Rest your forearm or leg on a pillow.", "neck") == (
        "Rest your forearm or leg on a pillow."
    )


def _patient_text(slug: str) -> str:
    text = read_item(ITEMS_DIR / f"{slug}.toml").content.text
    return " ".join((text.title, text.summary, *text.steps, *text.safety_cues))


@pytest.mark.parametrize("slug", sorted(path.stem for path in ITEMS_DIR.glob("*.toml")))
def test_a_shipped_item_that_advises_ice_or_heat_carries_their_safety_codes(slug: str) -> None:
    item = read_item(ITEMS_DIR / f"{slug}.toml").content
    carried = {CODES[use.code].treatment for use in item.codes}
    assert modalities_advised(_patient_text(slug)) <= carried, slug


def test_managing_a_flare_up_advises_ice_then_heat_and_is_checked_for_both() -> None:
    advised = modalities_advised(_patient_text("pacing-flare-ups"))
    assert {treatment.value for treatment in advised} == {"cold", "heat"}
