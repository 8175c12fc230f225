"""Ordinary back and neck pain: presentations with no red flag by clinical.md §5-§6.

Each presentation is drawn with its features, and each feature carries the reason it is
benign. The tests assert that none of them is sent to emergency or urgent care; `make
bench` prints the rates over a fixed sample of 1,000. A routine flag is allowed where a
guideline asks the therapist to act (a neurological examination for one-sided sciatica),
but at most one presentation in five may carry one.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st

from clinic.screening import Tier, screen
from tests.screening.stories import answers, legs

SAMPLE_SIZE = 1000
SAMPLE_SEED = 2026


@dataclass(frozen=True)
class Presentation:
    kind: str
    answers: dict[str, Any]
    # Why each feature that reads like a flag is benign.
    reasons: tuple[str, ...]


def _first_episode(rng: random.Random, age: int) -> str:
    # A first ever episode over 60 is a priority referral (clinical.md §4.7 U-AGE-1), so
    # an ordinary presentation over 60 has had back or neck pain before.
    return rng.choice(["yes", "no"]) if age <= 60 else "no"


def _acute_spasm(rng: random.Random) -> Presentation:
    return Presentation(
        "acute spasm",
        answers(
            age=(age := rng.randint(18, 60)),
            pain_duration_days=rng.randint(0, 14),
            pain_trend=rng.choice(["better", "same"]),
            back_spasms="yes",
            first_episode=_first_episode(rng, age),
            pain_new_or_changed=rng.choice(["yes", "no"]),
        ),
        ("spasms for up to two weeks are expected (clinical.md §6, R-DUR-1)",),
    )


def _after_lifting(rng: random.Random) -> Presentation:
    return Presentation(
        "pain after lifting",
        answers(
            age=(age := rng.randint(18, 69)),
            pain_duration_days=rng.randint(0, 21),
            pain_trend=rng.choice(["better", "same"]),
            lifting_or_strain="yes",
            back_spasms=rng.choice(["yes", "no"]),
            pain_new_or_changed="yes",
            first_episode=_first_episode(rng, age),
        ),
        (
            "lifting or straining is context, not trauma, without bone fragility "
            "(clinical.md §3.2)",
            "under 70, no osteoporosis, fragility fracture or long-term steroids",
        ),
    )


def _one_sided_sciatica(rng: random.Random) -> Presentation:
    duration = rng.randint(3, 60)
    return Presentation(
        "one-sided sciatica without deficit",
        answers(
            age=rng.randint(20, 60),
            pain_duration_days=duration,
            pain_trend=rng.choice(["better", "same"]),
            pain_new_or_changed="yes",
            first_episode="no",
            **legs(
                rng.choice(["left", "right"]),
                onset_days=rng.randint(0, duration),
                trend=rng.choice(["better", "same"]),
            ),
        ),
        (
            "one leg, no weakness that is getting worse, no foot drop: radiculopathy, a "
            "routine flag for an examination and safety net (clinical.md §6, R-RAD-1)",
        ),
    )


def _stable_chronic(rng: random.Random) -> Presentation:
    age = rng.randint(25, 75)
    return Presentation(
        "stable chronic pain",
        answers(
            regions=(rng.choice(["lumbar", "cervical"]),),
            age=age,
            pain_duration_days=rng.randint(90, 3650),
            pain_trend=rng.choice(["better", "same"]),
            pain_new_or_changed="no",
            first_episode="no",
            back_spasms="yes" if rng.random() < 0.15 else "no",
            back_pain_onset_age=max(16, age - rng.randint(1, 20)),
        ),
        (
            "a long history that is stable or improving is not a flag (clinical.md §6)",
            "spasms that are not improving are a routine flag by design (R-DUR-1)",
        ),
    )


def _recurrence(rng: random.Random) -> Presentation:
    return Presentation(
        "recurrence of familiar pain",
        answers(
            age=rng.randint(20, 70),
            pain_duration_days=rng.randint(0, 21),
            pain_trend=rng.choice(["better", "same"]),
            pain_new_or_changed="no",
            first_episode="no",
            back_spasms=rng.choice(["yes", "no"]),
        ),
        ("the same pain as before, short and not worsening (NICE NG59 reassessment)",),
    )


def _mechanical_neck(rng: random.Random) -> Presentation:
    age = rng.randint(20, 65)
    return Presentation(
        "mechanical neck pain",
        answers(
            regions=("cervical",) if age > 50 else (rng.choice(["cervical", "thoracic"]),),
            age=age,
            pain_duration_days=rng.randint(0, 30),
            pain_trend=rng.choice(["better", "same"]),
            pain_new_or_changed=rng.choice(["yes", "no"]),
            first_episode="no",
        ),
        (
            "desk-posture neck or upper back pain; thoracic pain only under 50, as over 50 "
            "it is a malignancy feature (clinical.md §3.3, U-MAL-3)",
        ),
    )


# (weight, presentation): acute and recurrent mechanical pain make up most of a clinic's
# new back and neck patients; sciatica about one in seven.
PRESENTATIONS: tuple[tuple[int, Callable[[random.Random], Presentation]], ...] = (
    (20, _acute_spasm),
    (20, _after_lifting),
    (15, _one_sided_sciatica),
    (20, _stable_chronic),
    (15, _recurrence),
    (10, _mechanical_neck),
)


def ordinary_presentation(rng: random.Random) -> Presentation:
    weights = [weight for weight, _ in PRESENTATIONS]
    make = rng.choices([make for _, make in PRESENTATIONS], weights=weights)[0]
    return make(rng)


def ordinary_presentations() -> st.SearchStrategy[Presentation]:
    return st.randoms(use_true_random=False).map(ordinary_presentation)


def sample(size: int = SAMPLE_SIZE, seed: int = SAMPLE_SEED) -> list[Presentation]:
    rng = random.Random(seed)  # noqa: S311 (a fixed sample for the tests, not a secret)
    return [ordinary_presentation(rng) for _ in range(size)]


def tier_rates(presentations: list[Presentation]) -> dict[Tier, float]:
    counts = Counter(screen(case.answers).tier for case in presentations)
    return {tier: counts[tier] / len(presentations) for tier in Tier}
