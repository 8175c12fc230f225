"""Loading a clinic's licensed questionnaire wording: all or nothing, each problem named."""

from __future__ import annotations

import json
from typing import Any

import pytest

from clinic.measures import MeasureError
from clinic.measures.lefs import ITEMS as LEFS_ITEMS
from clinic.measures.odi import SECTIONS as ODI_SECTIONS
from clinic.measures.rmdq import ITEMS as RMDQ_ITEMS
from clinic.measures.wording import Section, load_licensed_wording


def _odi(**changes: Any) -> str:
    data: dict[str, Any] = {
        section: {"title": f"Title {section}", "statements": [f"{section} {n}" for n in range(6)]}
        for section in ODI_SECTIONS
    }
    data.update(changes)
    return json.dumps({key: value for key, value in data.items() if value is not None})


def _refusal(text: str, instrument: str = "odi") -> str:
    with pytest.raises(MeasureError) as caught:
        load_licensed_wording(text, instrument)
    return str(caught.value)


def test_every_section_is_loaded_in_the_instruments_order() -> None:
    sections = load_licensed_wording(_odi(), "odi")
    assert [section.id for section in sections] == list(ODI_SECTIONS)
    assert sections[3] == Section(
        "walking", "Title walking", tuple(f"walking {n}" for n in range(6))
    )


def test_lefs_wording_has_five_statements_per_item() -> None:
    text = json.dumps({item: {"title": item, "statements": list("abcde")} for item in LEFS_ITEMS})
    assert {len(section.statements) for section in load_licensed_wording(text, "lefs")} == {5}


def test_rmdq_wording_is_the_statement_alone() -> None:
    text = json.dumps({item: {"title": f"I {item}"} for item in RMDQ_ITEMS})
    assert load_licensed_wording(text, "rmdq")[0] == Section("stays_home", "I stays_home", ())


@pytest.mark.parametrize(
    ("text", "instrument", "message"),
    [
        (
            "{}",
            "psfs",
            "instrument: licensed wording is loaded for odi, ndi, rmdq, quickdash, lefs only",
        ),
        (
            "{}",
            "dash",
            "instrument: licensed wording is loaded for odi, ndi, rmdq, quickdash, lefs only",
        ),
        (
            "{not json",
            "odi",
            "(file): is not valid JSON: Expecting property name enclosed in double quotes (line 1)",
        ),
        ("[1]", "odi", "(file): must be a JSON object keyed by item id"),
        (
            _odi(running={"title": "Running", "statements": []}),
            "odi",
            "running: is not an item of this instrument",
        ),
        (_odi(walking=None), "odi", "walking: is missing"),
        (_odi(walking="Walking"), "odi", "walking: is missing"),
        (_odi(walking={"statements": list("abcdef")}), "odi", "walking.title: must be text"),
        (
            _odi(walking={"title": "  ", "statements": list("abcdef")}),
            "odi",
            "walking.title: must be text",
        ),
        (
            _odi(walking={"title": "Walking", "statements": list("abcde")}),
            "odi",
            "walking.statements: must be 6 statements, scored 0 to 5",
        ),
        (
            _odi(walking={"title": "Walking", "statements": [*"abcde", " "]}),
            "odi",
            "walking.statements: must be 6 statements, scored 0 to 5",
        ),
        (
            _odi(walking={"title": "Walking", "statements": [*"abcde", 6]}),
            "odi",
            "walking.statements: must be 6 statements, scored 0 to 5",
        ),
        (
            _odi(walking={"title": "Walking", "statements": "abcdef"}),
            "odi",
            "walking.statements: must be 6 statements, scored 0 to 5",
        ),
        (
            json.dumps({item: {"title": item, "statements": ["a"]} for item in RMDQ_ITEMS}),
            "rmdq",
            "stays_home.statements: must be left out: the title is the statement the patient ticks",
        ),
        (
            json.dumps(
                {item: {"title": item, "statements": list("abcdef")} for item in LEFS_ITEMS}
            ),
            "lefs",
            "usual_work.statements: must be 5 statements, scored 0 to 4",
        ),
    ],
)
def test_a_wording_file_with_a_problem_is_refused_naming_it(
    text: str, instrument: str, message: str
) -> None:
    assert _refusal(text, instrument) == message
