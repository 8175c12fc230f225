"""Every rule's behaviour, case by case, written out by hand from clinical.md.

For each rule: a case for every alternative of its predicate (each way it can fire), each
threshold on both sides of its boundary, and the negatives and negation traps. A case is
(what it shows, the answers, whether the rule fires, and a policy where one is needed).
``test_rule_alternatives`` runs them, and checks that every single change to the rule
table's predicates (an alternative dropped, a condition dropped, a threshold moved by one,
an accepted answer dropped) is caught by one of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from clinic.screening.policy import ScreeningPolicy
from tests.screening.stories import answers, legs, symptom


@dataclass(frozen=True)
class Case:
    shows: str
    answers: dict[str, Any]
    fires: bool
    policy: ScreeningPolicy = field(default_factory=ScreeningPolicy)


def fires(shows: str, given: dict[str, Any], policy: ScreeningPolicy | None = None) -> Case:
    return Case(shows, given, True, policy or ScreeningPolicy())


def silent(shows: str, given: dict[str, Any], policy: ScreeningPolicy | None = None) -> Case:
    return Case(shows, given, False, policy or ScreeningPolicy())


def _without_regions(given: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in given.items() if key != "pain_regions"}


# Answer fragments, each one way a shared condition holds ---------------------------------

# clinical.md §3.3 MSCC warning signs and §3.4 neurology: every alternative of NEW_NEUROLOGY.
NEW_NEUROLOGY: dict[str, dict[str, Any]] = {
    "new leg symptoms": legs("left", onset_days=3),
    "leg symptoms getting worse": legs("right", onset_days=60, trend="worse"),
    "leg weakness getting worse": legs("left", onset_days=60, trend="better", weakness="yes"),
    "foot drop": legs("left", onset_days=60, trend="better", foot_drop="yes"),
    "weak arms and legs": {"arms_and_legs_weak": "yes"},
    "both arms weak": {"both_arms_weak": "yes"},
    "one limb suddenly weak": {"sudden_limb_weakness": "yes"},
    "walking worse over days": {
        "walking_difficulty": "yes",
        "walking_difficulty_pace": "over_days",
    },
    "walking worse over weeks": {
        "walking_difficulty": "yes",
        "walking_difficulty_pace": "over_weeks",
    },
    "walking steadily worse (retired question)": {"walking_worsening": "yes"},
    "heavy legs": {"legs_heavy": "yes"},
    "numb hands": {"hands_numb": "yes"},
    "band pain": {"regions": ("thoracic",), "band_pain": "yes"},
    "new bladder change": symptom("bladder_change"),
    "new saddle numbness": symptom("saddle_numbness", status="changed"),
    "bowel change getting worse": symptom("bowel_change", onset_days=60, trend="worse"),
    "new sexual dysfunction": symptom("sexual_dysfunction", status="unsure"),
}
NO_NEW_NEUROLOGY: dict[str, dict[str, Any]] = {
    "leg symptoms unchanged for years": legs("left", status="unchanged"),
    "leg symptoms for two months, easing": legs("left", onset_days=60, trend="better"),
    "walking stable": {"walking_difficulty": "yes", "walking_difficulty_pace": "stable"},
    "bladder change unchanged for years": symptom("bladder_change", status="unchanged"),
}

# clinical.md §3.2 E-FX-1 (review 2026-11): every alternative of NEUROLOGICAL_DEFICIT.
DEFICIT: dict[str, dict[str, Any]] = {
    "leg weakness getting worse": legs("left", weakness="yes"),
    "foot drop": legs("left", foot_drop="yes"),
    "new symptoms in both legs": legs("both", onset_days=30, trend="better"),
    "changed symptoms in both legs": legs("both", status="changed", onset_days=30, trend="same"),
    "both legs, not sure since when": legs("both", status="unsure", onset_days=30, trend="same"),
    "new bladder change": symptom("bladder_change"),
    "bowel change getting worse": symptom("bowel_change", onset_days=60, trend="worse"),
    "new saddle numbness": symptom("saddle_numbness"),
    "weak arms and legs": {"arms_and_legs_weak": "yes"},
    "both arms weak": {"both_arms_weak": "yes"},
    "walking worse over days": {
        "walking_difficulty": "yes",
        "walking_difficulty_pace": "over_days",
    },
    "walking steadily worse (retired question)": {"walking_worsening": "yes"},
    "heavy legs": {"legs_heavy": "yes"},
    "numb hands": {"hands_numb": "yes"},
    "clumsy hands": {"hand_clumsiness": "yes"},
    "electric shocks": {"electric_shocks": "yes"},
}


def _story(*fragments: dict[str, Any], **more: Any) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for fragment in fragments:
        merged.update(fragment)
    merged.update(more)
    return answers(**merged)


def _timed(
    name: str, status: str = "new", onset_days: int = 2, trend: str = "same"
) -> dict[str, Any]:
    """A symptom with a status, onset and trend (leg symptoms on the left)."""
    if name == "leg_symptoms":
        return legs("left", onset_days=onset_days, trend=trend, status=status)
    return symptom(name, status=status, onset_days=onset_days, trend=trend)


def new_or_worsening(name: str) -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, Any]]]:
    """Each way a symptom is "new or worsening" (clinical.md §3.1: recent, ≤ 14 days, or
    getting worse), and the ways it is not."""
    label = name.replace("_", " ")
    return (
        {
            f"{label} new, two days ago": _timed(name),
            f"{label} changed since the pain began": _timed(name, status="changed"),
            f"{label}, not sure whether new": _timed(name, status="unsure"),
            f"{label} 14 days ago (the boundary)": _timed(name, onset_days=14),
            f"{label} 40 days ago, getting worse": _timed(name, onset_days=40, trend="worse"),
        },
        {
            f"{label} 15 days ago, stable (the boundary)": _timed(name, onset_days=15),
            f"{label} had before, unchanged": _timed(name, status="unchanged"),
        },
    )


def stable_and_longer(name: str) -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, Any]]]:
    """Each way a symptom is "more than 14 days and stable" (clinical.md §3.1 U-CES-1)."""
    label = name.replace("_", " ")
    return (
        {
            f"{label} new, 15 days ago, stable (the boundary)": _timed(name, onset_days=15),
            f"{label} changed, 30 days ago, easing": _timed(
                name, status="changed", onset_days=30, trend="better"
            ),
            f"{label}, not sure whether new, 30 days": _timed(name, status="unsure", onset_days=30),
        },
        {
            f"{label} 14 days ago (the boundary)": _timed(name, onset_days=14),
            f"{label} 30 days ago, getting worse": _timed(name, onset_days=30, trend="worse"),
            f"{label} had before, unchanged": _timed(name, status="unchanged"),
        },
    )


def _with(
    rule_fragments: tuple[dict[str, dict[str, Any]], dict[str, dict[str, Any]]],
    **more: Any,
) -> list[Case]:
    positives, negatives = rule_fragments
    return [
        *(fires(shows, _story(fragment, **more)) for shows, fragment in positives.items()),
        *(silent(shows, _story(fragment, **more)) for shows, fragment in negatives.items()),
    ]


CES_SYMPTOMS = ("bladder_change", "saddle_numbness", "bowel_change", "sexual_dysfunction")
SPHINCTERS = ("bladder_change", "bowel_change")


# Cauda equina -------------------------------------------------------------------------------


def _new_or_worsening_cases(name: str, back_only: bool) -> list[Case]:
    cases = [
        fires("new, two days ago", answers(**symptom(name))),
        fires("changed since the pain began", answers(**symptom(name, status="changed"))),
        fires("not sure whether it is new", answers(**symptom(name, status="unsure"))),
        fires("14 days ago (the boundary)", answers(**symptom(name, onset_days=14))),
        fires(
            "40 days ago but getting worse",
            answers(**symptom(name, onset_days=40, trend="worse")),
        ),
        silent("15 days ago and stable", answers(**symptom(name, onset_days=15))),
        silent("had before, unchanged", answers(**symptom(name, status="unchanged"))),
        silent("answered no (the negation trap)", answers(**{name: "no"})),
    ]
    if back_only:
        cases += [
            fires("with upper back pain", answers(regions=("thoracic",), **symptom(name))),
            silent(
                "with neck pain only: cord, not cauda equina",
                answers(regions=("cervical",), **symptom(name)),
            ),
            fires("where the regions are not known", _without_regions(answers(**symptom(name)))),
        ]
    return cases


def _stable_and_longer_cases(name: str) -> list[Case]:
    return [
        fires("new, 15 days ago, stable (the boundary)", answers(**symptom(name, onset_days=15))),
        fires(
            "changed 30 days ago, getting better",
            answers(**symptom(name, status="changed", onset_days=30, trend="better")),
        ),
        fires(
            "not sure whether new, 30 days, stable",
            answers(**symptom(name, status="unsure", onset_days=30)),
        ),
        silent("14 days ago (the boundary)", answers(**symptom(name, onset_days=14))),
        silent(
            "30 days ago, getting worse", answers(**symptom(name, onset_days=30, trend="worse"))
        ),
        silent("had before, unchanged", answers(**symptom(name, status="unchanged"))),
    ]


CASES: dict[str, list[Case]] = {
    "E-CES-1": _new_or_worsening_cases("bladder_change", back_only=True),
    "E-CES-2": _new_or_worsening_cases("saddle_numbness", back_only=False),
    "E-CES-3": _new_or_worsening_cases("bowel_change", back_only=True),
    "E-CES-4": _new_or_worsening_cases("sexual_dysfunction", back_only=False),
    "E-CES-5": [
        fires("new in both legs, three days ago", answers(**legs("both"))),
        fires("changed in both legs", answers(**legs("both", status="changed"))),
        fires("both legs, not sure since when", answers(**legs("both", status="unsure"))),
        fires("both legs, 14 days (the boundary)", answers(**legs("both", onset_days=14))),
        fires(
            "both legs for 40 days, getting worse",
            answers(**legs("both", onset_days=40, trend="worse")),
        ),
        fires(
            "both legs for years, weakness getting worse",
            answers(**legs("both", status="unchanged", weakness="yes")),
        ),
        silent("both legs, 15 days, stable (the boundary)", answers(**legs("both", onset_days=15))),
        silent("one leg, new", answers(**legs("left"))),
        silent("one leg, weakness getting worse", answers(**legs("right", weakness="yes"))),
        silent("both legs unchanged for years", answers(**legs("both", status="unchanged"))),
        silent("no leg symptoms", answers(leg_symptoms="no")),
    ],
    "U-CES-5": [
        fires(
            "both legs, new, 15 days, stable (the boundary)", answers(**legs("both", onset_days=15))
        ),
        fires(
            "both legs, changed, 40 days, easing",
            answers(**legs("both", status="changed", onset_days=40, trend="better")),
        ),
        fires(
            "both legs, not sure since when, 40 days",
            answers(**legs("both", status="unsure", onset_days=40)),
        ),
        silent("both legs, 14 days (the boundary)", answers(**legs("both", onset_days=14))),
        silent("both legs, 40 days, worse", answers(**legs("both", onset_days=40, trend="worse"))),
        silent("both legs unchanged for years", answers(**legs("both", status="unchanged"))),
        silent("one leg, 40 days", answers(**legs("left", onset_days=40))),
    ],
    "U-CES-1": [
        *(
            case
            for name in CES_SYMPTOMS
            for case in _with(stable_and_longer(name), pain_duration_days=60)
        ),
        *(
            fires(
                f"{name.replace('_', ' ')}, 30 days, with upper back pain",
                answers(
                    regions=("thoracic",), pain_duration_days=60, **symptom(name, onset_days=30)
                ),
            )
            for name in SPHINCTERS
        ),
        *(
            silent(
                f"{name.replace('_', ' ')}, 30 days, with neck pain only",
                answers(
                    regions=("cervical",), pain_duration_days=60, **symptom(name, onset_days=30)
                ),
            )
            for name in SPHINCTERS
        ),
    ],
    "R-CES-HX": [
        fires(
            "bladder, had before, unchanged",
            answers(**symptom("bladder_change", status="unchanged")),
        ),
        fires(
            "saddle, had before, unchanged",
            answers(**symptom("saddle_numbness", status="unchanged")),
        ),
        fires(
            "bowel, had before, unchanged", answers(**symptom("bowel_change", status="unchanged"))
        ),
        fires(
            "sexual, had before, unchanged",
            answers(**symptom("sexual_dysfunction", status="unchanged")),
        ),
        fires("both legs, unchanged for years", answers(**legs("both", status="unchanged"))),
        *(silent(f"{name}, new", answers(**symptom(name))) for name in CES_SYMPTOMS),
        silent("one leg, unchanged for years", answers(**legs("left", status="unchanged"))),
        silent("both legs, new", answers(**legs("both"))),
        silent("no bladder problems (the negation trap)", answers(bladder_change="no")),
    ],
    # Fracture ------------------------------------------------------------------------------
    "E-FX-1": [
        fires("a serious accident in the last few days", answers(major_trauma="yes")),
        *(
            fires(f"a fall, then {name}", answers(fall_or_blow="yes", **d))
            for name, d in DEFICIT.items()
        ),
        fires(
            "a small fall, lift or strain (retired question), then foot drop",
            answers(minor_trauma="yes", **legs("left", foot_drop="yes")),
        ),
        silent("a fall, then one-sided leg tingling", answers(fall_or_blow="yes", **legs("left"))),
        silent(
            "lifting, then foot drop",
            answers(lifting_or_strain="yes", **legs("left", foot_drop="yes")),
        ),
        silent(
            "a fall, both legs unchanged for years",
            answers(fall_or_blow="yes", **legs("both", status="unchanged")),
        ),
        silent(
            "a fall, walking slowly worse over months",
            answers(
                fall_or_blow="yes", walking_difficulty="yes", walking_difficulty_pace="over_weeks"
            ),
        ),
        silent("a fall, nothing else", answers(fall_or_blow="yes")),
        *(
            case
            for name in ("bladder_change", "bowel_change", "saddle_numbness")
            for case in _with(new_or_worsening(name), fall_or_blow="yes", pain_duration_days=60)
        ),
        silent(
            "no fall, foot drop",
            answers(major_trauma="no", fall_or_blow="no", **legs("left", foot_drop="yes")),
        ),
        silent("no accident (the negation trap)", answers(major_trauma="no", fall_or_blow="no")),
    ],
    "U-FX-1": [
        fires(
            "sudden severe pain with osteoporosis",
            answers(sudden_severe_pain="yes", osteoporosis="yes"),
        ),
        fires(
            "a fall on long-term steroids", answers(fall_or_blow="yes", long_term_steroids="yes")
        ),
        fires(
            "lifting after a fragility fracture",
            answers(lifting_or_strain="yes", fragility_fracture="yes"),
        ),
        fires(
            "a small fall, lift or strain (retired question) with osteoporosis",
            answers(minor_trauma="yes", osteoporosis="yes"),
        ),
        fires("sudden severe pain at 70 (the boundary)", answers(age=70, sudden_severe_pain="yes")),
        silent("sudden severe pain at 69", answers(age=69, sudden_severe_pain="yes")),
        silent("lifting, no bone fragility", answers(lifting_or_strain="yes")),
        silent("osteoporosis alone", answers(osteoporosis="yes")),
        silent(
            "no sudden pain (the negation trap)",
            answers(sudden_severe_pain="no", osteoporosis="yes"),
        ),
    ],
    # Malignancy ----------------------------------------------------------------------------
    "E-MSCC-1": [
        *(
            fires(f"cancer, then {name}", _story(d, cancer_history="yes"))
            for name, d in NEW_NEUROLOGY.items()
        ),
        silent("cancer, no neurology", answers(cancer_history="yes")),
        *(
            silent(f"cancer, {name}", _story(d, cancer_history="yes"))
            for name, d in NO_NEW_NEUROLOGY.items()
        ),
        silent(
            "no cancer, foot drop", answers(cancer_history="no", **legs("left", foot_drop="yes"))
        ),
        *(
            case
            for name in ("leg_symptoms", *CES_SYMPTOMS)
            for case in _with(new_or_worsening(name), cancer_history="yes", pain_duration_days=60)
        ),
    ],
    "U-MAL-1": [
        fires(
            "cancer, new or changed pain", answers(cancer_history="yes", pain_new_or_changed="yes")
        ),
        silent("cancer, familiar pain", answers(cancer_history="yes", pain_new_or_changed="no")),
        silent("no cancer, new pain", answers(cancer_history="no", pain_new_or_changed="yes")),
    ],
    "U-MAL-2": [
        fires("weight loss", answers(weight_loss="yes")),
        silent("no weight loss (the negation trap)", answers(weight_loss="no")),
    ],
    "U-MAL-3": [
        fires("51 with constant pain (the boundary)", answers(age=51, constant_pain="yes")),
        fires("58 with night pain", answers(age=58, night_pain="yes")),
        fires("58 with upper back pain", answers(age=58, regions=("thoracic",))),
        fires("58 feeling unwell", answers(age=58, feeling_unwell="yes")),
        silent("50 with constant pain (the boundary)", answers(age=50, constant_pain="yes")),
        silent("58 with none of the features", answers(age=58)),
        silent("58, regions not known", _without_regions(answers(age=58))),
    ],
    "R-CA-HX": [
        fires(
            "cancer, familiar unchanged pain",
            answers(cancer_history="yes", pain_new_or_changed="no"),
        ),
        silent("cancer, new pain", answers(cancer_history="yes", pain_new_or_changed="yes")),
        silent("no cancer", answers(cancer_history="no", pain_new_or_changed="no")),
    ],
    "R-MYELOMA-1": [
        fires(
            "60 with new pain of 42 days (the boundaries)",
            answers(age=60, pain_duration_days=42, pain_new_or_changed="yes"),
        ),
        fires(
            "70, pain of 100 days, not sure whether new",
            answers(age=70, pain_duration_days=100, pain_new_or_changed="unsure"),
        ),
        silent("59", answers(age=59, pain_duration_days=42, pain_new_or_changed="yes")),
        silent("41 days", answers(age=60, pain_duration_days=41, pain_new_or_changed="yes")),
        silent(
            "a familiar pain", answers(age=66, pain_duration_days=100, pain_new_or_changed="no")
        ),
    ],
    # Infection -----------------------------------------------------------------------------
    "E-INF-1": [
        fires("fever, weakened immunity", answers(fever="yes", weakened_immunity="yes")),
        fires("fever, diabetes", answers(fever="yes", diabetes="yes")),
        fires("fever, injects drugs", answers(fever="yes", injects_drugs="yes")),
        fires("fever, recent infection", answers(fever="yes", recent_infection="yes")),
        fires("feeling unwell, diabetes", answers(feeling_unwell="yes", diabetes="yes")),
        fires(
            "fever, recent spinal procedure", answers(fever="yes", recent_spinal_procedure="yes")
        ),
        *(
            fires(f"fever, then {name}", _story(d, fever="yes"))
            for name, d in NEW_NEUROLOGY.items()
        ),
        silent("fever alone", answers(fever="yes")),
        silent("diabetes without fever", answers(fever="no", feeling_unwell="no", diabetes="yes")),
        *(silent(f"fever, {name}", _story(d, fever="yes")) for name, d in NO_NEW_NEUROLOGY.items()),
        *(
            case
            for name in ("leg_symptoms", *CES_SYMPTOMS)
            for case in _with(new_or_worsening(name), fever="yes", pain_duration_days=60)
        ),
    ],
    "U-INF-2": [
        fires("fever", answers(fever="yes")),
        silent("feeling unwell, no fever", answers(fever="no", feeling_unwell="yes")),
    ],
    "U-IMM-1": [
        fires(
            "weakened immunity, new pain",
            answers(weakened_immunity="yes", pain_new_or_changed="yes"),
        ),
        silent(
            "weakened immunity, familiar pain",
            answers(weakened_immunity="yes", pain_new_or_changed="no"),
        ),
        silent(
            "new pain, no immunity problem",
            answers(weakened_immunity="no", pain_new_or_changed="yes"),
        ),
    ],
    # Cord ------------------------------------------------------------------------------------
    "E-CORD-1": [
        fires(
            "walking worse over days",
            answers(walking_difficulty="yes", walking_difficulty_pace="over_days"),
        ),
        fires("walking steadily worse (retired question)", answers(walking_worsening="yes")),
        fires("weak arms and legs", answers(arms_and_legs_weak="yes")),
        fires("both arms weak", answers(both_arms_weak="yes")),
        fires(
            "neck pain, new bladder change",
            answers(regions=("cervical",), **symptom("bladder_change")),
        ),
        fires(
            "neck pain, bowel change getting worse",
            answers(
                regions=("cervical",),
                pain_duration_days=60,
                **symptom("bowel_change", onset_days=40, trend="worse"),
            ),
        ),
        silent(
            "walking worse over weeks",
            answers(walking_difficulty="yes", walking_difficulty_pace="over_weeks"),
        ),
        silent(
            "neck pain, bladder change of 30 days, stable",
            answers(
                regions=("cervical",),
                pain_duration_days=60,
                **symptom("bladder_change", onset_days=30),
            ),
        ),
        silent(
            "low back pain, new bladder change (cauda equina)",
            answers(regions=("lumbar",), **symptom("bladder_change")),
        ),
        silent("no walking difficulty (the negation trap)", answers(walking_difficulty="no")),
        *(
            case
            for name in SPHINCTERS
            for case in _with(new_or_worsening(name), regions=("cervical",), pain_duration_days=60)
        ),
    ],
    "U-DCM-1": [
        fires(
            "walking slowly worse over months",
            answers(walking_difficulty="yes", walking_difficulty_pace="over_weeks"),
        ),
        fires("clumsy and numb hands", answers(hand_clumsiness="yes", hands_numb="yes")),
        fires("heavy legs and electric shocks", answers(legs_heavy="yes", electric_shocks="yes")),
        fires(
            "balance slowly worse (retired question) and numb hands",
            answers(balance_problems="yes", balance_problems_pattern="worsening", hands_numb="yes"),
        ),
        fires(
            "neck pain, bladder change of 30 days, stable",
            answers(
                regions=("cervical",),
                pain_duration_days=60,
                **symptom("bladder_change", onset_days=30),
            ),
        ),
        fires(
            "neck pain, bowel change of 30 days, easing",
            answers(
                regions=("cervical",),
                pain_duration_days=60,
                **symptom("bowel_change", onset_days=30, trend="better"),
            ),
        ),
        silent("numb hands alone (carpal tunnel?)", answers(hands_numb="yes")),
        silent(
            "walking worse over days",
            answers(walking_difficulty="yes", walking_difficulty_pace="over_days"),
        ),
        silent(
            "low back pain, bladder change of 30 days",
            answers(regions=("lumbar",), **symptom("bladder_change", onset_days=30)),
        ),
        silent("neck pain, nothing else", answers(regions=("cervical",))),
        *(
            case
            for name in SPHINCTERS
            for case in _with(stable_and_longer(name), regions=("cervical",), pain_duration_days=60)
        ),
    ],
    # Neck arteries, instability, stroke ---------------------------------------------------
    "E-CAD-1": [
        fires("neck pain, dizziness", answers(regions=("cervical",), dizziness_or_blackouts="yes")),
        fires("neck pain, worst headache", answers(regions=("cervical",), worst_headache="yes")),
        fires(
            "neck and back pain, worst headache",
            answers(regions=("cervical", "lumbar"), worst_headache="yes"),
        ),
        fires("regions not known, worst headache", _without_regions(answers(worst_headache="yes"))),
        silent("neck pain, neither", answers(regions=("cervical",))),
    ],
    "R-RA-1": [
        fires(
            "neck pain with RA",
            answers(regions=("cervical",), inflammatory_or_connective_tissue="yes"),
        ),
        fires(
            "regions not known, RA",
            _without_regions(answers(inflammatory_or_connective_tissue="yes")),
        ),
        silent(
            "neck pain, no RA (the negation trap)",
            answers(regions=("cervical",), inflammatory_or_connective_tissue="no"),
        ),
    ],
    "E-STROKE-1": [
        fires("face, arm and leg on one side", answers(one_side_of_body="yes")),
        fires("face drooping", answers(face_drooping="yes")),
        fires("one limb suddenly weak", answers(sudden_limb_weakness="yes")),
        fires("slurred speech", answers(speech_difficulty="yes")),
        fires("sudden loss of sight", answers(vision_change="yes")),
        silent("one-sided sciatica (the trap of §4.4)", answers(**legs("left"))),
        silent(
            "none (the negation trap)", answers(one_side_of_body="no", sudden_limb_weakness="no")
        ),
    ],
    "E-AAA-1": [
        fires("pulsing tummy, faint", answers(pulsing_abdomen="yes")),
        silent("no (the negation trap)", answers(pulsing_abdomen="no")),
    ],
    "U-VISC-1": [
        fires("loin-to-groin pain", answers(loin_to_groin_pain="yes")),
        fires("urinary symptoms with fever", answers(urinary_symptoms="yes", fever="yes")),
        fires("nausea with tummy pain", answers(nausea_with_tummy_pain="yes")),
        fires("nausea or vomiting alone", answers(nausea_or_vomiting="yes")),
        fires("gynaecological or prostate symptoms", answers(gynae_or_prostate_symptoms="yes")),
        silent("urinary symptoms without fever", answers(urinary_symptoms="yes")),
        silent("fever alone", answers(fever="yes")),
        silent("no nausea (the negation trap)", answers(nausea_or_vomiting="no")),
    ],
}

# Axial spondyloarthritis: NICE NG65 ----------------------------------------------------------

_AXSPA_BASE = {"age": 40, "back_pain_onset_age": 38, "pain_duration_days": 200}
_CRITERIA = {
    "wakes": {"wakes_second_half_night": "yes"},
    "buttock": {"buttock_pain": "yes"},
    "movement": {"better_with_movement": "yes"},
    "nsaids": {"better_with_anti_inflammatories": "yes"},
    "family": {"family_spondyloarthritis": "yes"},
    "arthritis": {"arthritis_history": "yes"},
    "enthesitis": {"enthesitis_history": "yes"},
    "psoriasis": {"psoriasis_history": "yes"},
}


def _axspa(*criteria: str, **more: Any) -> dict[str, Any]:
    return _story(*(_CRITERIA[name] for name in criteria), **{**_AXSPA_BASE, **more})


CASES["R-AXSPA-1"] = [
    fires(
        "onset at 34 and three more", _axspa("wakes", "buttock", "movement", back_pain_onset_age=34)
    ),
    fires("four of the later criteria", _axspa("nsaids", "family", "arthritis", "enthesitis")),
    fires("psoriasis and three more", _axspa("psoriasis", "wakes", "buttock", "movement")),
    fires(
        "onset at 44, 91 days (the boundaries)",
        _axspa(
            "wakes", "buttock", "movement", "nsaids", back_pain_onset_age=44, pain_duration_days=91
        ),
    ),
    silent(
        "onset at 35 is no criterion",
        _axspa("wakes", "buttock", "movement", back_pain_onset_age=35),
    ),
    silent("three criteria", _axspa("nsaids", "family", "arthritis")),
    silent("onset at 45", _axspa("wakes", "buttock", "movement", "nsaids", back_pain_onset_age=45)),
    silent("90 days", _axspa("wakes", "buttock", "movement", "nsaids", pain_duration_days=90)),
    silent("regions not known", _without_regions(_axspa("wakes", "buttock", "movement", "nsaids"))),
]
CASES["R-AXSPA-2"] = [
    fires("onset at 34 and two more", _axspa("wakes", "buttock", back_pain_onset_age=34)),
    fires("three of the middle criteria", _axspa("movement", "nsaids", "family")),
    fires("three of the last criteria", _axspa("arthritis", "enthesitis", "psoriasis")),
    silent("two criteria", _axspa("arthritis", "enthesitis")),
    fires(
        "onset at 44, 91 days (the boundaries)",
        _axspa("wakes", "buttock", "movement", back_pain_onset_age=44, pain_duration_days=91),
    ),
    silent("onset at 35 is no criterion", _axspa("wakes", "buttock", back_pain_onset_age=35)),
    silent("onset at 45", _axspa("wakes", "buttock", "movement", back_pain_onset_age=45)),
    silent("90 days", _axspa("wakes", "buttock", "movement", pain_duration_days=90)),
    silent("regions not known", _without_regions(_axspa("wakes", "buttock", "movement"))),
]

# Age, nerve roots, balance, duration ---------------------------------------------------------

CASES["U-AGE-1"] = [
    fires("first episode at 14", answers(age=14, back_pain_onset_age=14, first_episode="yes")),
    fires("first episode at 61", answers(age=61, first_episode="yes")),
    silent("first episode at 15", answers(age=15, back_pain_onset_age=15, first_episode="yes")),
    silent("first episode at 60", answers(age=60, first_episode="yes")),
    silent("not the first episode at 67", answers(age=67, first_episode="no")),
]
CASES["U-NEURO-1"] = [
    fires("foot drop", answers(**legs("left", foot_drop="yes"))),
    fires("left leg weakness getting worse", answers(**legs("left", weakness="yes"))),
    fires("right leg weakness getting worse", answers(**legs("right", weakness="yes"))),
    silent("one leg, no weakness or foot drop", answers(**legs("left"))),
    silent("both legs, weakness getting worse (E-CES-5)", answers(**legs("both", weakness="yes"))),
]
CASES["R-RAD-1"] = [
    fires("left leg", answers(**legs("left"))),
    fires("right leg", answers(**legs("right"))),
    silent("both legs", answers(**legs("both", onset_days=40))),
    silent("no leg symptoms", answers(leg_symptoms="no")),
]
CASES["R-FALLS-1"] = [
    fires(
        "walking stable for a long time",
        answers(walking_difficulty="yes", walking_difficulty_pace="stable"),
    ),
    fires(
        "balance long-standing (retired question)",
        answers(balance_problems="yes", balance_problems_pattern="long_standing"),
    ),
    silent(
        "walking slowly worse",
        answers(walking_difficulty="yes", walking_difficulty_pace="over_weeks"),
    ),
    silent(
        "balance came on suddenly (retired question)",
        answers(balance_problems="yes", balance_problems_pattern="sudden"),
    ),
    silent(
        "not sure about balance problems (retired question)",
        answers(balance_problems="unsure", balance_problems_pattern="long_standing"),
    ),
]
CASES["R-DUR-1"] = [
    fires(
        "spasms for 15 days, the same (the boundary)",
        answers(back_spasms="yes", pain_duration_days=15, pain_trend="same"),
    ),
    fires(
        "spasms for 20 days, worse",
        answers(back_spasms="yes", pain_duration_days=20, pain_trend="worse"),
    ),
    fires(
        "spasms for 20 days, improving, where the clinic flags those too",
        answers(back_spasms="yes", pain_duration_days=20, pain_trend="better"),
        ScreeningPolicy(spasm_flag_when_improving=True),
    ),
    silent(
        "spasms for 14 days (the boundary)",
        answers(back_spasms="yes", pain_duration_days=14, pain_trend="same"),
    ),
    silent(
        "spasms for 20 days, improving",
        answers(back_spasms="yes", pain_duration_days=20, pain_trend="better"),
    ),
    silent("no spasms", answers(back_spasms="no", pain_duration_days=20, pain_trend="same")),
]
CASES["R-DUR-2"] = [
    fires(
        "43 days, getting worse (the boundary)", answers(pain_duration_days=43, pain_trend="worse")
    ),
    fires(
        "50 days, new and the same",
        answers(pain_duration_days=50, pain_trend="same", pain_new_or_changed="yes"),
    ),
    silent("42 days, getting worse", answers(pain_duration_days=42, pain_trend="worse")),
    silent(
        "50 days, familiar and the same",
        answers(pain_duration_days=50, pain_trend="same", pain_new_or_changed="no"),
    ),
    silent(
        "50 days, new and improving",
        answers(pain_duration_days=50, pain_trend="better", pain_new_or_changed="yes"),
    ),
]
