"""How long a handout takes: the app's renderer, its cache, a naive WeasyPrint render and
Chromium printing the same HTML.

Run by `make bench` (never by the tests). Two handouts of shipped catalogue items at their
default dosage, built as plain data (no database): the 8-item "Acute low back spasm, first
week" template, the back-spasm handout of the issue, and the 6-item "Low back pain,
self-management" template, which fills three pages. Prints the median milliseconds over
ROUNDS renders of each, and the ratios.
"""

from __future__ import annotations

import io
import shutil
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pypdf
from flask import Flask

from clinic import create_app
from clinic.handouts.content import Handout, HandoutOptions
from clinic.handouts.printing import prepare_to_serve, renderer
from clinic.handouts.samples import sample_handout
from clinic.plans.templates_data import DEFAULT_TEMPLATES, DefaultTemplate

ROUNDS = 20
RENDERER = "renderer, uncached"
NAIVE = "naive WeasyPrint (stylesheet parsed each time)"
TAGGED_NAIVE = "naive, tagged like the renderer (pdf/ua-1)"
WORKLOADS = (DEFAULT_TEMPLATES[0], DEFAULT_TEMPLATES[1])


def handout(template: DefaultTemplate) -> Handout:
    return sample_handout(
        [entry.split("@")[0] for entry in template.items],
        patient_name="Bench Patient",
        plan_title=template.name,
        general_advice=template.general_advice,
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


def figures(app: Flask, data: list[Handout]) -> tuple[dict[str, float], int, int]:
    """The medians for one handout, its page count and its size in KB."""
    from weasyprint import CSS, HTML

    options = HandoutOptions()
    with app.app_context():
        handouts = renderer(app)
        html = handouts.html(data, options)
        stylesheet = (Path(app.static_folder or "") / "css" / "handout.css").read_text()
        pdf, _ = handouts.render(data, options)

    def uncached() -> None:
        handouts._cache.clear()
        handouts.render(data, options)

    def naive(**pdf_options: str) -> Callable[[], object]:
        return lambda: HTML(
            string=html, base_url="static:/", url_fetcher=handouts.fetcher
        ).write_pdf(
            stylesheets=[CSS(string=stylesheet), CSS(string="@page { size: A4 }")], **pdf_options
        )

    calls: dict[str, Callable[[], object]] = {
        RENDERER: uncached,
        "renderer, cached": lambda: handouts.render(data, options),
        NAIVE: naive(),
        TAGGED_NAIVE: naive(pdf_variant="pdf/ua-1"),
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
            results = medians(calls)
            browser.close()
    else:
        results = medians(calls)
    return results, len(pypdf.PdfReader(io.BytesIO(pdf)).pages), len(pdf) // 1024


def main() -> None:
    app = create_app({"DATABASE_URL": "sqlite://", "SECRET_KEY": "bench"})
    prepare_to_serve(app)  # as gunicorn and `clinic serve` do
    for template in WORKLOADS:
        data = [handout(template)]
        results, pages, size = figures(app, data)
        print(
            f"{template.name}: {len(data[0].items)} items, {pages} pages, {size} KB; "
            f"median of {ROUNDS} renders each"
        )
        for label, value in results.items():
            print(f"  {label:<48} {value:8.1f} ms")
        for label in (NAIVE, TAGGED_NAIVE):
            print(f"  {label} / renderer uncached: {results[label] / results[RENDERER]:.2f}x")


if __name__ == "__main__":
    main()
