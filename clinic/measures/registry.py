"""The instruments by name, with what pages and charts need to know about each."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from clinic.measures import ndi, nprs, odi, psfs, startback
from clinic.measures.base import MeasureError, ScoreResult


@dataclass(frozen=True)
class Instrument:
    name: str
    title: str
    scorer: Callable[..., ScoreResult]
    # Settings a clinic may change (the [P] points), with their defaults.
    settings: Mapping[str, Any]
    # Minimal clinically important difference, in the score's own units (None: not used).
    mcid: float | None
    higher_is_better: bool
    # Item id -> what ships: the full wording where it is free to use, else a short label.
    items: Mapping[str, str]
    wording_is_licensed: bool
    notice: str = ""


INSTRUMENTS: dict[str, Instrument] = {
    "nprs": Instrument(
        "nprs",
        "Numeric Pain Rating Scale",
        nprs.score,
        {"banding": "boonstra_2016"},
        nprs.MCID,
        False,
        {"rating": nprs.QUESTION},
        False,
    ),
    "startback": Instrument(
        "startback",
        "Keele STarT Back Screening Tool",
        startback.score,
        {"band_when_determined": False},
        None,
        False,
        startback.ITEMS,
        False,
        startback.COPYRIGHT,
    ),
    "odi": Instrument(
        "odi",
        "Oswestry Disability Index",
        odi.score,
        {"version": "2.1a", "max_missing_sections": 1},
        odi.MCID,
        False,
        odi.SECTIONS,
        True,
    ),
    "ndi": Instrument(
        "ndi",
        "Neck Disability Index",
        ndi.score,
        {"max_missing_items": 2},
        ndi.MCID,
        False,
        ndi.SECTIONS,
        True,
    ),
    "psfs": Instrument(
        "psfs",
        "Patient-Specific Functional Scale",
        psfs.score,
        {},
        psfs.MDC,
        True,
        {"activities": psfs.INSTRUCTIONS},
        False,
    ),
}


def score(name: str, responses: Any, **settings: Any) -> ScoreResult:
    instrument = INSTRUMENTS.get(name)
    if instrument is None:
        raise MeasureError("instrument", f"must be one of {', '.join(INSTRUMENTS)}")
    unknown = set(settings) - set(instrument.settings)
    if unknown:
        raise MeasureError("settings", f"{name} has no setting {', '.join(sorted(unknown))}")
    return instrument.scorer(responses, **{**instrument.settings, **settings})
