"""What the front desk is told to do for a result: actions, without clinical detail.

The therapist sees the conditions, evidence and sources; the front desk sees only what
to do now (clinical.md §11.5 front-desk script: stop booking, call the duty clinician,
999/ED per the condition).
"""

from __future__ import annotations

from collections.abc import Iterable

from clinic.screening.model import Condition, Tier

# Conditions where the ambulance is called at once, before anything else (clinical.md
# §4.2, §4.4, §4.5: stroke pathway, suspected aneurysm).
CALL_EMERGENCY_NUMBER = frozenset(
    {Condition.STROKE_TIA, Condition.AORTIC_ANEURYSM, Condition.CERVICAL_ARTERIAL_DYSFUNCTION}
)


def front_desk_actions(
    tier: Tier, conditions: Iterable[Condition], emergency_number: str
) -> list[str]:
    conditions = set(conditions)
    if tier is Tier.EMERGENCY:
        actions = ["Do not book. Tell the duty clinician now."]
        if conditions & CALL_EMERGENCY_NUMBER:
            actions.append(
                f"Call {emergency_number} now. Stay with the patient until help arrives."
            )
        else:
            actions.append(
                "Keep the patient at the clinic until the duty clinician has seen them: they "
                "will arrange same-day emergency care."
            )
        return actions
    if tier is Tier.URGENT:
        return [
            "Do not book treatment yet. A therapist must review this today.",
            "Ask the patient to wait, or take a number the therapist can call today.",
        ]
    if tier is Tier.INCOMPLETE:
        return [
            "Some important questions are unanswered. "
            "Ask a therapist to complete them before booking."
        ]
    if tier is Tier.ROUTINE_WITH_FLAG:
        return ["Book as usual. The therapist will go over a flagged answer at the appointment."]
    return ["Book as usual."]
