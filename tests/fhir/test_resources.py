"""Pure builders, table by table: dosage as a Timing, the patient's gender and language
only where the record's words say them."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from fhir.resources.R4B.patient import Patient as FhirPatient
from fhir.resources.R4B.timing import Timing

from clinic.fhir.care import timing
from clinic.fhir.resources import PatientData, patient
from clinic.fhir.vocabulary import Naming

NAMING = Naming("https://clinic.example.org/fhir")


@pytest.mark.parametrize(
    ("dosage", "repeat", "words"),
    [
        ({"times_per_day": 2}, {"frequency": 2, "period": 1, "periodUnit": "d"}, "Twice a day."),
        (
            {"times_per_day": 4, "days_per_week": 7, "duration_minutes": 15},
            {"frequency": 4, "period": 1, "periodUnit": "d", "duration": 15, "durationUnit": "min"},
            "15 minutes at a time. 4 times a day.",
        ),
        (
            {"times_per_day": 1, "days_per_week": 5},
            {"frequency": 5, "period": 1, "periodUnit": "wk"},
            "Once a day, on 5 days a week.",
        ),
        (
            {"days_per_week": 3},
            {"frequency": 3, "period": 1, "periodUnit": "wk"},
            "On 3 days a week.",
        ),
        (
            {"hold_seconds": 30, "times_per_day": 2},
            {"frequency": 2, "period": 1, "periodUnit": "d", "duration": 30, "durationUnit": "s"},
            "Hold for 30 seconds. Twice a day.",
        ),
        # A hold of each repetition is not the length of the whole go.
        (
            {"hold_seconds": 5, "reps": 10, "times_per_day": 1},
            {"frequency": 1, "period": 1, "periodUnit": "d"},
            "Hold for 5 seconds. Do it 10 times. Once a day.",
        ),
    ],
)
def test_dosage_becomes_a_timing_with_its_words(
    dosage: dict[str, Any], repeat: dict[str, Any], words: str
) -> None:
    schedule = timing(dosage)
    Timing.model_validate(schedule)
    assert schedule["repeat"] == repeat
    assert schedule["code"]["text"] == words


def _patient(**changes: Any) -> dict[str, Any]:
    data = PatientData(
        public_id="p" * 32,
        chart_number="12345674",
        given_name="Ada",
        family_name="Lovelace",
        date_of_birth=date(1980, 3, 27),
        sex_or_gender="",
        phone="",
        email="",
        address="",
        preferred_language="",
        emergency_contact_name="",
        emergency_contact_relationship="",
        emergency_contact_phone="",
        updated_at=datetime(2026, 11, 30, tzinfo=UTC),
    )
    resource = patient(NAMING, PatientData(**{**data.__dict__, **changes}))
    FhirPatient.model_validate(resource)
    return resource


@pytest.mark.parametrize(
    ("words", "gender"), [("Female", "female"), (" male ", "male"), ("Woman", "female")]
)
def test_an_administrative_gender_is_given_where_the_words_say_it(words: str, gender: str) -> None:
    assert _patient(sex_or_gender=words)["gender"] == gender


def test_other_words_are_kept_as_said_not_turned_into_a_gender() -> None:
    resource = _patient(sex_or_gender="Non-binary")
    assert "gender" not in resource
    assert resource["extension"][0]["valueString"] == "Non-binary"


def test_a_blank_record_holds_no_empty_elements() -> None:
    resource = _patient()
    assert not {"gender", "telecom", "address", "communication", "contact", "extension"} & set(
        resource
    )


def test_contact_details_and_the_emergency_contact() -> None:
    resource = _patient(
        phone="01632 960101",
        email="ada@example.com",
        address="14 Mill Lane\nRiverside\n",
        preferred_language="Polish",
        emergency_contact_name="Byron",
        emergency_contact_relationship="Father",
        emergency_contact_phone="07700 900101",
    )
    assert resource["telecom"] == [
        {"system": "phone", "value": "01632 960101", "use": "home"},
        {"system": "email", "value": "ada@example.com"},
    ]
    assert resource["address"][0]["line"] == ["14 Mill Lane", "Riverside"]
    assert resource["communication"][0]["language"]["coding"][0]["code"] == "pl"
    assert resource["contact"][0]["relationship"] == [{"text": "Father"}]


def test_a_language_without_a_known_code_keeps_its_name_only() -> None:
    language = _patient(preferred_language="Klingon")["communication"][0]["language"]
    assert language == {"text": "Klingon"}
