"""Dosage in words (``clinic.catalogue.dosage``): the phrasing rules, one by one, and the
words every shipped item prints at its default dosage."""

from __future__ import annotations

from typing import Any

import pytest

from clinic.catalogue.dosage import dosage_words, ticks_per_day
from clinic.catalogue.files import ITEMS_DIR, read_item

# Every shipped item at its default dosage: a new item needs its row here.
SHIPPED = {
    "abdominal-bracing": "Hold for 10 seconds. Do it 10 times. Twice a day.",
    "back-extension": (
        "Hold for 3 seconds. Do 2 sets of 8, resting 30 seconds between sets. On 4 days a week."
    ),
    "bird-dog": (
        "Hold for 5 seconds. "
        "Do 2 sets of 8, changing sides each time, resting 30 seconds between sets. "
        "On 5 days a week."
    ),
    "bridge": (
        "Hold for 5 seconds. "
        "Do 2 sets of 10, resting 30 seconds between sets. Once a day, on 5 days a week."
    ),
    "cat-cow": "Do it 10 times. Twice a day.",
    "childs-pose": "Hold for 30 seconds. Do it 3 times. Twice a day.",
    "chin-tuck": "Hold for 5 seconds. Do it 10 times. 3 times a day.",
    "cycling": "",
    "double-knee-to-chest": "Hold for 20 seconds. Do it 3 times. Twice a day.",
    "hamstring-stretch": "Hold for 30 seconds. Do it 3 times on each side. Once a day.",
    "heat-pack": "20 minutes at a time. 3 times a day.",
    "hip-flexor-stretch": "Hold for 30 seconds. Do it 3 times on each side. Once a day.",
    "hydration-electrolytes": "",
    "ice-pack": "15 minutes at a time. 4 times a day.",
    "ice-then-heat": "",
    "knee-rolls": "Do it 10 times, changing sides each time. Twice a day.",
    "knee-to-chest": "Hold for 20 seconds. Do it 3 times on each side. Twice a day.",
    "levator-scapulae-stretch": "Hold for 20 seconds. Do it 3 times on each side. Twice a day.",
    "lifting-technique": "",
    "open-book": "Hold for 3 seconds. Do it 8 times on each side. Once a day.",
    "pacing-flare-ups": "",
    "pelvic-tilt": "Hold for 5 seconds. Do it 10 times. Twice a day.",
    "plank-on-knees": (
        "Hold for 10 seconds. Do this 3 times, resting 30 seconds in between. On 5 days a week."
    ),
    "plank": (
        "Hold for 20 seconds. Do this 3 times, resting 30 seconds in between. On 4 days a week."
    ),
    "posture-desk-setup": "",
    "resistance-band-row": (
        "Do 3 sets of 12, resting 1 minute between sets. On 3 days a week. Resistance: light band."
    ),
    "scapular-squeeze": "Hold for 5 seconds. Do it 10 times. 3 times a day.",
    "self-massage-ball": "5 minutes at a time. Twice a day.",
    "self-massage-neck": "5 minutes on each side. Twice a day.",
    "side-bend-stretch": "Hold for 20 seconds. Do it 3 times on each side. Once a day.",
    "sit-to-stand": "Do 2 sets of 10, resting 1 minute between sets. On 5 days a week.",
    "sleeping-positions": "",
    "soft-tissue-massage": "20 minutes at a time. Once a week.",
    "spinal-mobilisation": "10 minutes at a time. Once a week.",
    "spinal-traction": "15 minutes at a time. Twice a week.",
    "staying-active": "",
    "stress-and-breathing": "5 minutes at a time. Twice a day.",
    "swimming": "",
    "therapeutic-ultrasound": "5 minutes at a time. Twice a week.",
    "thoracic-extension-chair": "Hold for 3 seconds. Do it 8 times. Twice a day.",
    "upper-trapezius-stretch": "Hold for 20 seconds. Do it 3 times on each side. Twice a day.",
    "walking-programme": "10 minutes at a time. Twice a day.",
}


def test_every_shipped_item_is_in_the_table() -> None:
    assert {path.stem for path in ITEMS_DIR.glob("*.toml")} == set(SHIPPED)


@pytest.mark.parametrize(("slug", "words"), sorted(SHIPPED.items()))
def test_every_shipped_item_reads_as_a_person_would_say_it(slug: str, words: str) -> None:
    item = read_item(ITEMS_DIR / f"{slug}.toml")
    assert dosage_words(item.content.dosage) == words


@pytest.mark.parametrize(
    ("dosage", "words"),
    [
        # The issue's own example.
        (
            {"reps": 3, "hold_seconds": 20, "side": "each", "times_per_day": 2, "days_per_week": 7},
            "Hold for 20 seconds. Do it 3 times on each side. Twice a day.",
        ),
        ({"hold_seconds": 59}, "Hold for 59 seconds."),
        ({"hold_seconds": 1}, "Hold for 1 second."),
        ({"hold_seconds": 90}, "Hold for 90 seconds."),
        ({"hold_seconds": 60}, "Hold for 1 minute."),
        ({"hold_seconds": 120, "side": "each"}, "Hold for 2 minutes on each side."),
        ({"duration_minutes": 1}, "1 minute at a time."),
        ({"duration_minutes": 5, "side": "each"}, "5 minutes on each side."),
        ({"reps": 1}, "Do it once."),
        ({"reps": 8, "side": "alternate"}, "Do it 8 times, changing sides each time."),
        ({"reps": 3, "side": "both"}, "Do it 3 times."),
        ({"reps": 10, "sets": 1, "rest_seconds": 30}, "Do it 10 times."),
        ({"reps": 10, "sets": 2}, "Do 2 sets of 10."),
        (
            {"reps": 10, "sets": 2, "rest_seconds": 90, "side": "each"},
            "Do 2 sets of 10 on each side, resting 90 seconds between sets.",
        ),
        ({"sets": 3, "hold_seconds": 10}, "Hold for 10 seconds. Do this 3 times."),
        ({"sets": 2, "rest_seconds": 30}, "Do this 2 times, resting 30 seconds in between."),
        ({"sets": 1, "rest_seconds": 30}, ""),
        ({"times_per_day": 1}, "Once a day."),
        ({"times_per_day": 2, "days_per_week": 7}, "Twice a day."),
        ({"times_per_day": 3, "days_per_week": 3}, "3 times a day, on 3 days a week."),
        ({"times_per_day": 1, "days_per_week": 1}, "Once a day, on 1 day a week."),
        ({"days_per_week": 7}, "Every day."),
        ({"days_per_week": 1}, "Once a week."),
        ({"days_per_week": 2}, "Twice a week."),
        ({"days_per_week": 5}, "On 5 days a week."),
        ({"load": "light band"}, "Resistance: light band."),
        ({}, ""),
    ],
)
def test_each_rule_of_the_phrasing(dosage: dict[str, Any], words: str) -> None:
    assert dosage_words(dosage) == words


@pytest.mark.parametrize(
    ("dosage", "boxes"),
    [({"times_per_day": 2}, 2), ({"times_per_day": 4}, 4), ({"days_per_week": 5}, 1), ({}, 1)],
)
def test_the_log_gives_one_box_per_time_a_day(dosage: dict[str, Any], boxes: int) -> None:
    assert ticks_per_day(dosage) == boxes
