"""Registering, finding and editing patients through the pages."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.test import TestResponse

from clinic.audit.models import AuditAction, AuditEvent
from clinic.auth.models import User
from clinic.patients.models import Patient, SavedSearch
from clinic.patients.services import is_valid_chart_number
from tests.factories import make_patient
from tests.helpers import (
    PageClient,
    error_summary,
    field_error,
    html,
    input_value,
    listings,
    text_of,
)

VALID = {
    "given_name": "Harriet",
    "family_name": "Quill",
    "date_of_birth": "1972-04-18",
    "sex_or_gender": "Female",
    "phone": "07700 900461",
    "email": "harriet.quill@example.com",
    "address": "12 Lock Street\nRiverside",
    "preferred_language": "English",
    "emergency_contact_name": "Ivor Quill",
    "emergency_contact_relationship": "Husband",
    "emergency_contact_phone": "07700 900462",
}


@pytest.fixture
def signed_in(pages: PageClient, front_desk: User) -> PageClient:
    pages.login(front_desk.username)
    return pages


def _register(pages: PageClient, **changes: Any) -> Any:
    return pages.post("/patients/new", {**VALID, **changes})


def _patient(db_session: Session, family_name: str) -> Patient | None:
    return db_session.scalar(select(Patient).where(Patient.family_name == family_name))


def test_registering_a_patient_gives_a_chart_number_and_an_opaque_address(
    signed_in: PageClient, db_session: Session
) -> None:
    response = _register(signed_in)
    patient = _patient(db_session, "Quill")
    assert patient is not None
    assert is_valid_chart_number(patient.chart_number)
    assert response.headers["Location"] == f"/patients/{patient.public_id}"
    assert "Quill" not in response.headers["Location"]
    page = text_of(signed_in.get(response.headers["Location"]))
    assert "Harriet Quill" in page and patient.chart_number in page and "18 April 1972" in page


def test_the_session_cookie_carries_no_patient_data_after_registering(
    app: Flask, signed_in: PageClient, db_session: Session
) -> None:
    response = _register(signed_in)
    patient = _patient(db_session, "Quill")
    assert patient is not None
    cookie = signed_in.client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    assert cookie is not None
    serializer = app.session_interface.get_signing_serializer(app)  # type: ignore[attr-defined]
    contents = repr(serializer.loads(cookie.value))
    for value in (patient.chart_number, "Quill", "Harriet", patient.public_id):
        assert value not in contents
    page = text_of(signed_in.get(response.headers["Location"]))
    assert "Patient registered." in page and patient.chart_number in page


def test_registration_and_each_view_are_in_the_audit_log(
    signed_in: PageClient, db_session: Session, front_desk: User
) -> None:
    response = _register(signed_in)
    signed_in.get(response.headers["Location"])
    patient = _patient(db_session, "Quill")
    assert patient is not None
    events = db_session.scalars(
        select(AuditEvent).where(AuditEvent.patient_id == patient.id).order_by(AuditEvent.id)
    ).all()
    assert [event.action for event in events] == [AuditAction.CREATE, AuditAction.VIEW]
    assert {event.username for event in events} == {front_desk.username}
    assert all(event.request_id for event in events)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"given_name": ""}, "given_name", "Enter the given name"),
        ({"date_of_birth": ""}, "date_of_birth", "Enter the date of birth"),
        (
            {"date_of_birth": "1972-02-30"},
            "date_of_birth",
            "Enter a real date of birth, for example 27 March 1980",
        ),
        (
            {"date_of_birth": "tomorrow"},
            "date_of_birth",
            "Date of birth must be today or in the past",
        ),
        (
            {"date_of_birth": "1890-01-01"},
            "date_of_birth",
            "Date of birth must be within the last 120 years",
        ),
        (
            {"email": "harriet.quill@"},
            "email",
            "Enter an email address in the right format, like name@example.com",
        ),
        (
            {"phone": "call me"},
            "phone",
            "Enter a telephone number, like 01632 960001 or +44 7700 900982",
        ),
        (
            {"phone": "123"},
            "phone",
            "Enter a telephone number, like 01632 960001 or +44 7700 900982",
        ),
        (
            {"emergency_contact_phone": "12-ab"},
            "emergency_contact_phone",
            "Enter a telephone number, like 01632 960001 or +44 7700 900982",
        ),
        ({"given_name": "x" * 101}, "given_name", "Given name must be 100 characters or fewer"),
    ],
)
def test_bad_input_is_explained_next_to_the_field_and_what_was_typed_is_kept(
    signed_in: PageClient, db_session: Session, changes: dict[str, str], field: str, message: str
) -> None:
    if changes.get("date_of_birth") == "tomorrow":
        # Worked out when the test runs, not when it is collected (a run can cross midnight).
        changes = {"date_of_birth": (date.today() + timedelta(days=1)).isoformat()}
    response = _register(signed_in, **changes)
    assert response.status_code == 200
    assert field_error(response, field) == message
    assert message in error_summary(response)
    assert html(response).find(id=field)["aria-invalid"] == "true"
    for name, value in {**VALID, **changes}.items():
        if name not in {"address", field}:
            assert input_value(response, name) == value, name
    assert _patient(db_session, "Quill") is None


def test_a_likely_duplicate_is_shown_and_registration_waits_for_confirmation(
    signed_in: PageClient, db_session: Session, front_desk: User
) -> None:
    existing = make_patient(
        db_session,
        front_desk,
        given_name="Harriet",
        family_name="Quill",
        date_of_birth=date(1972, 4, 18),
    )
    response = _register(signed_in, given_name="Harriett")
    page = text_of(response)
    assert response.status_code == 200
    assert "This patient may already be registered" in page
    assert existing.chart_number in page
    assert input_value(response, "given_name") == "Harriett"
    assert db_session.scalars(select(Patient).where(Patient.family_name == "Quill")).all() == [
        existing
    ]

    confirmed = _register(signed_in, given_name="Harriett", confirm_not_duplicate="yes")
    assert confirmed.status_code == 302
    assert len(db_session.scalars(select(Patient).where(Patient.family_name == "Quill")).all()) == 2
    created = db_session.scalar(select(AuditEvent).where(AuditEvent.action == AuditAction.CREATE))
    assert created is not None
    assert created.detail == "registered after duplicate warning"


def test_a_similar_name_with_another_date_of_birth_is_not_a_duplicate(
    signed_in: PageClient, db_session: Session, front_desk: User
) -> None:
    make_patient(
        db_session,
        front_desk,
        given_name="Harriet",
        family_name="Quill",
        date_of_birth=date(1975, 4, 18),
    )
    assert _register(signed_in).status_code == 302


@pytest.mark.parametrize(
    ("criteria", "expected"),
    [
        ({"text": "quil"}, ["Quill", "Quilling"]),
        ({"text": "HARR QUI"}, ["Quill"]),
        ({"text": "quill", "date_of_birth": "1972-04-18"}, ["Quill"]),
        ({"text": "", "date_of_birth": "1990-09-09"}, ["Quilling"]),
        ({"text": "nobody"}, []),
    ],
)
def test_search_finds_patients_by_name_fragment_and_date_of_birth(
    signed_in: PageClient,
    db_session: Session,
    front_desk: User,
    criteria: dict[str, str],
    expected: list[str],
) -> None:
    make_patient(
        db_session,
        front_desk,
        given_name="Harriet",
        family_name="Quill",
        date_of_birth=date(1972, 4, 18),
    )
    make_patient(
        db_session,
        front_desk,
        given_name="Bea",
        family_name="Quilling",
        date_of_birth=date(1990, 9, 9),
    )
    response = search(signed_in, {"date_of_birth": "", **criteria})
    rows = html(response).select(".results tbody tr")
    assert [row.find("a").get_text().split(",")[0].title() for row in rows] == [
        name.title() for name in expected
    ]


def test_search_finds_a_patient_by_chart_number(
    signed_in: PageClient, db_session: Session, front_desk: User
) -> None:
    patient = make_patient(db_session, front_desk, family_name="Chartwell")
    response = search(signed_in, {"text": patient.chart_number})
    assert "CHARTWELL" in text_of(response)


def test_an_empty_search_asks_for_something_to_search_for(signed_in: PageClient) -> None:
    response = signed_in.post("/patients/", {"text": "", "date_of_birth": ""})
    assert (
        field_error(response, "text") == "Enter part of a name, a chart number or a date of birth"
    )


def test_search_results_are_paginated_and_each_listed_patient_is_audited(
    app: Flask, signed_in: PageClient, db_session: Session, front_desk: User
) -> None:
    for number in range(app.config["PAGE_SIZE"] + 3):
        make_patient(db_session, front_desk, given_name=f"Pat{number:02d}", family_name="Pagewood")
    first = search(signed_in, {"text": "pagewood"})
    next_page = html(first).find("a", string="Next page")
    assert next_page is not None
    second = signed_in.get(str(next_page["href"]))
    assert f"{app.config['PAGE_SIZE'] + 3} patients found" in text_of(first)
    assert len(html(first).select(".results tbody tr")) == app.config["PAGE_SIZE"]
    assert len(html(second).select(".results tbody tr")) == 3
    assert "Next page" in text_of(first) and "Previous page" in text_of(second)
    # One entry per page shown, naming the patients on it.
    pages_listed = listings(db_session, "search results")
    assert [len(ids) for ids in pages_listed] == [app.config["PAGE_SIZE"], 3]
    assert pages_listed[0].isdisjoint(pages_listed[1])


def search(pages: PageClient, criteria: dict[str, str]) -> TestResponse:
    """Search as a browser does: POST the form, follow the redirect to the results."""
    posted = pages.post("/patients/", criteria)
    assert posted.status_code == 302, posted.status_code
    return pages.get(posted.headers["Location"])


def test_search_is_a_post_then_a_get_of_an_opaque_id_so_names_never_reach_a_url(
    signed_in: PageClient, db_session: Session, front_desk: User
) -> None:
    make_patient(db_session, front_desk, given_name="Orla", family_name="Searchfield")
    form = html(signed_in.get("/patients/")).find("form", class_="search-form")
    assert form["method"] == "post"
    posted = signed_in.post("/patients/", {"text": "Searchfield"})
    location = posted.headers["Location"]
    assert posted.status_code == 302 and location.startswith("/patients/search/")
    assert "searchfield" not in location.lower()
    # The results page is a GET: reloading it, or coming Back to it, sends no form.
    again = signed_in.get(location)
    assert again.status_code == 200 and "SEARCHFIELD, Orla" in text_of(again)
    # The query is shown in the form, typed back from the server's copy.
    assert input_value(again, "text") == "Searchfield"
    saved = db_session.scalar(select(SavedSearch).where(SavedSearch.text == "Searchfield"))
    assert saved is not None and saved.public_id in location


def test_a_saved_search_belongs_to_its_user_and_expires(
    app: Flask, signed_in: PageClient, therapist: User, db_session: Session
) -> None:
    location = signed_in.post("/patients/", {"text": "anyone"}).headers["Location"]
    other = PageClient(app.test_client())
    other.login(therapist.username)
    refused = other.get(location)
    assert refused.status_code == 302 and refused.headers["Location"] == "/patients/"
    assert "This search has expired" in text_of(other.get("/patients/"))
    saved = db_session.scalar(select(SavedSearch).where(SavedSearch.text == "anyone"))
    assert saved is not None
    saved.created_at = saved.created_at - app.config["SEARCH_KEPT_FOR"] - timedelta(seconds=1)
    db_session.flush()
    assert signed_in.get(location).headers["Location"] == "/patients/"
    # A new search clears expired ones away.
    signed_in.post("/patients/", {"text": "someone"})
    assert db_session.scalar(select(SavedSearch).where(SavedSearch.text == "anyone")) is None


@pytest.mark.parametrize("typed", ["oconnor", "O'Connor", "o connor", "OCONNOR", "connor"])
def test_search_finds_an_apostrophe_name_however_it_is_typed(
    signed_in: PageClient, db_session: Session, front_desk: User, typed: str
) -> None:
    make_patient(db_session, front_desk, given_name="Siobhan", family_name="O'Connor")
    assert "O'CONNOR, Siobhan" in text_of(search(signed_in, {"text": typed}))


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        # The start of any word of the name, in any order, any case, any accents.
        ("jos", True),
        ("NUNEZ", True),
        ("ruiz jose", True),
        ("ruiz-jo", True),
        # A name of several words, typed run together.
        ("nunezruiz", True),
        ("Núñez Ruiz", True),
        # The middle of a word is not the start of one.
        ("unez", False),
        # Every word typed must start a word of the name.
        ("jose nunez smith", False),
    ],
)
def test_search_matches_the_start_of_the_words_of_a_name(
    signed_in: PageClient, db_session: Session, front_desk: User, typed: str, found: bool
) -> None:
    make_patient(db_session, front_desk, given_name="José", family_name="Núñez-Ruiz")
    assert ("NÚÑEZ-RUIZ, José" in text_of(search(signed_in, {"text": typed}))) is found


def test_search_finds_a_family_name_of_several_words_by_each_word_and_run_together(
    signed_in: PageClient, db_session: Session, front_desk: User
) -> None:
    make_patient(db_session, front_desk, given_name="Anouk", family_name="Van den Berg")
    for typed in ("van den berg", "vandenberg", "vandenb", "berg anouk", "den"):
        assert "VAN DEN BERG, Anouk" in text_of(search(signed_in, {"text": typed})), typed


def test_search_by_the_start_of_a_chart_number(
    signed_in: PageClient, db_session: Session, front_desk: User
) -> None:
    patient = make_patient(db_session, front_desk, family_name="Chartstart")
    other = make_patient(db_session, front_desk, family_name="Otherchart")
    typed = patient.chart_number[:5]
    page = text_of(search(signed_in, {"text": typed}))
    assert "CHARTSTART" in page
    assert ("OTHERCHART" in page) is other.chart_number.startswith(typed)
    spaced = f"{patient.chart_number[:4]} {patient.chart_number[4:]}"
    assert "CHARTSTART" in text_of(search(signed_in, {"text": spaced}))


def test_a_renamed_patient_is_found_by_the_new_name_only(
    signed_in: PageClient, db_session: Session, front_desk: User
) -> None:
    patient = make_patient(db_session, front_desk, given_name="Harriet", family_name="Quill")
    form = signed_in.get(f"/patients/{patient.public_id}/edit")
    data = {name: input_value(form, name) or "" for name in VALID}
    data["address"] = ""
    saved = signed_in.post(
        f"/patients/{patient.public_id}/edit",
        {**data, "family_name": "Penhallow", "version": input_value(form, "version")},
    )
    assert saved.status_code == 302
    assert "PENHALLOW, Harriet" in text_of(search(signed_in, {"text": "penh"}))
    assert "No patients found" in text_of(search(signed_in, {"text": "quill"}))


def test_a_search_matching_too_many_patients_asks_for_more_and_lists_none(
    signed_in: PageClient, db_session: Session, front_desk: User
) -> None:
    from clinic.patients.services import SEARCH_LIMIT

    for number in range(SEARCH_LIMIT + 1):
        make_patient(db_session, front_desk, given_name=f"Kit{number}", family_name="Manyfold")
    too_many = search(signed_in, {"text": "manyfold"})
    assert f"More than {SEARCH_LIMIT} patients match" in text_of(too_many)
    assert "Add more of the name, the date of birth" in text_of(too_many)
    assert html(too_many).select(".results tbody tr") == []
    assert listings(db_session, "search results") == []  # nobody's record was shown
    narrowed = search(signed_in, {"text": f"manyfold kit{SEARCH_LIMIT}"})
    assert "1 patient found" in text_of(narrowed)
    assert f"MANYFOLD, Kit{SEARCH_LIMIT}" in text_of(narrowed)


def test_the_search_page_lists_the_patients_this_user_viewed_most_recently(
    app: Flask, signed_in: PageClient, therapist: User, db_session: Session, front_desk: User
) -> None:
    first = make_patient(db_session, front_desk, given_name="Ada", family_name="Firstviewed")
    second = make_patient(db_session, front_desk, given_name="Bo", family_name="Secondviewed")
    never = make_patient(db_session, front_desk, given_name="Cy", family_name="Neverviewed")
    signed_in.get(f"/patients/{first.public_id}")
    signed_in.get(f"/patients/{second.public_id}")
    recent = html(signed_in.get("/patients/")).select(".recent-list a")
    names = [link.get_text() for link in recent]
    assert names[:2] == ["SECONDVIEWED, Bo", "FIRSTVIEWED, Ada"]
    assert "NEVERVIEWED, Cy" not in names
    listed = listings(db_session, "recently viewed")[-1]
    assert {first.id, second.id} <= listed and never.id not in listed
    # Another user's views are theirs: a new user has none.
    other = PageClient(app.test_client())
    other.login(therapist.username)
    assert not html(other.get("/patients/")).select(".recent-list a")


def test_editing_saves_changes_and_audits_which_fields_changed(
    signed_in: PageClient, db_session: Session, front_desk: User
) -> None:
    patient = make_patient(db_session, front_desk, given_name="Harriet", family_name="Quill")
    form = signed_in.get(f"/patients/{patient.public_id}/edit")
    assert input_value(form, "given_name") == "Harriet"
    data = {name: input_value(form, name) or "" for name in VALID}
    data["address"] = ""
    response = signed_in.post(
        f"/patients/{patient.public_id}/edit",
        {**data, "phone": "07700 900999", "version": input_value(form, "version")},
    )
    assert response.status_code == 302
    db_session.expire_all()
    assert db_session.get(Patient, patient.id).phone == "07700 900999"  # type: ignore[union-attr]
    update = db_session.scalar(
        select(AuditEvent).where(
            AuditEvent.action == AuditAction.UPDATE, AuditEvent.patient_id == patient.id
        )
    )
    assert update is not None and update.detail == "changed: phone"
    assert "07700" not in (update.detail or "")


def test_large_print_handouts_are_chosen_at_registration_and_changed_by_an_edit(
    signed_in: PageClient, db_session: Session
) -> None:
    location = _register(signed_in, large_print_handouts="y").headers["Location"]
    patient = _patient(db_session, "Quill")
    assert patient is not None and patient.large_print_handouts
    assert "Handouts Large print" in text_of(signed_in.get(location))
    form = signed_in.get(f"{location}/edit")
    assert html(form).select_one("#large_print_handouts").has_attr("checked")
    data = {name: input_value(form, name) or "" for name in VALID}
    # Unticked: the box is simply not sent.
    response = signed_in.post(f"{location}/edit", {**data, "version": input_value(form, "version")})
    assert response.status_code == 302
    db_session.expire_all()
    assert not db_session.get_one(Patient, patient.id).large_print_handouts
    assert "Handouts Standard print" in text_of(signed_in.get(location))
    update = db_session.scalar(
        select(AuditEvent).where(
            AuditEvent.action == AuditAction.UPDATE, AuditEvent.patient_id == patient.id
        )
    )
    assert update is not None and update.detail == "changed: large_print_handouts"


def test_saving_over_someone_elses_newer_change_is_refused_and_keeps_what_was_typed(
    signed_in: PageClient, db_session: Session, front_desk: User
) -> None:
    patient = make_patient(db_session, front_desk, given_name="Harriet", family_name="Quill")
    form = signed_in.get(f"/patients/{patient.public_id}/edit")
    stale_version = input_value(form, "version")
    data = {name: input_value(form, name) or "" for name in VALID}
    signed_in.post(
        f"/patients/{patient.public_id}/edit",
        {**data, "phone": "07700 900111", "version": stale_version},
    )

    response = signed_in.post(
        f"/patients/{patient.public_id}/edit",
        {**data, "phone": "07700 900222", "version": stale_version},
    )
    assert response.status_code == 200
    assert "Someone else saved changes to this record" in text_of(response)
    assert input_value(response, "phone") == "07700 900222"
    db_session.expire_all()
    assert db_session.get(Patient, patient.id).phone == "07700 900111"  # type: ignore[union-attr]


def test_an_unknown_patient_address_is_a_friendly_404(signed_in: PageClient) -> None:
    response = signed_in.get("/patients/0123456789abcdef0123456789abcdef")
    assert response.status_code == 404
    assert "There is no patient record at this address." in text_of(response)


def _visit(db_session: Session, desk: User, patient: Patient, pain_now: int, ndi: int) -> None:
    """A submitted intake with a pain score and an NDI of ``ndi`` points per item."""
    from clinic.auth.identity import Actor
    from clinic.intake import services as intake_services
    from clinic.intake.models import IntakeMode
    from clinic.measures.ndi import SECTIONS
    from clinic.screening import ScreeningPolicy
    from tests.screening.stories import answers

    actor = Actor(desk.id, desk.username, desk.role, "test-request")
    intake = intake_services.start_intake(db_session, actor, patient.public_id, IntakeMode.DESK)
    story = {k: v for k, v in answers(regions=("cervical",)).items() if k != "age_years"}
    intake_services.save_answers(
        db_session, actor, intake.public_id, "answers", {**story, "pain_now": pain_now}
    )
    intake_services.save_measures(
        db_session, actor, intake.public_id, {"ndi": dict.fromkeys(SECTIONS, ndi)}
    )
    intake_services.submit_intake(db_session, actor, intake.public_id, ScreeningPolicy())


def test_the_record_shows_the_pain_change_since_the_first_visit_against_its_mcid(
    signed_in: PageClient, db_session: Session, front_desk: User
) -> None:
    patient = make_patient(db_session, front_desk)
    _visit(db_session, front_desk, patient, pain_now=8, ndi=3)
    _visit(db_session, front_desk, patient, pain_now=5, ndi=2)
    page = html(signed_in.get(f"/patients/{patient.public_id}"))
    pain = page.find(id="chart-nprs-caption").find_parent("figure").get_text(" ", strip=True)
    assert "Since the first score: -3 (-37.5 %)" in pain
    assert "A clinically important improvement" in pain
    assert "an improvement of 2 points or 30 %" in pain
    neck = page.find(id="chart-ndi-caption").find_parent("figure").get_text(" ", strip=True)
    assert "30.0 (60 %)" in neck and "20.0 (40 %)" in neck
