"""The words the catalogue is described and filtered with. Plain Python.

Body areas are the intake's own (``clinic.intake.fields.BODY_AREAS``), so an item's areas
and a patient's answers ("numb where?") can be compared directly by the safety check.
"""

from __future__ import annotations

import enum

from clinic.intake.fields import BODY_AREAS
from clinic.screening.model import Option


class Kind(enum.StrEnum):
    EXERCISE = "exercise"
    STRETCH = "stretch"
    MASSAGE = "massage"
    MODALITY = "modality"
    ADVICE = "advice"

    @property
    def label(self) -> str:
        return KIND_LABELS[self]


KIND_LABELS = {
    Kind.EXERCISE: "Exercise",
    Kind.STRETCH: "Stretch",
    Kind.MASSAGE: "Massage and manual therapy",
    Kind.MODALITY: "Heat, ice and other modalities",
    Kind.ADVICE: "Advice",
}

# Each kind's sub-types; an item names exactly one.
CATEGORIES: dict[Kind, tuple[Option, ...]] = {
    Kind.EXERCISE: (
        Option("strengthening", "Strengthening"),
        Option("mobility", "Mobility"),
        Option("aerobic", "Aerobic"),
    ),
    Kind.STRETCH: (Option("stretch", "Stretch"),),
    Kind.MASSAGE: (
        Option("self", "Self-massage"),
        Option("therapist", "Therapist-delivered"),
    ),
    Kind.MODALITY: (
        Option("heat", "Superficial heat"),
        Option("cold", "Ice (cryotherapy)"),
        Option("ultrasound", "Therapeutic ultrasound"),
        Option("traction", "Traction or spinal decompression"),
    ),
    Kind.ADVICE: (
        Option("posture", "Posture and desk set-up"),
        Option("lifting", "Lifting"),
        Option("sleep", "Sleeping positions"),
        Option("hydration", "Hydration"),
        Option("activity", "Walking and activity"),
        Option("stress", "Stress and breathing"),
        Option("heat_and_ice", "Heat and ice at home"),
    ),
}

REGIONS = BODY_AREAS
# The body area of each spinal region the intake asks about ("pain_regions").
PAIN_REGION_AREAS = {"lumbar": "lower_back", "thoracic": "upper_back", "cervical": "neck"}

GOALS = (
    Option("pain_relief", "Pain relief"),
    Option("mobility", "Mobility"),
    Option("flexibility", "Flexibility"),
    Option("strength", "Strength"),
    Option("control", "Control and stability"),
    Option("endurance", "Fitness and endurance"),
    Option("posture", "Posture"),
    Option("relaxation", "Relaxation"),
    Option("self_management", "Self-management"),
    Option("prevention", "Preventing flare-ups"),
)

EQUIPMENT = (
    Option("mat", "Mat or carpet"),
    Option("chair", "Chair"),
    Option("pillow", "Pillow or cushion"),
    Option("towel", "Towel or strap"),
    Option("wall", "Wall"),
    Option("resistance_band", "Resistance band"),
    Option("massage_ball", "Massage ball or tennis ball"),
    Option("ice_pack", "Ice pack"),
    Option("heat_pack", "Heat pack or hot-water bottle"),
    Option("desk", "Desk or table"),
    Option("water_bottle", "Water bottle"),
    Option("bike", "Bicycle or exercise bike"),
    Option("pool", "Swimming pool"),
    Option("clinic_equipment", "Clinic equipment"),
)

SIDES = (
    Option("both", "both sides together"),
    Option("each", "each side"),
    Option("alternate", "alternating sides"),
)

PRESSURES = (
    Option("light", "Light"),
    Option("moderate", "Moderate"),
    Option("firm", "Firm"),
)


class Setting(enum.StrEnum):
    """Where a plan item is done: by the patient at home, or by the therapist at the clinic.
    The handout's home instructions and tick log hold home items only; clinic items go
    under "What we will do at the clinic"."""

    HOME = "home"
    CLINIC = "clinic"

    @property
    def label(self) -> str:
        return "At home" if self is Setting.HOME else "At the clinic"


# Sub-types a therapist delivers (hands-on treatment, clinic machines): a plan item of
# one of these is done at the clinic unless the therapist says otherwise.
CLINIC_CATEGORIES = frozenset(
    {(Kind.MASSAGE, "therapist"), (Kind.MODALITY, "ultrasound"), (Kind.MODALITY, "traction")}
)


def default_setting(kind: Kind, category: str) -> Setting:
    return Setting.CLINIC if (kind, category) in CLINIC_CATEGORIES else Setting.HOME


def label_of(options: tuple[Option, ...], value: str) -> str:
    for option in options:
        if option.value == value:
            return option.text
    return value


def values(options: tuple[Option, ...]) -> frozenset[str]:
    return frozenset(option.value for option in options)
