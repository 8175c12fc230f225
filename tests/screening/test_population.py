"""Ordinary back and neck pain is not sent to the emergency department (review 2026-11:
over 90 % of spine patients carry a "red flag", about 8 % have serious pathology, so a
flag that fires on ordinary pain teaches staff to ignore flags)."""

from __future__ import annotations

from hypothesis import given, settings

from clinic.screening import Tier, screen
from tests.screening.examples import examples
from tests.screening.population import Presentation, ordinary_presentations, sample, tier_rates


@settings(max_examples=examples(300), deadline=None)
@given(ordinary_presentations())
def test_an_ordinary_presentation_is_never_an_emergency_or_urgent(case: Presentation) -> None:
    result = screen(case.answers)
    assert result.tier in (Tier.NONE, Tier.ROUTINE_WITH_FLAG), (
        case.kind,
        [rule.rule_id for rule in result.fired],
    )


def test_at_most_one_ordinary_presentation_in_five_carries_a_routine_flag() -> None:
    rates = tier_rates(sample())
    assert rates[Tier.EMERGENCY] == 0
    assert rates[Tier.URGENT] == 0
    assert rates[Tier.INCOMPLETE] == 0
    assert rates[Tier.ROUTINE_WITH_FLAG] <= 0.2


def test_the_sample_covers_every_presentation() -> None:
    kinds = {case.kind for case in sample()}
    assert len(kinds) == 6
