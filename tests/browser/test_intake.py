"""Intake in a real browser: the kiosk flow and the emergency flow, with axe-core on
every page on the way."""

from __future__ import annotations

import re
import uuid

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect

from tests.browser.pages import assert_accessible, sign_in

NO = re.compile(r"^No$")


def register_patient(page: Page, axe: Axe, family_name: str) -> None:
    page.get_by_role("link", name="Register a patient").first.click()
    page.get_by_label("Given name").fill("Kit")
    page.get_by_label("Family name").fill(family_name)
    page.get_by_label("Date of birth").fill("1979-04-11")
    page.get_by_label("Telephone", exact=True).fill("07700 900777")
    page.get_by_role("button", name="Register patient").click()
    expect(page.get_by_role("heading", name=f"Kit {family_name}")).to_be_visible()


def answer_the_rest_no(page: Page) -> None:
    """Choose "No" in every visible yes/no question still unanswered."""
    for group in page.locator("fieldset.choice-group:visible").all():
        if group.locator("input:checked").count() == 0:
            option = group.locator("label", has_text=NO)
            if option.count():
                option.first.click()


def continue_step(page: Page, axe: Axe) -> None:
    assert_accessible(page, axe)
    page.get_by_role(
        "button", name=re.compile("Save and continue|Yes, this is me|The details are right")
    ).click()


def answer_questionnaire(page: Page, axe: Axe, saddle_numbness: bool) -> None:
    """Details, complaint, history, the red-flag steps, measures and review. With saddle
    numbness, it stops where the nerves step is saved: the emergency is raised there."""
    answer_up_to_nerves(page, axe, saddle_numbness)
    if saddle_numbness:
        return
    answer_after_nerves(page, axe)


def answer_up_to_nerves(page: Page, axe: Axe, saddle_numbness: bool) -> None:
    # The details step first: wait for it to have loaded (axe needs a whole document).
    confirm = page.get_by_role("button", name=re.compile("Yes, this is me|The details are right"))
    expect(confirm).to_be_visible()
    continue_step(page, axe)  # details
    expect(page.get_by_role("heading", name="Your pain")).to_be_visible()
    page.get_by_label("Lower back").check()
    page.get_by_label("On what date did this problem start?").fill("2026-11-15")
    page.get_by_label("Gradually").check()
    page.get_by_label("How bad is your pain now?").fill("6")
    page.get_by_label("How bad is it at its best?").fill("3")
    page.get_by_label("How bad is it at its worst?").fill("8")
    continue_step(page, axe)
    expect(page.get_by_role("heading", name="Your health")).to_be_visible()
    answer_the_rest_no(page)
    continue_step(page, axe)
    expect(page.get_by_role("heading", name="About the pain")).to_be_visible()
    page.get_by_label("Staying the same").check()
    answer_the_rest_no(page)
    continue_step(page, axe)
    expect(page.get_by_role("heading", name="Legs, bladder and nerves")).to_be_visible()
    if saddle_numbness:
        group = page.locator("#saddle_numbness")
        group.get_by_label("Yes").check()
        # With JavaScript, the follow-ups appear inline at once.
        follow_up = page.locator("#saddle_numbness_status-question")
        expect(follow_up).to_be_visible()
        follow_up.get_by_label("It is new since this pain began").check()
        page.locator("#saddle_numbness_onset_days").fill("1")
        page.locator("#saddle_numbness_trend-question").get_by_label("Getting worse").check()
    answer_the_rest_no(page)
    continue_step(page, axe)


def answer_after_nerves(page: Page, axe: Axe) -> None:
    expect(page.get_by_role("heading", name="Your general health")).to_be_visible()
    answer_the_rest_no(page)
    continue_step(page, axe)
    expect(page.get_by_role("heading", name="Other symptoms")).to_be_visible()
    answer_the_rest_no(page)
    continue_step(page, axe)
    expect(page.get_by_role("heading", name="Back pain pattern")).to_be_visible()
    page.get_by_label("How old were you when you first had back pain?").fill("40")
    answer_the_rest_no(page)
    continue_step(page, axe)
    expect(page.get_by_role("heading", name="How the pain affects you")).to_be_visible()
    continue_step(page, axe)
    expect(page.get_by_role("heading", name="Check and send")).to_be_visible()
    assert_accessible(page, axe)
    page.get_by_role("button", name="Send my answers").click()


def test_the_kiosk_flow_from_code_to_lock(
    browser: Browser, live_server: str, page: Page, axe: Axe
) -> None:
    family_name = f"Kiosk{uuid.uuid4().hex[:6]}"
    sign_in(page, axe, "frontdesk")
    register_patient(page, axe, family_name)
    page.get_by_role("button", name="Start intake on the kiosk").click()
    code = page.locator(".kiosk-code").inner_text().strip()
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}", code)
    assert_accessible(page, axe)

    tablet_context = browser.new_context(
        base_url=live_server, viewport={"width": 768, "height": 1024}
    )
    tablet = tablet_context.new_page()
    try:
        tablet.goto("/kiosk/")
        assert_accessible(tablet, axe)
        tablet.get_by_label("Your code").fill(code.lower())
        tablet.get_by_role("button", name="Start").click()
        expect(tablet.get_by_role("heading", name="Is this you?")).to_be_visible()
        expect(tablet.get_by_text(f"Kit {family_name}")).to_be_visible()
        expect(tablet.get_by_role("navigation", name="Main")).to_have_count(0)

        staff_page = tablet.goto("/patients/")
        assert staff_page is not None and staff_page.status == 403
        tablet.goto("/kiosk/questions/details")

        answer_questionnaire(tablet, axe, saddle_numbness=False)
        expect(tablet.get_by_role("heading", name="Thank you")).to_be_visible()
        assert_accessible(tablet, axe)
        tablet.reload()
        expect(tablet.get_by_role("heading", name="Welcome")).to_be_visible()

        tablet.get_by_label("Your code").fill(code)
        tablet.get_by_role("button", name="Start").click()
        expect(tablet.get_by_text("That code has been used already")).to_be_visible()
        assert_accessible(tablet, axe)
    finally:
        tablet_context.close()


def test_the_emergency_flow_from_desk_to_therapist(
    browser: Browser, live_server: str, page: Page, axe: Axe
) -> None:
    family_name = f"Urgent{uuid.uuid4().hex[:6]}"
    sign_in(page, axe, "frontdesk")
    register_patient(page, axe, family_name)
    page.get_by_role("button", name="Start intake at the desk").click()
    answer_questionnaire(page, axe, saddle_numbness=True)

    # Raised as the nerves step is saved, not at the end.
    alert = page.get_by_role("alert").filter(has_text="Emergency: red flag")
    expect(alert).to_be_visible()
    expect(alert).to_contain_text("Do not book. Tell the duty clinician now.")
    expect(
        page.get_by_role("heading", name="Stop the questionnaire and tell the duty clinician now")
    ).to_be_visible()
    expect(page.get_by_text("Cauda equina")).to_have_count(0)
    assert_accessible(page, axe)
    # The remaining steps can be completed later, and the answers are sent as usual.
    page.get_by_role("link", name="Continue the questionnaire later").click()
    answer_after_nerves(page, axe)
    expect(page.get_by_role("alert").filter(has_text="Emergency: red flag")).to_be_visible()

    therapist_context = browser.new_context(
        base_url=live_server, viewport={"width": 1024, "height": 900}
    )
    therapist = therapist_context.new_page()
    try:
        sign_in(therapist, axe, "therapist")
        expect(therapist.locator(".emergency-count--active")).to_be_visible()
        therapist.get_by_role("navigation", name="Main").get_by_role(
            "link", name="Review queue"
        ).click()
        assert_accessible(therapist, axe)
        # The intake itself, from the queue: every answer, the flagged one highlighted.
        therapist.get_by_role("link", name=f"Read the intake of Kit {family_name}").click()
        expect(therapist.get_by_role("heading", name=f"Intake: Kit {family_name}")).to_be_visible()
        flagged = therapist.locator("#answer-saddle_numbness")
        expect(flagged).to_have_class(re.compile("answers__row--flagged"))
        expect(flagged).to_contain_text("Yes")
        expect(
            flagged.get_by_role("link", name=re.compile("Red flag: Cauda equina"))
        ).to_be_visible()
        expect(therapist.locator("#answer-pain_now")).to_contain_text("6")
        expect(therapist.locator("#answer-onset_date")).to_contain_text("15 November 2026")
        assert therapist.locator(".answers__row").count() >= 40
        assert_accessible(therapist, axe)
        therapist.go_back()
        therapist.get_by_role("link", name=f"Kit {family_name}", exact=True).click()
        expect(
            therapist.get_by_role("heading", name=re.compile("Cauda equina syndrome"))
        ).to_have_count(1)
        assert_accessible(therapist, axe)
        therapist.get_by_label("Clinically cleared").check()
        therapist.get_by_label("Clinical reason for clearing").fill(
            "Examined: saddle sensation intact, anal tone normal; numbness from cycling."
        )
        therapist.get_by_role("button", name="Record decision").click()
        expect(therapist.get_by_text("Decision recorded.")).to_be_visible()
        expect(therapist.get_by_text("Red flag awaiting a therapist's decision")).to_have_count(0)
        expect(therapist.get_by_text("Cleared", exact=False).first).to_be_visible()
        assert_accessible(therapist, axe)
    finally:
        therapist_context.close()

    page.reload()
    page.get_by_role("link", name="Patient's page").click()
    expect(page.get_by_text("Red flag awaiting a therapist's decision")).to_have_count(0)
    assert_accessible(page, axe)
