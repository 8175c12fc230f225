"""Real Chromium (Debian's, driven by Playwright) against the app served from a thread.

The app here runs on its own database (built by the migrations, with the demo data
loaded), not inside a rolled-back transaction: the server answers on other threads.
Tests therefore make their own uniquely named data.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from flask import Flask
from playwright.sync_api import Browser, Page, Playwright, sync_playwright
from werkzeug.serving import make_server

from clinic import migrate
from clinic.catalogue.files import read_items
from clinic.catalogue.services import load_item_files
from clinic.cli import SYSTEM_ACTOR
from clinic.db import database
from clinic.demo import load_demo_data
from clinic.plans.templates import load_default_templates
from tests.clock import MovableClock
from tests.conftest import Databases, assert_no_internal_references, make_test_app

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in str(item.path).replace("\\", "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def clock() -> MovableClock:
    """The live server's clock for alerts: a test moves it, then puts it back."""
    return MovableClock()


@pytest.fixture(scope="session")
def live_app(
    databases: Databases, tmp_path_factory: pytest.TempPathFactory, clock: MovableClock
) -> Flask:
    url = databases.create("clinic_browser")
    migrate.upgrade(migrate.alembic_config(url=url))
    # Batches of more than one handout show their progress (the demo has three plans).
    return make_test_app(
        url, tmp_path_factory.mktemp("browser-instance"), CLOCK=clock, HANDOUT_BATCH_AT_ONCE=1
    )


@pytest.fixture(scope="session")
def live_server(live_app: Flask) -> Iterator[str]:
    app = live_app
    with app.app_context(), database(app).session_factory() as session:
        load_item_files(session, SYSTEM_ACTOR, read_items())
        load_default_templates(session, SYSTEM_ACTOR)
        load_demo_data(session)
        session.commit()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join()
        database(app).engine.dispose()


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as running:
        yield running


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        raise RuntimeError("Chromium is not installed: run `make test`, which installs it.")
    browser = playwright.chromium.launch(executable_path=CHROMIUM)
    yield browser
    browser.close()


@pytest.fixture
def page(browser: Browser, live_server: str, live_app: Flask) -> Iterator[Page]:
    context = browser.new_context(base_url=live_server, viewport={"width": 1024, "height": 900})
    page = context.new_page()
    yield page
    context.close()
    assert_no_internal_references(live_app)


@pytest.fixture(scope="session")
def axe() -> Axe:
    return Axe()
