from __future__ import annotations

from wtforms import IntegerField, SelectField, StringField, SubmitField
from wtforms.validators import Length, Optional, ValidationError

from clinic.audit.models import AuditAction
from clinic.audit.services import AuditFilter
from clinic.forms import Form, FriendlyDateField, SelectChoice, strip_whitespace

ANYONE = SelectChoice("", "Anyone")


class AuditFilterForm(Form):
    username = SelectField("Staff member", choices=[ANYONE], validators=[Optional()])
    chart_number = StringField(
        "Patient chart number",
        filters=[strip_whitespace],
        validators=[
            Optional(),
            Length(max=16, message="Chart number must be 16 characters or fewer"),
        ],
        render_kw={"inputmode": "numeric", "autocomplete": "off"},
    )
    action = SelectField(
        "Action",
        choices=[SelectChoice("", "Any action")]
        + [SelectChoice(action.value, action.label) for action in AuditAction],
        validators=[Optional()],
    )
    date_from = FriendlyDateField(
        "From date",
        invalid_message="Enter a real date, for example 1 March 2026",
        validators=[Optional()],
    )
    date_to = FriendlyDateField(
        "To date",
        invalid_message="Enter a real date, for example 31 March 2026",
        validators=[Optional()],
    )
    page = IntegerField(default=1, validators=[Optional()])
    submit = SubmitField("Filter")

    def validate_date_to(self, field: FriendlyDateField) -> None:
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError("To date must be the same as or after the from date")

    def offer_usernames(self, usernames: list[str]) -> None:
        self.username.choices = [ANYONE] + [SelectChoice(name, name) for name in usernames]

    def criteria(self, patient_id: int | None) -> AuditFilter:
        return AuditFilter(
            username=self.username.data or None,
            patient_id=patient_id,
            action=AuditAction(self.action.data) if self.action.data else None,
            date_from=self.date_from.data,
            date_to=self.date_to.data,
        )
