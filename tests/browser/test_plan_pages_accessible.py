"""The remaining plan and handout pages, each checked by axe-core in Chromium: the
template choice, the admin's templates, and the front desk's batch printing."""

from __future__ import annotations

import re

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from tests.browser.pages import assert_accessible, sign_in, start_plan_for


def test_the_template_choice_is_accessible(page: Page, axe: Axe) -> None:
    sign_in(page, axe, "therapist")
    start_plan_for(page, "Rahman", "RAHMAN, Aisha")
    expect(page.get_by_label(re.compile("Neck pain, mobility"))).to_be_checked()
    assert_accessible(page, axe)


def test_the_admins_template_pages_are_accessible(page: Page, axe: Axe) -> None:
    sign_in(page, axe, "admin")
    page.get_by_role("link", name="Plan templates").click()
    expect(page.get_by_role("heading", name="Plan templates")).to_be_visible()
    assert_accessible(page, axe)
    page.get_by_role("link", name="Neck pain, mobility").click()
    page.get_by_label("Items, one per line").fill("chin-tuck\nno-such-item")
    page.get_by_role("button", name="Save the template").click()
    expect(page.locator("#items-error")).to_contain_text("'no-such-item' is not in the catalogue")
    assert_accessible(page, axe)


def test_the_batch_printing_page_is_accessible(page: Page, axe: Axe) -> None:
    sign_in(page, axe, "frontdesk")
    page.get_by_role("link", name="Print handouts").click()
    expect(page.get_by_role("heading", name="Print handouts")).to_be_visible()
    assert_accessible(page, axe)
    page.get_by_role("button", name="Print the chosen handouts").click()
    expect(page.get_by_text("Choose at least one plan to print").first).to_be_visible()
    assert_accessible(page, axe)


def test_a_batch_shows_its_progress_and_opens_the_joined_pdf(page: Page, axe: Axe) -> None:
    sign_in(page, axe, "frontdesk")
    page.get_by_role("link", name="Print handouts").click()
    boxes = page.get_by_role("checkbox")
    for index in range(boxes.count()):
        boxes.nth(index).check()
    chosen = boxes.count()
    assert chosen >= 2
    page.get_by_role("button", name="Print the chosen handouts").click()
    # The page's script prepares them a few at a time, the bar and the status following.
    expect(page.get_by_role("status")).to_have_text(
        f"Ready: {chosen} of {chosen} handouts to print.", timeout=60_000
    )
    expect(page.locator("[data-batch-progress]")).to_have_attribute("value", str(chosen))
    expect(page.get_by_role("button", name="Prepare the next handouts")).to_be_hidden()
    link = page.get_by_role("link", name=f"Open the PDF of {chosen} handouts")
    expect(link).to_be_visible()
    assert_accessible(page, axe)
    response = page.request.get(link.get_attribute("href") or "")
    assert response.ok and response.headers["content-type"] == "application/pdf"
