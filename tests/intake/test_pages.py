"""The intake through the pages: desk questionnaire, results per role, decisions, kiosk."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from clinic.audit.models import AuditAction, AuditEvent
from clinic.auth.identity import Actor
from clinic.auth.models import User
from clinic.intake import services
from clinic.intake.models import Intake, IntakeMode, IntakeStatus, ScreeningRecord
from clinic.patients.models import Patient
from clinic.screening import ScreeningPolicy, Tier
from tests.helpers import PageClient, error_summary, field_error, html, input_value, text_of
from tests.intake.walk import (
    ONSET,
    answer_all,
    send_desk_intake,
    start_desk_intake,
    steps_url,
    web_answers,
)
from tests.screening.stories import answers as story
from tests.screening.stories import symptom


@pytest.mark.parametrize(
    ("changes", "tier"),
    [
        ({}, Tier.NONE),
        ({"back_spasms": "yes", "pain_trend": "same"}, Tier.NONE),
        ({**symptom("bladder_change", status="unchanged")}, Tier.ROUTINE_WITH_FLAG),
        ({"weight_loss": "yes"}, Tier.URGENT),
        ({**symptom("saddle_numbness")}, Tier.EMERGENCY),
    ],
)
def test_a_desk_intake_is_screened_the_moment_it_is_sent(
    pages: PageClient,
    front_desk: User,
    patient: Patient,
    db_session: Session,
    changes: dict[str, Any],
    tier: Tier,
) -> None:
    pages.login(front_desk.username)
    intake_id = start_desk_intake(pages, patient)
    response = answer_all(pages, steps_url(intake_id), web_answers(**changes))
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/screenings/")
    page = pages.get(response.headers["Location"])
    record = db_session.scalar(
        select(ScreeningRecord).join(Intake).where(Intake.public_id == intake_id)
    )
    assert record is not None and record.tier is tier
    if tier is Tier.EMERGENCY:
        alert = html(page).find(class_="alert--emergency")
        assert alert is not None and "Do not book. Tell the duty clinician now." in alert.get_text()
    created = db_session.scalars(
        select(AuditEvent.entity_type)
        .where(AuditEvent.patient_id == patient.id, AuditEvent.action == AuditAction.CREATE)
        .order_by(AuditEvent.id)
    ).all()
    # An EMERGENCY is raised as its step is saved (an interim result), then again on
    # sending, which supersedes the interim one.
    assert created == ["intake", "screening"] + (["screening"] if tier is Tier.EMERGENCY else [])


def test_skipping_the_red_flag_steps_gives_incomplete_never_none(
    pages: PageClient, front_desk: User, patient: Patient, db_session: Session
) -> None:
    pages.login(front_desk.username)
    intake_id = start_desk_intake(pages, patient)
    pages.post(
        steps_url(intake_id).format(step="complaint"),
        {
            "pain_regions": ["lumbar"],
            "onset_date": ONSET,
            "onset_how": "sudden",
            "pain_now": "6",
            "pain_best": "3",
            "pain_worst": "8",
        },
    )
    response = pages.post(steps_url(intake_id).format(step="review"), {"other_concerns": ""})
    assert response.status_code == 302
    record = db_session.scalar(select(ScreeningRecord))
    assert record is not None and record.tier is Tier.INCOMPLETE


def test_the_front_desk_sees_what_to_do_but_not_the_clinical_detail(
    app: Flask, pages: PageClient, front_desk: User, therapist: User, patient: Patient
) -> None:
    result_url = send_desk_intake(pages, front_desk, patient, **symptom("saddle_numbness"))
    desk_view = text_of(pages.get(result_url))
    assert "Do not book" in desk_view
    assert "Cauda equina" not in desk_view and "E-CES-2" not in desk_view

    therapist_pages = PageClient(app.test_client())
    therapist_pages.login(therapist.username)
    therapist_view = text_of(therapist_pages.get(result_url))
    assert "Cauda equina syndrome" in therapist_view
    assert "E-CES-2" in therapist_view
    assert "Unreviewed emergencies: 1" in therapist_view


def test_a_therapist_clears_a_flag_with_a_reason_and_the_banner_goes(
    app: Flask,
    pages: PageClient,
    front_desk: User,
    therapist: User,
    patient: Patient,
    db_session: Session,
) -> None:
    result_url = send_desk_intake(pages, front_desk, patient, **symptom("saddle_numbness"))
    patient_page = f"/patients/{patient.public_id}"
    assert "Red flag awaiting a therapist's decision" in text_of(pages.get(patient_page))

    therapist_pages = PageClient(app.test_client())
    therapist_pages.login(therapist.username)
    without_reason = therapist_pages.post(
        f"{result_url}/decision", {"kind": "cleared", "reason": ""}
    )
    assert (
        field_error(without_reason, "reason") == "Enter the clinical reason for clearing this flag"
    )
    decided = therapist_pages.post(
        f"{result_url}/decision",
        {
            "kind": "cleared",
            "reason": "Examined: saddle sensation normal, numbness was from a cold seat",
        },
    )
    assert decided.status_code == 302
    assert "Red flag awaiting a therapist's decision" not in text_of(pages.get(patient_page))
    detail = db_session.scalar(
        select(AuditEvent.detail).where(
            AuditEvent.username == therapist.username, AuditEvent.action == AuditAction.UPDATE
        )
    )
    assert detail is not None and detail.startswith("cleared; EMERGENCY; rule set ")


def test_a_draft_survives_a_new_session_and_resumes_where_it_stopped(
    app: Flask, pages: PageClient, front_desk: User, patient: Patient
) -> None:
    pages.login(front_desk.username)
    intake_id = start_desk_intake(pages, patient)
    pages.post(steps_url(intake_id).format(step="details"))
    pages.post(
        steps_url(intake_id).format(step="complaint"),
        {
            "pain_regions": ["cervical"],
            "onset_date": ONSET,
            "onset_how": "gradual",
            "pain_now": "4",
            "pain_best": "1",
            "pain_worst": "6",
            "aggravating": "Looking over my shoulder",
        },
    )

    fresh = PageClient(app.test_client())
    fresh.login(front_desk.username)
    patient_page = fresh.get(f"/patients/{patient.public_id}")
    resume = html(patient_page).find("a", string="Continue at the desk")
    # It takes up at the first step not yet answered; the saved one keeps its answers.
    assert resume is not None and resume["href"] == steps_url(intake_id).format(step="history")
    resumed = fresh.get(steps_url(intake_id).format(step="complaint"))
    assert input_value(resumed, "pain_now") == "4"
    assert "Looking over my shoulder" in (input_value(resumed, "aggravating") or "")


def test_screening_again_keeps_the_old_result(
    app: Flask,
    pages: PageClient,
    front_desk: User,
    therapist: User,
    patient: Patient,
    db_session: Session,
) -> None:
    pages.login(front_desk.username)
    intake_id = start_desk_intake(pages, patient)
    answer_all(pages, steps_url(intake_id), web_answers())
    therapist_pages = PageClient(app.test_client())
    therapist_pages.login(therapist.username)
    first = db_session.scalar(select(ScreeningRecord))
    assert first is not None
    result_page = html(therapist_pages.get(f"/screenings/{first.public_id}"))
    button = result_page.find("form", action=f"/intakes/{intake_id}/rescreen")
    assert button is not None
    response = therapist_pages.post(f"/intakes/{intake_id}/rescreen")
    assert response.status_code == 302
    assert len(db_session.scalars(select(ScreeningRecord)).all()) == 2


@pytest.mark.parametrize(
    ("step", "data", "field", "message"),
    [
        ("complaint", {"pain_now": "5"}, "pain_regions", "Choose at least one"),
        (
            "complaint",
            {"pain_regions": ["lumbar"], "pain_now": "11"},
            "pain_now",
            "Enter a whole number from 0 to 10",
        ),
        (
            "complaint",
            {"pain_regions": ["lumbar"], "pain_now": "lots"},
            "pain_now",
            "Enter a whole number from 0 to 10",
        ),
        (
            "complaint",
            {
                "pain_regions": ["lumbar"],
                "onset_date": (date.today() + timedelta(days=2)).isoformat(),
            },
            "onset_date",
            "The date must be today or in the past",
        ),
        ("history", {"pregnant": "no"}, "pacemaker", "Choose an answer"),
        ("nerves", {"leg_symptoms": "no"}, "bladder_change", "Choose an answer"),
        ("nerves", {"bladder_change": "yes"}, "bladder_change_status", "Choose an answer"),
        ("symptoms", {"pain_trend": "same"}, "first_episode", "Choose an answer"),
        ("general_health", {"weight_loss": "no"}, "feeling_unwell", "Choose an answer"),
        (
            "warning_signs",
            {"one_side_of_body": "maybe"},
            "one_side_of_body",
            "Choose one of the answers shown",
        ),
        (
            "inflammatory",
            {"back_pain_onset_age": "130"},
            "back_pain_onset_age",
            "Enter a whole number from 0 to 120",
        ),
        (
            "review",
            {"other_concerns": "x" * 2001},
            "other_concerns",
            "Write 2000 characters or fewer",
        ),
    ],
)
def test_bad_input_on_a_step_is_explained_and_what_was_typed_is_kept(
    pages: PageClient,
    front_desk: User,
    patient: Patient,
    step: str,
    data: dict[str, Any],
    field: str,
    message: str,
) -> None:
    pages.login(front_desk.username)
    intake_id = start_desk_intake(pages, patient)
    pages.post(
        steps_url(intake_id).format(step="complaint"),
        {
            "pain_regions": ["lumbar"],
            "pain_now": "5",
            "onset_date": ONSET,
            "onset_how": "sudden",
            "pain_best": "2",
            "pain_worst": "7",
        },
    )
    response = pages.post(steps_url(intake_id).format(step=step), data)
    assert response.status_code == 200
    assert field_error(response, field) == message
    assert any(item.endswith(message) for item in error_summary(response))
    if "pain_now" in data and data["pain_now"] != "5":
        assert input_value(response, "pain_now") == data["pain_now"]


def test_a_follow_up_without_javascript_comes_back_on_the_same_step(
    pages: PageClient, front_desk: User, patient: Patient
) -> None:
    pages.login(front_desk.username)
    intake_id = start_desk_intake(pages, patient)
    pages.post(
        steps_url(intake_id).format(step="complaint"),
        {"pain_regions": ["lumbar"], "pain_now": "5", "onset_date": ONSET, "onset_how": "sudden"},
    )
    before = html(pages.get(steps_url(intake_id).format(step="nerves")))
    assert before.find(id="bladder_change_status-question").has_attr("hidden")
    after = pages.post(steps_url(intake_id).format(step="nerves"), {"bladder_change": "yes"})
    assert not html(after).find(id="bladder_change_status-question").has_attr("hidden")


def test_a_half_filled_activity_row_is_explained(
    pages: PageClient, front_desk: User, patient: Patient
) -> None:
    pages.login(front_desk.username)
    intake_id = start_desk_intake(pages, patient)
    pages.post(
        steps_url(intake_id).format(step="complaint"),
        {"pain_regions": ["cervical"], "pain_now": "5", "onset_date": ONSET, "onset_how": "sudden"},
    )
    response = pages.post(
        steps_url(intake_id).format(step="measures"), {"psfs__activity_1": "Driving"}
    )
    assert field_error(response, "psfs__rating_1") == "Rate this activity from 0 to 10"
    assert input_value(response, "psfs__activity_1") == "Driving"


# Kiosk ----------------------------------------------------------------------------------------


def kiosk_code(pages: PageClient, patient: Patient) -> str:
    response = pages.post(f"/patients/{patient.public_id}/kiosk-intakes")
    code = html(response).find(class_="kiosk-code")
    assert code is not None
    return code.get_text().strip()


def test_the_kiosk_answers_one_patients_questionnaire_and_locks_when_finished(
    app: Flask, pages: PageClient, front_desk: User, patient: Patient, db_session: Session
) -> None:
    pages.login(front_desk.username)
    code = kiosk_code(pages, patient)

    tablet = PageClient(app.test_client(), form_page="/kiosk/")
    opened = tablet.post("/kiosk/", {"code": code.lower()})
    assert opened.headers["Location"] == "/kiosk/questions/details"
    assert "Ivy Intake" in text_of(tablet.get("/kiosk/questions/details"))
    staff_page = tablet.get(f"/patients/{patient.public_id}")
    assert staff_page.status_code == 403
    assert "Ivy" not in text_of(staff_page)
    assert "This tablet shows your questionnaire only." in text_of(staff_page)
    back = html(staff_page).find("a", string="Back to your questionnaire")
    assert back is not None and back["href"] == "/kiosk/questions/details"

    finished = answer_all(tablet, "/kiosk/questions/{step}", web_answers())
    assert finished.headers["Location"] == "/kiosk/finished"
    thanks = text_of(tablet.get("/kiosk/finished"))
    assert "Your answers have been sent to your physiotherapist" in thanks
    assert tablet.get("/kiosk/questions/details").headers["Location"] == "/kiosk/"
    intake = db_session.scalar(select(Intake).where(Intake.patient_id == patient.id))
    assert (
        intake is not None
        and intake.status is IntakeStatus.SUBMITTED
        and intake.submitted_by_id is None
    )


def test_a_used_kiosk_code_is_refused_with_a_clear_message(
    app: Flask, pages: PageClient, front_desk: User, patient: Patient
) -> None:
    pages.login(front_desk.username)
    code = kiosk_code(pages, patient)
    PageClient(app.test_client(), form_page="/kiosk/").post("/kiosk/", {"code": code})
    again = PageClient(app.test_client(), form_page="/kiosk/").post("/kiosk/", {"code": code})
    assert "That code has been used already" in text_of(again)


def test_leaving_the_kiosk_idle_locks_it_and_keeps_the_answers(
    app: Flask, pages: PageClient, front_desk: User, patient: Patient, db_session: Session
) -> None:
    pages.login(front_desk.username)
    code = kiosk_code(pages, patient)
    client = app.test_client()
    tablet = PageClient(client, form_page="/kiosk/")
    tablet.post("/kiosk/", {"code": code})
    page = html(tablet.get("/kiosk/questions/complaint"))
    assert page.body is not None
    assert page.body["data-idle-seconds"] == str(app.config["KIOSK_IDLE_SECONDS"])
    assert page.find("meta", attrs={"http-equiv": "refresh"}) is None  # WCAG 2.2.1
    tablet.post("/kiosk/questions/complaint", {"pain_regions": ["lumbar"], "pain_now": "3"})
    with client.session_transaction() as session:
        session["kiosk_last_seen"] -= app.config["KIOSK_IDLE_SECONDS"] + 1
    locked = tablet.get("/kiosk/questions/complaint")
    assert locked.headers["Location"] == "/kiosk/"
    assert "closed because the tablet was left idle" in text_of(tablet.get("/kiosk/"))
    assert tablet.get("/kiosk/questions/complaint").headers["Location"] == "/kiosk/"
    intake = db_session.scalar(select(Intake).where(Intake.patient_id == patient.id))
    assert intake is not None and intake.answers.get("pain_now") == 3


def test_stopping_on_the_kiosk_locks_it(
    app: Flask, pages: PageClient, front_desk: User, patient: Patient
) -> None:
    pages.login(front_desk.username)
    code = kiosk_code(pages, patient)
    tablet = PageClient(app.test_client(), form_page="/kiosk/")
    tablet.post("/kiosk/", {"code": code})
    assert tablet.post("/kiosk/lock").headers["Location"] == "/kiosk/"
    assert tablet.get("/kiosk/questions/details").headers["Location"] == "/kiosk/"


def test_a_therapist_completes_an_incomplete_intake_and_it_is_screened_again(
    app: Flask,
    pages: PageClient,
    front_desk: User,
    therapist: User,
    patient: Patient,
    db_session: Session,
) -> None:
    # A desk intake sent before the fever question was answered (the patient had to leave).
    desk = Actor(front_desk.id, front_desk.username, front_desk.role)
    draft = services.start_intake(db_session, desk, patient.public_id, IntakeMode.DESK)
    answers = {key: value for key, value in web_answers().items() if key != "fever"}
    services.save_answers(db_session, desk, draft.public_id, "review", answers)
    sent = services.submit_intake(db_session, desk, draft.public_id, ScreeningPolicy())
    result_url = f"/screenings/{sent.public_id}"
    therapist_pages = PageClient(app.test_client())
    therapist_pages.login(therapist.username)
    form = therapist_pages.get(f"{result_url}/complete")
    assert "Have you had a fever" in text_of(form)
    missing = therapist_pages.post(f"{result_url}/complete", {})
    assert field_error(missing, "fever") == "Choose an answer"
    done = therapist_pages.post(f"{result_url}/complete", {"fever": "no"})
    assert done.status_code == 302
    tiers = db_session.scalars(select(ScreeningRecord.tier).order_by(ScreeningRecord.id)).all()
    assert tiers == [Tier.INCOMPLETE, Tier.NONE]


def test_the_front_desk_alerts_list_an_emergency_with_actions_only(
    app: Flask, pages: PageClient, front_desk: User, patient: Patient
) -> None:
    send_desk_intake(pages, front_desk, patient, one_side_of_body="yes")
    alerts = text_of(pages.get("/alerts"))
    assert "Ivy Intake" in alerts
    assert "Call 999 now" in alerts
    assert "stroke" not in alerts.lower()
    assert "Unreviewed emergencies: 1" in alerts


def _low_back_measures_page(pages: PageClient, front_desk: User, patient: Patient) -> str:
    pages.login(front_desk.username)
    intake_id = start_desk_intake(pages, patient)
    pages.post(
        steps_url(intake_id).format(step="complaint"),
        {"pain_regions": ["lumbar"], "pain_now": "5", "onset_date": ONSET, "onset_how": "sudden"},
    )
    return intake_id


def test_the_desk_ticks_the_rmdq_statements_from_the_paper_form(
    pages: PageClient, front_desk: User, patient: Patient, db_session: Session
) -> None:
    intake_id = _low_back_measures_page(pages, front_desk, patient)
    page = html(pages.get(steps_url(intake_id).format(step="measures")))
    assert page.find(id="rmdq-title").get_text() == "Roland-Morris Disability Questionnaire"
    assert page.find("label", string="Walks more slowly than usual") is not None
    saved = pages.post(
        steps_url(intake_id).format(step="measures"),
        {"rmdq__walks_slowly": "y", "rmdq__sleeps_less": "y"},
    )
    assert saved.status_code == 302
    stored = db_session.scalar(select(Intake.measures).where(Intake.public_id == intake_id))
    assert stored is not None
    assert sum(stored["rmdq"].values()) == 2 and len(stored["rmdq"]) == 24


def test_rmdq_left_blank_is_not_stored_as_a_score_of_zero(
    pages: PageClient, front_desk: User, patient: Patient, db_session: Session
) -> None:
    intake_id = _low_back_measures_page(pages, front_desk, patient)
    pages.post(steps_url(intake_id).format(step="measures"), {})
    stored = db_session.scalar(select(Intake.measures).where(Intake.public_id == intake_id))
    assert stored is not None and "rmdq" not in stored


def test_none_of_the_rmdq_statements_is_a_score_of_zero(
    pages: PageClient, front_desk: User, patient: Patient, db_session: Session
) -> None:
    intake_id = _low_back_measures_page(pages, front_desk, patient)
    pages.post(steps_url(intake_id).format(step="measures"), {"rmdq__none_apply": "y"})
    stored = db_session.scalar(select(Intake.measures).where(Intake.public_id == intake_id))
    assert stored is not None and stored["rmdq"] == dict.fromkeys(stored["rmdq"], False)


def test_a_tick_and_none_apply_together_are_explained_and_kept(
    pages: PageClient, front_desk: User, patient: Patient
) -> None:
    intake_id = _low_back_measures_page(pages, front_desk, patient)
    response = pages.post(
        steps_url(intake_id).format(step="measures"),
        {"rmdq__none_apply": "y", "rmdq__stays_home": "y"},
    )
    assert response.status_code == 200
    page = html(response)
    assert "Untick this box" in page.find(id="rmdq__none_apply-error").get_text()
    assert page.find(id="rmdq__stays_home").has_attr("checked")


def test_a_worst_case_flag_says_so_and_shows_what_was_assumed(
    app: Flask, db_session: Session, front_desk: User, therapist: User, patient: Patient
) -> None:
    desk = Actor(front_desk.id, front_desk.username, front_desk.role, "test-request")
    intake = services.start_intake(db_session, desk, patient.public_id, IntakeMode.DESK)
    given = story(pain_duration_days=60, **symptom("saddle_numbness"))
    for blank in ("age_years", "saddle_numbness_onset_days", "saddle_numbness_trend"):
        given.pop(blank)
    services.save_answers(db_session, desk, intake.public_id, "answers", given)
    sent = services.submit_intake(db_session, desk, intake.public_id, ScreeningPolicy())
    therapist_pages = PageClient(app.test_client())
    therapist_pages.login(therapist.username)
    page = text_of(therapist_pages.get(f"/screenings/{sent.public_id}"))
    assert "Worst case: this holds if the unanswered questions below are answered" in page
    assert "How many days ago did it start or change? Not answered (assumed: at most" in page


def test_a_step_page_that_fails_to_render_keeps_nothing_it_saved(
    pages: PageClient,
    front_desk: User,
    patient: Patient,
    db_session: Session,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A step with one problem saves the good answers, then shows the page: if showing it
    fails, the saved answers go with it (the commit comes after the page is rendered)."""
    from clinic.intake import questionnaire

    pages.login(front_desk.username)
    intake_id = start_desk_intake(pages, patient)

    def broken_page(*_args: object, **_kwargs: object) -> str:
        raise RuntimeError("the page could not be rendered")

    monkeypatch.setattr(questionnaire, "render_template", broken_page)
    response = pages.post(
        steps_url(intake_id).format(step="complaint"),
        {"pain_regions": ["cervical"], "pain_now": "not a number", "onset_how": "sudden"},
    )
    assert response.status_code == 500
    db_session.expire_all()
    intake = db_session.scalar(select(Intake).where(Intake.public_id == intake_id))
    assert intake is not None and "pain_regions" not in intake.answers
