"""The vocabulary of screening: tiers, conditions, clusters, questions."""

from __future__ import annotations

import enum
import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


class Tier(enum.Enum):
    """How fast the patient must be seen elsewhere (clinical.md §2).

    Ordered by urgency for the therapists' queue. INCOMPLETE (a time-critical question is
    unanswered) sits above ROUTINE_WITH_FLAG and NONE, so it is never mistaken for "no red
    flag", and below URGENT, so a confirmed flag is never hidden by a gap.
    """

    NONE = "NONE"
    ROUTINE_WITH_FLAG = "ROUTINE_WITH_FLAG"
    INCOMPLETE = "INCOMPLETE"
    URGENT = "URGENT"
    EMERGENCY = "EMERGENCY"

    @property
    def rank(self) -> int:
        return _TIER_ORDER.index(self)

    @property
    def label(self) -> str:
        return {
            Tier.NONE: "No red flag",
            Tier.ROUTINE_WITH_FLAG: "Routine, with a flag to act on",
            Tier.INCOMPLETE: "Incomplete: time-critical questions unanswered",
            Tier.URGENT: "Urgent",
            Tier.EMERGENCY: "Emergency",
        }[self]


_TIER_ORDER = [Tier.NONE, Tier.ROUTINE_WITH_FLAG, Tier.INCOMPLETE, Tier.URGENT, Tier.EMERGENCY]


def highest(tiers: list[Tier]) -> Tier:
    return max(tiers, key=lambda tier: tier.rank, default=Tier.NONE)


class Cluster(enum.Enum):
    """Groups of questions. The time-critical ones (clinical.md §1.4) make an unanswered
    question INCOMPLETE and count "unsure" as yes."""

    CAUDA_EQUINA = "cauda_equina"
    CORD = "cord"
    CANCER_NEUROLOGY = "cancer_neurology"
    INFECTION = "infection"
    STROKE = "stroke"
    ARTERIAL = "arterial"
    FRACTURE = "fracture"
    MALIGNANCY = "malignancy"
    VISCERAL = "visceral"
    INFLAMMATORY = "inflammatory"
    GENERAL = "general"

    @property
    def time_critical(self) -> bool:
        return self in TIME_CRITICAL_CLUSTERS


TIME_CRITICAL_CLUSTERS = frozenset(
    {
        Cluster.CAUDA_EQUINA,
        Cluster.CORD,
        Cluster.CANCER_NEUROLOGY,
        Cluster.INFECTION,
        Cluster.STROKE,
        Cluster.ARTERIAL,
    }
)


class Condition(enum.Enum):
    CAUDA_EQUINA = "cauda_equina_syndrome"
    SPINAL_FRACTURE = "spinal_fracture"
    METASTATIC_CORD_COMPRESSION = "metastatic_spinal_cord_compression"
    SPINAL_MALIGNANCY = "spinal_malignancy"
    MYELOMA = "myeloma"
    SPINAL_INFECTION = "spinal_infection"
    CORD_COMPRESSION = "deteriorating_spinal_cord_pathology"
    CERVICAL_MYELOPATHY = "degenerative_cervical_myelopathy"
    CERVICAL_ARTERIAL_DYSFUNCTION = "cervical_arterial_dysfunction"
    UPPER_CERVICAL_INSTABILITY = "upper_cervical_instability"
    STROKE_TIA = "stroke_or_tia"
    AORTIC_ANEURYSM = "abdominal_aortic_aneurysm"
    VISCERAL_CAUSE = "visceral_cause"
    AXIAL_SPONDYLOARTHRITIS = "axial_spondyloarthritis"
    RADICULOPATHY = "radiculopathy"
    MAJOR_NEUROLOGICAL_DEFICIT = "major_neurological_deficit"
    AGE = "age_outside_usual_range"
    PERSISTENT_SYMPTOMS = "persistent_symptoms"
    FALLS_RISK = "falls_risk"

    @property
    def label(self) -> str:
        return _CONDITION_LABELS[self]


_CONDITION_LABELS = {
    Condition.CAUDA_EQUINA: "Cauda equina syndrome",
    Condition.SPINAL_FRACTURE: "Spinal fracture",
    Condition.METASTATIC_CORD_COMPRESSION: "Metastatic spinal cord compression",
    Condition.SPINAL_MALIGNANCY: "Spinal malignancy",
    Condition.MYELOMA: "Myeloma",
    Condition.SPINAL_INFECTION: "Spinal infection",
    Condition.CORD_COMPRESSION: "Deteriorating spinal cord pathology",
    Condition.CERVICAL_MYELOPATHY: "Degenerative cervical myelopathy",
    Condition.CERVICAL_ARTERIAL_DYSFUNCTION: "Cervical arterial dysfunction",
    Condition.UPPER_CERVICAL_INSTABILITY: "Upper cervical instability",
    Condition.STROKE_TIA: "Stroke or TIA",
    Condition.AORTIC_ANEURYSM: "Abdominal aortic aneurysm",
    Condition.VISCERAL_CAUSE: "Visceral (non-spinal) cause of pain",
    Condition.AXIAL_SPONDYLOARTHRITIS: "Axial spondyloarthritis",
    Condition.RADICULOPATHY: "Radiculopathy (nerve root pain)",
    Condition.MAJOR_NEUROLOGICAL_DEFICIT: "Major or progressive neurological deficit",
    Condition.AGE: "Age outside the usual range for simple back pain",
    Condition.PERSISTENT_SYMPTOMS: "Persistent symptoms",
    Condition.FALLS_RISK: "Falls risk",
}


class AnswerType(enum.Enum):
    YES_NO_UNSURE = "yes_no_unsure"
    NUMBER = "number"
    CHOICE = "choice"
    MULTI_CHOICE = "multi_choice"
    DATE = "date"
    DURATION = "duration_days"
    TEXT = "text"


class Region(enum.Enum):
    LUMBAR = "lumbar"
    THORACIC = "thoracic"
    CERVICAL = "cervical"


ALL_REGIONS = frozenset(Region)


def patient_regions(answers: Mapping[str, Any]) -> frozenset[Region]:
    """The regions the patient chose; all of them when unknown, so that no region's
    questions or rules are silently skipped."""
    chosen = answers.get("pain_regions")
    if not isinstance(chosen, list) or not chosen:
        return ALL_REGIONS
    return _regions(tuple(chosen))


@functools.cache
def _regions(chosen: tuple[str, ...]) -> frozenset[Region]:
    # Asked for every question of every screening: parsed once per choice of regions
    # (validated answers list each region once, in order: seven choices at most).
    return frozenset(Region(value) for value in chosen)


@dataclass(frozen=True)
class Option:
    value: str
    text: str


@dataclass(frozen=True)
class FollowUp:
    """Asked only when ``question``'s answer is one of ``values``."""

    question: str
    values: frozenset[str]


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    type: AnswerType
    cluster: Cluster = Cluster.GENERAL
    # Asked of patients with pain in any of these regions (all, by default).
    regions: frozenset[Region] = ALL_REGIONS
    follow_up_of: FollowUp | None = None
    options: tuple[Option, ...] = ()
    minimum: int | None = None
    maximum: int | None = None
    hint: str = ""
    # A duration counted from something that began during this episode of pain (a
    # symptom "new since the pain began" or "changed since"): when the parent follow-up
    # is one of these answers, it is at most the pain's duration (clinical.md §2, unknowns).
    within_episode_when: frozenset[str] = frozenset()
    # No longer asked (its id keeps its meaning: answers in older intakes still count).
    retired: bool = False

    @property
    def time_critical(self) -> bool:
        return self.cluster.time_critical
