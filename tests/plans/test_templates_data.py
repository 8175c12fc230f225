"""The shipped plan templates: advice that recommends a modality is a catalogue item with
that modality's safety codes, never free text the check cannot read (clinical.md §9)."""

from __future__ import annotations

import re
import tomllib

import pytest

from clinic.catalogue.files import ITEMS_DIR
from clinic.plans.templates_data import DEFAULT_TEMPLATES, DefaultTemplate

MODALITY_WORDS = re.compile(
    r"\b(ice|icing|cold|heat|hot|warm\w*|ultrasound|traction|massage|tens)\b", re.IGNORECASE
)


@pytest.mark.parametrize("template", DEFAULT_TEMPLATES, ids=lambda t: t.name)
def test_no_templates_free_text_advice_recommends_a_modality(template: DefaultTemplate) -> None:
    assert MODALITY_WORDS.search(template.general_advice) is None, template.general_advice


def test_the_back_spasm_template_gives_its_ice_and_heat_advice_as_a_checked_item() -> None:
    spasm = next(t for t in DEFAULT_TEMPLATES if t.name == "Acute low back spasm, first week")
    assert "ice-then-heat" in spasm.items
    item = tomllib.loads((ITEMS_DIR / "ice-then-heat.toml").read_text(encoding="utf-8"))
    codes = {entry["code"] for entry in item["codes"]}
    assert {"cold.raynauds", "cold.impaired_sensation", "heat.impaired_sensation"} <= codes
