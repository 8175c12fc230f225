"""The questionnaire's steps cover the catalogue; the score chart draws what it should."""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from collections import Counter
from datetime import date

from clinic.intake.charts import ChartPoint, line_chart
from clinic.intake.measures_form import instruments_for
from clinic.intake.steps import DERIVED, STEPS, steps_for
from clinic.measures.wording import Section
from clinic.screening.questions import QUESTIONS

SVG = "{http://www.w3.org/2000/svg}"


def test_every_catalogue_question_is_asked_on_exactly_one_step() -> None:
    placed = Counter(question.id for step in STEPS for question in step.questions)
    assert [question_id for question_id, count in placed.items() if count > 1] == []
    unplaced = [q.id for q in QUESTIONS if q.id not in placed and not q.retired]
    assert [question_id for question_id in unplaced if question_id not in DERIVED] == []


def test_a_neck_patient_skips_the_inflammatory_back_pain_step() -> None:
    neck = [step.id for step in steps_for({"pain_regions": ["cervical"]})]
    back = [step.id for step in steps_for({"pain_regions": ["lumbar"]})]
    assert "inflammatory" not in neck
    assert "inflammatory" in back


def test_the_chart_marks_the_mcid_below_the_first_score_when_lower_is_better() -> None:
    points = [ChartPoint(date(2026, 10, 1), 7), ChartPoint(date(2026, 11, 1), 3)]
    svg = ElementTree.fromstring(line_chart(points, ceiling=10, mcid=2, higher_is_better=False))
    assert svg.get("aria-hidden") == "true"
    dashed = [line for line in svg.iter(f"{SVG}line") if line.get("stroke-dasharray")]
    assert len(dashed) == 1
    circles = list(svg.iter(f"{SVG}circle"))
    first_y = float(circles[0].get("cy", "0"))
    mcid_y = float(dashed[0].get("y1", "0"))
    assert (
        mcid_y > first_y
    )  # a lower score is drawn lower: the MCID line sits under the first point
    assert len(circles) == 2


def test_no_points_draw_no_chart() -> None:
    assert line_chart([], ceiling=10, mcid=2, higher_is_better=False) == ""


# Which outcome measures the intake offers ----------------------------------------------------

DEFAULT = ("startback", "odi", "rmdq", "ndi", "psfs")


def test_low_back_pain_at_the_desk_gets_startback_odi_rmdq_and_psfs() -> None:
    assert instruments_for(["lumbar"], False, {}, DEFAULT) == ["startback", "odi", "rmdq", "psfs"]


def test_neck_pain_at_the_desk_gets_ndi_and_psfs() -> None:
    assert instruments_for(["cervical"], False, {}, DEFAULT) == ["ndi", "psfs"]


def test_the_kiosk_leaves_out_licensed_measures_whose_wording_is_not_loaded() -> None:
    rmdq_wording = {"rmdq": (Section("stays_home", "A statement", ()),)}
    assert instruments_for(["lumbar"], True, {}, DEFAULT) == ["startback", "psfs"]
    assert instruments_for(["lumbar"], True, rmdq_wording, DEFAULT) == [
        "startback",
        "rmdq",
        "psfs",
    ]


def test_quickdash_and_lefs_are_offered_where_the_clinic_uses_them() -> None:
    enabled = (*DEFAULT, "quickdash", "lefs")
    assert instruments_for(["lumbar", "cervical"], False, {}, enabled) == [
        "startback",
        "odi",
        "rmdq",
        "lefs",
        "ndi",
        "quickdash",
        "psfs",
    ]
