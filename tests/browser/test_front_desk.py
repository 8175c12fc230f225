"""The front desk in a real browser: register, find, and meet the duplicate warning.
axe-core checks every page on the way."""

from __future__ import annotations

import uuid

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from tests.browser.pages import assert_accessible, sign_in


def _fill_registration(page: Page, family_name: str) -> None:
    page.get_by_label("Given name").fill("Rosalind")
    page.get_by_label("Family name").fill(family_name)
    page.get_by_label("Date of birth").fill("1966-07-25")
    page.get_by_label("Telephone", exact=True).fill("07700 900321")
    page.get_by_label("Email (optional)").fill("rosalind@example.com")


def test_front_desk_registers_finds_and_is_warned_of_a_duplicate(page: Page, axe: Axe) -> None:
    family_name = f"Brightwater{uuid.uuid4().hex[:6]}"
    sign_in(page, axe, "frontdesk")
    assert_accessible(page, axe)

    page.get_by_role("link", name="Register a patient").first.click()
    expect(page.get_by_role("heading", name="Register a patient")).to_be_visible()
    assert_accessible(page, axe)

    # A mistake first: the message appears next to the field and the summary links to it.
    _fill_registration(page, family_name)
    page.get_by_label("Telephone", exact=True).fill("ring me")
    page.get_by_role("button", name="Register patient").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(page.locator("#phone-error")).to_contain_text("Enter a telephone number")
    expect(page.get_by_label("Family name")).to_have_value(family_name)
    assert_accessible(page, axe)

    page.get_by_label("Telephone", exact=True).fill("07700 900321")
    page.get_by_role("button", name="Register patient").click()
    expect(page.get_by_role("heading", name=f"Rosalind {family_name}")).to_be_visible()
    expect(
        page.get_by_text("Patient registered. Their chart number is shown below.")
    ).to_be_visible()
    assert family_name.lower() not in page.url.lower()
    assert_accessible(page, axe)

    page.get_by_role("link", name="Find a patient").click()
    page.get_by_label("Name or chart number").fill(family_name)
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", name="1 patient found")).to_be_visible()
    assert family_name.lower() not in page.url.lower()
    assert_accessible(page, axe)
    page.locator(".results").get_by_role("link", name=f"{family_name.upper()}, Rosalind").click()
    expect(page.get_by_role("heading", name=f"Rosalind {family_name}")).to_be_visible()

    page.get_by_role("link", name="Register a patient").first.click()
    _fill_registration(page, family_name)
    page.get_by_role("button", name="Register patient").click()
    warning = page.get_by_role("alert").filter(has_text="This patient may already be registered")
    expect(warning).to_be_visible()
    expect(warning).to_contain_text(f"Rosalind {family_name}")
    assert_accessible(page, axe)


def _no_sideways_scroll(page: Page) -> None:
    # Measured once the page and its stylesheet have loaded (under load, a page shown
    # before its stylesheet applies is as wide as its longest unbroken word).
    page.wait_for_load_state("load")
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{page.url} is {overflow}px wider than the window"


def test_a_long_unbroken_name_wraps_and_back_from_a_record_returns_to_the_results(
    page: Page, axe: Axe
) -> None:
    marker = uuid.uuid4().hex[:8]
    family_name = ("Wolfeschlegelsteinhausenbergerdorff" + marker * 12)[:100]
    sign_in(page, axe, "frontdesk")
    page.set_viewport_size({"width": 768, "height": 1024})
    page.get_by_role("link", name="Register a patient").first.click()
    _fill_registration(page, family_name)
    page.get_by_role("button", name="Register patient").click()
    expect(page.get_by_role("heading", name=f"Rosalind {family_name}")).to_be_visible()
    _no_sideways_scroll(page)
    assert_accessible(page, axe)

    page.get_by_role("link", name="Find a patient").click()
    page.get_by_label("Name or chart number").fill(family_name[:40].lower())
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", name="1 patient found")).to_be_visible()
    assert "/patients/search/" in page.url and marker not in page.url
    _no_sideways_scroll(page)
    page.locator(".results").get_by_role("link", name=f"{family_name.upper()}, Rosalind").click()
    expect(page.get_by_role("heading", name=f"Rosalind {family_name}")).to_be_visible()

    # Back is a plain GET of the kept search: no "resubmit the form?" and the results show.
    page.go_back()
    expect(page.get_by_role("heading", name="1 patient found")).to_be_visible()
    expect(page.get_by_label("Name or chart number")).to_have_value(family_name[:40].lower())
    # The record just opened is listed under "Recently viewed by you", wrapped.
    recent = page.locator(".recent-list").get_by_role(
        "link", name=f"{family_name.upper()}, Rosalind"
    )
    expect(recent).to_be_visible()
    _no_sideways_scroll(page)
    assert_accessible(page, axe)


def test_search_finds_o_connor_from_oconnor(page: Page, axe: Axe) -> None:
    given = f"Niamh{uuid.uuid4().hex[:6]}"
    sign_in(page, axe, "frontdesk")
    page.get_by_role("link", name="Register a patient").first.click()
    page.get_by_label("Given name").fill(given)
    page.get_by_label("Family name").fill("O'Connor")
    page.get_by_label("Date of birth").fill("1990-01-02")
    page.get_by_label("Telephone", exact=True).fill("07700 900123")
    page.get_by_role("button", name="Register patient").click()
    page.get_by_role("link", name="Find a patient").click()
    page.get_by_label("Name or chart number").fill(f"oconnor {given}")
    page.get_by_role("button", name="Search").click()
    expect(page.locator(".results").get_by_role("link", name=f"O'CONNOR, {given}")).to_be_visible()
