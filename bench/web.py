"""Pages against a bare form: how near the app's busiest pages come to the simplest page
a Flask + WTForms app can serve. Run by `make bench` (never by the tests); loopback only.

On SQLite (a temporary file), then on PostgreSQL (a throwaway server, the one the tests
start), each with the demo data: gunicorn with two sync workers serving
the app plus a bench-only reference page (`bench/reference_app.py`: 30 WTForms fields,
the same request handling, no patient read); two clients signed in as the demo therapist
(one per worker). Each round, every page in turn gets BURST requests, the two clients
sending side by side: its requests per second over the burst, and each request's time.
Printed: requests per second, p50 and p95 for each page and its ratio to the reference.
Targets: every page at least 0.7x the reference's requests per second; p95 at most 50 ms.

First, start-up: `clinic --help` and `clinic screen` (targets: under 0.5 s), and gunicorn
with two workers from its start to its first answer (target: under 3 s).
"""

from __future__ import annotations

import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, text  # noqa: E402

from bench.common import clinic_command, p95  # noqa: E402
from clinic.demo import DEMO_PASSWORD  # noqa: E402
from tests.postgres_server import throwaway_postgresql  # noqa: E402
from tests.servers import Browser, csrf_token, free_port, gunicorn  # noqa: E402

ROUNDS = 15
STARTS = 5
START_TARGET_S = 0.5
FIRST_REQUEST_TARGET_S = 3.0
BURST = 40
CLIENTS = 2
RATIO_TARGET = 0.7
P95_TARGET_MS = 50.0


def _pages(browser: Browser) -> dict[str, str]:
    """The address of each page measured, found as a therapist would (the demo data)."""
    status, location, _ = browser.request(
        "POST", "/patients/", {"text": "Rahman", "date_of_birth": ""}
    )
    assert status == 302, status
    search = location.removeprefix("http://127.0.0.1")
    search = search[search.index("/patients/") :]
    _, _, results = browser.request("GET", search)
    patient = re.findall(r'href="(/patients/[0-9a-f]{32})"', results)[0]
    _, _, record = browser.request("GET", patient)
    plan = re.findall(r'href="(/plans/[0-9a-f]{32})"', record)[0]
    browser.token = csrf_token(record)
    status, location, _ = browser.request("POST", f"{patient}/intakes")
    assert status == 302, status
    step = location[location.index("/intakes/") :]
    return {
        "bare 30-field WTForms page (reference)": "/bench/reference",
        "intake step": step,
        "patient search results": search,
        "review queue": "/queue",
        "plan page": plan,
        "patient record": patient,
    }


def _burst(clients: list[Browser], path: str) -> tuple[float, list[float]]:
    """BURST requests for ``path``, the clients side by side: requests per second over
    the burst, and each request's milliseconds."""
    times: list[float] = []
    lock = threading.Lock()

    def send(client: Browser, count: int) -> None:
        for _ in range(count):
            start = time.perf_counter()
            status, _, _ = client.raw("GET", path)
            elapsed = (time.perf_counter() - start) * 1000
            assert status == 200, (path, status)
            with lock:
                times.append(elapsed)

    threads = [
        threading.Thread(target=send, args=(client, BURST // len(clients))) for client in clients
    ]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return len(times) / (time.perf_counter() - start), times


def measure(clients: list[Browser], pages: dict[str, str]) -> dict[str, tuple[float, list[float]]]:
    rates: dict[str, list[float]] = {label: [] for label in pages}
    times: dict[str, list[float]] = {label: [] for label in pages}
    for path in pages.values():
        _burst(clients, path)  # warm up
    for _ in range(ROUNDS):
        for label, path in pages.items():
            rate, spent = _burst(clients, path)
            rates[label].append(rate)
            times[label].extend(spent)
    return {label: (statistics.median(rates[label]), times[label]) for label in pages}


def report(figures: dict[str, tuple[float, list[float]]], check: Callable[[bool], str]) -> None:
    reference = next(iter(figures.values()))[0]
    print(
        f"  {'page':<40} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8} {'ratio':>7}"
        f"   targets: ratio >= {RATIO_TARGET}, p95 <= {P95_TARGET_MS:.0f} ms"
    )
    for label, (rate, times) in figures.items():
        ratio = rate / reference
        print(
            f"  {label:<40} {rate:7.0f} {statistics.median(times):8.1f} {p95(times):8.1f}"
            f" {ratio:6.2f}x   {check(ratio >= RATIO_TARGET and p95(times) <= P95_TARGET_MS)}"
        )


def run(label: str, url: str, instance: Path) -> None:
    for command in (("db", "upgrade"), ("catalogue", "load"), ("demo",)):
        clinic_command(url, instance, *command)
    port = free_port()
    with gunicorn(url, instance, port, workers=2, app="bench.reference_app:app"):
        first = Browser(port)
        first.sign_in("therapist", DEMO_PASSWORD)
        pages = _pages(first)
        clients = [first]
        for _ in range(CLIENTS - 1):
            other = Browser(port)
            other.sign_in("therapist", DEMO_PASSWORD)
            clients.append(other)
        print(
            f"\nPages against a bare form: gunicorn, 2 sync workers, {label} (demo data), "
            f"{CLIENTS} clients side by side, {ROUNDS} rounds of {BURST} requests a page, "
            "the pages taking turns"
        )
        report(measure(clients, pages), lambda ok: "met" if ok else "MISSED")


def _seconds(command: list[str], environment: dict[str, str] | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, env=environment)
    return time.perf_counter() - start


def start_up() -> None:
    """How long the command line takes to answer, and gunicorn its first request, each
    the median of STARTS runs taking turns."""
    binaries = Path(sys.executable).parent
    with tempfile.TemporaryDirectory(prefix="clinic-bench-") as folder:
        instance = Path(folder)
        url = f"sqlite:///{instance / 'clinic.db'}"
        for command in (("db", "upgrade"), ("catalogue", "load"), ("demo",)):
            clinic_command(url, instance, *command)
        answers = instance / "answers.json"
        answers.write_text("{}", encoding="utf-8")
        environment = {**os.environ, "CLINIC_DATABASE_URL": url, "CLINIC_INSTANCE_PATH": folder}
        timings: dict[str, list[float]] = {"help": [], "screen": [], "gunicorn": []}
        for _ in range(STARTS):
            timings["help"].append(_seconds([str(binaries / "clinic"), "--help"]))
            timings["screen"].append(
                _seconds([str(binaries / "clinic"), "screen", str(answers)], environment)
            )
            port = free_port()
            start = time.perf_counter()
            with gunicorn(url, instance, port, workers=2):
                status, _, _ = Browser(port).raw("GET", "/login")
                timings["gunicorn"].append(time.perf_counter() - start)
            assert status == 200, status
    print(f"\nStart-up, median of {STARTS} runs taking turns")
    for label, target, values in (
        ("clinic --help", START_TARGET_S, timings["help"]),
        ("clinic screen answers.json", START_TARGET_S, timings["screen"]),
        (
            "gunicorn clinic.wsgi:app, first request answered",
            FIRST_REQUEST_TARGET_S,
            timings["gunicorn"],
        ),
    ):
        median = statistics.median(values)
        print(
            f"  {label:<52} {median:6.2f} s   target under {target:g} s: "
            f"{'met' if median < target else 'MISSED'}"
        )


def main() -> None:
    start_up()
    with tempfile.TemporaryDirectory(prefix="clinic-bench-") as folder:
        instance = Path(folder)
        run("SQLite", f"sqlite:///{instance / 'clinic.db'}", instance)
    with throwaway_postgresql() as base, tempfile.TemporaryDirectory() as folder:
        admin = create_engine(f"{base}/postgres", isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text('CREATE DATABASE "bench_web"'))
        admin.dispose()
        run("PostgreSQL", f"{base}/bench_web", Path(folder))


if __name__ == "__main__":
    main()
