"""Emergencies reaching staff, in real browsers: a kiosk emergency appears on a front-desk
page open in another browser, with no reload, within the 5 seconds the clinic is promised;
it escalates when nobody takes it up (the server's clock is moved, nothing sleeps); the
first to open it acknowledges it; the tablet stays locked until staff unlock it."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from datetime import timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect

from tests.browser.pages import assert_accessible, sign_in
from tests.browser.test_intake import answer_up_to_nerves, register_patient
from tests.clock import MovableClock

# What the clinic is promised: a new emergency on every staff page within 5 seconds.
PROMISED_MS = 5000


@pytest.fixture
def moved_clock(clock: MovableClock) -> Iterator[MovableClock]:
    yield clock
    clock.reset()


def test_a_kiosk_emergency_reaches_the_desk_escalates_and_is_acknowledged(
    browser: Browser, live_server: str, page: Page, axe: Axe, moved_clock: MovableClock
) -> None:
    family_name = f"Alarm{uuid.uuid4().hex[:6]}"
    sign_in(page, axe, "frontdesk")
    register_patient(page, axe, family_name)
    page.get_by_role("button", name="Start intake on the kiosk").click()
    code = page.locator(".kiosk-code").inner_text().strip()
    # The desk goes on with its work on another page.
    page.get_by_role("link", name="Find a patient").first.click()
    expect(page.get_by_role("heading", name="Find a patient")).to_be_visible()
    title_before = page.title()

    tablet_context = browser.new_context(
        base_url=live_server, viewport={"width": 768, "height": 1024}
    )
    tablet = tablet_context.new_page()
    try:
        tablet.goto("/kiosk/")
        tablet.get_by_label("Your code").fill(code)
        tablet.get_by_role("button", name="Start").click()
        answer_up_to_nerves(tablet, axe, saddle_numbness=True)
        expect(
            tablet.get_by_role("heading", name="Please go to the front desk now")
        ).to_be_visible()
        expect(tablet.get_by_text("cauda", exact=False)).to_have_count(0)
        assert_accessible(tablet, axe)

        # On the desk's page, with no reload.
        banner = page.locator(".live-alert").filter(has_text=f"EMERGENCY: Kit {family_name}")
        expect(banner).to_be_visible(timeout=PROMISED_MS)
        expect(banner).to_contain_text("Do not book. Tell the duty clinician now.")
        expect(page).to_have_title(re.compile(r"^EMERGENCY \(\d+\) "))
        assert page.title() != title_before
        assert_accessible(page, axe)

        # The sound can be muted, per browser: it stays muted on the next page.
        mute = page.get_by_role("button", name="Mute alert sound")
        mute.click()
        expect(page.get_by_role("button", name=re.compile("Alert sound is off"))).to_have_attribute(
            "aria-pressed", "true"
        )
        page.reload()
        expect(banner).to_be_visible(timeout=PROMISED_MS)
        expect(page.get_by_role("button", name=re.compile("Alert sound is off"))).to_be_visible()

        # Nobody takes it up: past the clinic's 5 minutes it escalates on the open page.
        moved_clock.advance(timedelta(minutes=6))
        escalated = page.locator(".live-alert--escalated").filter(
            has_text=f"EMERGENCY: Kit {family_name}"
        )
        expect(escalated).to_be_visible(timeout=PROMISED_MS)
        expect(escalated).to_contain_text("Nobody has acknowledged this for 6 minutes")
        expect(page).to_have_title(re.compile(r"^EMERGENCY WAITING"))
        expect(page.locator("#live-alerts")).to_have_class(re.compile("live-alerts--escalated"))
        assert_accessible(page, axe)

        # The first to open it acknowledges it: who and when are shown on the result.
        escalated.get_by_role("button", name="Open and acknowledge").click()
        expect(page.get_by_text("You have acknowledged this emergency")).to_be_visible()
        expect(
            page.get_by_text(re.compile(r"Acknowledged by Priya Shah at .*after waiting 6 minutes"))
        ).to_be_visible()
        expect(page.locator(".live-alert").filter(has_text=family_name)).to_have_count(
            0, timeout=PROMISED_MS
        )
        assert_accessible(page, axe)

        # The tablet stays on its screen until staff unlock it with their own sign-in.
        tablet.reload()
        expect(
            tablet.get_by_role("heading", name="Please go to the front desk now")
        ).to_be_visible()
        tablet.get_by_label("Staff username").fill("frontdesk")
        tablet.get_by_label("Password").fill("demo-password-2026")
        tablet.get_by_role("button", name="Unlock").click()
        expect(tablet.get_by_role("heading", name="Welcome")).to_be_visible()
        expect(tablet.get_by_text("ready for the next patient")).to_be_visible()
    finally:
        tablet_context.close()


def test_a_desk_emergency_reaches_a_therapist_page_open_elsewhere(
    browser: Browser, live_server: str, page: Page, axe: Axe
) -> None:
    family_name = f"Elsewhere{uuid.uuid4().hex[:6]}"
    therapist_context = browser.new_context(
        base_url=live_server, viewport={"width": 1024, "height": 900}
    )
    therapist = therapist_context.new_page()
    try:
        sign_in(therapist, axe, "therapist")
        therapist.get_by_role("link", name="Treatment catalogue").first.click()

        sign_in(page, axe, "frontdesk")
        register_patient(page, axe, family_name)
        page.get_by_role("button", name="Start intake at the desk").click()
        answer_up_to_nerves(page, axe, saddle_numbness=True)
        expect(
            page.get_by_role(
                "heading", name="Stop the questionnaire and tell the duty clinician now"
            )
        ).to_be_visible()

        banner = therapist.locator(".live-alert").filter(has_text=f"EMERGENCY: Kit {family_name}")
        expect(banner).to_be_visible(timeout=PROMISED_MS)
        expect(banner).to_contain_text("while the questionnaire was being answered")
        banner.get_by_role("button", name="Open and acknowledge").click()
        expect(therapist.get_by_text(re.compile("Acknowledged by Tom Okafor"))).to_be_visible()
        expect(
            therapist.get_by_role("heading", name=re.compile("Cauda equina syndrome"))
        ).to_be_visible()
        assert_accessible(therapist, axe)
    finally:
        therapist_context.close()
