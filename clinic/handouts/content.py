"""What goes on a patient's handout, as plain data. Plain Python.

The PDF is rendered from these dataclasses only (never from ORM objects), so the same
data can be hashed for the cache and checked in tests without a database.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import date
from functools import cached_property
from typing import Any

from clinic.catalogue.svg import aspect_ratio
from clinic.screening.questions import POSITIVE
from clinic.screening.rules import (
    CES_SAFETY_NET,
    CORD_SAFETY_NET,
    GP_SAFETY_NET,
    INFECTION_SAFETY_NET,
    MSCC_SAFETY_NET,
    STROKE_SAFETY_NET,
)

PAPER_SIZES = ("a4", "letter")
LOG_DAYS = 14
# A drawing at least this much wider than tall (a sequence of poses, a figure lying down)
# spans the page above an item's steps; a narrower one stands beside them.
WIDE_DRAWING = 2.0


@dataclass(frozen=True)
class HandoutOptions:
    paper: str = "a4"
    # Large or standard print for every handout of this print; None prints each as its
    # patient prefers.
    large_print: bool | None = None


@dataclass(frozen=True)
class ClinicDetails:
    name: str
    phone: str
    address: str
    email: str
    emergency_number: str
    logo: str | None = None  # a file name in the app's static folder


@dataclass(frozen=True)
class HandoutItem:
    number: int
    title: str
    kind: str
    summary: str
    steps: tuple[str, ...]
    dosage: str
    safety_cues: tuple[str, ...]
    note: str
    illustration_svg: str | None
    illustration_alt: str

    @cached_property
    def wide_illustration(self) -> bool:
        if self.illustration_svg is None:
            return False
        ratio = aspect_ratio(self.illustration_svg)
        return ratio is not None and ratio >= WIDE_DRAWING


@dataclass(frozen=True)
class Handout:
    clinic: ClinicDetails
    patient_name: str
    plan_title: str
    plan_version: int
    issued_on: date
    therapist: str
    review_date: date | None
    general_advice: str
    items: tuple[HandoutItem, ...]
    stop_and_get_help: tuple[str, ...]
    large_print: bool = False
    log_days: int = LOG_DAYS

    def fingerprint(self, options: HandoutOptions, template_version: str) -> str:
        """Equal for an unchanged plan version, patient, clinic, options and template."""
        data = {"handout": asdict(self), "options": asdict(options), "template": template_version}
        encoded = json.dumps(data, sort_keys=True, default=str).encode()
        return hashlib.sha256(encoded).hexdigest()


def stop_and_get_help(
    answers: Mapping[str, Any], regions: frozenset[str], emergency_number: str
) -> tuple[str, ...]:
    """The "Stop and get help" box for this patient: the safety-net text of the screening
    rules that fit their regions and history (clinical.md §1.6). Back pain, and above all
    back pain with leg symptoms, always gets the cauda equina warning."""
    notes: list[str] = []
    if "lumbar" in regions or answers.get("leg_symptoms") in POSITIVE:
        notes.append(CES_SAFETY_NET)
    if regions & {"cervical", "thoracic"}:
        notes.append(CORD_SAFETY_NET)
    if "cervical" in regions:
        notes.append(STROKE_SAFETY_NET.replace("999", emergency_number))
    if answers.get("cancer_history") in POSITIVE:
        notes.append(MSCC_SAFETY_NET)
    notes.append(INFECTION_SAFETY_NET)
    notes.append(GP_SAFETY_NET)
    return tuple(notes)
