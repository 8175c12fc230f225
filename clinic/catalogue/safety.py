"""Contraindication and precaution codes for catalogue items: clinical.md §9.

Plain Python. Each code names one treatment, one condition and a level; an item lists
the codes that apply to it, each with the body areas where it matters (ultrasound is
contraindicated over a pregnant uterus, so over the abdomen, pelvis and low back, not
over a shoulder). The plan builder checks them against the patient's intake.

Levels follow clinical.md §9's engine semantics [P]: CONTRAINDICATED blocks unless a
clinician overrides with a documented reason; PRECAUTION warns and asks for confirmation.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Level(enum.StrEnum):
    CONTRAINDICATED = "contraindicated"
    PRECAUTION = "precaution"

    @property
    def label(self) -> str:
        return "Contraindicated" if self is Level.CONTRAINDICATED else "Precaution"


class Treatment(enum.StrEnum):
    HEAT = "heat"
    COLD = "cold"
    MASSAGE = "massage"
    ULTRASOUND = "ultrasound"
    TRACTION = "traction"
    STRETCH = "stretch"
    EXERCISE = "exercise"

    @property
    def label(self) -> str:
        return TREATMENT_LABELS[self]


TREATMENT_LABELS = {
    Treatment.HEAT: "Superficial heat",
    Treatment.COLD: "Cryotherapy",
    Treatment.MASSAGE: "Massage and soft-tissue work",
    Treatment.ULTRASOUND: "Therapeutic ultrasound",
    Treatment.TRACTION: "Spinal traction or decompression",
    Treatment.STRETCH: "Stretching",
    Treatment.EXERCISE: "Strengthening and exercise",
}

HOUGHTON = "Houghton, Nussbaum & Hoens, Physiother Can 2010;62(5)"
# What staff see for each treatment's codes: the sources, never our reference file.
SOURCES = {
    Treatment.HEAT: f"{HOUGHTON}; HK Elderly Health Service",
    Treatment.COLD: f"{HOUGHTON}; medicalalgorithms",
    Treatment.MASSAGE: "Batavia 2004; Ernst 2003",
    Treatment.ULTRASOUND: "Mettler Sonicator 930 manual §5.3; AAFP 2007",
    Treatment.TRACTION: "Lane CC PTA traction notes; iTrac",
    Treatment.STRETCH: "Kisner & Colby, Therapeutic Exercise",
    Treatment.EXERCISE: "ACSM Guidelines 10th ed.; Too Fit To Fracture 2014",
}
# Where each treatment is traced in the project's clinical reference (developers only).
SECTION = {
    Treatment.HEAT: "clinical.md §9.1",
    Treatment.COLD: "clinical.md §9.2",
    Treatment.MASSAGE: "clinical.md §9.3",
    Treatment.ULTRASOUND: "clinical.md §9.4",
    Treatment.TRACTION: "clinical.md §9.5",
    Treatment.STRETCH: "clinical.md §9.6",
    Treatment.EXERCISE: "clinical.md §9.7",
}


@dataclass(frozen=True)
class SafetyCode:
    code: str
    treatment: Treatment
    level: Level
    label: str
    # True when the patient's condition is itself in one place (numb feet, a metal hip),
    # so the check compares that place with where the treatment goes.
    localised: bool = False

    @property
    def source(self) -> str:
        return SOURCES[self.treatment]

    @property
    def reference(self) -> str:
        return SECTION[self.treatment]


C, P = Level.CONTRAINDICATED, Level.PRECAUTION
H, COLD, M, U, T, S, E = (
    Treatment.HEAT,
    Treatment.COLD,
    Treatment.MASSAGE,
    Treatment.ULTRASOUND,
    Treatment.TRACTION,
    Treatment.STRETCH,
    Treatment.EXERCISE,
)

SAFETY_CODES: tuple[SafetyCode, ...] = (
    # §9.1 Superficial heat
    SafetyCode("heat.impaired_sensation", H, C, "Over an area of impaired sensation", True),
    SafetyCode(
        "heat.impaired_circulation", H, C, "Impaired circulation or peripheral vascular disease"
    ),
    SafetyCode("heat.dvt", H, C, "Thrombophlebitis or deep vein thrombosis"),
    SafetyCode("heat.malignancy", H, C, "Over a malignancy", True),
    SafetyCode("heat.acute_injury", H, C, "Acute inflammation or injury (first 48-72 hours)", True),
    SafetyCode("heat.bleeding", H, C, "Active bleeding or a bleeding disorder"),
    SafetyCode("heat.infection", H, C, "Infection or fever"),
    SafetyCode("heat.skin", H, C, "Open wounds, dermatitis or other skin conditions", True),
    SafetyCode("heat.radiotherapy", H, C, "Recently irradiated tissue", True),
    SafetyCode("heat.cannot_report", H, C, "Cannot understand or report how the heat feels"),
    SafetyCode("heat.pregnancy", H, P, "Pregnancy (abdomen and low back)"),
    SafetyCode("heat.cardiac", H, P, "Cardiac failure or other heart condition"),
    SafetyCode("heat.diabetes", H, P, "Diabetes or multiple sclerosis"),
    SafetyCode("heat.metal", H, P, "Over metal implants", True),
    SafetyCode("heat.oedema", H, P, "Oedema", True),
    # §9.2 Cryotherapy
    SafetyCode("cold.raynauds", COLD, C, "Raynaud's phenomenon or cold hypersensitivity"),
    SafetyCode(
        "cold.impaired_circulation",
        COLD,
        C,
        "Circulatory insufficiency or peripheral vascular disease",
    ),
    SafetyCode("cold.impaired_sensation", COLD, C, "Over anaesthetic (numb) skin", True),
    SafetyCode("cold.cardiopulmonary", COLD, C, "Severe cardiopulmonary disease"),
    SafetyCode("cold.hypertension", COLD, P, "Hypertension"),
    SafetyCode("cold.wounds", COLD, P, "Open or healing wounds", True),
    SafetyCode("cold.cannot_report", COLD, P, "Impaired cognition or communication"),
    # §9.3 Massage
    SafetyCode(
        "massage.dvt", M, C, "Known or suspected DVT (suspected: same-day medical assessment)"
    ),
    SafetyCode(
        "massage.malignancy",
        M,
        C,
        "Over a malignancy; deep pressure only after oncology advice",
        True,
    ),
    SafetyCode("massage.infection", M, C, "Acute infection or fever"),
    SafetyCode(
        "massage.skin", M, C, "Cellulitis, contagious skin conditions, open wounds or burns", True
    ),
    SafetyCode("massage.recent_fracture", M, C, "Over a recent fracture", True),
    SafetyCode("massage.aneurysm", M, C, "Over an aneurysm", True),
    SafetyCode(
        "massage.bleeding", M, P, "Anticoagulants or a bleeding disorder: light pressure only"
    ),
    SafetyCode(
        "massage.osteoporosis", M, P, "Osteoporosis: no deep pressure over the spine or ribs"
    ),
    SafetyCode("massage.recent_surgery", M, P, "Recent surgery: avoid the site", True),
    SafetyCode("massage.impaired_sensation", M, P, "Peripheral neuropathy or numb areas", True),
    SafetyCode("massage.hypertension", M, P, "Uncontrolled hypertension"),
    SafetyCode("massage.pregnancy", M, P, "Pregnancy: positioning; no deep work on the legs"),
    # §9.4 Therapeutic ultrasound
    SafetyCode("ultrasound.pregnancy", U, C, "Over a pregnant or possibly pregnant uterus"),
    SafetyCode("ultrasound.malignancy", U, C, "Over a known malignancy", True),
    SafetyCode(
        "ultrasound.pacemaker",
        U,
        C,
        "Over the heart or thorax with a pacemaker or implanted device",
    ),
    SafetyCode("ultrasound.dvt", U, C, "Over thrombophlebitis or DVT"),
    SafetyCode("ultrasound.radiotherapy", U, C, "Over tissue treated with radiotherapy", True),
    SafetyCode("ultrasound.bleeding", U, C, "Over active bleeding, or haemophilia"),
    SafetyCode("ultrasound.infection", U, C, "Over infection"),
    SafetyCode("ultrasound.laminectomy", U, C, "Over the spinal cord after laminectomy", True),
    SafetyCode(
        "ultrasound.impaired_sensation",
        U,
        P,
        "Thermal mode over impaired sensation or circulation",
        True,
    ),
    SafetyCode("ultrasound.implants", U, P, "Over metal, plastic or cemented implants", True),
    SafetyCode("ultrasound.cannot_report", U, P, "Unable to give feedback"),
    # §9.5 Spinal traction or decompression
    SafetyCode("traction.malignancy", T, C, "Spinal malignancy"),
    SafetyCode("traction.infection", T, C, "Spinal infection"),
    SafetyCode(
        "traction.cord_compression", T, C, "Cord compression, or cord or cauda equina signs"
    ),
    SafetyCode("traction.osteoporosis", T, C, "Significant osteoporosis"),
    SafetyCode("traction.fracture", T, C, "Acute fracture or instability"),
    SafetyCode("traction.inflammatory_arthritis", T, C, "RA or other inflammatory joint disease"),
    SafetyCode("traction.vascular", T, C, "Aortic aneurysm or severe vascular disease"),
    SafetyCode("traction.recent_surgery", T, C, "Recent spinal surgery or fusion", True),
    SafetyCode("traction.hypermobility", T, P, "Joint hypermobility"),
    SafetyCode("traction.claustrophobia", T, P, "Claustrophobia or anxiety"),
    SafetyCode("traction.cardiorespiratory", T, P, "Cardiac or respiratory insufficiency"),
    SafetyCode("traction.pregnancy", T, P, "Pregnancy (lumbar; abdominal harness)"),
    # §9.6 Stretching
    SafetyCode("stretch.fracture", S, C, "Recent, unhealed fracture", True),
    SafetyCode(
        "stretch.acute_inflammation", S, C, "Acute inflammation or infection in the area", True
    ),
    SafetyCode("stretch.hypermobility", S, C, "Hypermobility or instability"),
    SafetyCode("stretch.dvt", S, C, "DVT in the limb"),
    SafetyCode("stretch.osteoporosis", S, P, "Osteoporosis or long-term steroids (fracture risk)"),
    SafetyCode("stretch.recent_surgery", S, P, "Recent surgery", True),
    SafetyCode("stretch.inflammatory_arthritis", S, P, "Connective-tissue disease such as RA"),
    SafetyCode("stretch.anticoagulants", S, P, "Anticoagulants"),
    # §9.7 Strengthening and exercise
    SafetyCode("exercise.systemic_infection", E, C, "Acute systemic infection with fever"),
    SafetyCode(
        "exercise.unstable_cardiac",
        E,
        C,
        "Unstable or uncontrolled heart condition (ACSM absolute)",
    ),
    SafetyCode("exercise.cardiac", E, P, "Heart condition or high blood pressure (ACSM relative)"),
    SafetyCode(
        "exercise.osteoporosis",
        E,
        P,
        "Osteoporosis: spine-sparing, no rapid or loaded flexion or twisting",
    ),
    SafetyCode("exercise.metabolic", E, P, "Uncontrolled metabolic disease such as diabetes"),
    SafetyCode(
        "exercise.inflammatory_arthritis",
        E,
        P,
        "Rheumatoid or inflammatory disorder made worse by exercise",
    ),
)

CODES: dict[str, SafetyCode] = {code.code: code for code in SAFETY_CODES}
