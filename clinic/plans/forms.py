"""Forms of the plan pages: start a plan, edit the draft, and the template editor."""

from __future__ import annotations

from typing import Any

from wtforms import (
    BooleanField,
    FieldList,
    FormField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms import Form as PlainForm
from wtforms.validators import (
    AnyOf,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from clinic.catalogue import vocabulary as words
from clinic.catalogue.content import DOSAGE_LIMITS
from clinic.forms import (
    CheckboxListField,
    Form,
    FriendlyDateField,
    FriendlyIntegerField,
    SelectChoice,
    strip_whitespace,
)
from clinic.screening.model import Region

DOSAGE_LABELS = {
    "sets": "Sets",
    "reps": "Repetitions",
    "hold_seconds": "Hold (seconds)",
    "rest_seconds": "Rest (seconds)",
    "duration_minutes": "Minutes",
    "times_per_day": "Times a day",
    "days_per_week": "Days a week",
}


class StartPlanForm(Form):
    # The choices are set by the view (the templates for this patient's regions).
    template = RadioField("Start from", validate_choice=False)

    def validate_template(self, field: RadioField) -> None:
        offered = {str(option[0]) for option in field.iter_choices()}
        if (field.data or "") not in offered:
            raise ValidationError("Choose one of the templates listed, or a blank plan")


def _dosage_field(name: str) -> FriendlyIntegerField:
    low, high, unit = DOSAGE_LIMITS[name]
    message = f"Enter a whole number from {low} to {high} {unit}, or leave it blank"
    return FriendlyIntegerField(
        DOSAGE_LABELS[name],
        validators=[Optional(), NumberRange(low, high, message)],
        invalid_message=message,
    )


class PlanItemForm(PlainForm):
    """One item of the draft (inside the plan form, which carries the CSRF token)."""

    item_id = HiddenField()
    position = HiddenField()
    # Any body area may be chosen (the check applies wherever the item goes); the choices
    # are filled per item when the editor is drawn, so the values are checked here.
    area = SelectField(
        "Where",
        validate_choice=False,
        validators=[
            AnyOf(
                ["", *words.values(words.REGIONS)],
                message="Choose one of the body areas listed",
            )
        ],
    )
    setting = SelectField(
        "Done",
        choices=[SelectChoice(setting.value, setting.label) for setting in words.Setting],
        validators=[InputRequired("Choose at home or at the clinic")],
    )
    sets = _dosage_field("sets")
    reps = _dosage_field("reps")
    hold_seconds = _dosage_field("hold_seconds")
    rest_seconds = _dosage_field("rest_seconds")
    duration_minutes = _dosage_field("duration_minutes")
    times_per_day = _dosage_field("times_per_day")
    days_per_week = _dosage_field("days_per_week")
    side = SelectField(
        "Side",
        choices=[
            SelectChoice("", "Not applicable"),
            *[SelectChoice(o.value, o.text) for o in words.SIDES],
        ],
    )
    load = StringField("Load or band", filters=[strip_whitespace], validators=[Length(max=60)])
    notes = TextAreaField(
        "Note for the patient", filters=[strip_whitespace], validators=[Length(max=500)]
    )

    def dosage(self) -> dict[str, Any]:
        dosage: dict[str, Any] = {
            name: self[name].data for name in DOSAGE_LIMITS if self[name].data is not None
        }
        if self.side.data:
            dosage["side"] = self.side.data
        dosage["load"] = self.load.data or ""
        return dosage


class PlanForm(Form):
    title = StringField(
        "Plan title",
        filters=[strip_whitespace],
        validators=[InputRequired("Enter a title for the plan"), Length(max=120)],
    )
    general_advice = TextAreaField(
        "General advice", filters=[strip_whitespace], validators=[Length(max=4000)]
    )
    review_date = FriendlyDateField(
        "Review date",
        validators=[Optional()],
        invalid_message="Enter a real date, for example 14 December 2026",
    )
    edit_count = HiddenField()
    items = FieldList(FormField(PlanItemForm))
    q = StringField(
        "Search the catalogue", filters=[strip_whitespace], validators=[Length(max=100)]
    )
    kind = SelectField(
        "Type",
        choices=[
            SelectChoice("", "All types"),
            *[SelectChoice(k.value, k.label) for k in words.Kind],
        ],
    )


REGION_CHOICES = [SelectChoice(region.value, region.value.capitalize()) for region in Region]
RISK_CHOICES = [SelectChoice(value, value.capitalize()) for value in ("low", "medium", "high")]


class TemplateForm(Form):
    name = StringField(
        "Name",
        filters=[strip_whitespace],
        validators=[InputRequired("Enter the template's name"), Length(max=120)],
    )
    description = TextAreaField(
        "Description", filters=[strip_whitespace], validators=[Length(max=1000)]
    )
    regions = CheckboxListField("Suits these regions", choices=REGION_CHOICES)
    risks = CheckboxListField(
        "Suits these STarT Back risk groups (none chosen: any)", choices=RISK_CHOICES
    )
    general_advice = TextAreaField(
        "General advice", filters=[strip_whitespace], validators=[Length(max=4000)]
    )
    items = TextAreaField(
        "Items, one per line",
        validators=[InputRequired("List at least one catalogue item")],
    )
    active = BooleanField("Offer this template for new plans", default=True)

    def validate_regions(self, field: Any) -> None:
        if not field.data:
            raise ValidationError("Choose at least one region")
