"""The intake's own questions (presenting complaint and history), beside the red-flag
catalogue. Plain Python. Answers to both are stored together, raw, keyed by question id.

The history questions are the fields clinical.md §9.8 lists for treatment safety; where a
red-flag question already asks the same thing (cancer, osteoporosis, steroids, diabetes,
fever), its id is reused so nobody is asked twice.
"""

from __future__ import annotations

from clinic.screening.model import AnswerType, FollowUp, Option, Question
from clinic.screening.questions import POSITIVE, QUESTIONS_BY_ID, YES_NO_UNSURE

INTAKE_FIELDS_VERSION = "2026.11.1"

BODY_AREAS = (
    Option("neck", "Neck"),
    Option("upper_back", "Upper or middle back"),
    Option("lower_back", "Lower back"),
    Option("shoulders_arms", "Shoulders or arms"),
    Option("hands", "Hands"),
    Option("chest_abdomen", "Chest or tummy"),
    Option("hips_buttocks", "Hips or buttocks"),
    Option("legs", "Legs"),
    Option("feet", "Feet"),
)


def _yes_no(id: str, text: str, follow_up_of: FollowUp | None = None) -> Question:
    return Question(
        id, text, AnswerType.YES_NO_UNSURE, follow_up_of=follow_up_of, options=YES_NO_UNSURE
    )


def _details(id: str, text: str, parent: str) -> Question:
    return Question(id, text, AnswerType.TEXT, follow_up_of=FollowUp(parent, POSITIVE), maximum=500)


COMPLAINT: tuple[Question, ...] = (
    QUESTIONS_BY_ID["pain_regions"],
    Question(
        "onset_date",
        "On what date did this problem start?",
        AnswerType.DATE,
        hint="Your best guess is fine.",
    ),
    Question(
        "onset_how",
        "How did it start?",
        AnswerType.CHOICE,
        options=(
            Option("sudden", "Suddenly"),
            Option("gradual", "Gradually"),
            Option("injury", "After an injury, a lift or a strain"),
            Option("unsure", "Not sure"),
        ),
    ),
    Question(
        "pain_now",
        "How bad is your pain now? (0 is no pain, 10 is the worst imaginable)",
        AnswerType.NUMBER,
        minimum=0,
        maximum=10,
    ),
    Question("pain_best", "How bad is it at its best?", AnswerType.NUMBER, minimum=0, maximum=10),
    Question("pain_worst", "How bad is it at its worst?", AnswerType.NUMBER, minimum=0, maximum=10),
    Question("aggravating", "What makes it worse?", AnswerType.TEXT, maximum=500),
    Question("easing", "What makes it better?", AnswerType.TEXT, maximum=500),
)

HISTORY: tuple[Question, ...] = (
    _yes_no("pregnant", "Are you pregnant, or could you be?"),
    _yes_no("pacemaker", "Do you have a pacemaker or another implanted electronic device?"),
    _yes_no(
        "metal_implants",
        "Do you have metal or cemented implants, such as a joint replacement or plates?",
    ),
    _details("metal_implants_where", "Where are they?", "metal_implants"),
    QUESTIONS_BY_ID["cancer_history"],
    _details(
        "cancer_details",
        "Where was the cancer, and did you have radiotherapy there?",
        "cancer_history",
    ),
    _yes_no("dvt", "Do you have, or have you recently had, a blood clot in a vein (DVT)?"),
    _yes_no(
        "anticoagulants", "Do you take blood thinners, such as warfarin, apixaban or daily aspirin?"
    ),
    _yes_no("bleeding_disorder", "Do you have a bleeding disorder, such as haemophilia?"),
    _yes_no("raynauds", "Do your fingers or toes go white or blue in the cold (Raynaud's)?"),
    _yes_no(
        "impaired_sensation",
        "Is there anywhere on your body where you cannot feel touch, heat or cold properly?",
    ),
    Question(
        "impaired_sensation_where",
        "Where? Choose all that apply.",
        AnswerType.MULTI_CHOICE,
        follow_up_of=FollowUp("impaired_sensation", POSITIVE),
        options=BODY_AREAS,
    ),
    _yes_no(
        "vascular_disease",
        "Do you have poor circulation in your legs (peripheral vascular disease)?",
    ),
    QUESTIONS_BY_ID["diabetes"],
    _yes_no(
        "skin_conditions", "Do you have a skin condition or an open wound where you have pain?"
    ),
    _yes_no("recent_surgery", "Have you had an operation in the last 6 months?"),
    _details("recent_surgery_where", "What operation, and when?", "recent_surgery"),
    QUESTIONS_BY_ID["osteoporosis"],
    QUESTIONS_BY_ID["long_term_steroids"],
    _yes_no(
        "inflammatory_arthritis",
        "Do you have rheumatoid arthritis or another inflammatory arthritis?",
    ),
    _yes_no(
        "hypermobility", "Are your joints very flexible, or have you been told you are hypermobile?"
    ),
    _yes_no(
        "heart_or_blood_pressure",
        "Do you have a heart condition, or high blood pressure that is not under control?",
    ),
    QUESTIONS_BY_ID["fever"],
    _yes_no("claustrophobia", "Do you feel anxious in small or enclosed spaces?"),
    _yes_no(
        "communication_needs",
        "Do you have any difficulty with memory, understanding or communicating that we "
        "should know about?",
    ),
    Question("medicines", "Which medicines do you take?", AnswerType.TEXT, maximum=1000),
)

INTAKE_QUESTIONS: dict[str, Question] = {
    question.id: question for question in (*COMPLAINT, *HISTORY)
}
# Every question an intake may hold an answer to, by id.
ALL_QUESTIONS: dict[str, Question] = {**QUESTIONS_BY_ID, **INTAKE_QUESTIONS}
