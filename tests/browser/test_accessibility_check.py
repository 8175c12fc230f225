"""The accessibility check itself can fail: a page with known violations is caught."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

from tests.browser.pages import assert_accessible


def test_the_axe_check_fails_on_an_unlabelled_input_and_low_contrast(page: Page, axe: Axe) -> None:
    page.set_content(
        '<!doctype html><html lang="en"><head><title>Bad page</title></head><body><main>'
        '<input type="text"><p style="color:#bbb;background:#fff">faint text</p>'
        "</main></body></html>"
    )
    with pytest.raises(AssertionError, match="label"):
        assert_accessible(page, axe)
