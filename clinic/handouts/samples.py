"""Handouts made straight from the shipped catalogue files, with each item's default
dosage: for warming the renderer up, for ``make bench`` and for tests. Plain Python."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, replace
from datetime import date

from clinic.catalogue.files import ITEMS_DIR, read_item
from clinic.catalogue.vocabulary import Setting, default_setting
from clinic.handouts.content import (
    ClinicDetails,
    Handout,
    HandoutItem,
    handout_item,
    numbered,
    stop_and_get_help,
)

SAMPLE_CLINIC = ClinicDetails(
    "Riverside Physiotherapy", "01632 960000", "1 Riverside Walk", "", "999"
)


def sample_item(number: int, slug: str) -> HandoutItem:
    """The shipped item ``slug`` as it prints at its default dosage, on its first area."""
    item = read_item(ITEMS_DIR / f"{slug}.toml")
    content = item.content
    text = content.text
    made = handout_item(
        title=text.title,
        kind=content.kind.value,
        summary=text.summary,
        steps=text.steps,
        safety_cues=text.safety_cues,
        illustration_svg=item.illustration,
        illustration_alt=text.illustration_alt,
        dosage=asdict(content.dosage),
        area=content.regions[0] if content.regions else None,
        at_clinic=default_setting(content.kind, content.category) is Setting.CLINIC,
    )
    return replace(made, number=number)


def sample_handout(
    slugs: Sequence[str],
    *,
    patient_name: str = "Sample Patient",
    plan_title: str = "Sample plan",
    general_advice: str = "",
    regions: frozenset[str] = frozenset({"lumbar"}),
    large_print: bool = False,
) -> Handout:
    """A handout of these shipped items for a patient with pain in ``regions``."""
    return Handout(
        clinic=SAMPLE_CLINIC,
        patient_name=patient_name,
        plan_title=plan_title,
        plan_version=1,
        issued_on=date(2026, 11, 23),
        therapist="Tom Okafor",
        review_date=None,
        general_advice=general_advice,
        items=numbered(sample_item(number, slug) for number, slug in enumerate(slugs, start=1)),
        stop_and_get_help=stop_and_get_help({}, regions, SAMPLE_CLINIC.emergency_number),
        large_print=large_print,
    )
