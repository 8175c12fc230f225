"""Forms of the catalogue: the browse filters and the item editor.

The editor hands the service the same plain data an item file holds; the one validator
in ``clinic.catalogue.content`` checks both, and :func:`field_of` puts each problem it
finds next to the form field it is about.
"""

from __future__ import annotations

import re
from typing import Any

from flask_wtf.file import FileAllowed, FileField
from wtforms import BooleanField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, Regexp

from clinic.catalogue import vocabulary as words
from clinic.catalogue.content import DOSAGE_LIMITS, SLUG
from clinic.catalogue.safety import SAFETY_CODES, Treatment
from clinic.catalogue.vocabulary import CATEGORIES, Kind
from clinic.forms import (
    CheckboxListField,
    Form,
    FriendlyIntegerField,
    SelectChoice,
    strip_whitespace,
)
from clinic.screening.model import Option


def _choices(options: tuple[Option, ...]) -> list[SelectChoice]:
    return [SelectChoice(option.value, option.text) for option in options]


# One list for kind and category together ("Exercise: mobility"): a category only makes
# sense for its kind, and one select needs no JavaScript to keep them consistent.
TYPE_CHOICES = [
    SelectChoice(
        f"{kind.value}:{option.value}",
        f"{kind.label}: {option.text}" if len(CATEGORIES[kind]) > 1 else kind.label,
    )
    for kind in Kind
    for option in CATEGORIES[kind]
]


class BrowseForm(Form):
    """The search box and filters; read from the query string, so no CSRF token."""

    class Meta:
        csrf = False

    q = StringField("Search", filters=[strip_whitespace], validators=[Optional(), Length(max=100)])
    kind = CheckboxListField(
        "Type", choices=[SelectChoice(kind.value, kind.label) for kind in Kind]
    )
    region = CheckboxListField("Body area", choices=_choices(words.REGIONS))
    goal = CheckboxListField("Goal", choices=_choices(words.GOALS))
    equipment = CheckboxListField("Equipment", choices=_choices(words.EQUIPMENT))
    retired = BooleanField("Show retired items only")


def _integer(label: str, name: str) -> FriendlyIntegerField:
    low, high, unit = DOSAGE_LIMITS[name]
    return FriendlyIntegerField(
        label,
        validators=[Optional()],
        invalid_message=f"Enter a whole number from {low} to {high} {unit}, or leave it blank",
    )


CODE_CHOICES = [
    (
        treatment,
        [
            (code.code, f"{code.label} ({code.level.label.lower()})")
            for code in SAFETY_CODES
            if code.treatment is treatment
        ],
    )
    for treatment in Treatment
]


class ItemForm(Form):
    slug = StringField(
        "Short name for the address",
        filters=[strip_whitespace],
        validators=[
            InputRequired("Enter a short name, for example knee-to-chest"),
            Length(max=60, message="Use 60 characters or fewer"),
            Regexp(SLUG.pattern, message="Use lower-case letters, digits and hyphens only"),
        ],
    )
    title = StringField("Title", filters=[strip_whitespace])
    type = SelectField("Type", choices=TYPE_CHOICES)
    summary = TextAreaField("What it is for, in one sentence", filters=[strip_whitespace])
    steps = TextAreaField("Steps for the patient, one per line")
    safety_cues = TextAreaField("Safety cues for the patient, one per line")
    therapist_notes = TextAreaField("Notes for therapists")
    regions = CheckboxListField("Body areas", choices=_choices(words.REGIONS))
    goals = CheckboxListField("Goals", choices=_choices(words.GOALS))
    equipment = CheckboxListField("Equipment", choices=_choices(words.EQUIPMENT))
    tags = StringField("Tags, separated by commas", filters=[strip_whitespace])
    sets = _integer("Sets", "sets")
    reps = _integer("Repetitions", "reps")
    hold_seconds = _integer("Hold (seconds)", "hold_seconds")
    rest_seconds = _integer("Rest between sets (seconds)", "rest_seconds")
    duration_minutes = _integer("Duration (minutes)", "duration_minutes")
    times_per_day = _integer("Times a day", "times_per_day")
    days_per_week = _integer("Days a week", "days_per_week")
    side = SelectField("Side", choices=[SelectChoice("", "Not applicable"), *_choices(words.SIDES)])
    load = StringField("Load or band", filters=[strip_whitespace])
    progressions = CheckboxListField("Progressions (harder items)", choices=[])
    regressions = CheckboxListField("Regressions (easier items)", choices=[])
    codes = CheckboxListField("Safety codes", choices=[])
    code_areas = TextAreaField("Body areas for particular codes")
    evidence_note = TextAreaField("Evidence note", filters=[strip_whitespace])
    evidence_source = StringField("Evidence source", filters=[strip_whitespace])
    guideline_note = TextAreaField(
        "Guideline recommendation (NICE NG59)", filters=[strip_whitespace]
    )
    guideline_source = StringField("Guideline source", filters=[strip_whitespace])
    technique = StringField("Massage technique", filters=[strip_whitespace])
    pressure = SelectField(
        "Massage pressure", choices=[SelectChoice("", "Not applicable"), *_choices(words.PRESSURES)]
    )
    illustration = FileField(
        "Illustration (SVG drawing)",
        validators=[FileAllowed(["svg"], "Choose an SVG drawing (a file ending .svg)")],
    )
    remove_illustration = BooleanField("Remove the current illustration")
    illustration_alt = TextAreaField(
        "Describe the illustration for people who cannot see it", filters=[strip_whitespace]
    )
    based_on_version = HiddenField()

    def __init__(self, *args: Any, items: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.progressions.choices = [SelectChoice(slug, title) for slug, title in items]
        self.regressions.choices = [SelectChoice(slug, title) for slug, title in items]
        self.codes.choices = [
            SelectChoice(value, label) for _, options in CODE_CHOICES for value, label in options
        ]

    def content_data(self) -> dict[str, Any]:
        """The form as item data: the shape of an item file."""
        kind, _, category = (self.type.data or "").partition(":")
        dosage: dict[str, Any] = {
            name: getattr(self, name).data
            for name in DOSAGE_LIMITS
            if getattr(self, name).data is not None
        }
        if self.side.data:
            dosage["side"] = self.side.data
        dosage["load"] = self.load.data or ""
        data: dict[str, Any] = {
            "slug": self.slug.data or "",
            "kind": kind,
            "category": category,
            "title": self.title.data,
            "summary": self.summary.data,
            "regions": list(self.regions.data or []),
            "goals": list(self.goals.data or []),
            "equipment": list(self.equipment.data or []),
            "tags": [tag.strip() for tag in (self.tags.data or "").split(",") if tag.strip()],
            "steps": _lines(self.steps.data),
            "safety_cues": _lines(self.safety_cues.data),
            "therapist_notes": self.therapist_notes.data or "",
            "dosage": dosage,
            "progressions": list(self.progressions.data or []),
            "regressions": list(self.regressions.data or []),
            "codes": self._codes(),
            "evidence": {"note": self.evidence_note.data, "source": self.evidence_source.data},
            "illustration": {"alt": self.illustration_alt.data},
        }
        if self.guideline_note.data or self.guideline_source.data:
            data["guideline"] = {
                "note": self.guideline_note.data,
                "source": self.guideline_source.data,
            }
        if kind == Kind.MASSAGE.value:
            data["massage"] = {
                "technique": self.technique.data,
                "pressure": self.pressure.data or "",
            }
        return data

    def _codes(self) -> list[dict[str, Any]]:
        areas = _code_areas(self.code_areas.data or "")
        codes = []
        for code in self.codes.data or []:
            entry: dict[str, Any] = {"code": code}
            if code in areas:
                entry["areas"] = areas[code]
            codes.append(entry)
        # A code named only in the areas box is a mistake worth reporting, not ignoring.
        codes.extend(
            {"code": code, "areas": found}
            for code, found in areas.items()
            if code not in (self.codes.data or [])
        )
        return codes

    def fill(self, data: dict[str, Any], regions_default: tuple[str, ...]) -> None:
        """Fill the form from an item's data (the shape :meth:`content_data` returns)."""
        self.slug.data = data["slug"]
        self.title.data = data["title"]
        self.type.data = f"{data['kind']}:{data['category']}"
        self.summary.data = data["summary"]
        self.steps.data = "\n".join(data["steps"])
        self.safety_cues.data = "\n".join(data["safety_cues"])
        self.therapist_notes.data = data["therapist_notes"]
        self.regions.data = list(data["regions"])
        self.goals.data = list(data["goals"])
        self.equipment.data = list(data["equipment"])
        self.tags.data = ", ".join(data["tags"])
        for name in DOSAGE_LIMITS:
            getattr(self, name).data = data["dosage"].get(name)
        self.side.data = data["dosage"].get("side") or ""
        self.load.data = data["dosage"].get("load", "")
        self.progressions.data = list(data["progressions"])
        self.regressions.data = list(data["regressions"])
        self.codes.data = [entry["code"] for entry in data["codes"]]
        self.code_areas.data = "\n".join(
            f"{entry['code']}: {', '.join(entry['areas'])}"
            for entry in data["codes"]
            if tuple(entry["areas"]) != tuple(regions_default)
        )
        self.evidence_note.data = data["evidence_note"]
        self.evidence_source.data = data["evidence_source"]
        self.guideline_note.data = data["guideline_note"]
        self.guideline_source.data = data["guideline_source"]
        self.technique.data = data["technique"]
        self.pressure.data = data["pressure"]
        self.illustration_alt.data = data["illustration_alt"]


def _lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


_AREA_LINE = re.compile(r"^\s*([a-z_.]+)\s*:\s*(.*)$")


def _code_areas(text: str) -> dict[str, list[str]]:
    """Lines of "code: area, area" (for example "heat.pregnancy: lower_back")."""
    found: dict[str, list[str]] = {}
    for line in text.splitlines():
        match = _AREA_LINE.match(line)
        if match:
            found[match.group(1)] = [
                area.strip() for area in match.group(2).split(",") if area.strip()
            ]
    return found


# Where each problem the content validator reports is shown on the form.
_FIELD_OF = {
    "kind": "type",
    "category": "type",
    "dosage.load": "load",
    "dosage.side": "side",
    "evidence.note": "evidence_note",
    "evidence.source": "evidence_source",
    "guideline.note": "guideline_note",
    "guideline.source": "guideline_source",
    "massage.technique": "technique",
    "massage.pressure": "pressure",
    "massage": "type",
    "illustration.alt": "illustration_alt",
}


def field_of(problem_field: str) -> str:
    """The form field a content problem belongs to ("steps[3]" -> "steps")."""
    name = re.sub(r"\[\d+\]", "", problem_field)
    if name in _FIELD_OF:
        return _FIELD_OF[name]
    if name.startswith("dosage."):
        return name.removeprefix("dosage.")
    if name.startswith("codes"):
        return "code_areas" if name.endswith("areas") else "codes"
    return name.split(".")[0]
