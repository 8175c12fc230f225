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
