"""Outcome measures as pure functions: raw item responses in, score, band and the policy
applied out, or "not scorable" with the reason. No Flask or SQLAlchemy import.

Licensing follows clinical.md §8: the scoring code ships freely; question wording ships
only where it is free to use (NPRS, PSFS, and STarT Back with Keele's copyright notice).
ODI and NDI items are recorded by section with short labels; a clinic holding a licence
may load the wording from its own file (``wording.load_licensed_wording``).
"""

from clinic.measures.base import MeasureError, ScoreResult
from clinic.measures.registry import INSTRUMENTS, Instrument, score

__all__ = ["INSTRUMENTS", "Instrument", "MeasureError", "ScoreResult", "score"]
