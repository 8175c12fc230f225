"""Handouts: what a print costs, served from the archive and rendered, one at a time and in
batches. Run by `make bench` (never by the tests); loopback only.

1. Through HTTP: a throwaway SQLite database with the demo data, gunicorn with two sync
   workers, a signed-in therapist. A plan is revised and finalised through the pages (its
   handout is archived then), and its first print says where it came from. Then, taking
   turns for ROUNDS rounds: the app's simplest signed-in page (the home page) and the
   archived print. Targets: the print at most 2x the home page, at most 10 ms median.
2. In this process: the renderer's uncached render of the 8-item back-spasm handout,
   against Chromium's warm ``page.pdf`` of the same HTML (a reference), taking turns.
3. A batch of BATCH handouts: one after another in this process, against the pool of
   worker processes (one per core) plus the pikepdf join, taking turns. Target: the pool
   at least 1.7x faster on 2 cores.
4. Memory: a process built as a gunicorn worker is (the app, the warmed renderer) renders
   200 handouts; its peak resident size. Target: at most 200 MB.
"""

from __future__ import annotations

import io
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pypdf  # noqa: E402

from bench.common import clinic_command, p95, taking_turns  # noqa: E402
from clinic import create_app  # noqa: E402
from clinic.demo import DEMO_PASSWORD  # noqa: E402
from clinic.handouts.content import Handout, HandoutOptions  # noqa: E402
from clinic.handouts.pool import default_size, render_many, shut_down  # noqa: E402
from clinic.handouts.printing import join, prepare_to_serve, renderer  # noqa: E402
from clinic.handouts.samples import sample_handout  # noqa: E402
from clinic.plans.templates_data import DEFAULT_TEMPLATES  # noqa: E402
from tests.servers import Browser, csrf_token, free_port, gunicorn  # noqa: E402

ROUNDS = 200
RENDER_ROUNDS = 15
BATCH = 20
BATCH_ROUNDS = 3
MEMORY_RENDERS = 200


def spasm_handout(name: str = "Bench Patient", large_print: bool = False) -> Handout:
    template = DEFAULT_TEMPLATES[0]
    return sample_handout(
        [entry.split("@")[0] for entry in template.items],
        patient_name=name,
        plan_title=template.name,
        general_advice=template.general_advice,
        large_print=large_print,
    )


def report(samples: dict[str, list[float]]) -> dict[str, float]:
    medians = {}
    for label, values in samples.items():
        medians[label] = statistics.median(values)
        print(f"  {label:<52} median {medians[label]:8.1f} ms   p95 {p95(values):8.1f} ms")
    return medians


def _finalise_through_the_pages(browser: Browser) -> str:
    """Revise a demo plan and finalise it again, as a therapist does; its plan id."""
    _, _, page = browser.request("GET", "/handouts")
    plan_id = re.findall(r'name="plan" value="([0-9a-f]{32})"', page)[0]
    browser.token = csrf_token(page)
    status, _, _ = browser.request("POST", f"/plans/{plan_id}/revise")
    assert status == 302, status
    _, _, form = browser.request("GET", f"/plans/{plan_id}/finalise")
    browser.token = csrf_token(form)
    fields = {
        "edit_count": re.search(r'name="edit_count" value="(\d+)"', form).group(1),  # type: ignore[union-attr]
        **dict.fromkeys(re.findall(r'name="(confirm-[^"]+)"', form), "y"),
    }
    status, _, _ = browser.request("POST", f"/plans/{plan_id}/finalise", fields)
    assert status == 302, status
    return plan_id


def http_figures() -> None:
    with tempfile.TemporaryDirectory(prefix="clinic-bench-") as folder:
        instance = Path(folder)
        url = f"sqlite:///{instance / 'clinic.db'}"
        for command in (("db", "upgrade"), ("catalogue", "load"), ("demo",)):
            clinic_command(url, instance, *command)
        port = free_port()
        with gunicorn(url, instance, port, workers=2):
            browser = Browser(port)
            browser.sign_in("therapist", DEMO_PASSWORD)
            plan_id = _finalise_through_the_pages(browser)
            path = f"/plans/{plan_id}/handout.pdf"
            status, headers, pdf = browser.raw("GET", path)
            print(
                f"\nThrough HTTP (gunicorn, 2 sync workers, SQLite): first print after "
                f"finalising: {status}, X-Handout-Source: {headers.get('x-handout-source')}, "
                f"{len(pdf) // 1024} KB"
            )
            sources: set[str] = set()

            def archived() -> None:
                status, headers, _ = browser.raw("GET", path)
                assert status == 200
                sources.add(headers.get("x-handout-source", ""))

            def home() -> None:
                status, _, _ = browser.raw("GET", "/")
                assert status == 200

            print(f"  {ROUNDS} rounds, the two taking turns:")
            medians = report(
                taking_turns({"home page (signed in)": home, "archived print": archived}, ROUNDS)
            )
            ratio = medians["archived print"] / medians["home page (signed in)"]
            print(f"  archived print / home page: {ratio:.2f}x (target at most 2x)")
            print(f"  every print served from: {', '.join(sorted(sources))}")


def render_figures() -> None:
    app = create_app({"DATABASE_URL": "sqlite://", "SECRET_KEY": "bench"})
    prepare_to_serve(app)  # as gunicorn and `clinic serve` do
    handout, options = spasm_handout(), HandoutOptions()
    handouts = renderer(app)
    html = handouts.html(handout, options)
    pdf = handouts.render(handout, options)
    pages = len(pypdf.PdfReader(io.BytesIO(pdf)).pages)
    calls: dict[str, Callable[[], object]] = {
        "renderer (WeasyPrint), uncached": lambda: handouts.render(handout, options)
    }
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    stylesheet = (Path(app.static_folder or "") / "css" / "handout.css").read_text()
    print(f"\nOne handout ({len(handout.items)} items, {pages} pages), {RENDER_ROUNDS} rounds:")
    if Path(chromium).exists():
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium)
            page = browser.new_page()
            page.set_content(html)
            page.add_style_tag(content=stylesheet)
            calls["Chromium page.pdf (warm page, reference)"] = lambda: page.pdf(format="A4")
            report(taking_turns(calls, RENDER_ROUNDS))
            browser.close()
    else:
        report(taking_turns(calls, RENDER_ROUNDS))


def batch_figures() -> None:
    app = create_app({"DATABASE_URL": "sqlite://", "SECRET_KEY": "bench"})
    prepare_to_serve(app)
    static, templates = Path(app.static_folder or ""), Path(app.template_folder or "")
    jobs = [
        (spasm_handout(f"Patient {n:02d}", large_print=n % 4 == 0), HandoutOptions())
        for n in range(BATCH)
    ]
    size = default_size()
    handouts = renderer(app)
    joined: list[float] = []

    def one_after_another() -> None:
        join([handouts.render(*job) for job in jobs])

    def pool() -> None:
        pdfs = render_many(jobs, static, templates, size)
        start = time.perf_counter()
        join([pdf for pdf in pdfs if isinstance(pdf, bytes)])
        joined.append((time.perf_counter() - start) * 1000)

    print(f"\nA batch of {BATCH} handouts, {BATCH_ROUNDS} rounds ({size} pool processes):")
    medians = report(
        taking_turns(
            {"one after another, then joined": one_after_another, "pool, then joined": pool},
            BATCH_ROUNDS,
        )
    )
    print(
        f"  of which joining {BATCH} PDFs with pikepdf: median {statistics.median(joined):.1f} ms"
    )
    speedup = medians["one after another, then joined"] / medians["pool, then joined"]
    print(f"  pool speed-up: {speedup:.2f}x (target at least 1.7x on 2 cores)")
    shut_down()


MEMORY_SCRIPT = """
import resource, sys
sys.path.insert(0, {root!r})
from bench.handouts import spasm_handout
from clinic import create_app
from clinic.handouts.content import HandoutOptions
from clinic.handouts.printing import prepare_to_serve, renderer
app = create_app({{"DATABASE_URL": "sqlite://", "SECRET_KEY": "bench"}})
prepare_to_serve(app)
handouts = renderer(app)
for n in range({renders}):
    handouts.render(spasm_handout(f"Patient {{n}}", large_print=n % 2 == 1), HandoutOptions())
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def memory_figures() -> None:
    script = MEMORY_SCRIPT.format(root=str(ROOT), renders=MEMORY_RENDERS)
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=ROOT
    )
    peak = int(result.stdout.split()[-1]) / 1024
    print(
        f"\nMemory: a worker-like process (app, warmed renderer) after {MEMORY_RENDERS} renders: "
        f"peak {peak:.0f} MB (target at most 200 MB)"
    )


def main() -> None:
    http_figures()
    render_figures()
    batch_figures()
    memory_figures()


if __name__ == "__main__":
    main()
