"""The outcome-measures step: which instruments apply, their fields, and the responses.

STarT Back and ODI for low back pain, NDI for neck pain, PSFS for everyone (clinical.md
§7; NICE NG59 recommends STarT Back at first contact for low back pain; Keele does not
recommend it for neck-only pain). NPRS comes from the pain score on the complaint step.

ODI and NDI wording is licensed (clinical.md §8). Where the clinic has loaded its licensed
wording, the statements are shown; otherwise staff at the desk enter each section's score
from the clinic's paper form, and the kiosk leaves these two out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from wtforms import Field, RadioField, StringField, SubmitField
from wtforms.validators import Length, NumberRange, Optional

from clinic.forms import Form, FriendlyIntegerField, SelectChoice, strip_whitespace
from clinic.measures import ndi, odi, startback
from clinic.measures.wording import Section

PSFS_ROWS = 3
SEPARATOR = "__"


@dataclass(frozen=True)
class MeasureBlock:
    """One instrument on the page: its title, notice and the names of its fields."""

    instrument: str
    title: str
    intro: str
    field_names: tuple[str, ...]
    notice: str = ""


def instruments_for(
    regions: Sequence[str], kiosk: bool, wording: Mapping[str, Sequence[Section]]
) -> list[str]:
    chosen = []
    if "lumbar" in regions:
        chosen.append("startback")
        if "odi" in wording or not kiosk:
            chosen.append("odi")
    if "cervical" in regions and ("ndi" in wording or not kiosk):
        chosen.append("ndi")
    chosen.append("psfs")
    return chosen


def _name(instrument: str, item: str) -> str:
    return f"{instrument}{SEPARATOR}{item}"


def _section_field(label: str, sections: Mapping[str, Section], item: str) -> Field:
    section = sections.get(item)
    if section is not None:
        choices = [SelectChoice(str(score), text) for score, text in enumerate(section.statements)]
        return RadioField(section.title, choices=choices, validators=[Optional()], coerce=int)
    return FriendlyIntegerField(
        label,
        invalid_message="Enter the score from 0 to 5",
        validators=[Optional(), NumberRange(0, 5, "Enter the score from 0 to 5")],
        description="From the clinic's paper form: 0 for the first statement, 5 for the last",
        render_kw={"inputmode": "numeric"},
    )


def measures_form(
    instruments: Sequence[str], saved: Mapping[str, Any], wording: Mapping[str, Sequence[Section]]
) -> tuple[Form, list[MeasureBlock]]:
    fields: dict[str, Field] = {}
    blocks: list[MeasureBlock] = []
    for instrument in instruments:
        names: list[str] = []
        if instrument == "startback":
            for item, text in startback.ITEMS.items():
                if item == "q9":
                    choices = [
                        SelectChoice(v, label)
                        for v, label in zip(
                            startback.BOTHER_OPTIONS, startback.BOTHER_LABELS, strict=True
                        )
                    ]
                else:
                    choices = [
                        SelectChoice(startback.AGREE, "Agree"),
                        SelectChoice(startback.DISAGREE, "Disagree"),
                    ]
                fields[_name(instrument, item)] = RadioField(
                    text, choices=choices, validators=[Optional()]
                )
                names.append(_name(instrument, item))
            blocks.append(
                MeasureBlock(
                    instrument,
                    "STarT Back",
                    startback.INTRODUCTION,
                    tuple(names),
                    startback.COPYRIGHT,
                )
            )
        elif instrument in ("odi", "ndi"):
            module = odi if instrument == "odi" else ndi
            sections = {section.id: section for section in wording.get(instrument, ())}
            for item, label in module.SECTIONS.items():
                fields[_name(instrument, item)] = _section_field(label, sections, item)
                names.append(_name(instrument, item))
            title = "Oswestry Disability Index" if instrument == "odi" else "Neck Disability Index"
            intro = (
                "Choose the one statement in each section that best describes you today."
                if sections
                else "Enter the score of each section from the clinic's licensed paper form."
            )
            blocks.append(MeasureBlock(instrument, title, intro, tuple(names)))
        elif instrument == "psfs":
            for row in range(1, PSFS_ROWS + 1):
                fields[_name(instrument, f"activity_{row}")] = StringField(
                    f"Activity {row}",
                    filters=[strip_whitespace],
                    validators=[
                        Optional(),
                        Length(max=120, message="Write 120 characters or fewer"),
                    ],
                )
                fields[_name(instrument, f"rating_{row}")] = FriendlyIntegerField(
                    f"How well can you do activity {row} now? (0 unable, 10 as before)",
                    invalid_message="Enter a whole number from 0 to 10",
                    validators=[
                        Optional(),
                        NumberRange(0, 10, "Enter a whole number from 0 to 10"),
                    ],
                    render_kw={"inputmode": "numeric"},
                )
                names += [_name(instrument, f"activity_{row}"), _name(instrument, f"rating_{row}")]
            blocks.append(
                MeasureBlock(
                    instrument,
                    "Activities you find hard",
                    "Name up to three important activities you cannot do, or find hard, because of "
                    "your problem, and rate how well you can do each one now.",
                    tuple(names),
                )
            )
    form_class = type(
        "MeasuresForm", (Form,), {**fields, "submit": SubmitField("Save and continue")}
    )
    return form_class(data=_flatten(saved)), blocks


def _flatten(saved: Mapping[str, Any]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for instrument, responses in saved.items():
        if instrument == "psfs":
            for row, entry in enumerate(responses.get("activities", []), start=1):
                data[_name("psfs", f"activity_{row}")] = entry.get("activity")
                data[_name("psfs", f"rating_{row}")] = entry.get("rating")
        else:
            for item, value in responses.items():
                data[_name(instrument, item)] = value
    return data


def responses_from(form: Form, instruments: Sequence[str]) -> tuple[dict[str, Any], dict[str, str]]:
    """The responses per instrument, and errors by field name for PSFS rows half filled."""
    responses: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for instrument in instruments:
        if instrument == "psfs":
            activities = []
            for row in range(1, PSFS_ROWS + 1):
                activity = form[_name("psfs", f"activity_{row}")].data
                rating = form[_name("psfs", f"rating_{row}")].data
                if activity and rating is None:
                    errors[_name("psfs", f"rating_{row}")] = "Rate this activity from 0 to 10"
                elif rating is not None and not activity:
                    errors[_name("psfs", f"activity_{row}")] = "Name the activity you rated"
                elif activity:
                    activities.append({"activity": activity, "rating": rating})
            if activities:
                responses["psfs"] = {"activities": activities}
        else:
            prefix = f"{instrument}{SEPARATOR}"
            items = {
                name.removeprefix(prefix): field.data
                for name, field in form._fields.items()
                if name.startswith(prefix) and field.data not in (None, "")
            }
            if items:
                responses[instrument] = items
    return responses, errors
