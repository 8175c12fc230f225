"""Likely-duplicate matching, table-driven: no fixtures, no database."""

from __future__ import annotations

import pytest

from clinic.patients.matching import fold, is_likely_duplicate, name_tokens, search_words


@pytest.mark.parametrize(
    ("typed", "folded"),
    [
        ("José  Núñez-Ruiz", "jose nunez ruiz"),
        # Apostrophes are dropped, not spaced: "oconnor" finds O'Connor.
        ("O'CONNOR", "oconnor"),
        ("D\u2019Arcy-Smith", "darcy smith"),
        ("  Zoë ", "zoe"),
    ],
)
def test_folding_ignores_case_accents_and_punctuation(typed: str, folded: str) -> None:
    assert fold(typed) == folded


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (("Margaret", "Ellison"), ("Margaret", "Ellison")),
        (("Margaret", "Ellison"), ("margaret", "ELLISON")),
        (("Jon", "Smith"), ("John", "Smith")),
        (("Elena", "Marković"), ("Elena", "Markovic")),
        (("Chen", "Mei"), ("Mei", "Chen")),
        (("Liam", "O'Connor"), ("Liam", "OConnor")),
    ],
)
def test_the_same_person_typed_differently_is_a_likely_duplicate(
    first: tuple[str, str], second: tuple[str, str]
) -> None:
    assert is_likely_duplicate(*first, *second)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (("Anna", "Lee"), ("Ben", "Lee")),
        (("Margaret", "Ellison"), ("Dorothy", "Pike")),
        (("Sam", "Adeyemi"), ("Grace", "Adeyemi")),
    ],
)
def test_different_people_are_not_likely_duplicates(
    first: tuple[str, str], second: tuple[str, str]
) -> None:
    assert not is_likely_duplicate(*first, *second)


@pytest.mark.parametrize(
    ("given", "family", "tokens"),
    [
        ("Siobhan", "O'Connor", {"siobhan", "oconnor", "o", "connor"}),
        ("José", "Núñez-Ruiz", {"jose", "nunez", "ruiz", "nunezruiz"}),
        ("Anouk", "Van den Berg", {"anouk", "van", "den", "berg", "vandenberg"}),
        ("Mary Ann", "Lee", {"mary", "ann", "maryann", "lee"}),
    ],
)
def test_the_words_a_search_can_start(given: str, family: str, tokens: set[str]) -> None:
    assert name_tokens(given, family) == tokens


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("Jo  SMITH", ["smith", "jo"]),
        ("jo john", ["john"]),  # "jo" starts "john": one word to match
        ("O'Connor", ["oconnor"]),
        ("--", []),
    ],
)
def test_search_words_longest_first_without_repeats(typed: str, words: list[str]) -> None:
    assert search_words(typed) == words
