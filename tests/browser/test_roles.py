"""Each role in a real browser sees what it may use, and nothing else; every page is
checked with axe-core."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from tests.browser.pages import assert_accessible, sign_in


@pytest.mark.parametrize(
    ("username", "visible", "hidden"),
    [
        ("frontdesk", ["Find a patient", "Register a patient"], ["Staff accounts", "Audit log"]),
        ("therapist", ["Find a patient", "Register a patient"], ["Staff accounts", "Audit log"]),
        ("admin", ["Staff accounts", "Audit log"], ["Find a patient", "Register a patient"]),
    ],
)
def test_each_role_sees_its_own_navigation(
    page: Page, axe: Axe, username: str, visible: list[str], hidden: list[str]
) -> None:
    sign_in(page, axe, username)
    navigation = page.get_by_role("navigation", name="Main")
    for name in visible:
        expect(navigation.get_by_role("link", name=name)).to_be_visible()
    for name in hidden:
        expect(navigation.get_by_role("link", name=name)).to_have_count(0)
    assert_accessible(page, axe)


def test_admin_pages_are_accessible_and_the_audit_log_shows_sign_ins(page: Page, axe: Axe) -> None:
    sign_in(page, axe, "admin")
    page.get_by_role("link", name="Staff accounts").first.click()
    expect(page.get_by_role("cell", name="frontdesk", exact=True)).to_be_visible()
    assert_accessible(page, axe)

    page.get_by_role("link", name="Create an account").click()
    page.get_by_role("button", name="Create account").click()
    expect(page.locator("#username-error")).to_contain_text("Enter a username")
    assert_accessible(page, axe)

    page.get_by_role("link", name="Audit log").click()
    page.get_by_label("Action").select_option("login")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_role("cell", name="admin", exact=True).first).to_be_visible()
    assert_accessible(page, axe)


def test_a_page_the_role_may_not_use_is_refused_politely(page: Page, axe: Axe) -> None:
    sign_in(page, axe, "therapist")
    response = page.goto("/admin/audit/")
    assert response is not None and response.status == 403
    expect(page.get_by_role("heading", name="You do not have access to this page")).to_be_visible()
    assert_accessible(page, axe)


def test_the_layout_works_on_a_portrait_tablet(page: Page, axe: Axe) -> None:
    page.set_viewport_size({"width": 768, "height": 1024})
    sign_in(page, axe, "frontdesk")
    page.get_by_role("link", name="Register a patient").first.click()
    expect(page.get_by_role("heading", name="Register a patient")).to_be_visible()
    page.wait_for_load_state("load")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 768, "the page scrolls sideways on a portrait tablet"
    assert_accessible(page, axe)


def test_administrators_see_failed_sign_ins_and_export_a_patients_data(
    page: Page, axe: Axe
) -> None:
    page.goto("/login")
    page.get_by_label("Username").fill("therapist")
    page.get_by_label("Password").fill("not-the-password-at-all")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("The username or password is not right")).to_be_visible()

    sign_in(page, axe, "admin")
    page.get_by_role("link", name="Staff accounts").first.click()
    attacks = page.get_by_role("region", name="Failed sign-ins")
    expect(attacks.get_by_role("cell", name="therapist", exact=True)).to_be_visible()
    assert_accessible(page, axe)

    page.get_by_role("link", name="Patients' data").click()
    page.get_by_role("button", name="Download the patient's data").click()
    expect(page.locator("#export-chart_number-error")).to_contain_text(
        "Enter the patient's chart number"
    )
    assert_accessible(page, axe)
    page.get_by_role("button", name="Erase the record").click()
    expect(page.locator("#erase-reason-error")).to_contain_text("Say why the record is erased")
    assert_accessible(page, axe)
