"""Users see guideline names, never the project's own reference material ("clinical.md
§9.2", "Seed articles 000 and 001"). Every response of every test is scanned by the app
hook in tests/internal_references.py; these tests make sure everything that can reach a
page or a handout is rendered at least once, and check the sources at their origin."""

from __future__ import annotations

import io
from pathlib import Path

import pypdf
import pytest
from flask import Flask

from clinic.catalogue.files import ITEMS_DIR, read_items
from clinic.catalogue.safety import CODES
from clinic.handouts.content import HandoutOptions
from clinic.handouts.printing import renderer
from clinic.handouts.samples import sample_handout
from clinic.plans.contraindications import GENERAL_STOP, RED_FLAG_STOPS
from clinic.screening.rules import RULES, Rule
from tests.helpers import PageClient
from tests.internal_references import FORBIDDEN


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.id)
def test_every_rule_cites_its_guideline_for_users_and_keeps_its_trace_for_developers(
    rule: Rule,
) -> None:
    for text in (rule.source, rule.staff_action, rule.safety_net):
        assert text and FORBIDDEN.search(text) is None, text
    assert rule.reference.startswith("clinical.md §")


def test_red_flag_stops_and_safety_codes_cite_guidelines_only() -> None:
    for stop in (GENERAL_STOP, *RED_FLAG_STOPS.values()):
        assert FORBIDDEN.search(stop.source) is None and FORBIDDEN.search(stop.label) is None
        assert stop.reference.startswith("clinical.md §")
    for code in CODES.values():
        assert FORBIDDEN.search(code.source) is None and FORBIDDEN.search(code.label) is None


@pytest.mark.parametrize("path", sorted(ITEMS_DIR.glob("*.toml")), ids=lambda path: path.stem)
def test_no_catalogue_item_file_names_internal_material(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    found = FORBIDDEN.search(text)
    assert found is None, text[max(0, found.start() - 80) : found.end() + 40] if found else ""


def test_every_catalogue_item_page_and_edit_form_is_scanned(as_therapist: PageClient) -> None:
    slugs = [item.path.stem for item in read_items()]
    assert len(slugs) >= 40
    for slug in slugs:
        for url in (f"/catalogue/{slug}", f"/catalogue/{slug}/edit"):
            response = as_therapist.get(url)
            assert response.status_code == 200, url
            assert FORBIDDEN.search(response.get_data(as_text=True)) is None, url


def test_a_handout_of_every_shipped_item_names_no_internal_material(app: Flask) -> None:
    # Every region at once: the stop box holds every region's safety net.
    handout = sample_handout(
        [item.path.stem for item in read_items()],
        regions=frozenset({"lumbar", "thoracic", "cervical"}),
        general_advice="A.",
    )
    with app.app_context():
        pdf = renderer(app).render(handout, HandoutOptions())
    text = " ".join(page.extract_text() or "" for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    assert "Stop and get help" in text and len(text) > 10_000
    for net in ("bladder or bowels", "hands become clumsy", "face droops"):
        assert net in text
    found = FORBIDDEN.search(text)
    assert found is None, text[max(0, found.start() - 80) : found.end() + 40] if found else ""
