"""Steps shared by the browser tests."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from clinic.demo import DEMO_PASSWORD

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def assert_accessible(page: Page, axe: Axe) -> None:
    """axe-core finds no WCAG 2.2 A or AA violation on the page as it is now, once it has
    loaded: judged before its stylesheet applies, every link is too small a target."""
    page.wait_for_load_state("load")
    results = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"


def sign_in(page: Page, axe: Axe, username: str, password: str = DEMO_PASSWORD) -> None:
    page.goto("/login")
    assert_accessible(page, axe)
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def start_plan_for(page: Page, family_name: str, listed_as: str) -> None:
    """Find the patient by family name, open their record and start a plan."""
    page.get_by_role("link", name="Find a patient").first.click()
    page.get_by_label("Name or chart number").fill(family_name)
    page.get_by_role("button", name="Search").click()
    page.locator(".results").get_by_role("link", name=listed_as).click()
    page.get_by_role("link", name="Start a plan").click()
