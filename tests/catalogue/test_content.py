"""The shipped catalogue and the one validator every item goes through. No database."""

from __future__ import annotations

import copy
import re
import tomllib
from pathlib import Path
from typing import Any

import pytest
from defusedxml.ElementTree import fromstring

from clinic.catalogue.content import ContentError, ItemContent, parse_item
from clinic.catalogue.dosage import dosage_words
from clinic.catalogue.files import ITEMS_DIR, drawing_from_pose, read_items
from clinic.catalogue.safety import CODES, SAFETY_CODES, Level
from clinic.catalogue.search import facet
from clinic.catalogue.vocabulary import REGIONS, Kind, values

SVG = "{http://www.w3.org/2000/svg}"
SHIPPED = sorted(ITEMS_DIR.glob("*.toml"))


def _data(slug: str) -> dict[str, Any]:
    return tomllib.loads((ITEMS_DIR / f"{slug}.toml").read_text(encoding="utf-8"))


def _problems(data: dict[str, Any], *, has_illustration: bool = True) -> dict[str, str]:
    with pytest.raises(ContentError) as raised:
        parse_item(data, has_illustration=has_illustration)
    return {problem.field: problem.message for problem in raised.value.problems}


# --- The shipped content ---------------------------------------------------------------


def test_the_catalogue_ships_at_least_forty_items_that_all_pass_validation() -> None:
    items = read_items()
    assert len(items) >= 40
    assert {item.content.slug for item in items} == {path.stem for path in SHIPPED}


def test_every_kind_of_treatment_is_in_the_catalogue() -> None:
    kinds = {item.content.kind for item in read_items()}
    assert kinds == set(Kind)


@pytest.mark.parametrize(
    "slug",
    [
        "knee-to-chest",
        "pelvic-tilt",
        "cat-cow",
        "hamstring-stretch",
        "plank",
        "bridge",
        "bird-dog",
        "back-extension",
        "resistance-band-row",
        "abdominal-bracing",
        "walking-programme",
        "swimming",
        "cycling",
        "heat-pack",
        "ice-pack",
        "self-massage-ball",
        "soft-tissue-massage",
        "sleeping-positions",
        "posture-desk-setup",
        "lifting-technique",
        "hydration-electrolytes",
        "stress-and-breathing",
        "chin-tuck",
        "upper-trapezius-stretch",
        "levator-scapulae-stretch",
        "scapular-squeeze",
        "thoracic-extension-chair",
        "open-book",
    ],
)
def test_everything_the_seed_articles_recommend_is_an_item(slug: str) -> None:
    assert (ITEMS_DIR / f"{slug}.toml").exists()


def test_every_code_an_item_uses_is_in_the_safety_code_list_with_known_areas() -> None:
    areas = values(REGIONS)
    for item in read_items():
        for use in item.content.codes:
            assert use.code in CODES, (item.content.slug, use.code)
            assert use.areas and set(use.areas) <= areas, (item.content.slug, use.code)


def test_every_safety_code_names_its_section_of_the_clinical_reference() -> None:
    for code in SAFETY_CODES:
        # Traced to the clinical reference for developers; users see the guideline only.
        assert re.match(r"clinical\.md §9\.[1-7]", code.reference), code.code
        assert code.source and "clinical.md" not in code.source, code.code
    assert {code.level for code in SAFETY_CODES} == set(Level)


@pytest.mark.parametrize("path", SHIPPED, ids=lambda path: path.stem)
def test_every_illustration_is_well_formed_svg_with_alt_text_and_nothing_external(
    path: Path,
) -> None:
    svg_path = path.with_suffix(".svg")
    content = parse_item(_data(path.stem), has_illustration=svg_path.exists())
    if content.kind in (Kind.EXERCISE, Kind.STRETCH):
        assert svg_path.exists(), f"{path.stem} needs an illustration"
    if not svg_path.exists():
        return
    root = fromstring(svg_path.read_bytes(), forbid_dtd=True)
    assert root.tag == f"{SVG}svg"
    title = root.find(f"{SVG}title")
    assert title is not None and title.text == content.text.illustration_alt
    assert len(content.text.illustration_alt) >= 20
    for element in root.iter():
        assert not element.tag.endswith(("script", "foreignObject", "image")), element.tag
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on"), name
            assert "href" not in name and "url(" not in value, (name, value)


@pytest.mark.parametrize("path", SHIPPED, ids=lambda path: path.stem)
def test_each_drawn_illustration_is_the_drawing_of_its_pose(path: Path) -> None:
    drawn = drawing_from_pose(path)
    if drawn is not None:
        assert path.with_suffix(".svg").read_text(encoding="utf-8") == drawn


def test_modalities_show_what_nice_ng59_says() -> None:
    modalities = [item.content for item in read_items() if item.content.kind is Kind.MODALITY]
    assert modalities
    for content in modalities:
        assert "NG59" in content.guideline_source
    by_slug = {content.slug: content for content in modalities}
    assert "Do not offer ultrasound" in by_slug["therapeutic-ultrasound"].guideline_note
    assert "Do not offer traction" in by_slug["spinal-traction"].guideline_note


def test_ice_advice_carries_the_seed_dosing_and_the_skin_safety_net() -> None:
    ice = parse_item(_data("ice-pack"), has_illustration=False)
    steps = " ".join(ice.text.steps)
    assert "15 to 20 minutes" in steps and "24 to 48 hours" in steps
    assert "two hours" in steps and "check your skin" in steps
    assert any("cloth" in cue for cue in ice.text.safety_cues)


def test_the_walking_programme_starts_under_the_seeds_twenty_minute_limit() -> None:
    walking = parse_item(_data("walking-programme"), has_illustration=True)
    assert walking.dosage.duration_minutes is not None and walking.dosage.duration_minutes < 20
    assert "under 20 minutes" in " ".join(walking.text.steps)


# --- The validator ---------------------------------------------------------------------


def test_a_valid_item_parses_into_content() -> None:
    content = parse_item(_data("bridge"), has_illustration=True)
    assert isinstance(content, ItemContent)
    assert content.kind is Kind.EXERCISE and content.dosage.reps == 10
    assert content.text.steps[0].startswith("Lie on your back")


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"title": ""}, "title", "is required"),
        ({"kind": "yoga"}, "kind", "must be one of"),
        ({"category": "heat"}, "category", "must be one of"),
        ({"steps": []}, "steps", "needs at least one entry"),
        ({"steps": ["x" * 401]}, "steps[1]", "400 characters or fewer"),
        ({"regions": ["elbow"]}, "regions", "'elbow' is not one of"),
        ({"goals": []}, "goals", "needs at least one entry"),
        ({"dosage": {"sets": 0}}, "dosage.sets", "whole number from 1 to 10"),
        ({"dosage": {"reps": "ten"}}, "dosage.reps", "whole number from 1 to 100"),
        ({"dosage": {"side": "left"}}, "dosage.side", "must be one of"),
        ({"dosage": {"speed": 3}}, "dosage.speed", "is not a dosage field"),
        ({"codes": [{"code": "heat.made_up"}]}, "codes[1].code", "not in the safety code list"),
        (
            {"codes": [{"code": "heat.dvt", "areas": ["elbow"]}]},
            "codes[1].areas",
            "not a body area",
        ),
        ({"progressions": ["Not A Slug"]}, "progressions", "not a valid slug"),
        ({"evidence": {"note": "x"}}, "evidence.source", "is required"),
        ({"colour": "red"}, "colour", "is not a field"),
        ({"slug": "Bridge!"}, "slug", "lower-case letters"),
        ({"massage": {"technique": "x"}}, "massage", "only for massage"),
    ],
)
def test_each_bad_field_is_reported_by_name(
    change: dict[str, Any], field: str, message: str
) -> None:
    data = {**_data("bridge"), **change}
    problems = _problems(data)
    assert field in problems, problems
    assert message in problems[field]


def test_every_problem_in_an_item_is_reported_at_once() -> None:
    data = {**_data("bridge"), "title": "", "goals": [], "dosage": {"sets": 99}}
    assert {"title", "goals", "dosage.sets"} <= set(_problems(data))


def test_an_exercise_without_an_illustration_is_refused() -> None:
    assert "illustration" in _problems(_data("bridge"), has_illustration=False)


def test_a_modality_without_its_guideline_recommendation_is_refused() -> None:
    data = copy.deepcopy(_data("ice-pack"))
    del data["guideline"]
    assert _problems(data, has_illustration=False)["guideline.note"] == "is required"


def test_a_massage_item_needs_its_technique_and_pressure() -> None:
    data = copy.deepcopy(_data("soft-tissue-massage"))
    data["massage"] = {"technique": "", "pressure": "crushing"}
    problems = _problems(data, has_illustration=False)
    assert "massage.technique" in problems and "massage.pressure" in problems


def test_a_code_without_areas_applies_to_the_items_body_areas() -> None:
    data = {**_data("bridge"), "codes": [{"code": "exercise.cardiac"}]}
    content = parse_item(data, has_illustration=True)
    assert content.codes[0].areas == content.regions


# --- Dosage in words and faceted counts ------------------------------------------------


def test_filters_combine_across_facets_and_counts_keep_the_other_filters() -> None:
    items = {
        1: {"kind": frozenset({"stretch"}), "region": frozenset({"neck"})},
        2: {"kind": frozenset({"stretch"}), "region": frozenset({"lower_back"})},
        3: {"kind": frozenset({"exercise"}), "region": frozenset({"neck"})},
    }
    result = facet(items, {"kind": frozenset({"stretch"}), "region": frozenset({"neck"})})
    assert result.matching == {1}
    # With "neck" chosen, one stretch and one exercise are there to pick.
    assert result.counts["kind"] == {"stretch": 1, "exercise": 1}
    # With "stretch" chosen, the neck and the lower back each have one.
    assert result.counts["region"] == {"neck": 1, "lower_back": 1}


def test_no_filter_matches_everything() -> None:
    items = {1: {"kind": frozenset({"advice"})}, 2: {"kind": frozenset({"stretch"})}}
    assert facet(items, {}).matching == {1, 2}


def test_a_catalogue_dosage_reads_the_same_as_its_plain_data() -> None:
    content = parse_item(_data("bridge"), has_illustration=True)
    assert dosage_words(content.dosage) == dosage_words(_data("bridge")["dosage"])
    assert dosage_words(content.dosage) != ""
