from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta

from wtforms import BooleanField, Field, IntegerField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Email, InputRequired, Length, Optional, ValidationError
from wtforms.widgets import HiddenInput

from clinic.forms import Form, FriendlyDateField, strip_whitespace
from clinic.patients.services import PatientDetails, PatientQuery

OLDEST_PLAUSIBLE_AGE_YEARS = 120
_PHONE_CHARACTERS = re.compile(r"^\+?[0-9 ().-]+$")


def plausible_date_of_birth(
    today: Callable[[], date] = date.today,
) -> Callable[[Form, Field], None]:
    def check(_form: Form, field: Field) -> None:
        if field.data is None:
            return
        now = today()
        if field.data > now:
            raise ValidationError("Date of birth must be today or in the past")
        if field.data < now - timedelta(days=round(365.25 * OLDEST_PLAUSIBLE_AGE_YEARS)):
            raise ValidationError(
                f"Date of birth must be within the last {OLDEST_PLAUSIBLE_AGE_YEARS} years"
            )

    return check


def phone_number(_form: Form, field: Field) -> None:
    if not field.data:
        return
    digits = sum(ch.isdigit() for ch in field.data)
    if not _PHONE_CHARACTERS.match(field.data) or not 7 <= digits <= 15:
        raise ValidationError("Enter a telephone number, like 01632 960001 or +44 7700 900982")


def _text(
    label: str,
    max_length: int,
    required: str | None = None,
    default: str | None = None,
    **render_kw: str,
) -> StringField:
    validators: list[object] = [DataRequired(required)] if required else [Optional()]
    validators.append(
        Length(max=max_length, message=f"{label} must be {max_length} characters or fewer")
    )
    return StringField(
        label,
        default=default,
        filters=[strip_whitespace],
        validators=validators,
        render_kw=render_kw or None,
    )


def _date_of_birth_field() -> FriendlyDateField:
    return FriendlyDateField(
        "Date of birth",
        invalid_message="Enter a real date of birth, for example 27 March 1980",
        validators=[InputRequired("Enter the date of birth"), plausible_date_of_birth()],
        render_kw={"autocomplete": "off"},
    )


class PatientForm(Form):
    given_name = _text("Given name", 100, "Enter the given name", autocomplete="off")
    family_name = _text("Family name", 100, "Enter the family name", autocomplete="off")
    date_of_birth = _date_of_birth_field()
    sex_or_gender = _text("Sex or gender (as the patient describes it)", 60)
    phone = StringField(
        "Telephone",
        filters=[strip_whitespace],
        validators=[DataRequired("Enter a telephone number"), phone_number],
        render_kw={"type": "tel", "autocomplete": "off", "inputmode": "tel"},
    )
    email = StringField(
        "Email (optional)",
        filters=[strip_whitespace],
        validators=[
            Optional(),
            Length(max=254, message="Email must be 254 characters or fewer"),
            Email("Enter an email address in the right format, like name@example.com"),
        ],
        render_kw={"type": "email", "autocomplete": "off", "spellcheck": "false"},
    )
    address = TextAreaField(
        "Address (optional)",
        filters=[strip_whitespace],
        validators=[Optional(), Length(max=500, message="Address must be 500 characters or fewer")],
        render_kw={"rows": 3},
    )
    preferred_language = _text(
        "Preferred language", 60, "Enter the preferred language", default="English"
    )
    emergency_contact_name = _text("Emergency contact: name (optional)", 120)
    emergency_contact_relationship = _text("Emergency contact: relationship (optional)", 60)
    emergency_contact_phone = StringField(
        "Emergency contact: telephone (optional)",
        filters=[strip_whitespace],
        validators=[Optional(), phone_number],
        render_kw={"type": "tel", "autocomplete": "off", "inputmode": "tel"},
    )
    large_print_handouts = BooleanField("Print this patient's handouts in large print")
    # Sent only by the "Register anyway" button of the duplicate warning (value "yes"),
    # never rendered as an input of its own.
    confirm_not_duplicate = StringField(default="")
    # The record version the form was opened at (edits only): a stale save is refused.
    version = IntegerField(validators=[Optional()], widget=HiddenInput())
    submit = SubmitField("Save")

    def details(self) -> PatientDetails:
        if self.date_of_birth.data is None:
            raise ValueError("details() called on a form that did not validate")
        return PatientDetails(
            given_name=self.given_name.data or "",
            family_name=self.family_name.data or "",
            date_of_birth=self.date_of_birth.data,
            sex_or_gender=self.sex_or_gender.data or "",
            phone=self.phone.data or "",
            email=self.email.data or "",
            address=self.address.data or "",
            preferred_language=self.preferred_language.data or "",
            emergency_contact_name=self.emergency_contact_name.data or "",
            emergency_contact_relationship=self.emergency_contact_relationship.data or "",
            emergency_contact_phone=self.emergency_contact_phone.data or "",
            large_print_handouts=bool(self.large_print_handouts.data),
        )


class PatientSearchForm(Form):
    text = _text("Name or chart number", 100, spellcheck="false", autocomplete="off")
    date_of_birth = FriendlyDateField(
        "Date of birth (optional)",
        invalid_message="Enter a real date of birth, for example 27 March 1980",
        validators=[Optional()],
    )
    submit = SubmitField("Search")

    def validate(self, extra_validators: object = None) -> bool:
        if not super().validate(extra_validators):
            return False
        if not (self.text.data or "").strip() and self.date_of_birth.data is None:
            self.text.errors = [
                *self.text.errors,
                "Enter part of a name, a chart number or a date of birth",
            ]
            return False
        return True

    def query(self) -> PatientQuery:
        return PatientQuery(text=self.text.data or "", date_of_birth=self.date_of_birth.data)
