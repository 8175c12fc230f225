"""How long a handout takes: the app's renderer, its cache, a naive WeasyPrint render and
Chromium printing the same HTML.

Run by `make bench` (never by the tests). An 8-item handout from the shipped catalogue
(illustrated exercises, stretches and advice), built as plain data, no database.
Prints the median milliseconds over ROUNDS renders of each, and the ratios.
"""

from __future__ import annotations

import io
import shutil
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pypdf

from clinic import create_app
from clinic.catalogue.dosage import dosage_words
from clinic.catalogue.files import ITEMS_DIR, read_item
from clinic.handouts.content import (
    ClinicDetails,
    Handout,
    HandoutItem,
    HandoutOptions,
    stop_and_get_help,
)
from clinic.handouts.views import prepare_to_serve, renderer
from clinic.plans.templates_data import DEFAULT_TEMPLATES

ROUNDS = 20
RENDERER = "renderer, uncached"
NAIVE = "naive WeasyPrint (stylesheet parsed each time)"
# The shipped "Acute low back spasm, first week" template: the back-spasm handout.
TEMPLATE = DEFAULT_TEMPLATES[0]
SLUGS = tuple(entry.split("@")[0] for entry in TEMPLATE.items)


def handout() -> Handout:
    items = []
    for number, slug in enumerate(SLUGS, start=1):
        item = read_item(ITEMS_DIR / f"{slug}.toml")
        content = item.content
        items.append(
            HandoutItem(
                number=number,
                title=content.text.title,
                kind=content.kind.value,
                summary=content.text.summary,
                steps=content.text.steps,
                dosage=dosage_words(content.dosage),
                safety_cues=content.text.safety_cues,
                note="",
                illustration_svg=item.illustration,
                illustration_alt=content.text.illustration_alt,
            )
        )
    clinic = ClinicDetails("Riverside Physiotherapy", "01632 960000", "1 Riverside Walk", "", "999")
    return Handout(
        clinic=clinic,
        patient_name="Bench Patient",
        plan_title=TEMPLATE.name,
        plan_version=1,
        issued_on=date(2026, 11, 23),
        therapist="Tom Okafor",
        review_date=None,
        general_advice=TEMPLATE.general_advice,
        items=tuple(items),
        stop_and_get_help=stop_and_get_help({}, frozenset({"lumbar"}), "999"),
    )


def medians(calls: dict[str, Callable[[], object]]) -> dict[str, float]:
    """The median milliseconds of each call over ROUNDS rounds. The calls take turns within
    each round, so a machine whose speed drifts (a shared virtual machine) slows them alike."""
    for call in calls.values():
        call()  # warm up
    samples: dict[str, list[float]] = {label: [] for label in calls}
    for _ in range(ROUNDS):
        for label, call in calls.items():
            start = time.perf_counter()
            call()
            samples[label].append((time.perf_counter() - start) * 1000)
    return {label: statistics.median(values) for label, values in samples.items()}


def main() -> None:
    from weasyprint import CSS, HTML

    app = create_app({"DATABASE_URL": "sqlite://", "SECRET_KEY": "bench"})
    options = HandoutOptions()
    data = [handout()]
    prepare_to_serve(app)  # as gunicorn and `clinic serve` do
    with app.app_context():
        handouts = renderer(app)
        html = handouts.html(data, options)
        stylesheet = (Path(app.static_folder or "") / "css" / "handout.css").read_text()
        pdf, _ = handouts.render(data, options)
    pages = len(pypdf.PdfReader(io.BytesIO(pdf)).pages)

    def uncached() -> None:
        handouts._cache.clear()
        handouts.render(data, options)

    def cached() -> None:
        handouts.render(data, options)

    def naive(**pdf_options: str) -> Callable[[], object]:
        return lambda: HTML(
            string=html, base_url="static:/", url_fetcher=handouts.fetcher
        ).write_pdf(
            stylesheets=[CSS(string=stylesheet), CSS(string="@page { size: A4 }")], **pdf_options
        )

    calls: dict[str, Callable[[], object]] = {
        RENDERER: uncached,
        "renderer, cached": cached,
        NAIVE: naive(),
        "naive, tagged like the renderer (pdf/ua-1)": naive(pdf_variant="pdf/ua-1"),
    }
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    if Path(chromium).exists():
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium)
            page = browser.new_page()
            page.set_content(html)
            page.add_style_tag(content=stylesheet)
            calls["Chromium page.pdf (warm page)"] = lambda: page.pdf(format="A4")
            figures = medians(calls)
            browser.close()
    else:
        figures = medians(calls)
    print(
        f"Handout: {len(SLUGS)} items, {pages} pages, {len(pdf) // 1024} KB; "
        f"median of {ROUNDS} renders each"
    )
    for label, value in figures.items():
        print(f"  {label:<48} {value:8.1f} ms")
    for label in (NAIVE, "naive, tagged like the renderer (pdf/ua-1)"):
        print(f"  {label} / renderer uncached: {figures[label] / figures[RENDERER]:.2f}x")


if __name__ == "__main__":
    main()
