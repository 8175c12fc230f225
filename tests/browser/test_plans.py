"""A therapist builds a plan in a real browser: search the catalogue, add six items,
change dosages, reorder (by dragging and by button), meet a contraindication, override
it with a reason and finalise. axe-core checks every page on the way."""

from __future__ import annotations

import re

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from tests.browser.pages import assert_accessible, sign_in, start_plan_for


def _item(page: Page, title: str):  # type: ignore[no-untyped-def]
    return page.locator("[data-plan-item]").filter(
        has=page.get_by_role("heading", name=re.compile(re.escape(title)))
    )


def _titles(page: Page) -> list[str]:
    return [
        re.sub(r"^\d+\.\s*", "", text)
        for text in page.locator(".plan-item__title").all_inner_texts()
    ]


def _add(page: Page, search: str, title: str) -> None:
    page.get_by_label("Search the catalogue").fill(search)
    page.get_by_role("button", name="Search", exact=True).click()
    page.get_by_role("button", name=f"Add {title}", exact=True).click()
    expect(_item(page, title)).to_be_visible()


def test_a_therapist_builds_overrides_and_finalises_a_back_spasm_plan(page: Page, axe: Axe) -> None:
    sign_in(page, axe, "therapist")
    start_plan_for(page, "Laurent", "LAURENT, Sophie")
    page.get_by_label("A blank plan").check()
    page.get_by_role("button", name="Start the plan").click()
    expect(page.get_by_role("heading", name="Edit the plan for Sophie Laurent")).to_be_visible()
    assert_accessible(page, axe)

    _add(page, "spasm", "Ice pack")
    _add(page, "spasm", "Knee to chest stretch")
    _add(page, "spasm", "Heat pack")
    _add(page, "bridge", "Bridge")
    _add(page, "cat", "Cat-cow")
    _add(page, "pelvic", "Pelvic tilt")
    assert len(_titles(page)) == 6
    # An item already in the plan is added again only when the therapist says so.
    page.get_by_label("Search the catalogue").fill("bridge")
    page.get_by_role("button", name="Search", exact=True).click()
    page.get_by_role("button", name="Add Bridge", exact=True).click()
    expect(page.get_by_role("heading", name="Already in this plan")).to_be_visible()
    assert_accessible(page, axe)
    page.get_by_role("button", name="Do not add it").click()
    assert _titles(page).count("Bridge") == 1

    # Sophie has Raynaud's: the ice pack says so as soon as it is in the plan.
    ice = _item(page, "Ice pack")
    expect(ice.get_by_text("Raynaud's phenomenon or cold hypersensitivity")).to_be_visible()

    _item(page, "Knee to chest stretch").get_by_label("Repetitions").fill("5")
    _item(page, "Bridge").get_by_label("Sets").fill("3")
    _item(page, "Pelvic tilt").get_by_role("button", name="Move up").click()
    assert _titles(page)[4:] == ["Pelvic tilt", "Cat-cow"]
    # Drag the heat pack to the top, then save (a tall window keeps both items in view:
    # scrolling in the middle of a drag would end it).
    page.set_viewport_size({"width": 1280, "height": 3200})
    page.evaluate("window.scrollTo(0, 0)")
    _item(page, "Heat pack").locator(".plan-item__handle").drag_to(
        _item(page, "Ice pack").locator(".plan-item__handle")
    )
    page.get_by_role("button", name="Save the plan").click()
    expect(page.get_by_text("Plan saved.")).to_be_visible()
    assert _titles(page)[0] == "Heat pack"
    expect(_item(page, "Knee to chest stretch").get_by_label("Repetitions")).to_have_value("5")
    expect(_item(page, "Bridge").get_by_label("Sets")).to_have_value("3")
    assert_accessible(page, axe)

    page.get_by_role("button", name="Save and finalise…").click()
    expect(page.get_by_role("heading", name="Finalise the plan for Sophie Laurent")).to_be_visible()
    page.get_by_role("button", name=re.compile("Finalise version")).click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(page.get_by_text("Give the reason for going ahead").first).to_be_visible()
    assert_accessible(page, axe)

    page.get_by_label("Reason for going ahead despite the contraindication").fill(
        "Raynaud's affects the hands only; ice on the back for 10 minutes with a cloth."
    )
    page.get_by_role("button", name=re.compile("Finalise version")).click()
    expect(page.get_by_text("is finalised.")).to_be_visible()
    expect(page.get_by_text("Overridden: Raynaud's affects the hands only")).to_be_visible()
    expect(page.locator(".plan-view-item h3").first).to_have_text("Heat pack")
    assert_accessible(page, axe)

    # Print it: the response is the PDF.
    with page.expect_response(lambda response: "handout.pdf" in response.url) as printed:
        page.get_by_role("button", name="Print handout").click()
    assert printed.value.status == 200
    assert printed.value.headers["content-type"] == "application/pdf"
    # Chromium shows it in its viewer; the same request, with the same session, gives the file.
    assert page.request.get(printed.value.url).body().startswith(b"%PDF-")
