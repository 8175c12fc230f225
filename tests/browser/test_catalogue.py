"""The treatment catalogue in a real browser: find an item for a back spasm, open it,
then edit one and see the new version. axe-core checks every page on the way."""

from __future__ import annotations

import re

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from tests.browser.pages import assert_accessible, sign_in


def test_a_therapist_searches_filters_and_opens_an_item(page: Page, axe: Axe) -> None:
    sign_in(page, axe, "therapist")
    page.get_by_role("link", name="Treatment catalogue").click()
    expect(page.get_by_role("heading", name="Treatment catalogue")).to_be_visible()
    assert_accessible(page, axe)

    page.get_by_label("Search titles, tags and steps").fill("spasm")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(
        page.get_by_role("heading", name=re.compile(r"^\d+ items matching “spasm”"))
    ).to_be_visible()
    assert_accessible(page, axe)

    page.get_by_label(re.compile(r"^Stretch \(\d+\)")).check()
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_role("heading", name=re.compile(r"^3 items matching"))).to_be_visible()
    expect(page.get_by_label(re.compile(r"^Stretch \(3\)"))).to_be_checked()
    page.get_by_role("link", name="Knee to chest stretch", exact=True).click()

    expect(page.get_by_role("heading", name="Knee to chest stretch", level=1)).to_be_visible()
    picture = page.get_by_role("img", name=re.compile("one knee is pulled towards the chest"))
    expect(picture).to_be_visible()
    assert picture.evaluate("image => image.naturalWidth") > 0  # the SVG really loaded
    expect(page.get_by_text("Hold for 20 seconds. Do it 3 times on each side.")).to_be_visible()
    expect(page.get_by_role("heading", name="Contraindications and precautions")).to_be_visible()
    assert_accessible(page, axe)


def test_a_therapist_edits_an_item_and_a_new_version_appears(page: Page, axe: Axe) -> None:
    sign_in(page, axe, "therapist")
    page.goto("/catalogue/side-bend-stretch")
    lead = page.locator(".lead").inner_text()
    before = int(re.search(r"version (\d+)", lead).group(1))  # type: ignore[union-attr]
    page.get_by_role("link", name="Edit", exact=True).click()
    expect(page.get_by_role("heading", name="Edit “Standing side bend”")).to_be_visible()
    assert_accessible(page, axe)

    # A mistake first: shown beside the field, with the summary linking to it.
    page.get_by_label("Days a week").fill("9")
    page.get_by_role("button", name="Save as a new version").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(page.locator("#days_per_week-error")).to_contain_text("from 1 to 7 days a week")
    assert_accessible(page, axe)

    page.get_by_label("Days a week").fill("7")
    page.get_by_label("Hold (seconds)").fill("25")
    page.get_by_role("button", name="Save as a new version").click()
    expect(page.get_by_text(f"Saved as version {before + 1}.")).to_be_visible()
    expect(page.get_by_text("Hold for 25 seconds. Do it 3 times on each side.")).to_be_visible()
    expect(page.get_by_role("link", name=f"Version {before}", exact=True)).to_be_visible()
    assert_accessible(page, axe)


def test_front_desk_browses_without_edit_buttons(page: Page, axe: Axe) -> None:
    sign_in(page, axe, "frontdesk")
    page.goto("/catalogue/?region=neck")
    expect(page.get_by_role("link", name="Chin tuck")).to_be_visible()
    expect(page.get_by_role("link", name="Add an item")).to_have_count(0)
    page.get_by_role("link", name="Chin tuck").click()
    expect(page.get_by_role("link", name="Edit", exact=True)).to_have_count(0)
    assert_accessible(page, axe)
