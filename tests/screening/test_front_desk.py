"""What the front desk is told for each result (clinical.md §11.5 front-desk script)."""

from __future__ import annotations

import pytest

from clinic.screening import Condition, Tier
from clinic.screening.front_desk import front_desk_actions


@pytest.mark.parametrize(
    "condition",
    [Condition.STROKE_TIA, Condition.AORTIC_ANEURYSM, Condition.CERVICAL_ARTERIAL_DYSFUNCTION],
)
def test_a_stroke_aneurysm_or_neck_artery_emergency_calls_the_emergency_number(
    condition: Condition,
) -> None:
    assert front_desk_actions(Tier.EMERGENCY, [condition], "112") == [
        "Do not book. Tell the duty clinician now.",
        "Call 112 now. Stay with the patient until help arrives.",
    ]


def test_a_cauda_equina_emergency_keeps_the_patient_for_the_duty_clinician() -> None:
    assert front_desk_actions(Tier.EMERGENCY, [Condition.CAUDA_EQUINA], "999") == [
        "Do not book. Tell the duty clinician now.",
        "Keep the patient at the clinic until the duty clinician has seen them: they will "
        "arrange same-day emergency care.",
    ]


def test_an_urgent_result_asks_for_a_therapist_today() -> None:
    actions = front_desk_actions(Tier.URGENT, [Condition.SPINAL_MALIGNANCY], "999")
    assert actions == [
        "Do not book treatment yet. A therapist must review this today.",
        "Ask the patient to wait, or take a number the therapist can call today.",
    ]


def test_an_incomplete_result_asks_a_therapist_to_complete_it() -> None:
    assert front_desk_actions(Tier.INCOMPLETE, [], "999") == [
        "Some important questions are unanswered. Ask a therapist to complete them before booking."
    ]


def test_a_routine_flag_books_as_usual_with_a_note_for_the_therapist() -> None:
    assert front_desk_actions(Tier.ROUTINE_WITH_FLAG, [Condition.RADICULOPATHY], "999") == [
        "Book as usual. The therapist will go over a flagged answer at the appointment."
    ]


def test_no_red_flag_books_as_usual() -> None:
    assert front_desk_actions(Tier.NONE, [], "999") == ["Book as usual."]
