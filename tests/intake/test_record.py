"""The intake as a clinical record: who may read which part, its audit entry, flagged and
changed answers, earlier intakes, the referral letter (page and PDF), repeat visits
prefilled from the previous history, and the 403 page that speaks to its reader."""

from __future__ import annotations

import io
from datetime import date

import pypdf
import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from clinic.audit.models import AuditAction, AuditEvent
from clinic.auth.models import User
from clinic.intake.models import Intake, ScreeningRecord
from clinic.patients.models import Patient
from tests.factories import make_submitted_intake
from tests.helpers import PageClient, html, input_value, text_of
from tests.screening.stories import symptom

LONG_WORRY = (
    "My father had a tumour in his spine at my age and I keep thinking about it; "
    "the pain wakes me most nights and I am worried it is the same thing. " * 3
).strip()


def _record_audits(db_session: Session, patient: Patient) -> list[AuditEvent]:
    return list(
        db_session.scalars(
            select(AuditEvent).where(
                AuditEvent.patient_id == patient.id,
                AuditEvent.entity_type == "intake",
                AuditEvent.detail.startswith("intake record"),
            )
        )
    )


@pytest.fixture
def two_visits(db_session: Session, front_desk: User, patient: Patient) -> tuple[str, str]:
    """An earlier intake with no bladder problem, and a later one with new bladder
    trouble (an EMERGENCY), metal implants and a long worry in "anything else"."""
    first = make_submitted_intake(db_session, front_desk, patient, bladder_change="no")
    second = make_submitted_intake(
        db_session,
        front_desk,
        patient,
        **symptom("bladder_change"),
        metal_implants="yes",
        metal_implants_where="Left hip replacement",
        other_concerns=LONG_WORRY,
    )
    return first, second


def test_a_therapist_reads_every_answer_with_flags_changes_and_safety_marks(
    pages: PageClient,
    therapist: User,
    patient: Patient,
    two_visits: tuple[str, str],
    db_session: Session,
) -> None:
    first, second = two_visits
    pages.login(therapist.username)
    response = pages.get(f"/intakes/{second}")
    assert response.status_code == 200
    page = html(response)
    bladder = page.find(id="answer-bladder_change")
    assert bladder is not None and "answers__row--flagged" in bladder["class"]
    assert "Changed: was “No”" in bladder.get_text()
    flag_link = bladder.find("a", class_="answer-flag")
    assert flag_link is not None and flag_link["href"] == "#rule-E-CES-1"
    assert page.find(id="rule-E-CES-1") is not None
    implants = page.find(id="answer-metal_implants")
    assert implants is not None and "Safety check" in implants.get_text()
    assert "Left hip replacement" in text_of(response)
    worry = page.find(id="answer-other_concerns")
    assert worry is not None and LONG_WORRY in " ".join(worry.get_text().split())
    text = text_of(response)
    assert "Questionnaire screening" in text and "rule set" in text
    assert "Entered" in text and "Sent" in text
    others = page.find(id="others-title")
    assert others is not None
    assert page.find("a", href=f"/intakes/{first}") is not None
    [audit] = _record_audits(db_session, patient)
    assert audit.detail == "intake record" and audit.user_id == therapist.id
    assert audit.action is AuditAction.VIEW and audit.entity_id == second


def test_the_front_desk_sees_the_result_and_who_entered_it_but_no_answers(
    pages: PageClient,
    front_desk: User,
    patient: Patient,
    two_visits: tuple[str, str],
    db_session: Session,
) -> None:
    _, second = two_visits
    pages.login(front_desk.username)
    response = pages.get(f"/intakes/{second}")
    assert response.status_code == 200
    text = text_of(response)
    assert "Emergency" in text and "Do not book. Tell the duty clinician now." in text
    assert "Entered" in text
    assert "Left hip replacement" not in text and "bladder" not in text.lower()
    assert "cauda" not in text.lower() and LONG_WORRY[:40] not in text
    assert "The answers are clinical information, for therapists" in text
    [audit] = _record_audits(db_session, patient)
    assert audit.detail == "intake record (front desk view)"


def test_administrators_anonymous_users_and_the_kiosk_cannot_open_an_intake(
    app: Flask,
    pages: PageClient,
    admin: User,
    front_desk: User,
    patient: Patient,
    two_visits: tuple[str, str],
    db_session: Session,
) -> None:
    _, second = two_visits
    assert pages.get(f"/intakes/{second}").headers["Location"].startswith("/login")
    pages.login(admin.username)
    refused = pages.get(f"/intakes/{second}")
    assert refused.status_code == 403 and "Ivy" not in text_of(refused)
    # A tablet in kiosk mode, holding this very patient's new intake.
    desk = PageClient(app.test_client())
    desk.login(front_desk.username)
    code = html(desk.post(f"/patients/{patient.public_id}/kiosk-intakes")).find(class_="kiosk-code")
    assert code is not None
    tablet = PageClient(app.test_client(), form_page="/kiosk/")
    assert tablet.post("/kiosk/", {"code": code.get_text().strip()}).status_code == 302
    from_tablet = tablet.get(f"/intakes/{second}")
    assert from_tablet.status_code == 403 and "Ivy" not in text_of(from_tablet)
    assert _record_audits(db_session, patient) == []


def test_the_record_shows_each_measure_its_score_and_what_was_worked_out(
    pages: PageClient, therapist: User, front_desk: User, patient: Patient, db_session: Session
) -> None:
    intake_id = make_submitted_intake(
        db_session,
        front_desk,
        patient,
        measures={"psfs": {"activities": [{"activity": "Gardening", "rating": 3}]}},
    )
    pages.login(therapist.username)
    page = html(pages.get(f"/intakes/{intake_id}"))
    scores = page.find(id="scores-title")
    assert scores is not None
    text = " ".join(page.get_text(" ").split())
    assert "Patient-Specific Functional Scale" in text and "Gardening: 3" in text
    born = patient.date_of_birth
    today = date.today()
    age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    assert f"Age {age} at the intake" in text


def test_an_unknown_intake_is_not_found(pages: PageClient, therapist: User) -> None:
    pages.login(therapist.username)
    assert pages.get("/intakes/" + "0" * 32).status_code == 404


def test_the_queue_the_result_the_patient_page_and_the_plan_editor_link_to_the_intake(
    pages: PageClient,
    therapist: User,
    patient: Patient,
    two_visits: tuple[str, str],
    db_session: Session,
    catalogue: None,
) -> None:
    first, second = two_visits
    pages.login(therapist.username)
    assert html(pages.get("/queue")).find("a", href=f"/intakes/{second}") is not None
    screening = db_session.scalar(
        select(ScreeningRecord.public_id).join(Intake).where(Intake.public_id == second)
    )
    result = html(pages.get(f"/screenings/{screening}"))
    assert result.find("a", href=f"/intakes/{second}") is not None
    patient_page = html(pages.get(f"/patients/{patient.public_id}"))
    assert {f"/intakes/{first}", f"/intakes/{second}"} <= {
        str(link["href"]) for link in patient_page.select("a")
    }
    # A plan built from a clear intake links to it from the editor.
    clear = make_submitted_intake(db_session, therapist, patient)
    started = pages.post(f"/patients/{patient.public_id}/plans/new", {"template": ""})
    plan_id = started.headers["Location"].split("/")[2]
    editor = html(pages.get(f"/plans/{plan_id}/edit"))
    assert editor.find("a", href=f"/intakes/{clear}") is not None


def test_a_referral_letter_quotes_the_flags_the_answers_and_the_action(
    pages: PageClient,
    therapist: User,
    front_desk: User,
    patient: Patient,
    two_visits: tuple[str, str],
    db_session: Session,
    app: Flask,
) -> None:
    _, second = two_visits
    screening = db_session.scalar(
        select(ScreeningRecord.public_id).join(Intake).where(Intake.public_id == second)
    )
    pages.login(therapist.username)
    assert pages.get(f"/screenings/{screening}/referral").status_code == 409
    decided = pages.post(
        f"/screenings/{screening}/decision",
        {
            "kind": "referred",
            "referred_to": "Riverside ED, on-call spinal team",
            "referred_when": "Now, by ambulance",
        },
    )
    assert decided.status_code == 302
    result = html(pages.get(f"/screenings/{screening}"))
    assert result.find("a", href=f"/screenings/{screening}/referral") is not None

    letter = text_of(pages.get(f"/screenings/{screening}/referral"))
    for expected in (
        "Referral: Ivy Intake",
        "Riverside ED, on-call spinal team",
        "Now, by ambulance",
        "Cauda equina syndrome",
        "Because the patient answered",
        "Yes",
        therapist.display_name,
    ):
        assert expected in letter, expected

    pdf = pages.get(f"/screenings/{screening}/referral.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(pdf.get_data()))
    assert len(reader.pages) == 1
    words = " ".join(" ".join((reader.pages[0].extract_text() or "").split()).split())
    for expected in ("Referral: Ivy Intake", "Riverside ED, on-call spinal team", "Cauda equina"):
        assert expected in words, expected
    printed = db_session.scalar(
        select(AuditEvent).where(
            AuditEvent.action == AuditAction.PRINT, AuditEvent.detail == "referral letter"
        )
    )
    assert printed is not None and printed.patient_id == patient.id

    desk = PageClient(app.test_client())
    desk.login(front_desk.username)
    assert desk.get(f"/screenings/{screening}/referral").status_code == 403


def test_a_repeat_visit_starts_from_the_previous_history_but_asks_symptoms_afresh(
    pages: PageClient, front_desk: User, patient: Patient, db_session: Session
) -> None:
    make_submitted_intake(
        db_session,
        front_desk,
        patient,
        metal_implants="yes",
        metal_implants_where="Left knee",
        pacemaker="no",
        back_spasms="yes",
    )
    pages.login(front_desk.username)
    started = pages.post(f"/patients/{patient.public_id}/intakes")
    intake_id = started.headers["Location"].split("/")[2]
    history = pages.get(f"/intakes/{intake_id}/steps/history")
    assert "These are the patient's answers from" in text_of(history)
    checked = html(history).select_one("#metal_implants input[value=yes]")
    assert checked is not None and checked.has_attr("checked")
    assert (input_value(history, "metal_implants_where") or "").strip() == "Left knee"
    draft = db_session.scalar(select(Intake).where(Intake.public_id == intake_id))
    assert draft is not None and draft.prefilled_from_id is not None
    assert "back_spasms" not in draft.answers and "pain_regions" not in draft.answers
    symptoms = html(pages.get(f"/intakes/{intake_id}/steps/complaint"))
    assert not symptoms.select("input[checked]")


def test_a_first_visit_starts_empty(
    pages: PageClient, front_desk: User, patient: Patient, db_session: Session
) -> None:
    pages.login(front_desk.username)
    started = pages.post(f"/patients/{patient.public_id}/intakes")
    intake_id = started.headers["Location"].split("/")[2]
    draft = db_session.scalar(select(Intake).where(Intake.public_id == intake_id))
    assert draft is not None and draft.answers == {} and draft.prefilled_from_id is None
    assert "These are the patient's answers from" not in text_of(
        pages.get(f"/intakes/{intake_id}/steps/history")
    )


@pytest.mark.parametrize(
    ("role", "url", "says", "never"),
    [
        (
            "admin",
            "/patients/",
            "This page is for front desk and therapist accounts.",
            "ask an administrator",
        ),
        ("front_desk", "/queue", "This page is for therapist accounts.", "does not open patients"),
        (
            "therapist",
            "/admin/users/",
            "This page is for administrator accounts.",
            "does not open patients",
        ),
    ],
)
def test_the_403_page_speaks_to_the_role_that_sees_it(
    pages: PageClient, staff: dict, role: str, url: str, says: str, never: str
) -> None:
    from clinic.auth.roles import Role

    pages.login(staff[Role(role)].username)
    refused = pages.get(url)
    assert refused.status_code == 403
    text = text_of(refused)
    assert says in text and never not in text
