"""Plans through the test client: start from a template, edit, finalise past the
contraindication check, revise, and two therapists saving the same draft."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from clinic.audit.models import AuditEvent
from clinic.auth.models import User
from clinic.patients.models import Patient
from clinic.plans.models import Plan, PlanSafetyDecision, PlanStatus, PlanTemplate, PlanVersion
from tests.factories import add_final_versions, make_patient, make_submitted_intake
from tests.helpers import PageClient, form_values, html, text_of
from tests.screening.stories import symptom

SPASM = "Acute low back spasm, first week"


def _patient(db_session: Session, front_desk: User, **history: Any) -> Patient:
    patient = make_patient(db_session, front_desk)
    make_submitted_intake(db_session, front_desk, patient, **history)
    return patient


def _template_id(db_session: Session, name: str = SPASM) -> int:
    found = db_session.scalar(select(PlanTemplate.id).where(PlanTemplate.name == name))
    assert found is not None
    return found


def _start(pages: PageClient, db_session: Session, patient: Patient, template: str = SPASM) -> str:
    response = pages.post(
        f"/patients/{patient.public_id}/plans/new",
        {"template": str(_template_id(db_session, template))},
    )
    assert response.status_code == 302, text_of(response)
    return response.headers["Location"].split("/")[2]


def _editor(pages: PageClient, plan_id: str) -> dict[str, Any]:
    return form_values(pages.get(f"/plans/{plan_id}/edit"), "form.plan-editor")


def _titles(pages: PageClient, plan_id: str) -> list[str]:
    page = html(pages.get(f"/plans/{plan_id}/edit"))
    return [" ".join(title.get_text(" ").split()[1:]) for title in page.select(".plan-item__title")]


def test_a_plan_starts_from_the_template_with_each_items_default_dosage(
    as_therapist: PageClient, db_session: Session, front_desk: User
) -> None:
    patient = _patient(db_session, front_desk)
    plan_id = _start(as_therapist, db_session, patient)
    titles = _titles(as_therapist, plan_id)
    assert titles[:3] == ["Ice pack", "Heat pack", "Knee to chest stretch"]
    data = _editor(as_therapist, plan_id)
    assert data["items-2-reps"] == "3" and data["items-2-hold_seconds"] == "20"
    assert data["items-0-area"] == "lower_back"
    assert "Acute low back spasm" in text_of(as_therapist.get(f"/patients/{patient.public_id}"))


def test_the_start_page_suggests_templates_for_the_patients_region(
    as_therapist: PageClient, db_session: Session, front_desk: User
) -> None:
    patient = make_patient(db_session, front_desk)
    make_submitted_intake(db_session, front_desk, patient, regions=("cervical",))
    page = html(as_therapist.get(f"/patients/{patient.public_id}/plans/new"))
    first = page.select_one(".choice label")
    assert (
        first is not None
        and "Neck pain, mobility" in first.get_text()
        and "Suggested" in first.get_text()
    )


def test_a_plan_needs_a_submitted_intake(
    as_therapist: PageClient, db_session: Session, front_desk: User
) -> None:
    patient = make_patient(db_session, front_desk)
    response = as_therapist.get(f"/patients/{patient.public_id}/plans/new")
    assert response.status_code == 409
    assert "Take the patient's intake before starting a plan" in text_of(response)


def test_dosage_notes_order_removal_and_addition_are_saved(
    as_therapist: PageClient, db_session: Session, front_desk: User
) -> None:
    patient = _patient(db_session, front_desk)
    plan_id = _start(as_therapist, db_session, patient)
    data = _editor(as_therapist, plan_id)
    data.update({"items-2-reps": "5", "items-2-notes": "Gently, after a warm shower."})
    heat_id = data["items-1-item_id"]
    ice_id = data["items-0-item_id"]
    as_therapist.post(f"/plans/{plan_id}/edit", {**data, "action": f"up:{heat_id}"})
    data = _editor(as_therapist, plan_id)
    as_therapist.post(f"/plans/{plan_id}/edit", {**data, "action": f"remove:{ice_id}"})
    data = _editor(as_therapist, plan_id)
    as_therapist.post(f"/plans/{plan_id}/edit", {**data, "add": "chin-tuck"})
    titles = _titles(as_therapist, plan_id)
    assert titles[0] == "Heat pack" and "Ice pack" not in titles and titles[-1] == "Chin tuck"
    data = _editor(as_therapist, plan_id)
    knee = titles.index("Knee to chest stretch")
    assert data[f"items-{knee}-reps"] == "5"
    assert data[f"items-{knee}-notes"] == "Gently, after a warm shower."


def test_a_bad_dosage_is_shown_next_to_its_field_and_nothing_is_saved(
    as_therapist: PageClient, db_session: Session, front_desk: User
) -> None:
    patient = _patient(db_session, front_desk)
    plan_id = _start(as_therapist, db_session, patient)
    data = {**_editor(as_therapist, plan_id), "items-2-reps": "500", "action": "save"}
    response = as_therapist.post(f"/plans/{plan_id}/edit", data)
    assert response.status_code == 200
    error = html(response).find(id="items-2-reps-error")
    assert error is not None and "from 1 to 100 repetitions" in error.get_text()
    assert _editor(as_therapist, plan_id)["items-2-reps"] == "3"


def test_a_second_therapist_saving_the_same_draft_is_refused_with_both_versions_shown(
    as_therapist: PageClient, db_session: Session, front_desk: User
) -> None:
    patient = _patient(db_session, front_desk)
    plan_id = _start(as_therapist, db_session, patient)
    stale = _editor(as_therapist, plan_id)
    first = {**stale, "items-2-reps": "6", "action": "save"}
    assert as_therapist.post(f"/plans/{plan_id}/edit", first).status_code == 302
    second = {**stale, "items-2-reps": "9", "action": "save"}
    response = as_therapist.post(f"/plans/{plan_id}/edit", second)
    assert response.status_code == 409
    page = text_of(response)
    assert "saved this plan while you were editing" in page
    assert (
        "Knee to chest stretch: Hold for 20 seconds. Do it 6 times on each side" in page
    )  # theirs
    assert html(response).find(id="items-2-reps")["value"] == "9"  # yours, kept
    assert _editor(as_therapist, plan_id)["items-2-reps"] == "6"


def _finalise(pages: PageClient, plan_id: str, **fields: str) -> Any:
    page = html(pages.get(f"/plans/{plan_id}/finalise"))
    edit_count = page.find("input", attrs={"name": "edit_count"})["value"]
    return pages.post(f"/plans/{plan_id}/finalise", {"edit_count": edit_count, **fields})


def test_a_contraindication_blocks_finalising_until_overridden_with_a_reason(
    as_therapist: PageClient, db_session: Session, front_desk: User
) -> None:
    patient = _patient(db_session, front_desk, raynauds="yes")
    plan_id = _start(as_therapist, db_session, patient)
    page = text_of(as_therapist.get(f"/plans/{plan_id}/edit"))
    assert "Raynaud's phenomenon or cold hypersensitivity" in page
    ice = _editor(as_therapist, plan_id)["items-0-item_id"]
    refused = _finalise(as_therapist, plan_id, **{f"reason-{ice}-cold.raynauds": "  "})
    assert refused.status_code == 422
    assert "Give the reason for going ahead" in text_of(refused)
    plan = db_session.scalar(select(Plan).where(Plan.public_id == plan_id))
    assert plan is not None
    assert (
        db_session.scalar(select(PlanVersion.status).where(PlanVersion.plan_id == plan.id))
        is PlanStatus.DRAFT
    )
    reason = "Mild Raynaud's in the hands only; ice to the back, 10 minutes, skin checked."
    advice = _editor(as_therapist, plan_id)["items-8-item_id"]
    done = _finalise(
        as_therapist,
        plan_id,
        **{f"reason-{ice}-cold.raynauds": reason, f"reason-{advice}-cold.raynauds": reason},
    )
    assert done.status_code == 302
    decisions = db_session.scalars(select(PlanSafetyDecision)).all()
    assert [(d.code, d.reason) for d in decisions] == [("cold.raynauds", reason)] * 2
    audit = db_session.scalar(
        select(AuditEvent).where(AuditEvent.entity_type == "plan_safety_decision")
    )
    assert audit is not None and audit.detail == "override" and audit.patient_id == patient.id
    shown = text_of(as_therapist.get(f"/plans/{plan_id}"))
    assert "Finalised" in shown and "Overridden: " + reason in shown


def test_advice_to_use_ice_is_checked_once_the_ice_pack_is_removed(
    as_therapist: PageClient, db_session: Session, front_desk: User
) -> None:
    patient = _patient(db_session, front_desk, raynauds="yes")
    plan_id = _start(as_therapist, db_session, patient)
    form = _editor(as_therapist, plan_id)
    ice, advice = form["items-0-item_id"], form["items-8-item_id"]
    as_therapist.post(f"/plans/{plan_id}/edit", {**form, "action": f"remove:{ice}"})
    assert "Ice pack" not in _titles(as_therapist, plan_id)
    refused = _finalise(as_therapist, plan_id)
    assert refused.status_code == 422
    finding = html(refused).find(attrs={"name": f"reason-{advice}-cold.raynauds"})
    assert finding is not None, "the advice to use ice is checked against Raynaud's"
    form = _editor(as_therapist, plan_id)
    as_therapist.post(f"/plans/{plan_id}/edit", {**form, "action": f"remove:{advice}"})
    assert _finalise(as_therapist, plan_id).status_code == 302


def test_a_precaution_needs_a_confirmation(
    as_therapist: PageClient, db_session: Session, front_desk: User
) -> None:
    patient = _patient(db_session, front_desk, anticoagulants="yes")
    plan_id = _start(as_therapist, db_session, patient)
    knee = _editor(as_therapist, plan_id)["items-2-item_id"]
    refused = _finalise(as_therapist, plan_id)
    assert refused.status_code == 422
    assert "Confirm you have checked this precaution" in text_of(refused)
    done = _finalise(as_therapist, plan_id, **{f"confirm-{knee}-stretch.anticoagulants": "y"})
    assert done.status_code == 302
    decision = db_session.scalar(select(PlanSafetyDecision))
    assert decision is not None and decision.kind.value == "confirm"


def test_a_red_flag_awaiting_a_decision_blocks_finalising_outright(
    as_therapist: PageClient, db_session: Session, front_desk: User
) -> None:
    patient = _patient(db_session, front_desk, **symptom("saddle_numbness"))
    plan_id = _start(as_therapist, db_session, patient)
    editor = text_of(as_therapist.get(f"/plans/{plan_id}/edit"))
    assert "Suspected cord or cauda equina compression" in editor
    knee = _editor(as_therapist, plan_id)["items-2-item_id"]
    refused = _finalise(
        as_therapist,
        plan_id,
        **{f"reason-{knee}-red_flag.cauda_equina_syndrome": "I am sure it is fine really."},
    )
    assert refused.status_code == 422
    assert "no loading, until cleared" in text_of(refused)


def test_revising_makes_a_new_draft_and_the_finalised_version_stays_readable(
    as_therapist: PageClient, db_session: Session, front_desk: User
) -> None:
    patient = _patient(db_session, front_desk)
    plan_id = _start(as_therapist, db_session, patient)
    assert _finalise(as_therapist, plan_id).status_code == 302
    as_therapist.post(f"/plans/{plan_id}/revise")
    data = {**_editor(as_therapist, plan_id), "items-2-reps": "8", "action": "save"}
    as_therapist.post(f"/plans/{plan_id}/edit", data)
    current = text_of(as_therapist.get(f"/plans/{plan_id}"))
    first = text_of(as_therapist.get(f"/plans/{plan_id}?version=1"))
    assert "version 2" in current and "Draft" in current and "8 times" in current
    assert "You are looking at version 1" in first and "Do it 3 times on each side" in first


def test_front_desk_sees_finalised_plans_only_and_cannot_edit(
    pages: PageClient, as_therapist: PageClient, db_session: Session, front_desk: User
) -> None:
    patient = _patient(db_session, front_desk)
    plan_id = _start(as_therapist, db_session, patient)
    as_therapist.post("/logout")
    pages.login(front_desk.username)
    assert pages.get(f"/plans/{plan_id}").status_code == 404
    assert pages.get(f"/plans/{plan_id}/edit").status_code == 403
    assert "No finalised plan yet" in text_of(pages.get(f"/patients/{patient.public_id}"))


def test_an_admin_adds_a_template_and_a_wrong_item_name_is_shown_on_its_line(
    pages: PageClient, admin: User, catalogue: None, db_session: Session
) -> None:
    pages.login(admin.username)
    data = {
        "name": "Sciatica, first visit",
        "description": "Advice and gentle movement.",
        "regions": ["lumbar"],
        "general_advice": "Keep moving.",
        "items": "staying-active\nnerve-flossing",
        "active": "y",
    }
    refused = pages.post("/admin/plan-templates/new", data)
    error = html(refused).find(id="items-error")
    assert (
        error is not None and "Line 2: 'nerve-flossing' is not in the catalogue" in error.get_text()
    )
    saved = pages.post(
        "/admin/plan-templates/new", {**data, "items": "staying-active\nknee-to-chest@lower_back"}
    )
    assert saved.status_code == 302
    assert "Sciatica, first visit" in text_of(pages.get("/admin/plan-templates"))


def test_an_item_can_go_on_any_body_area_and_is_checked_there(
    as_therapist: PageClient, db_session: Session, front_desk: User
) -> None:
    patient = _patient(
        db_session, front_desk, impaired_sensation="yes", impaired_sensation_where=["feet"]
    )
    plan_id = _start(as_therapist, db_session, patient)
    form = _editor(as_therapist, plan_id)
    heat = form["items-1-item_id"]
    feet = html(as_therapist.get(f"/plans/{plan_id}/edit")).find(
        "select", attrs={"name": "items-1-area"}
    )
    assert feet is not None and feet.find("option", attrs={"value": "feet"}) is not None
    as_therapist.post(f"/plans/{plan_id}/edit", {**form, "items-1-area": "feet", "action": "save"})
    refused = _finalise(as_therapist, plan_id)
    assert html(refused).find(attrs={"name": f"reason-{heat}-heat.impaired_sensation"}) is not None


def test_an_area_that_is_not_a_body_area_is_refused_next_to_its_field(
    as_therapist: PageClient, db_session: Session, front_desk: User
) -> None:
    patient = _patient(db_session, front_desk)
    plan_id = _start(as_therapist, db_session, patient)
    form = _editor(as_therapist, plan_id)
    response = as_therapist.post(
        f"/plans/{plan_id}/edit", {**form, "items-1-area": "x" * 40, "action": "save"}
    )
    assert response.status_code == 200
    assert "Choose one of the body areas listed" in text_of(response)


@pytest.mark.parametrize(
    "tampered",
    [
        {"edit_count": "abc"},
        {"edit_count": "99999999999999999999999"},
        {"items-0-position": "x"},
        {"items-0-item_id": "²"},
        {"action": "up:²"},
        {"action": "remove:99999999999999999999"},
    ],
    ids=lambda fields: ",".join(f"{k}={v}" for k, v in fields.items()),
)
def test_a_damaged_hidden_field_is_refused_and_nothing_is_saved(
    as_therapist: PageClient, db_session: Session, front_desk: User, tampered: dict[str, str]
) -> None:
    patient = _patient(db_session, front_desk)
    plan_id = _start(as_therapist, db_session, patient)
    before = _titles(as_therapist, plan_id)
    data = {**_editor(as_therapist, plan_id), "title": "Changed title", **tampered}
    response = as_therapist.post(f"/plans/{plan_id}/edit", data)
    assert response.status_code in (302, 400)
    if response.status_code == 400:
        assert "hidden fields were changed outside the app" in text_of(response)
        assert _editor(as_therapist, plan_id)["title"] != "Changed title"
    assert _titles(as_therapist, plan_id) == before


def test_a_template_choice_that_is_not_offered_is_explained(
    as_therapist: PageClient, db_session: Session, front_desk: User
) -> None:
    patient = _patient(db_session, front_desk)
    for template in ("²", "99999999999999999999", "-1"):
        response = as_therapist.post(
            f"/patients/{patient.public_id}/plans/new", {"template": template}
        )
        assert response.status_code == 200
        assert "Choose one of the templates listed, or a blank plan" in text_of(response)
    assert db_session.scalar(select(func.count()).select_from(Plan)) == 0


# --- The editor's frictions (issue 15 §4) and the plan items' setting ----------------------


def test_the_error_summary_names_the_item_and_the_field(
    as_therapist: PageClient, db_session: Session, front_desk: User
) -> None:
    plan_id = _start(as_therapist, db_session, _patient(db_session, front_desk))
    data = {**_editor(as_therapist, plan_id), "items-3-reps": "ten", "action": "save"}
    response = as_therapist.post(f"/plans/{plan_id}/edit", data)
    summary = html(response).select_one(".error-summary")
    assert summary is not None
    lines = [" ".join(li.get_text(" ").split()) for li in summary.select("li")]
    assert lines == [
        "Item 4, Pelvic tilt: enter a whole number from 1 to 100 repetitions, or leave it blank"
    ]
    assert summary.select_one("a")["href"] == "#items-3-reps"
    assert "{" not in summary.get_text()  # never a raw {'reps': [...]}
    assert html(response).find(id="items-3-reps")["value"] == "ten"  # what was typed


def test_adding_an_item_already_in_the_plan_asks_first(
    as_therapist: PageClient, db_session: Session, front_desk: User
) -> None:
    plan_id = _start(as_therapist, db_session, _patient(db_session, front_desk))
    before = _titles(as_therapist, plan_id)
    data = {**_editor(as_therapist, plan_id), "items-2-reps": "5", "add": "pelvic-tilt"}
    asked = as_therapist.post(f"/plans/{plan_id}/edit", data)
    assert asked.status_code == 200
    page = text_of(asked)
    assert "Already in this plan" in page and "Pelvic tilt is item 4 of this plan" in page
    assert _titles(as_therapist, plan_id) == before  # nothing added or saved yet
    assert html(asked).find(id="items-2-reps")["value"] == "5"  # the typed change is kept
    confirmed = {**form_values(asked, "form.plan-editor"), "add_again": "pelvic-tilt"}
    assert as_therapist.post(f"/plans/{plan_id}/edit", confirmed).status_code == 302
    after = _titles(as_therapist, plan_id)
    assert after == [*before, "Pelvic tilt"]
    assert _editor(as_therapist, plan_id)["items-2-reps"] == "5"


def test_a_new_item_goes_on_the_patients_pain_area(
    as_therapist: PageClient, db_session: Session, front_desk: User
) -> None:
    plan_id = _start(as_therapist, db_session, _patient(db_session, front_desk))
    count = len(_titles(as_therapist, plan_id))
    # The massage ball's own first area is the upper back; this patient's pain is lumbar.
    data = {**_editor(as_therapist, plan_id), "add": "self-massage-ball"}
    as_therapist.post(f"/plans/{plan_id}/edit", data)
    assert _editor(as_therapist, plan_id)[f"items-{count}-area"] == "lower_back"
    # An item not used on the lower back keeps its own first area.
    data = {**_editor(as_therapist, plan_id), "add": "levator-scapulae-stretch"}
    as_therapist.post(f"/plans/{plan_id}/edit", data)
    assert _editor(as_therapist, plan_id)[f"items-{count + 1}-area"] == "neck"


def test_therapist_delivered_items_are_at_the_clinic_and_the_therapist_may_change_it(
    as_therapist: PageClient, db_session: Session, front_desk: User
) -> None:
    patient = _patient(db_session, front_desk)
    plan_id = _start(
        as_therapist, db_session, patient, "Low back pain, exercise and manual therapy package"
    )
    titles = _titles(as_therapist, plan_id)
    data = _editor(as_therapist, plan_id)
    settings = {title: data[f"items-{n}-setting"] for n, title in enumerate(titles)}
    assert settings["Soft-tissue massage (in clinic)"] == "clinic"
    assert settings["Spinal mobilisation (in clinic)"] == "clinic"
    assert settings["Bridge"] == "home"
    bridge = titles.index("Bridge")
    as_therapist.post(
        f"/plans/{plan_id}/edit", {**data, f"items-{bridge}-setting": "clinic", "action": "save"}
    )
    assert _editor(as_therapist, plan_id)[f"items-{bridge}-setting"] == "clinic"
    assert "Bridge" in text_of(as_therapist.get(f"/plans/{plan_id}"))
    bad = {**_editor(as_therapist, plan_id), f"items-{bridge}-setting": "garden", "action": "save"}
    refused = as_therapist.post(f"/plans/{plan_id}/edit", bad)
    assert "Item " in text_of(refused) and "Not a valid choice" in text_of(refused)


def test_the_plan_page_lists_the_newest_versions_and_pages_the_rest(
    as_therapist: PageClient, db_session: Session, front_desk: User
) -> None:
    plan_id = _start(as_therapist, db_session, _patient(db_session, front_desk))
    add_final_versions(db_session, plan_id, 25)
    page = html(as_therapist.get(f"/plans/{plan_id}"))
    listed = [li.get_text(" ").split()[1] for li in page.select(".version-list li")]
    assert listed == [str(n) for n in range(25, 15, -1)]
    nav = page.select_one("nav.pagination")
    assert nav is not None and "Versions 1 to 10 of 25" in nav.get_text(" ")
    older = html(as_therapist.get(f"/plans/{plan_id}?version=25&versions=3"))
    assert [li.get_text(" ").split()[1] for li in older.select(".version-list li")] == [
        "5",
        "4",
        "3",
        "2",
        "1",
    ]
