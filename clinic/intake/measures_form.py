"""The outcome-measures step: which instruments apply, their fields, and the responses.

STarT Back, ODI, RMDQ and LEFS for low back pain, NDI and QuickDASH for neck pain, PSFS for
everyone (clinical.md §7; NICE NG59 recommends STarT Back at first contact for low back
pain; Keele does not recommend it for neck-only pain), each only where the clinic uses
it (CLINIC_OUTCOME_MEASURES). NPRS comes from the pain score on the complaint step.

ODI, NDI, RMDQ, QuickDASH and LEFS wording is licensed (clinical.md §8). Where the clinic
has loaded its licensed wording, the statements are shown; otherwise staff at the desk
enter each item's score (or tick each RMDQ item) from the clinic's paper form, and the
kiosk leaves these out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from wtforms import BooleanField, Field, RadioField, StringField, SubmitField
from wtforms.validators import Length, NumberRange, Optional

from clinic.forms import Form, FriendlyIntegerField, SelectChoice, strip_whitespace
from clinic.measures import startback
from clinic.measures.registry import INSTRUMENTS
from clinic.measures.wording import Section

PSFS_ROWS = 3
SEPARATOR = "__"
# The RMDQ box that says none of the statements applies today (its items all unticked).
NONE_APPLY = "none_apply"
# Where each instrument is offered (clinical.md §7): by pain region.
BACK_MEASURES = ("startback", "odi", "rmdq", "lefs")
NECK_MEASURES = ("ndi", "quickdash")


@dataclass(frozen=True)
class MeasureBlock:
    """One instrument on the page: its title, notice and the names of its fields."""

    instrument: str
    title: str
    intro: str
    field_names: tuple[str, ...]
    notice: str = ""
    # Items the patient ticks (RMDQ) rather than scores.
    ticks: bool = False


def instruments_for(
    regions: Sequence[str],
    kiosk: bool,
    wording: Mapping[str, Sequence[Section]],
    enabled: Sequence[str],
) -> list[str]:
    """The clinic's instruments for these pain regions. Licensed ones need the clinic's
    wording on the kiosk; at the desk, staff enter them from the paper form."""
    wanted = [
        *(BACK_MEASURES if "lumbar" in regions else ()),
        *(NECK_MEASURES if "cervical" in regions else ()),
        "psfs",
    ]
    return [
        name
        for name in wanted
        if name in enabled
        and (not INSTRUMENTS[name].wording_is_licensed or name in wording or not kiosk)
    ]


def _name(instrument: str, item: str) -> str:
    return f"{instrument}{SEPARATOR}{item}"


def _scale_field(
    label: str, sections: Mapping[str, Section], item: str, scores: tuple[int, ...]
) -> Field:
    low, high = scores[0], scores[-1]
    section = sections.get(item)
    if section is not None:
        choices = [
            SelectChoice(str(value), text)
            for value, text in zip(scores, section.statements, strict=True)
        ]
        return RadioField(section.title, choices=choices, validators=[Optional()], coerce=int)
    message = f"Enter the score from {low} to {high}"
    return FriendlyIntegerField(
        label,
        invalid_message=message,
        validators=[Optional(), NumberRange(low, high, message)],
        description=(
            f"From the clinic's paper form: {low} for the first statement, {high} for the last"
        ),
        render_kw={"inputmode": "numeric"},
    )


def _licensed_fields(
    instrument: str, wording: Mapping[str, Sequence[Section]]
) -> tuple[dict[str, Field], MeasureBlock]:
    spec = INSTRUMENTS[instrument]
    sections = {section.id: section for section in wording.get(instrument, ())}
    fields: dict[str, Field] = {}
    if spec.response_scores:
        for item, label in spec.items.items():
            fields[_name(instrument, item)] = _scale_field(
                label, sections, item, spec.response_scores
            )
        intro = (
            "Choose the one statement for each item that best describes you today."
            if sections
            else "Enter the score of each item from the clinic's licensed paper form."
        )
    else:
        for item, label in spec.items.items():
            statement = sections[item].title if item in sections else label
            fields[_name(instrument, item)] = BooleanField(statement)
        fields[_name(instrument, NONE_APPLY)] = BooleanField(
            "None of these statements applies to me today"
        )
        intro = (
            "Tick each statement that describes you today because of your back pain."
            if sections
            else "Tick each statement the patient ticked on the clinic's licensed paper form."
        )
    return fields, MeasureBlock(
        instrument, spec.title, intro, tuple(fields), spec.notice, ticks=not spec.response_scores
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
        elif INSTRUMENTS[instrument].wording_is_licensed:
            licensed, block = _licensed_fields(instrument, wording)
            fields.update(licensed)
            blocks.append(block)
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
            if _is_ticks(instrument) and not any(value is True for value in responses.values()):
                data[_name(instrument, NONE_APPLY)] = True
    return data


def _is_ticks(instrument: str) -> bool:
    spec = INSTRUMENTS.get(instrument)
    return spec is not None and spec.wording_is_licensed and not spec.response_scores


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
        elif _is_ticks(instrument):
            # Ticks: unticked means "does not apply today", once anything was ticked.
            ticked = {
                item: bool(form[_name(instrument, item)].data)
                for item in INSTRUMENTS[instrument].items
            }
            if any(ticked.values()) or form[_name(instrument, NONE_APPLY)].data:
                responses[instrument] = ticked
                if any(ticked.values()) and form[_name(instrument, NONE_APPLY)].data:
                    errors[_name(instrument, NONE_APPLY)] = (
                        "Untick this box, or untick the statements above it"
                    )
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
