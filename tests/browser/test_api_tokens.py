"""An administrator creates an API token in a real browser, sees it once, reads the API
with it, and revokes it; each state of the page is checked with axe-core."""

from __future__ import annotations

import os

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from tests.browser.pages import assert_accessible, sign_in


def test_an_administrator_creates_uses_and_revokes_a_token(page: Page, axe: Axe) -> None:
    sign_in(page, axe, "admin")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="API tokens").click()
    expect(page.get_by_role("heading", name="API tokens", level=1)).to_be_visible()
    assert_accessible(page, axe)

    page.get_by_role("button", name="Create token").click()
    expect(page.locator("#name-error")).to_contain_text("Enter a name for the token")
    assert_accessible(page, axe)

    page.get_by_role("textbox", name="Name").fill("Browser test GP link")
    page.get_by_label("Patient: name, date of birth").check()
    page.get_by_label("Observation: outcome scores").check()
    page.get_by_role("button", name="Create token").click()
    token = page.get_by_label("Token", exact=True).input_value()
    assert token.startswith("clinic_")
    expect(page.get_by_role("cell", name="Browser test GP link", exact=True)).to_be_visible()
    assert_accessible(page, axe)
    if os.environ.get("CLINIC_SCREENSHOTS"):
        page.screenshot(path=f"{os.environ['CLINIC_SCREENSHOTS']}/api-tokens.png", full_page=True)

    api = page.request
    answer = api.get("/fhir/metadata", headers={"Authorization": f"Bearer {token}"})
    assert answer.status == 200 and answer.json()["resourceType"] == "CapabilityStatement"

    page.get_by_role("button", name="Revoke Browser test GP link").click()
    expect(page.get_by_text("API token Browser test GP link revoked")).to_be_visible()
    assert_accessible(page, axe)
    refused = api.get("/fhir/metadata", headers={"Authorization": f"Bearer {token}"})
    assert refused.status == 401
