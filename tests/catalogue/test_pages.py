"""The catalogue pages through the test client: browse, search, filter, view, edit."""

from __future__ import annotations

import io
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from clinic.audit.models import AuditAction, AuditEvent
from clinic.auth.models import User
from clinic.catalogue.files import read_items
from clinic.catalogue.services import item_view
from clinic.catalogue.vocabulary import Kind
from tests.helpers import PageClient, field_error, form_values, html, input_value, text_of


def _titles(response: Any) -> list[str]:
    return [link.get_text(strip=True) for link in html(response).select(".catalogue-card__title a")]


def _count(response: Any, facet: str, value: str) -> str:
    label = html(response).find("label", attrs={"for": f"{facet}-{value}"})
    assert label is not None, f"no filter {facet}={value}"
    return str(label.find(class_="filter-count").get_text(strip=True))


def test_searching_for_spasm_finds_the_back_spasm_items_with_a_count(
    as_therapist: PageClient,
) -> None:
    response = as_therapist.get("/catalogue/?q=spasm")
    titles = _titles(response)
    assert "Knee to chest stretch" in titles and "Ice pack" in titles and "Heat pack" in titles
    assert "Bridge" not in titles
    heading = html(response).find(id="results-title").get_text(" ", strip=True)
    assert heading.startswith(f"{len(titles)} items matching")


def test_search_reads_tags_and_steps_not_only_titles(as_therapist: PageClient) -> None:
    by_step = _titles(as_therapist.get("/catalogue/?q=frozen+peas"))
    by_tag = _titles(as_therapist.get("/catalogue/?q=glutes"))
    assert by_step == ["Ice pack"]
    assert by_tag == ["Bridge"]


def test_filters_narrow_the_list_and_each_option_shows_what_it_would_give(
    as_therapist: PageClient,
) -> None:
    response = as_therapist.get("/catalogue/?kind=stretch&region=neck")
    titles = _titles(response)
    assert titles == ["Levator scapulae stretch", "Upper trapezius stretch"]
    # Counts keep the other facet's filter: stretches for the neck, neck items by type.
    shipped = [item.content for item in read_items()]
    neck_exercises = [c for c in shipped if c.kind is Kind.EXERCISE and "neck" in c.regions]
    low_back_stretches = [
        c for c in shipped if c.kind is Kind.STRETCH and "lower_back" in c.regions
    ]
    assert _count(response, "kind", "stretch") == "(2)"
    assert _count(response, "kind", "exercise") == f"({len(neck_exercises)})"
    assert _count(response, "region", "lower_back") == f"({len(low_back_stretches)})"


def test_a_search_that_finds_nothing_says_what_to_try(as_therapist: PageClient) -> None:
    response = as_therapist.get("/catalogue/?q=zumba")
    assert "0 items" in text_of(response)
    assert "Try fewer words" in text_of(response)


def test_an_overlong_search_is_refused_next_to_the_box_and_kept(as_therapist: PageClient) -> None:
    response = as_therapist.get("/catalogue/?q=" + "a" * 101)
    assert response.status_code == 200
    assert field_error(response, "q") == "Field cannot be longer than 100 characters."
    assert input_value(response, "q") == "a" * 101


def test_the_item_page_shows_picture_steps_dosage_safety_codes_and_evidence(
    as_therapist: PageClient,
) -> None:
    response = as_therapist.get("/catalogue/knee-to-chest")
    page = text_of(response)
    image = html(response).select_one(".item-figure img")
    assert (
        image is not None and image["src"] == "/catalogue/knee-to-chest/versions/1/illustration.svg"
    )
    assert "knee is pulled towards the chest" in str(image["alt"])
    assert "Hold one knee with both hands" in page
    assert "Hold for 20 seconds. Do it 3 times on each side. Twice a day." in page
    assert "Pull gently" in page
    assert "Recent, unhealed fracture" in page and "Kisner & Colby" in page
    assert "Double knee to chest stretch" in page  # the progression, by its title
    assert "Version 1" in page


def test_a_modality_page_leads_with_nice_ng59(as_therapist: PageClient) -> None:
    page = text_of(as_therapist.get("/catalogue/therapeutic-ultrasound"))
    assert "Do not offer ultrasound for managing low back pain" in page
    assert page.index("Do not offer ultrasound") < page.index("Steps")


def test_the_illustration_is_served_as_an_svg_that_may_not_run_anything(
    as_therapist: PageClient,
) -> None:
    response = as_therapist.get("/catalogue/bridge/versions/1/illustration.svg")
    assert response.mimetype == "image/svg+xml"
    assert response.headers["Content-Security-Policy"].startswith("default-src 'none'")
    assert response.get_data(as_text=True).startswith("<svg")


def test_an_unknown_item_is_a_404_page(as_therapist: PageClient) -> None:
    assert as_therapist.get("/catalogue/no-such-item").status_code == 404
    assert as_therapist.get("/catalogue/bridge?version=9").status_code == 404


def test_front_desk_can_browse_but_not_edit(
    pages: PageClient, front_desk: User, catalogue: None
) -> None:
    pages.login(front_desk.username)
    item = pages.get("/catalogue/bridge")
    assert item.status_code == 200
    assert html(item).find("a", string="Edit") is None
    assert pages.get("/catalogue/bridge/edit").status_code == 403
    assert pages.post("/catalogue/bridge/retire").status_code == 403


def _edit_form(pages: PageClient, slug: str) -> dict[str, Any]:
    return form_values(pages.get(f"/catalogue/{slug}/edit"), "form.item-form")


def test_editing_makes_a_new_version_and_keeps_the_old_one_readable(
    as_therapist: PageClient, db_session: Session, therapist: User
) -> None:
    data = _edit_form(as_therapist, "bridge")
    data["reps"] = "12"
    data["steps"] = data["steps"] + "\nRest for a breath between lifts."
    response = as_therapist.post("/catalogue/bridge/edit", data)
    assert response.status_code == 302
    current = item_view(db_session, "bridge")
    assert current.version == 2
    assert current.content.dosage.reps == 12
    assert current.content.text.steps[-1] == "Rest for a breath between lifts."
    assert current.has_illustration
    assert item_view(db_session, "bridge", 1).content.dosage.reps == 10
    page = text_of(as_therapist.get("/catalogue/bridge"))
    assert f"edited by {therapist.display_name}" in page and "Version 1" in page
    audit = db_session.scalar(
        select(AuditEvent).where(
            AuditEvent.entity_id == "bridge", AuditEvent.action == AuditAction.UPDATE
        )
    )
    assert (
        audit is not None and audit.detail == "version 2" and audit.username == therapist.username
    )


def test_saving_without_changes_makes_no_version(
    as_therapist: PageClient, db_session: Session
) -> None:
    response = as_therapist.post("/catalogue/bridge/edit", _edit_form(as_therapist, "bridge"))
    assert response.status_code == 302
    assert item_view(db_session, "bridge").version == 1


def test_a_second_editor_working_from_an_old_version_is_refused_with_both_shown(
    as_therapist: PageClient, db_session: Session
) -> None:
    stale = _edit_form(as_therapist, "bridge")
    first = {**stale, "reps": "12"}
    assert as_therapist.post("/catalogue/bridge/edit", first).status_code == 302
    second = {**stale, "reps": "15"}
    response = as_therapist.post("/catalogue/bridge/edit", second)
    assert response.status_code == 409
    assert "Someone saved this item while you were editing" in text_of(response)
    assert input_value(response, "reps") == "15"  # what they typed is kept
    assert item_view(db_session, "bridge").content.dosage.reps == 12


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"title": ""}, "title", "Fill this in"),
        ({"steps": ""}, "steps", "Fill this in"),
        ({"steps": "Stand up.\n" + "x" * 401}, "steps", "Line 2: Must be 400 characters or fewer"),
        (
            {"reps": "lots"},
            "reps",
            "Enter a whole number from 1 to 100 repetitions, or leave it blank",
        ),
        ({"sets": "50"}, "sets", "Must be a whole number from 1 to 10 sets"),
        (
            {"code_areas": "stretch.fracture: elbow"},
            "code_areas",
            "'elbow' is not a body area (in stretch.fracture)",
        ),
        ({"evidence_source": ""}, "evidence_source", "Fill this in"),
    ],
)
def test_a_mistake_is_shown_next_to_its_field_and_the_rest_is_kept(
    as_therapist: PageClient, db_session: Session, changes: dict[str, str], field: str, message: str
) -> None:
    data = {**_edit_form(as_therapist, "knee-to-chest"), "therapist_notes": "Kept note.", **changes}
    response = as_therapist.post("/catalogue/knee-to-chest/edit", data)
    assert response.status_code == 200
    assert field_error(response, field) == message
    assert (input_value(response, "therapist_notes") or "").strip() == "Kept note."
    assert item_view(db_session, "knee-to-chest").version == 1


def test_an_uploaded_drawing_with_a_script_is_refused(
    as_therapist: PageClient, db_session: Session
) -> None:
    data = _edit_form(as_therapist, "bridge")
    evil = (
        b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 9 9"><script>alert(1)</script></svg>'
    )
    data["illustration"] = (io.BytesIO(evil), "bridge.svg")
    response = as_therapist.post("/catalogue/bridge/edit", data, content_type="multipart/form-data")
    assert response.status_code == 200
    assert "contains a <script> element" in (field_error(response, "illustration") or "")
    assert item_view(db_session, "bridge").version == 1


def test_an_uploaded_drawing_is_cleaned_and_carries_the_alt_text(
    as_therapist: PageClient, db_session: Session
) -> None:
    data = _edit_form(as_therapist, "bridge")
    drawing = (
        b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 9 9" data-tool="x">'
        b'<circle cx="4" cy="4" r="3"/></svg>'
    )
    data["illustration"] = (io.BytesIO(drawing), "bridge.svg")
    data["illustration_alt"] = "A circle standing for a bridge."
    response = as_therapist.post("/catalogue/bridge/edit", data, content_type="multipart/form-data")
    assert response.status_code == 302
    svg = as_therapist.get("/catalogue/bridge/versions/2/illustration.svg").get_data(as_text=True)
    assert "<title>A circle standing for a bridge.</title>" in svg and "data-tool" not in svg


def test_a_therapist_adds_an_item_that_then_appears_in_the_catalogue(
    as_therapist: PageClient,
) -> None:
    data = {
        "slug": "wall-push-up",
        "title": "Wall push-up",
        "type": "exercise:strengthening",
        "summary": "Strengthens your arms and shoulders against a wall.",
        "steps": "Stand an arm's length from a wall.\nBend your elbows.\nPush back.",
        "safety_cues": "Keep your body straight.",
        "regions": ["shoulders_arms"],
        "goals": ["strength"],
        "equipment": ["wall"],
        "tags": "arms, shoulders",
        "reps": "10",
        "sets": "2",
        "codes": ["exercise.cardiac"],
        "evidence_note": "Progressive strengthening.",
        "evidence_source": "ACSM Guidelines 10th ed.",
        "side": "",
        "pressure": "",
    }
    missing_picture = as_therapist.post("/catalogue/new", data)
    assert (
        field_error(missing_picture, "illustration")
        == "Every exercise needs an illustration (an SVG)"
    )
    drawing = (
        b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 9 9">'
        b'<line x1="1" y1="1" x2="8" y2="8" stroke="#000"/></svg>'
    )
    data["illustration"] = (io.BytesIO(drawing), "wall.svg")
    data["illustration_alt"] = "Leaning towards a wall with bent elbows."
    response = as_therapist.post("/catalogue/new", data, content_type="multipart/form-data")
    assert response.headers["Location"] == "/catalogue/wall-push-up"
    assert "Wall push-up" in _titles(as_therapist.get("/catalogue/?q=wall"))


def test_retiring_hides_an_item_from_the_list_and_restoring_brings_it_back(
    as_therapist: PageClient, db_session: Session
) -> None:
    as_therapist.post("/catalogue/cycling/retire")
    assert "Cycling" not in _titles(as_therapist.get("/catalogue/?q=cycling"))
    assert _titles(as_therapist.get("/catalogue/?q=cycling&retired=y")) == ["Cycling"]
    assert "This item is retired" in text_of(as_therapist.get("/catalogue/cycling"))
    as_therapist.post("/catalogue/cycling/restore")
    assert "Cycling" in _titles(as_therapist.get("/catalogue/?q=cycling"))
    assert item_view(db_session, "cycling").version == 1  # retiring is not an edit
