"""How many examples a property test draws: fewer while `make mutation` runs a mutant
(mutmut sets MUTANT_UNDER_TEST), so each mutant is judged in seconds; `make test` draws
them all."""

from __future__ import annotations

import os


def examples(count: int) -> int:
    return min(count, 25) if os.environ.get("MUTANT_UNDER_TEST") else count
