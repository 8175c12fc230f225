"""Print the score of the last `mutmut run` and every mutant that was not killed.

Run by `make mutation` after mutmut has written mutants/mutmut-cicd-stats.json; each
survivor is listed with its diff so it can be explained (docs/screening.md, "Mutation
testing") or killed by a new test.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

STATS = Path("mutants/mutmut-cicd-stats.json")


def main() -> int:
    stats = json.loads(STATS.read_text(encoding="utf-8"))
    killed, total = stats["killed"], stats["total"]
    not_killed = total - killed
    print(
        f"Mutants: {total}; killed {killed} ({100 * killed / total:.1f} %); not killed {not_killed}"
    )
    for key in ("survived", "no_tests", "timeout", "suspicious", "skipped"):
        if stats.get(key):
            print(f"  {key.replace('_', ' ')}: {stats[key]}")
    listing = subprocess.run(
        [sys.executable, "-m", "mutmut", "results"], capture_output=True, text=True, check=True
    ).stdout
    names = [line.split(":")[0].strip() for line in listing.splitlines() if line.strip()]
    for name in names:
        print(f"\n{name}")
        shown = subprocess.run(
            [sys.executable, "-m", "mutmut", "show", name], capture_output=True, text=True
        ).stdout
        print(shown.rstrip())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
