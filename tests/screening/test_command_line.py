"""`clinic screen` and `clinic score`, and the documentation they generate."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from clinic.cli import cli
from clinic.screening.catalogue import rules_markdown
from clinic.screening.questions import QUESTIONS

DOCS = Path(__file__).resolve().parents[2] / "docs"
EXAMPLES = sorted((DOCS / "examples").glob("*.result.json"))


def run(*args: str, stdin: str | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), input=stdin, catch_exceptions=False)


def test_questions_prints_the_whole_catalogue_as_json() -> None:
    result = run("screen", "--questions")
    catalogue = json.loads(result.output)
    assert result.exit_code == 0
    assert [question["id"] for question in catalogue["questions"]] == [q.id for q in QUESTIONS]
    assert catalogue["questionnaire_version"]


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda path: path.name.split(".")[0])
def test_every_documented_example_gives_its_documented_output(example: Path) -> None:
    source = example.with_name(example.name.replace(".result.json", ".json"))
    result = run("screen", str(source))
    assert result.exit_code == 0
    assert json.loads(result.output) == json.loads(example.read_text())


def test_there_is_a_worked_example_for_every_tier() -> None:
    tiers = {json.loads(path.read_text())["tier"] for path in EXAMPLES}
    assert tiers == {"NONE", "ROUTINE_WITH_FLAG", "INCOMPLETE", "URGENT", "EMERGENCY"}


def test_the_documented_examples_table_matches_the_outputs() -> None:
    document = (DOCS / "screening.md").read_text()
    for path in EXAMPLES:
        name = path.name.split(".")[0]
        row = re.search(rf"^\| \[`{name}\.json`\].*$", document, re.MULTILINE)
        assert row is not None, name
        output = json.loads(path.read_text())
        assert f"| {output['tier']} |" in row.group(0)
        for rule in output["fired_rules"]:
            assert rule["rule_id"] in row.group(0)


def test_the_rule_table_in_the_docs_is_the_rule_table_in_the_code() -> None:
    document = (DOCS / "screening.md").read_text()
    documented = document.split("<!-- rules:start -->\n", 1)[1].split("<!-- rules:end -->", 1)[0]
    assert documented == rules_markdown(), (
        "run `clinic screen --rules` and paste it into docs/screening.md"
    )


@pytest.mark.parametrize(
    ("stdin", "message"),
    [
        ('{"bladder_chnge": "yes"}', "bladder_chnge: is not a question in the catalogue"),
        ('{"age_years": "old"}', "age_years: must be a whole number"),
        ('{"age_years": 500}', "age_years: must be at most 120"),
        ("{not json", "input is not valid JSON"),
    ],
)
def test_bad_input_exits_with_status_2_and_names_the_field(stdin: str, message: str) -> None:
    result = run("screen", "-", stdin=stdin)
    assert result.exit_code == 2
    assert message in result.output


def test_a_policy_file_is_applied(tmp_path: Path) -> None:
    policy = tmp_path / "policy.json"
    policy.write_text('{"disabled_rules": ["R-RAD-1"]}')
    result = run("screen", "--policy", str(policy), str(DOCS / "examples" / "routine.json"))
    output = json.loads(result.output)
    assert output["tier"] == "NONE"
    assert output["policy_changes"] == {"disabled_rules": ["R-RAD-1"]}


def test_a_bad_policy_file_exits_with_status_2(tmp_path: Path) -> None:
    policy = tmp_path / "policy.json"
    policy.write_text('{"fracture_age": 65}')
    result = run("screen", "--policy", str(policy), str(DOCS / "examples" / "none.json"))
    assert result.exit_code == 2
    assert "unknown screening policy setting 'fracture_age'" in result.output


ODI_16_OF_45: dict[str, Any] = {
    "pain_intensity": 2,
    "personal_care": 1,
    "lifting": 2,
    "walking": 2,
    "sitting": 2,
    "standing": 2,
    "sleeping": 1,
    "sex_life": None,
    "social_life": 2,
    "travelling": 2,
}


def test_score_prints_the_result_as_json() -> None:
    result = run("score", "odi", "-", stdin=json.dumps(ODI_16_OF_45))
    output = json.loads(result.output)
    assert result.exit_code == 0
    assert output["score"] == 35.6
    assert output["band"] == "moderate disability"


def test_score_settings_change_the_missing_data_policy() -> None:
    result = run(
        "score", "odi", "--set", "max_missing_sections=0", "-", stdin=json.dumps(ODI_16_OF_45)
    )
    output = json.loads(result.output)
    assert output["scorable"] is False
    assert "1 sections unanswered (at most 0 allowed)" in output["reason"]


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (("score", "odi", "-"), '{"walking": 6}', "walking: must be from 0 to 5"),
        (("score", "odi", "-"), '{"running": 1}', "running: is not an item of this instrument"),
        (("score", "startback", "-"), '{"q9": "very"}', "q9: must be one of"),
        (("score", "odi", "--set", "colour=blue", "-"), "{}", "odi has no setting colour"),
    ],
)
def test_bad_scores_exit_with_status_2(args: tuple[str, ...], stdin: str, message: str) -> None:
    result = run(*args, stdin=stdin)
    assert result.exit_code == 2
    assert message in result.output


def test_licensed_instruments_list_short_labels_only() -> None:
    output = json.loads(run("score", "odi", "--items").output)
    assert output["wording_is_licensed"] is True
    assert {"id": "walking", "text": "Walking"} in output["items"]


def test_startback_items_carry_keeles_copyright_notice() -> None:
    output = json.loads(run("score", "startback", "--items").output)
    assert "Keele University" in output["notice"]
    assert len(output["items"]) == 9


def test_a_clinic_can_load_its_licensed_wording(tmp_path: Path) -> None:
    from clinic.measures.odi import SECTIONS

    wording = {
        section: {"title": f"Section {section}", "statements": [f"{section} {n}" for n in range(6)]}
        for section in SECTIONS
    }
    path = tmp_path / "odi.json"
    path.write_text(json.dumps(wording))
    output = json.loads(run("score", "odi", "--items", "--wording", str(path)).output)
    assert output["items"][0] == {
        "id": "pain_intensity",
        "title": "Section pain_intensity",
        "statements": [f"pain_intensity {n}" for n in range(6)],
    }


def test_incomplete_licensed_wording_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "odi.json"
    path.write_text('{"pain_intensity": {"title": "Pain", "statements": ["a", "b"]}}')
    result = run("score", "odi", "--items", "--wording", str(path))
    assert result.exit_code == 2
    assert "pain_intensity.statements: must be 6 statements, scored 0 to 5" in result.output


def test_the_clinic_policy_can_come_from_the_environment(tmp_path: Path) -> None:
    policy = tmp_path / "policy.json"
    policy.write_text('{"disabled_rules": ["R-RAD-1"]}')
    result = CliRunner().invoke(
        cli,
        ["screen", str(DOCS / "examples" / "routine.json")],
        env={"CLINIC_SCREENING_POLICY": str(policy)},
    )
    assert json.loads(result.output)["tier"] == "NONE"
