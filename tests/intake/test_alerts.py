"""Emergencies that find staff: the interim result as a step is saved, the live alert
every staff page polls, acknowledgement (who, when, audited), escalation judged by an
injected clock, and the kiosk locked on an emergency until staff unlock it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from clinic.audit.models import AuditAction, AuditEvent
from clinic.auth.models import SessionEnd, StaffSession, User
from clinic.intake.models import (
    DecisionKind,
    EmergencyAcknowledgement,
    FlagDecision,
    Intake,
    IntakeStatus,
    ScreeningRecord,
)
from clinic.intake.steps import NERVES, STEPS_BY_ID, steps_for
from clinic.patients.models import Patient
from clinic.screening import Tier
from tests.clock import MovableClock
from tests.helpers import TEST_PASSWORD, PageClient, field_error, html, listings, text_of
from tests.intake.walk import (
    answer_all,
    form_data,
    start_desk_intake,
    steps_url,
    web_answers,
)
from tests.screening.stories import symptom

EMERGENCY = web_answers(**symptom("saddle_numbness"))


def _answer_up_to(pages: PageClient, intake_id: str, answers: dict[str, Any], last: str) -> Any:
    """Post the steps in order up to and including ``last``; returns its response."""
    response = None
    for step in steps_for(answers):
        data = form_data(step, answers) if step.questions else {}
        response = pages.post(steps_url(intake_id).format(step=step.id), data)
        if step.id == last:
            return response
    raise AssertionError(f"no step {last}")


def _records(db_session: Session, intake_id: str) -> list[ScreeningRecord]:
    return list(
        db_session.scalars(
            select(ScreeningRecord)
            .join(Intake)
            .where(Intake.public_id == intake_id)
            .order_by(ScreeningRecord.id)
        )
    )


def _live(pages: PageClient, seen: str = "") -> dict[str, Any]:
    response = pages.get(f"/alerts/live?seen={seen}")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    body: dict[str, Any] = response.get_json()
    return body


def _desk_emergency(pages: PageClient, front_desk: User, patient: Patient) -> tuple[str, str]:
    """The desk saves the nerves step with saddle numbness: the intake and result ids."""
    pages.login(front_desk.username)
    intake_id = start_desk_intake(pages, patient)
    response = _answer_up_to(pages, intake_id, EMERGENCY, NERVES.id)
    assert response.status_code == 302 and response.headers["Location"].startswith("/screenings/")
    return intake_id, response.headers["Location"].rsplit("/", 1)[1]


# The desk: screened as each step is saved ------------------------------------------------


def test_an_emergency_answer_is_screened_when_its_step_is_saved_not_at_the_end(
    pages: PageClient, front_desk: User, patient: Patient, db_session: Session
) -> None:
    intake_id, screening_id = _desk_emergency(pages, front_desk, patient)
    page = pages.get(f"/screenings/{screening_id}")
    text = text_of(page)
    assert "Stop the questionnaire and tell the duty clinician now" in text
    assert "The remaining steps can be completed later" in text
    continue_link = html(page).find("a", string="Continue the questionnaire later")
    assert continue_link is not None and continue_link["href"].startswith(f"/intakes/{intake_id}/")
    [interim] = _records(db_session, intake_id)
    assert interim.tier is Tier.EMERGENCY and interim.interim
    intake = db_session.scalar(select(Intake).where(Intake.public_id == intake_id))
    assert intake is not None and intake.status is IntakeStatus.DRAFT
    # The front desk is told what to do, never the suspected condition.
    assert "cauda" not in text.lower()


def test_the_next_step_does_not_raise_the_same_emergency_again_and_sending_supersedes_it(
    pages: PageClient, front_desk: User, patient: Patient, db_session: Session
) -> None:
    intake_id, _ = _desk_emergency(pages, front_desk, patient)
    following = steps_for(EMERGENCY)[steps_for(EMERGENCY).index(NERVES) + 1]
    saved = pages.post(
        steps_url(intake_id).format(step=following.id), form_data(following, EMERGENCY)
    )
    assert saved.headers["Location"].startswith(f"/intakes/{intake_id}/steps/")
    assert len(_records(db_session, intake_id)) == 1

    sent = answer_all(pages, steps_url(intake_id), EMERGENCY)
    assert sent.headers["Location"].startswith("/screenings/")
    interim, final = _records(db_session, intake_id)
    assert final.tier is Tier.EMERGENCY and not final.interim
    closed = db_session.scalar(select(FlagDecision).where(FlagDecision.screening_id == interim.id))
    assert closed is not None and closed.kind is DecisionKind.RESCREENED
    assert closed.replaced_by_id == final.id
    # One alert for the intake, not two.
    alerts = _live(pages)["alerts"]
    assert [alert["patient"] for alert in alerts].count("Ivy Intake") == 1


def test_an_emergency_a_therapist_decided_is_not_raised_again_by_the_next_step(
    app: Flask,
    pages: PageClient,
    front_desk: User,
    therapist: User,
    patient: Patient,
    db_session: Session,
) -> None:
    intake_id, screening_id = _desk_emergency(pages, front_desk, patient)
    reviewer = PageClient(app.test_client())
    reviewer.login(therapist.username)
    decided = reviewer.post(
        f"/screenings/{screening_id}/decision",
        {"kind": "referred", "referred_to": "ED", "referred_when": "Now"},
    )
    assert decided.status_code == 302
    following = steps_for(EMERGENCY)[steps_for(EMERGENCY).index(NERVES) + 1]
    saved = pages.post(
        steps_url(intake_id).format(step=following.id), form_data(following, EMERGENCY)
    )
    assert saved.headers["Location"].startswith(f"/intakes/{intake_id}/steps/")
    assert len(_records(db_session, intake_id)) == 1


def test_an_interim_emergency_the_sent_intake_no_longer_shows_stays_for_a_therapist(
    pages: PageClient,
    front_desk: User,
    therapist: User,
    patient: Patient,
    db_session: Session,
    app: Flask,
) -> None:
    intake_id, interim_id = _desk_emergency(pages, front_desk, patient)
    # The answer is changed to "no" before sending: the final result has no emergency.
    calm = web_answers()
    answer_all(pages, steps_url(intake_id), calm)
    interim, final = _records(db_session, intake_id)
    assert final.tier is not Tier.EMERGENCY
    assert (
        db_session.scalar(select(FlagDecision).where(FlagDecision.screening_id == interim.id))
        is None
    )
    reviewer = PageClient(app.test_client())
    reviewer.login(therapist.username)
    queue = html(reviewer.get("/queue"))
    linked = {link["href"] for link in queue.select("a")}
    assert f"/screenings/{interim_id}" in linked and f"/screenings/{final.public_id}" in linked


# The live alert ---------------------------------------------------------------------------


def test_every_staff_page_polls_a_live_alert_that_names_the_patient_and_the_action(
    app: Flask, pages: PageClient, front_desk: User, therapist: User, patient: Patient
) -> None:
    _, screening_id = _desk_emergency(pages, front_desk, patient)
    other = PageClient(app.test_client())
    other.login(therapist.username)
    page = html(other.get("/queue"))
    region = page.find(id="live-alerts")
    assert region is not None and region["data-poll-url"] == "/alerts/live"
    assert page.find("script", src="/static/js/alerts.js") is not None
    body = _live(other)
    [alert] = [a for a in body["alerts"] if a["patient"] == "Ivy Intake"]
    assert alert["acknowledge_url"] == f"/screenings/{screening_id}/acknowledge"
    assert "Do not book. Tell the duty clinician now." in alert["actions"]
    assert alert["escalated"] is False and alert["interim"] is True
    assert body["count"] >= 1


def test_a_page_that_has_the_current_alerts_gets_no_names_and_reads_nobody_again(
    pages: PageClient, front_desk: User, patient: Patient, db_session: Session
) -> None:
    _desk_emergency(pages, front_desk, patient)

    def shown() -> int:
        return sum(patient.id in ids for ids in listings(db_session, "the emergency alert"))

    first = _live(pages)
    assert shown() == 1
    again = _live(pages, seen=first["fingerprint"])
    assert "alerts" not in again and again["fingerprint"] == first["fingerprint"]
    assert shown() == 1


def test_acknowledging_records_who_and_when_and_the_second_person_is_told(
    app: Flask,
    pages: PageClient,
    front_desk: User,
    therapist: User,
    patient: Patient,
    db_session: Session,
    clock: MovableClock,
) -> None:
    _, screening_id = _desk_emergency(pages, front_desk, patient)
    clock.advance(timedelta(minutes=2))
    taken = pages.post(f"/screenings/{screening_id}/acknowledge")
    assert taken.headers["Location"] == f"/screenings/{screening_id}"
    assert "You have acknowledged this emergency" in text_of(pages.get(taken.headers["Location"]))
    ack = db_session.scalar(select(EmergencyAcknowledgement))
    assert ack is not None and ack.acknowledged_by_id == front_desk.id
    assert 115 <= ack.waited_seconds <= 180 and ack.acknowledged_via == "alert"
    audit = db_session.scalar(
        select(AuditEvent).where(
            AuditEvent.action == AuditAction.UPDATE,
            AuditEvent.detail.startswith("emergency acknowledged"),
        )
    )
    assert audit is not None and audit.user_id == front_desk.id and audit.patient_id == patient.id
    assert [a["patient"] for a in _live(pages)["alerts"]].count("Ivy Intake") == 0

    second = PageClient(app.test_client())
    second.login(therapist.username)
    late = second.post(f"/screenings/{screening_id}/acknowledge")
    result = text_of(second.get(late.headers["Location"]))
    assert f"{front_desk.display_name} acknowledged this emergency already" in result
    assert f"Acknowledged by {front_desk.display_name}" in result
    assert len(db_session.scalars(select(EmergencyAcknowledgement)).all()) == 1


def test_an_alert_nobody_takes_up_escalates_after_the_clinic_setting(
    app: Flask,
    pages: PageClient,
    front_desk: User,
    patient: Patient,
    clock: MovableClock,
) -> None:
    assert app.config["ALERT_ESCALATE_AFTER"] == timedelta(minutes=5)
    _, screening_id = _desk_emergency(pages, front_desk, patient)
    before = _live(pages)
    [waiting] = [a for a in before["alerts"] if a["patient"] == "Ivy Intake"]
    assert waiting["escalated"] is False

    clock.advance(timedelta(minutes=4, seconds=50))
    assert _live(pages, seen=before["fingerprint"]).get("alerts") is None
    clock.advance(timedelta(seconds=20))
    later = _live(pages, seen=before["fingerprint"])
    [escalated] = [a for a in later["alerts"] if a["patient"] == "Ivy Intake"]
    assert escalated["escalated"] is True and escalated["waited_minutes"] == 5
    assert later["fingerprint"] != before["fingerprint"]
    page = text_of(pages.get(f"/screenings/{screening_id}"))
    assert "Nobody has acknowledged this alert yet" in page
    assert "waiting 5 minutes (escalated after 5)" in page

    clock.advance(timedelta(minutes=2))
    pages.post(f"/screenings/{screening_id}/acknowledge")
    page = text_of(pages.get(f"/screenings/{screening_id}"))
    assert "after waiting 7 minutes: it escalated, the clinic's limit is 5 minutes" in page


def test_polling_is_not_activity_so_an_open_page_still_times_out(
    pages: PageClient, front_desk: User, db_session: Session, clock: MovableClock
) -> None:
    pages.login(front_desk.username)
    held = db_session.scalars(
        select(StaffSession).where(StaffSession.user_id == front_desk.id)
    ).one()
    signed_in_at = held.last_seen_at
    clock.advance(timedelta(minutes=10))
    _live(pages)
    db_session.refresh(held)
    assert held.last_seen_at == signed_in_at
    pages.get("/patients/")
    db_session.refresh(held)
    assert held.last_seen_at > signed_in_at
    clock.advance(timedelta(minutes=31))
    # The first poll after the idle limit ends the session.
    assert pages.get("/alerts/live").headers["Location"].startswith("/login")
    db_session.refresh(held)
    assert held.end_reason is SessionEnd.IDLE


def test_the_poll_never_sends_the_cookie_back_so_it_cannot_undo_a_forms_message(
    pages: PageClient, front_desk: User
) -> None:
    """A poll answered just after a form's redirect would otherwise put back the cookie
    as the poll found it, and the form's "Saved" message with it would be lost."""
    pages.login(front_desk.username)
    assert "Set-Cookie" in pages.get("/patients/").headers  # a page refreshes the cookie
    poll = pages.get("/alerts/live")
    assert poll.status_code == 200
    assert "Set-Cookie" not in poll.headers


def test_only_front_desk_and_therapists_get_alerts(pages: PageClient, admin: User) -> None:
    assert pages.get("/alerts/live").headers["Location"].startswith("/login")
    pages.login(admin.username)
    assert pages.get("/alerts/live").status_code == 403


def test_acknowledging_a_result_that_is_not_an_emergency_is_refused(
    pages: PageClient, front_desk: User, patient: Patient, db_session: Session
) -> None:
    pages.login(front_desk.username)
    intake_id = start_desk_intake(pages, patient)
    sent = answer_all(pages, steps_url(intake_id), web_answers(weight_loss="yes"))
    screening_id = sent.headers["Location"].rsplit("/", 1)[1]
    assert pages.post(f"/screenings/{screening_id}/acknowledge").status_code == 409
    assert db_session.scalar(select(EmergencyAcknowledgement)) is None


# The kiosk --------------------------------------------------------------------------------


def _kiosk_emergency(
    app: Flask, pages: PageClient, front_desk: User, patient: Patient
) -> PageClient:
    pages.login(front_desk.username)
    response = pages.post(f"/patients/{patient.public_id}/kiosk-intakes")
    code = html(response).find(class_="kiosk-code")
    assert code is not None
    tablet = PageClient(app.test_client(), form_page="/kiosk/")
    tablet.post("/kiosk/", {"code": code.get_text().strip()})
    for step in steps_for(EMERGENCY):
        data = form_data(step, EMERGENCY) if step.questions else {}
        response = tablet.post(f"/kiosk/questions/{step.id}", data)
        if step is NERVES:
            assert response.headers["Location"] == "/kiosk/emergency"
            return tablet
    raise AssertionError("the nerves step was not reached")


def test_a_kiosk_emergency_locks_the_tablet_on_a_kind_plain_screen(
    app: Flask, pages: PageClient, front_desk: User, patient: Patient
) -> None:
    tablet = _kiosk_emergency(app, pages, front_desk, patient)
    tablet.form_page = "/kiosk/emergency"
    screen = text_of(tablet.get("/kiosk/emergency"))
    assert "Please go to the front desk now" in screen
    assert "cauda" not in screen.lower() and "Ivy" not in screen
    # Nothing the patient taps leaves the screen.
    for url in ("/kiosk/", "/kiosk/questions/details", "/kiosk/finished"):
        assert tablet.get(url).headers["Location"] == "/kiosk/emergency"
    assert tablet.post("/kiosk/lock").headers["Location"] == "/kiosk/emergency"
    refused = tablet.get("/login")
    assert refused.status_code == 403
    assert "This tablet is waiting for a member of staff" in text_of(refused)
    # The desk has the alert.
    assert any(a["patient"] == "Ivy Intake" for a in _live(pages)["alerts"])


def test_only_staff_with_their_own_sign_in_unlock_the_tablet_and_that_acknowledges(
    app: Flask,
    pages: PageClient,
    front_desk: User,
    admin: User,
    patient: Patient,
    db_session: Session,
) -> None:
    tablet = _kiosk_emergency(app, pages, front_desk, patient)
    tablet.form_page = "/kiosk/emergency"
    wrong = tablet.post("/kiosk/emergency", {"username": front_desk.username, "password": "not it"})
    assert wrong.status_code == 422
    assert "The username or password is not right" in text_of(wrong)
    empty = tablet.post("/kiosk/emergency", {"username": "", "password": ""})
    assert field_error(empty, "username") == "Enter your staff username"
    by_admin = tablet.post(
        "/kiosk/emergency", {"username": admin.username, "password": TEST_PASSWORD}
    )
    assert "Only front desk staff or a therapist can unlock the tablet" in text_of(by_admin)
    assert tablet.get("/kiosk/").headers["Location"] == "/kiosk/emergency"
    assert db_session.scalar(select(EmergencyAcknowledgement)) is None

    unlocked = tablet.post(
        "/kiosk/emergency", {"username": front_desk.username, "password": TEST_PASSWORD}
    )
    assert unlocked.headers["Location"] == "/kiosk/"
    start = tablet.get("/kiosk/")
    assert start.status_code == 200 and "ready for the next patient" in text_of(start)
    ack = db_session.scalar(select(EmergencyAcknowledgement))
    assert ack is not None and ack.acknowledged_by_id == front_desk.id
    assert ack.acknowledged_via == "kiosk"
    # The tablet holds no staff session afterwards.
    assert tablet.get("/patients/").headers["Location"].startswith("/login")


def test_the_steps_after_an_emergency_remain_to_be_completed(
    app: Flask, pages: PageClient, front_desk: User, patient: Patient, db_session: Session
) -> None:
    _kiosk_emergency(app, pages, front_desk, patient)
    intake = db_session.scalar(select(Intake).where(Intake.patient_id == patient.id))
    assert intake is not None and intake.status is IntakeStatus.DRAFT
    # The draft takes up again after the step that raised it.
    remaining = steps_for(intake.answers)
    assert STEPS_BY_ID[intake.current_step] is remaining[remaining.index(NERVES) + 1]
