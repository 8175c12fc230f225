"""Questionnaire forms, built from the question definitions, and the staff forms of the
intake (decisions, kiosk codes).

A step's form has one field per question, named by the question id. Radio groups and
checkbox lists render inside a fieldset with the question as its legend.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from wtforms import (
    Field,
    PasswordField,
    RadioField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.form import BaseForm
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from clinic.auth.passwords import MAXIMUM_LENGTH
from clinic.forms import (
    CheckboxListField,
    Form,
    FriendlyDateField,
    FriendlyIntegerField,
    SelectChoice,
    strip_whitespace,
)
from clinic.intake.models import DecisionKind
from clinic.screening.model import AnswerType, Question

ANSWER_THIS = "Choose an answer"


class ChoiceField(RadioField):
    """Radio buttons whose refusal of an unknown value says what to do."""

    def pre_validate(self, form: BaseForm) -> None:
        if self.data is not None and self.data not in {choice[0] for choice in self.iter_choices()}:
            raise ValidationError("Choose one of the answers shown")


def _not_in_future(_form: Form, field: Field) -> None:
    if field.data is not None and field.data > date.today():  # noqa: DTZ011 (the clinic's day)
        raise ValidationError("The date must be today or in the past")


def field_for(question: Question) -> Field:
    """The form field for a question; every shown question is required unless optional."""
    required = question.type is not AnswerType.TEXT
    presence = InputRequired(_required_message(question)) if required else Optional()
    choices = [SelectChoice(option.value, option.text) for option in question.options]
    hint = question.hint
    match question.type:
        case AnswerType.YES_NO_UNSURE | AnswerType.CHOICE:
            return ChoiceField(
                question.text, choices=choices, validators=[presence], description=hint
            )
        case AnswerType.MULTI_CHOICE:
            return CheckboxListField(
                question.text, choices=choices, validators=[presence], description=hint
            )
        case AnswerType.NUMBER | AnswerType.DURATION:
            low, high = question.minimum or 0, question.maximum
            message = f"Enter a whole number from {low} to {high}"
            return FriendlyIntegerField(
                question.text,
                invalid_message=message,
                validators=[presence, NumberRange(low, high, message)],
                render_kw={"inputmode": "numeric"},
                description=hint,
            )
        case AnswerType.DATE:
            return FriendlyDateField(
                question.text,
                invalid_message="Enter a real date, for example 27 March 2026",
                validators=[presence, _not_in_future],
                description=hint,
            )
        case AnswerType.TEXT:
            limit = question.maximum or 2000
            return TextAreaField(
                question.text,
                filters=[strip_whitespace],
                validators=[
                    Optional(),
                    Length(max=limit, message=f"Write {limit} characters or fewer"),
                ],
                render_kw={"rows": 3},
                description=hint,
            )


def _required_message(question: Question) -> str:
    if question.type in (AnswerType.NUMBER, AnswerType.DURATION):
        return "Enter a number"
    if question.type is AnswerType.DATE:
        return "Enter a date"
    if question.type is AnswerType.MULTI_CHOICE:
        return "Choose at least one"
    return ANSWER_THIS


def step_form(questions: Iterable[Question], saved: Mapping[str, Any]) -> Form:
    """A form for ``questions``, filled from the request or, on GET, from ``saved``."""
    fields = {question.id: field_for(question) for question in questions}
    form_class = type("StepForm", (Form,), {**fields, "submit": SubmitField("Save and continue")})
    data = {
        key: _form_value(questions_by_id(questions), key, value) for key, value in saved.items()
    }
    form: Form = form_class(data=data)
    return form


def questions_by_id(questions: Iterable[Question]) -> dict[str, Question]:
    return {question.id: question for question in questions}


def _form_value(questions: Mapping[str, Question], key: str, value: Any) -> Any:
    question = questions.get(key)
    if question is not None and question.type is AnswerType.DATE and isinstance(value, str):
        return date.fromisoformat(value)
    return value


def answer_of(question: Question, field: Field) -> Any:
    """The stored (JSON) value of a field's data, or None when left blank."""
    value = field.data
    if value in (None, "", []):
        return None
    if question.type is AnswerType.DATE:
        return value.isoformat()
    return value


class ConfirmDetailsForm(Form):
    submit = SubmitField("These details are right")


class KioskUnlockForm(Form):
    """Staff sign-in that unlocks a tablet held on an emergency screen."""

    username = StringField(
        "Staff username",
        filters=[strip_whitespace],
        validators=[InputRequired("Enter your staff username"), Length(max=64)],
        render_kw={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"},
    )
    password = PasswordField(
        "Password",
        validators=[InputRequired("Enter your password"), Length(max=MAXIMUM_LENGTH)],
        render_kw={"autocomplete": "off"},
    )


class KioskCodeEntryForm(Form):
    code = StringField(
        "Your code",
        filters=[strip_whitespace],
        validators=[
            InputRequired("Enter the code from the front desk"),
            Length(max=20, message="Enter the code from the front desk"),
        ],
        render_kw={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"},
        description="The front desk gave you a code like ABCD-2345.",
    )
    submit = SubmitField("Start")


class DecisionForm(Form):
    kind = RadioField(
        "Decision",
        choices=[
            SelectChoice(
                DecisionKind.REFERRED.value, "Referred: the patient has been sent for medical care"
            ),
            SelectChoice(
                DecisionKind.CLEARED.value,
                "Clinically cleared: I have assessed this and it is safe to go on",
            ),
        ],
        validators=[InputRequired("Choose a decision")],
    )
    referred_to = StringField(
        "Referred to (where)",
        filters=[strip_whitespace],
        validators=[Optional(), Length(max=200, message="Write 200 characters or fewer")],
        description="For example: Emergency department, City Hospital",
    )
    referred_when = StringField(
        "When",
        filters=[strip_whitespace],
        validators=[Optional(), Length(max=100, message="Write 100 characters or fewer")],
        description="For example: today at 10:40, patient taken by family",
    )
    reason = TextAreaField(
        "Clinical reason for clearing",
        filters=[strip_whitespace],
        validators=[Optional(), Length(max=2000, message="Write 2000 characters or fewer")],
        render_kw={"rows": 3},
    )
    submit = SubmitField("Record decision")


class ReviewedForm(Form):
    submit = SubmitField("Mark as reviewed")


class ButtonForm(Form):
    submit = SubmitField("Continue")
