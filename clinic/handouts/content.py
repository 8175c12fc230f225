"""What goes on a patient's handout, as plain data. Plain Python.

The PDF is rendered from these dataclasses only (never from ORM objects), so the same
data can be hashed for the cache and checked in tests without a database.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, replace
from datetime import date, timedelta
from functools import cached_property
from typing import Any

from clinic.catalogue.cues import cues_for_area
from clinic.catalogue.dosage import dosage_words, ticks_per_day
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
LANGUAGES = ("en",)
LOG_DAYS = 14
# The log prints a week per table: seven days fit across the page in large print too.
LOG_WEEK = 7
# A drawing at least this much wider than tall (a sequence of poses, a figure lying down)
# spans the page above an item's steps; a narrower one stands beside them.
WIDE_DRAWING = 2.0


# The log draws a day's tick boxes as a background picture (one per number of boxes), so
# a row is one table cell, not seven: a fraction of the layout work (docs/handouts.md).
MAX_DRAWN_TICKS = 6


def tick_boxes_svg(count: int) -> str:
    """A day of the log: ``count`` empty squares, two to a row, centred in the day's
    column (the picture keeps its shape, so a square is never squashed)."""
    count = max(1, min(count, MAX_DRAWN_TICKS))
    across, rows = min(count, 2), -(-count // 2)
    box, step = 14, 17
    width, height = 2 * step + 6, max(rows, 2) * step + 2
    left = (width - (across * step - (step - box))) / 2
    top = (height - (rows * step - (step - box))) / 2
    squares = "".join(
        f'<rect x="{left + (n % across) * step:g}" y="{top + (n // across) * step:g}" '
        f'width="{box}" height="{box}" fill="#fff" stroke="#000" stroke-width="1"/>'
        for n in range(count)
    )
    return f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}">{squares}</svg>'


@dataclass(frozen=True)
class HandoutOptions:
    paper: str = "a4"
    # Large or standard print for every handout of this print; None prints each as its
    # patient prefers.
    large_print: bool | None = None
    language: str = "en"


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
    # Done by the therapist at the clinic: described under "What we will do at the
    # clinic", never among the home instructions or in the log.
    at_clinic: bool = False
    # Boxes a day in the log (one per time a day); 0 keeps the item out of the log
    # (advice with no dosage to tick).
    ticks: int = 1

    @property
    def ticks_label(self) -> str:
        """Beside the item in the log: how many boxes a day are its to tick."""
        return {1: "once a day", 2: "twice a day"}.get(self.ticks, f"{self.ticks} times a day")

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

    @property
    def home_items(self) -> tuple[HandoutItem, ...]:
        return tuple(item for item in self.items if not item.at_clinic)

    @property
    def clinic_items(self) -> tuple[HandoutItem, ...]:
        return tuple(item for item in self.items if item.at_clinic)

    @property
    def log_items(self) -> tuple[HandoutItem, ...]:
        return tuple(item for item in self.home_items if item.ticks)

    @property
    def tick_counts(self) -> tuple[int, ...]:
        """The numbers of boxes a day the log draws (one background picture each)."""
        return tuple(sorted({min(item.ticks, MAX_DRAWN_TICKS) for item in self.log_items}))

    @property
    def log_weeks(self) -> tuple[tuple[date, ...], ...]:
        """The log's dates, from the handout's date, a week at a time."""
        days = [self.issued_on + timedelta(days=offset) for offset in range(self.log_days)]
        return tuple(tuple(days[at : at + LOG_WEEK]) for at in range(0, len(days), LOG_WEEK))


def handout_item(
    *,
    title: str,
    kind: str,
    summary: str,
    steps: tuple[str, ...],
    safety_cues: tuple[str, ...],
    illustration_svg: str | None,
    illustration_alt: str,
    dosage: Mapping[str, Any],
    area: str | None,
    at_clinic: bool,
    note: str = "",
) -> HandoutItem:
    """How one item of a plan prints: its dosage in words, its cues for the body area it
    is done on, at home or at the clinic. Numbered by ``numbered``."""
    return HandoutItem(
        number=0,
        title=title,
        kind=kind,
        summary=summary,
        steps=steps,
        dosage=dosage_words(dosage),
        safety_cues=cues_for_area(safety_cues, area),
        note=note,
        illustration_svg=illustration_svg,
        illustration_alt=illustration_alt,
        at_clinic=at_clinic,
        ticks=ticks_per_day(dosage) if any(dosage.values()) else 0,
    )


def archive_key(
    *,
    version_id: int,
    patient_name: str,
    finalised_by: str,
    issued_on: date,
    answers: Mapping[str, Any],
    clinic: ClinicDetails,
    options: HandoutOptions,
    template_version: str,
    code_version: str,
) -> str:
    """The key of an archived handout: everything it is made of that can change after
    the plan version is finalised (the version's own content is frozen), and the
    versions of the template and of the code that words it. Equal key, equal handout."""
    data = {
        "version": version_id,
        "patient": patient_name,
        "therapist": finalised_by,
        "issued_on": issued_on.isoformat(),
        "answers": answers,
        "clinic": asdict(clinic),
        "options": asdict(options),
        "template": template_version,
        "code": code_version,
    }
    encoded = json.dumps(data, sort_keys=True, default=str).encode()
    return hashlib.sha256(encoded).hexdigest()


def numbered(items: Iterable[HandoutItem]) -> tuple[HandoutItem, ...]:
    """The items in plan order, home items numbered 1, 2, 3... (the numbers the log
    uses) and clinic items numbered apart."""
    counts = {False: 0, True: 0}
    result = []
    for item in items:
        counts[item.at_clinic] += 1
        result.append(replace(item, number=counts[item.at_clinic]))
    return tuple(result)


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
