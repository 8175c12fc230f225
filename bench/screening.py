"""How long the clinical core takes: screening and scoring, per call.

Run by `make bench` (never by the tests). Prints the median and 95th percentile over
many calls, for a complete answer set with no flag, one with an emergency, and the
outcome measures; then the tiers given to 1,000 ordinary back and neck presentations
(tests/screening/population.py) and the rules that flagged them.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from clinic.measures import score
from clinic.screening import screen
from tests.screening.population import sample, tier_rates
from tests.screening.stories import answers, symptom

ROUNDS = 2000


def measure(label: str, call: Callable[[], object]) -> None:
    for _ in range(100):  # warm up
        call()
    samples = []
    for _ in range(ROUNDS):
        start = time.perf_counter_ns()
        call()
        samples.append(time.perf_counter_ns() - start)
    samples.sort()
    median = statistics.median(samples) / 1000
    p95 = samples[int(len(samples) * 0.95)] / 1000
    print(f"{label:<44} median {median:8.1f} µs   p95 {p95:8.1f} µs   ({ROUNDS} calls)")


def main() -> None:
    no_flag = answers()
    emergency = answers(**symptom("saddle_numbness"))
    odi = dict.fromkeys(
        [
            "pain_intensity",
            "personal_care",
            "lifting",
            "walking",
            "sitting",
            "standing",
            "sleeping",
            "sex_life",
            "social_life",
            "travelling",
        ],
        2,
    )
    startback = {**{f"q{n}": "agree" for n in range(1, 9)}, "q9": "very_much"}
    measure("screen(): complete answers, no red flag", lambda: screen(no_flag))
    measure("screen(): new saddle numbness (EMERGENCY)", lambda: screen(emergency))
    measure("score('odi')", lambda: score("odi", odi))
    measure("score('startback')", lambda: score("startback", startback))
    print_population()


def print_population() -> None:
    presentations = sample()
    print(f"\nTiers of {len(presentations)} ordinary back and neck presentations:")
    for tier, rate in tier_rates(presentations).items():
        print(f"  {tier.value:<20} {rate:6.1%}")
    fired = Counter(rule.rule_id for case in presentations for rule in screen(case.answers).fired)
    for rule_id, count in fired.most_common():
        print(f"  {rule_id:<20} fired on {count / len(presentations):6.1%}")


if __name__ == "__main__":
    main()
