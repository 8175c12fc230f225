"""What the benchmarks share: running `clinic` commands on a throwaway database, and
timing calls that take turns (this machine's speed drifts by 1.5x over minutes, so
variants compared in one run alternate round by round)."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def clinic_command(url: str, instance: Path, *args: str) -> None:
    subprocess.run(
        [str(Path(sys.executable).parent / "clinic"), *args],
        env={**os.environ, "CLINIC_DATABASE_URL": url, "CLINIC_INSTANCE_PATH": str(instance)},
        check=True,
        capture_output=True,
    )


def taking_turns(calls: dict[str, Callable[[], object]], rounds: int) -> dict[str, list[float]]:
    """Milliseconds of each call per round; the calls take turns within each round, so a
    machine whose speed drifts slows them alike."""
    for call in calls.values():
        call()  # warm up
    samples: dict[str, list[float]] = {label: [] for label in calls}
    for _ in range(rounds):
        for label, call in calls.items():
            start = time.perf_counter()
            call()
            samples[label].append((time.perf_counter() - start) * 1000)
    return samples


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) >= 20 else max(values)
