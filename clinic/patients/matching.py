"""Name folding and likely-duplicate detection. Plain Python, no Flask or SQLAlchemy."""

from __future__ import annotations

import unicodedata
from difflib import SequenceMatcher

# Two registrations with the same date of birth whose names are at least this alike are
# shown to the user as a possible duplicate. Tuned on the cases in
# tests/patients/test_matching.py: typos, swapped name order, accents and hyphens.
LIKELY_DUPLICATE_SIMILARITY = 0.8


# Dropped, not turned into a space: "O'Connor" folds to "oconnor", as people type it.
APOSTROPHES = "'\u2019\u2018`"


def fold(text: str) -> str:
    """Lower-case, accent-free, single-spaced text: 'José  Núñez-Ruiz' -> 'jose nunez ruiz',
    "O'Connor" -> 'oconnor'."""
    for mark in APOSTROPHES:
        text = text.replace(mark, "")
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    without_marks = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    cleaned = "".join(ch if ch.isalnum() else " " for ch in without_marks)
    return " ".join(cleaned.split())


def search_name(given_name: str, family_name: str) -> str:
    return fold(f"{given_name} {family_name}")


# Longer words are cut: a search types the start of a word, never 100 letters of it.
TOKEN_LENGTH = 100


def name_tokens(given_name: str, family_name: str) -> set[str]:
    """The words a search matches the start of: every word of the folded name, each name
    of several words run together ("Van den Berg" also as "vandenberg", "Núñez-Ruiz" as
    "nunezruiz") and the parts of a name an apostrophe joins, as people type them."""
    words = set(search_name(given_name, family_name).split())
    for name in (given_name, family_name):
        parts = fold(name).split()
        if len(parts) > 1:
            words.add("".join(parts))
        # "O'Connor" is "oconnor", and "connor" too (and "D'Arcy" is "darcy" and "arcy").
        words.update(fold(_apart(name)).split())
    return {word[:TOKEN_LENGTH] for word in words}


def _apart(name: str) -> str:
    for mark in APOSTROPHES:
        name = name.replace(mark, " ")
    return name


def search_words(text: str) -> list[str]:
    """The folded words of a search, longest first (the longest is likely the rarest:
    the search starts from it), without repeats or words another word starts with
    ("jo john" is "john")."""
    words = sorted(set(fold(text).split()), key=lambda word: (-len(word), word))
    kept: list[str] = []
    for word in words:
        if not any(longer.startswith(word) for longer in kept):
            kept.append(word[:TOKEN_LENGTH])
    return kept


def name_similarity(given_a: str, family_a: str, given_b: str, family_b: str) -> float:
    """How alike two names are, 0 to 1, allowing for given and family name swapped."""
    first = search_name(given_a, family_a)
    straight = SequenceMatcher(None, first, search_name(given_b, family_b)).ratio()
    swapped = SequenceMatcher(None, first, search_name(family_b, given_b)).ratio()
    return max(straight, swapped)


def is_likely_duplicate(given_a: str, family_a: str, given_b: str, family_b: str) -> bool:
    return name_similarity(given_a, family_a, given_b, family_b) >= LIKELY_DUPLICATE_SIMILARITY
