from __future__ import annotations

from wtforms import StringField, SubmitField
from wtforms.validators import DataRequired, Length

from clinic.fhir.vocabulary import RESOURCE_TYPES
from clinic.forms import CheckboxListField, Form, SelectChoice, strip_whitespace

# What each resource type holds, in the words an administrator deciding on a scope needs.
SCOPE_LABELS = {
    "Patient": "Patient: name, date of birth, contact details, chart number",
    "Questionnaire": "Questionnaire: the intake's questions",
    "QuestionnaireResponse": "QuestionnaireResponse: the patient's intake answers",
    "Observation": "Observation: outcome scores (STarT Back, ODI, NDI, pain...)",
    "RiskAssessment": "RiskAssessment: red-flag screening results and decisions",
    "CarePlan": "CarePlan: treatment plans, every version",
    "DetectedIssue": "DetectedIssue: contraindications overridden, precautions confirmed",
    "DocumentReference": "DocumentReference: the handout PDFs given to the patient",
}


class ApiTokenForm(Form):
    name = StringField(
        "Name",
        filters=[strip_whitespace],
        validators=[DataRequired("Enter a name for the token"), Length(max=80)],
    )
    scopes = CheckboxListField(
        "It may read",
        choices=[SelectChoice(scope, SCOPE_LABELS[scope]) for scope in RESOURCE_TYPES],
        validators=[DataRequired("Choose at least one kind of record the token may read")],
    )
    submit = SubmitField("Create token")
