"""The contraindication check: each plan item against the patient's intake. Plain Python.

Each safety code of a catalogue item (clinical.md §9, ``clinic.catalogue.safety``) names
a condition; the table below says which intake answers (the §9.8 fields) show that
condition. A code matters only where the item is applied: the item's body area must be
one of the code's areas, and for a condition that is itself in one place (numb skin) the
patient's areas must include it too: "impaired sensation in the feet does not block heat
to the lumbar spine" (clinical.md §9).

A "Not sure" answer counts as yes: a precaution is cheaper than a missed burn. A code the
intake cannot answer (a recent fracture, irradiated tissue) is left to the therapist's
assessment and listed as such, never silently passed. A code is skipped for its areas
only where the item is placed within its usual areas: an item placed anywhere else is
checked there, with every code (heat on numb feet is contraindicated, clinical.md §9).

While an EMERGENCY or URGENT red flag awaits a therapist's decision, what it stops is
contraindicated and cannot be overridden; the plan cannot be finalised until the flag is
decided. Every such flag stops loading, traction and manual therapy over the spine
(clinical.md §2 URGENT, §9.7 triage link [P]); each condition adds its own reason and
source, and a suspected infection stops massage anywhere (``RED_FLAG_STOPS``).
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from clinic.catalogue.safety import CODES, Level, SafetyCode, Treatment
from clinic.catalogue.vocabulary import REGIONS, Kind, label_of
from clinic.intake.fields import ALL_QUESTIONS
from clinic.screening.model import Condition, Tier
from clinic.screening.questions import POSITIVE

# Bone fragility (clinical.md §3.2, §9.5, §9.6): osteoporosis, long-term steroids, or a
# previous fragility fracture.
BONE_FRAGILITY = ("osteoporosis", "long_term_steroids", "fragility_fracture")

# Which intake answers show each code's condition (any one of them, answered yes or not
# sure). The intake question ids are clinic.intake.fields' §9.8 history questions.
CODE_CONDITIONS: dict[str, tuple[str, ...]] = {
    "heat.impaired_sensation": ("impaired_sensation",),
    "heat.impaired_circulation": ("vascular_disease",),
    "heat.dvt": ("dvt",),
    "heat.malignancy": ("cancer_history",),
    "heat.bleeding": ("bleeding_disorder",),
    "heat.infection": ("fever",),
    "heat.skin": ("skin_conditions",),
    "heat.cannot_report": ("communication_needs",),
    "heat.pregnancy": ("pregnant",),
    "heat.cardiac": ("heart_or_blood_pressure",),
    "heat.diabetes": ("diabetes",),
    "heat.metal": ("metal_implants",),
    "cold.raynauds": ("raynauds",),
    "cold.impaired_circulation": ("vascular_disease",),
    "cold.impaired_sensation": ("impaired_sensation",),
    "cold.hypertension": ("heart_or_blood_pressure",),
    "cold.wounds": ("skin_conditions",),
    "cold.cannot_report": ("communication_needs",),
    "massage.dvt": ("dvt",),
    "massage.malignancy": ("cancer_history",),
    "massage.infection": ("fever",),
    "massage.skin": ("skin_conditions",),
    "massage.bleeding": ("anticoagulants", "bleeding_disorder"),
    "massage.osteoporosis": BONE_FRAGILITY,
    "massage.recent_surgery": ("recent_surgery",),
    "massage.impaired_sensation": ("impaired_sensation",),
    "massage.hypertension": ("heart_or_blood_pressure",),
    "massage.pregnancy": ("pregnant",),
    "ultrasound.pregnancy": ("pregnant",),
    "ultrasound.malignancy": ("cancer_history",),
    "ultrasound.pacemaker": ("pacemaker",),
    "ultrasound.dvt": ("dvt",),
    "ultrasound.bleeding": ("bleeding_disorder",),
    "ultrasound.infection": ("fever",),
    "ultrasound.impaired_sensation": ("impaired_sensation", "vascular_disease"),
    "ultrasound.implants": ("metal_implants",),
    "ultrasound.cannot_report": ("communication_needs",),
    "traction.malignancy": ("cancer_history",),
    "traction.infection": ("fever",),
    "traction.osteoporosis": BONE_FRAGILITY,
    "traction.inflammatory_arthritis": ("inflammatory_arthritis",),
    "traction.vascular": ("vascular_disease",),
    "traction.recent_surgery": ("recent_surgery",),
    "traction.hypermobility": ("hypermobility",),
    "traction.claustrophobia": ("claustrophobia",),
    "traction.cardiorespiratory": ("heart_or_blood_pressure",),
    "traction.pregnancy": ("pregnant",),
    "stretch.hypermobility": ("hypermobility",),
    "stretch.dvt": ("dvt",),
    "stretch.osteoporosis": BONE_FRAGILITY,
    "stretch.recent_surgery": ("recent_surgery",),
    "stretch.inflammatory_arthritis": ("inflammatory_arthritis",),
    "stretch.anticoagulants": ("anticoagulants",),
    "exercise.systemic_infection": ("fever",),
    "exercise.cardiac": ("heart_or_blood_pressure",),
    "exercise.osteoporosis": BONE_FRAGILITY,
    "exercise.metabolic": ("diabetes",),
    "exercise.inflammatory_arthritis": ("inflammatory_arthritis",),
}

# Every intake answer the check reads (the intake record marks them).
SAFETY_ANSWERS = frozenset(
    question for questions in CODE_CONDITIONS.values() for question in questions
)

# Where the intake says where a condition is, as body areas (the others are free text).
AREA_ANSWERS = {"impaired_sensation": "impaired_sensation_where"}
# The patient's own words, shown to the therapist beside the finding.
DETAIL_ANSWERS = {
    "metal_implants": "metal_implants_where",
    "cancer_history": "cancer_details",
    "recent_surgery": "recent_surgery_where",
}
LOADING_KINDS = frozenset({Kind.EXERCISE, Kind.STRETCH})
SPINE_AREAS = frozenset({"neck", "upper_back", "lower_back"})
# Red-flag results a plan stops for until a therapist decides (clinical.md §2).
STOPPING_TIERS = frozenset({Tier.EMERGENCY, Tier.URGENT})


class Target(enum.Enum):
    """What a red flag can stop."""

    LOADING = "exercise or stretching"
    TRACTION = "traction"
    SPINAL_MANUAL_THERAPY = "manual therapy or massage over the spine"
    ANY_MASSAGE = "massage or manual therapy anywhere"


@dataclass(frozen=True)
class RedFlagStop:
    targets: frozenset[Target]
    label: str
    # What staff see: the guidelines; ``reference``: the trace in the clinical reference.
    source: str
    reference: str


_EVERY_FLAG = frozenset({Target.LOADING, Target.TRACTION, Target.SPINAL_MANUAL_THERAPY})
# What an open EMERGENCY or URGENT flag stops, for a condition that has its own reason;
# every other condition stops what GENERAL_STOP says.
GENERAL_STOP = RedFlagStop(
    _EVERY_FLAG,
    "A red flag awaits a therapist's decision: no loading, traction or manual therapy "
    "until cleared",
    "UK Community Red Flags 2023 and NHS D&G: priority referral, no manual therapy, "
    "traction or vigorous loading until cleared",
    "clinical.md §2 (URGENT); §9.7 (triage link [P])",
)
_MALIGNANCY_STOP = RedFlagStop(
    _EVERY_FLAG,
    "Suspected spinal malignancy: no traction, deep pressure, massage or mobilisation over "
    "the spine, and no loading, until cleared",
    "NICE NG234 (metastatic spinal cord compression); IFOMPT red flags framework 2020; "
    "Batavia 2004 (massage over a malignancy)",
    "clinical.md §3.3; §9.3 (over a malignancy); §9.5 (spinal malignancy); §9.7",
)
_CORD_STOP = RedFlagStop(
    _EVERY_FLAG,
    "Suspected cord or cauda equina compression: no traction, manipulation or mobilisation, "
    "and no loading, until cleared",
    "GIRFT National Suspected Cauda Equina Syndrome Pathway 2023; IFOMPT red flags framework 2020",
    "clinical.md §3.1, §4.1; §9.5 (cord compression or cauda equina signs); §9.7",
)
RED_FLAG_STOPS: dict[Condition, RedFlagStop] = {
    Condition.SPINAL_FRACTURE: RedFlagStop(
        _EVERY_FLAG,
        "Suspected spinal fracture: no manipulation, mobilisation, traction or deep pressure "
        "over the spine, and no loading, until cleared",
        "IFOMPT red flags framework 2020 (spinal fracture); UK Community Red Flags 2023",
        "clinical.md §3.2 (action); §9.3 (over a recent fracture); §9.5 (acute fracture); §9.7",
    ),
    Condition.SPINAL_MALIGNANCY: _MALIGNANCY_STOP,
    Condition.METASTATIC_CORD_COMPRESSION: _MALIGNANCY_STOP,
    Condition.SPINAL_INFECTION: RedFlagStop(
        _EVERY_FLAG | {Target.ANY_MASSAGE},
        "Suspected spinal infection: no massage or manual therapy anywhere, no traction, no "
        "loading, until cleared",
        "IFOMPT red flags framework 2020 (spinal infection); UK Community Red Flags 2023",
        "clinical.md §3.4; §9.3 (acute infection or fever); §9.5 (spinal infection); "
        "§9.7 (acute systemic infection)",
    ),
    Condition.CAUDA_EQUINA: _CORD_STOP,
    Condition.CORD_COMPRESSION: _CORD_STOP,
    Condition.CERVICAL_MYELOPATHY: _CORD_STOP,
    Condition.CERVICAL_ARTERIAL_DYSFUNCTION: RedFlagStop(
        _EVERY_FLAG,
        "Suspected cervical arterial dysfunction: no cervical manual therapy or end-range "
        "techniques, no traction, no loading, until cleared",
        "IFOMPT Cervical Framework 2020 (Rushton et al.; JOSPT 2023)",
        "clinical.md §4.2 (E-CAD-1 action); §9.7",
    ),
}
RED_FLAG_CODE = "loading.red_flag"


@dataclass(frozen=True)
class OpenRedFlag:
    """A screening result that awaits a therapist's decision."""

    tier: Tier
    conditions: frozenset[Condition]


@dataclass(frozen=True)
class PlanItemFacts:
    """What the check needs of one plan item."""

    key: str
    kind: Kind
    # Where the treatment goes; None when it has no one place (advice, walking).
    area: str | None
    codes: tuple[tuple[str, tuple[str, ...]], ...]  # (code, areas where it applies)
    # The catalogue item's usual body areas: a code's own areas narrow it only there.
    usual_areas: tuple[str, ...] = ()


@dataclass(frozen=True)
class Finding:
    item_key: str
    code: str
    level: Level
    label: str
    reason: str
    source: str
    # False for loading while a red flag awaits a decision: no reason is enough.
    overridable: bool = True


@dataclass(frozen=True)
class CheckResult:
    findings: tuple[Finding, ...]
    # Codes the intake cannot answer, per item: for the therapist's assessment.
    unchecked: dict[str, tuple[str, ...]]
    # Findings on the plan's free-text general advice (``advice_findings``): never
    # overridable, the advice must go or become a catalogue item.
    advice: tuple[Finding, ...] = ()

    def for_item(self, key: str) -> tuple[Finding, ...]:
        return tuple(finding for finding in self.findings if finding.item_key == key)

    @property
    def contraindicated(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.level is Level.CONTRAINDICATED)

    @property
    def precautions(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.level is Level.PRECAUTION)


def _positive(answers: Mapping[str, Any], question: str) -> bool:
    return answers.get(question) in POSITIVE


def _areas_of(answers: Mapping[str, Any], question: str) -> frozenset[str] | None:
    """The body areas the patient gave for a condition, or None when unknown."""
    field = AREA_ANSWERS.get(question)
    if field is None:
        return None
    chosen = answers.get(field)
    if not isinstance(chosen, list) or not chosen:
        return None  # said yes, but not where: it could be anywhere
    return frozenset(str(area) for area in chosen)


def _area_name(area: str) -> str:
    return label_of(REGIONS, area).lower()


def _finding_for(
    item: PlanItemFacts, code: SafetyCode, areas: tuple[str, ...], answers: Mapping[str, Any]
) -> Finding | None:
    if item.area is not None and item.area in item.usual_areas and item.area not in areas:
        return None  # this code is about other parts of the body
    for question in CODE_CONDITIONS[code.code]:
        if not _positive(answers, question):
            continue
        asked = ALL_QUESTIONS[question].text
        answer = "Not sure" if answers[question] == "unsure" else "Yes"
        reason = f"Intake: “{asked}” {answer}"
        if code.localised:
            patient_areas = _areas_of(answers, question)
            if patient_areas is not None:
                if item.area is not None and item.area not in patient_areas:
                    continue  # the condition is somewhere else
                reason += f", affecting the {', '.join(map(_area_name, sorted(patient_areas)))}"
            detail_field = DETAIL_ANSWERS.get(question)
            detail = answers.get(detail_field) if detail_field else None
            if isinstance(detail, str) and detail.strip():
                reason += f" ({detail.strip()[:120]}): check whether it is where the item goes"
        return Finding(
            item_key=item.key,
            code=code.code,
            level=code.level,
            label=code.label,
            reason=reason
            + (
                f"; the item is for the {_area_name(item.area)}."
                if item.area
                else "; the item has no one place."
            ),
            source=code.source,
        )
    return None


def targets_of(item: PlanItemFacts) -> frozenset[Target]:
    """What a red flag could stop in this item."""
    targets: set[Target] = set()
    if item.kind in LOADING_KINDS:
        targets.add(Target.LOADING)
    if any(CODES[code].treatment is Treatment.TRACTION for code, _ in item.codes):
        targets.add(Target.TRACTION)
    if item.kind is Kind.MASSAGE:
        targets.add(Target.ANY_MASSAGE)
        if item.area is None or item.area in SPINE_AREAS:
            targets.add(Target.SPINAL_MANUAL_THERAPY)
    return frozenset(targets)


def _red_flag_findings(item: PlanItemFacts, flags: Iterable[OpenRedFlag]) -> list[Finding]:
    targets = targets_of(item)
    stops: dict[str, RedFlagStop] = {}
    for flag in flags:
        if flag.tier not in STOPPING_TIERS:
            continue
        own = [condition for condition in flag.conditions if condition in RED_FLAG_STOPS]
        chosen = [(f"red_flag.{c.value}", RED_FLAG_STOPS[c]) for c in own]
        if len(own) < len(flag.conditions) or not flag.conditions:
            chosen.append((RED_FLAG_CODE, GENERAL_STOP))
        stops.update((code, stop) for code, stop in chosen if stop.targets & targets)
    return [
        Finding(
            item_key=item.key,
            code=code,
            level=Level.CONTRAINDICATED,
            label=stop.label,
            reason=(
                "An EMERGENCY or URGENT screening result has no decision yet; this item is "
                + ", ".join(sorted(target.value for target in stop.targets & targets))
                + "."
            ),
            source=stop.source,
            overridable=False,
        )
        for code, stop in sorted(stops.items())
    ]


# --- General advice --------------------------------------------------------------------
#
# Advice that recommends a modality belongs in the plan as a catalogue item carrying that
# modality's safety codes, where the check weighs it and the therapist records a decision.
# The plan's free-text general advice is read for the modalities it recommends so that a
# handout never advises ice to a patient for whom ice is contraindicated: such advice is
# checked as if it were the modality, and any finding stops finalising and printing until
# the sentence goes. A recommendation is a named modality that is not negated ("no ice",
# "do not use heat", "avoid ice", "instead of heat" are not recommendations).

ADVICE_KEY = "general-advice"
_MODALITY_TERMS: dict[Treatment, tuple[str, ...]] = {
    Treatment.COLD: (
        "ice packs?",
        "icepacks?",
        "ice",
        "frozen peas",
        "cold packs?",
        "cold compress(?:es)?",
        "cold therapy",
        "cryotherapy",
    ),
    Treatment.HEAT: (
        "heat packs?",
        "hot packs?",
        "heat pads?",
        "heating pads?",
        "hot[- ]water bottles?",
        "wheat bags?",
        "warm (?:bath|shower)s?",
        "heat",
    ),
}
# How the finding names the modality, and the catalogue item to use instead.
_ADVISED = {Treatment.COLD: ("ice", "Ice pack"), Treatment.HEAT: ("heat", "Heat pack")}
# A negation just before the modality (a few small words between: "do not use any ice").
_NEGATION = (
    r"\b(?:no|not|never|avoid(?:ing)?|without|instead\s+of|rather\s+than|stop(?:ping)?"
    r"|don't|don\u2019t)"
)


def _modality_pattern(terms: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(
        rf"(?P<negated>{_NEGATION}(?:\s+(?:any|an|a|the|using|use|of))*\s+)?"
        rf"\b(?:{'|'.join(terms)})\b",
        re.IGNORECASE,
    )


_MODALITY_PATTERNS = {
    treatment: _modality_pattern(terms) for treatment, terms in _MODALITY_TERMS.items()
}


def modalities_advised(text: str) -> frozenset[Treatment]:
    """The modalities ``text`` recommends: each named without a negation before it."""
    return frozenset(
        treatment
        for treatment, pattern in _MODALITY_PATTERNS.items()
        if any(match.group("negated") is None for match in pattern.finditer(text))
    )


def advice_findings(text: str, answers: Mapping[str, Any]) -> tuple[Finding, ...]:
    """Findings on free-text advice: the recommended modality's codes, as for an item of
    that modality with no one place."""
    findings: list[Finding] = []
    advice = PlanItemFacts(key=ADVICE_KEY, kind=Kind.ADVICE, area=None, codes=())
    for treatment in sorted(modalities_advised(text)):
        for code in CODES.values():
            if code.treatment is not treatment or code.code not in CODE_CONDITIONS:
                continue
            finding = _finding_for(advice, code, (), answers)
            if finding is not None:
                findings.append(
                    replace(
                        finding,
                        label=f"{_ADVISED[treatment][0]} with {code.label}",
                        reason=f"The general advice recommends {_ADVISED[treatment][0]}. "
                        + finding.reason.removesuffix("; the item has no one place.")
                        + f". Take it out of the general advice, or add the "
                        f"{_ADVISED[treatment][1]} item so the check can weigh it and you can "
                        "record your decision.",
                        overridable=False,
                    )
                )
    return tuple(findings)


def check_plan(
    items: Iterable[PlanItemFacts],
    answers: Mapping[str, Any],
    *,
    open_flags: Iterable[OpenRedFlag] = (),
    general_advice: str = "",
) -> CheckResult:
    """Every finding for every item, given the intake ``answers`` and the screening
    results that still await a therapist's decision; and the findings on the plan's
    free-text ``general_advice``."""
    flags = tuple(open_flags)
    findings: list[Finding] = []
    unchecked: dict[str, tuple[str, ...]] = {}
    for item in items:
        findings.extend(_red_flag_findings(item, flags))
        not_answerable = []
        for code_name, areas in item.codes:
            code = CODES[code_name]
            if code_name not in CODE_CONDITIONS:
                not_answerable.append(code_name)
                continue
            finding = _finding_for(item, code, areas, answers)
            if finding is not None:
                findings.append(finding)
        if not_answerable:
            unchecked[item.key] = tuple(not_answerable)
    return CheckResult(tuple(findings), unchecked, advice_findings(general_advice, answers))
