"""Handouts made straight from the shipped catalogue files, with each item's default
dosage: for warming the renderer up, for ``make bench`` and for tests. Plain Python."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict
from datetime import date
from typing import Any

from clinic.catalogue.content import ItemContent
from clinic.catalogue.cues import cues_for_area
from clinic.catalogue.dosage import dosage_words, ticks_per_day
from clinic.catalogue.files import ITEMS_DIR, read_item
from clinic.catalogue.vocabulary import Setting, default_setting
from clinic.handouts.content import (
    ClinicDetails,
    Handout,
    HandoutItem,
    numbered,
    stop_and_get_help,
)

SAMPLE_CLINIC = ClinicDetails(
    "Riverside Physiotherapy", "01632 960000", "1 Riverside Walk", "", "999"
)


def handout_item(
    number: int,
    content: ItemContent,
    illustration: str | None,
    *,
    dosage: Mapping[str, Any],
    area: str | None,
    setting: Setting,
    note: str = "",
) -> HandoutItem:
    """How one catalogue item prints in a plan: its dosage in words, its cues for the
    body area it is done on, and whether it is done at home or at the clinic."""
    return HandoutItem(
        number=number,
        title=content.text.title,
        kind=content.kind.value,
        summary=content.text.summary,
        steps=content.text.steps,
        dosage=dosage_words(dosage),
        safety_cues=cues_for_area(content.text.safety_cues, area),
        note=note,
        illustration_svg=illustration,
        illustration_alt=content.text.illustration_alt,
        at_clinic=setting is Setting.CLINIC,
        ticks=ticks_per_day(dosage) if any(dosage.values()) else 0,
    )


def sample_item(number: int, slug: str) -> HandoutItem:
    """The shipped item ``slug`` as it prints at its default dosage, on its first area."""
    item = read_item(ITEMS_DIR / f"{slug}.toml")
    content = item.content
    return handout_item(
        number,
        content,
        item.illustration,
        dosage=asdict(content.dosage),
        area=content.regions[0] if content.regions else None,
        setting=default_setting(content.kind, content.category),
    )


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
