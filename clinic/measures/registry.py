"""The instruments by name, with what pages and charts need to know about each."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from clinic.measures import lefs, ndi, nprs, odi, psfs, quickdash, rmdq, startback
from clinic.measures.base import MeasureError, ScoreResult


@dataclass(frozen=True)
class Instrument:
    name: str
    title: str
    scorer: Callable[..., ScoreResult]
    # Settings a clinic may change (the [P] points), with their defaults: the one place
    # they are written (the scorers take them as arguments).
    settings: Mapping[str, Any]
    # Minimal clinically important difference, in the score's own units (None: not used).
    mcid: float | None
    higher_is_better: bool
    # Item id -> what ships: the full wording where it is free to use, else a short label.
    items: Mapping[str, str]
    wording_is_licensed: bool
    notice: str = ""
    # The scores an item's statements take, in order (ODI: 0-5); empty where each item is
    # a statement the patient ticks (RMDQ). Licensed wording files follow it.
    response_scores: tuple[int, ...] = ()
    # The MCID as a share of the first score too (improvement by either counts).
    mcid_percent: float | None = None
    # The top of the scale, for charts.
    ceiling: float = 100.0


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
        mcid_percent=nprs.MCID_PERCENT,
        ceiling=10.0,
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
        ceiling=9.0,
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
        response_scores=tuple(range(6)),
        mcid_percent=30,
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
        response_scores=tuple(range(6)),
        ceiling=50.0,
    ),
    "rmdq": Instrument(
        "rmdq",
        "Roland-Morris Disability Questionnaire",
        rmdq.score,
        {"max_missing_items": 2},
        rmdq.MCID,
        False,
        rmdq.ITEMS,
        True,
        mcid_percent=rmdq.MCID_PERCENT,
        ceiling=24.0,
    ),
    "quickdash": Instrument(
        "quickdash",
        "QuickDASH",
        quickdash.score,
        {"max_missing_items": 1},
        quickdash.MCID,
        False,
        quickdash.ITEMS,
        True,
        response_scores=tuple(range(quickdash.LOW, quickdash.HIGH + 1)),
    ),
    "lefs": Instrument(
        "lefs",
        "Lower Extremity Functional Scale",
        lefs.score,
        {"max_missing_items": 0},
        lefs.MCID,
        True,
        lefs.ITEMS,
        True,
        response_scores=tuple(range(lefs.LOW, lefs.HIGH + 1)),
        ceiling=80.0,
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
        ceiling=10.0,
    ),
}


LICENSED = tuple(name for name, spec in INSTRUMENTS.items() if spec.wording_is_licensed)


@dataclass(frozen=True)
class Change:
    """A score's change from the first to the latest, judged against the MCID."""

    difference: float
    percent: float | None
    improved: bool
    # The improvement reaches the MCID in points, or in per cent where one is set.
    clinically_important: bool
    rule: str


def change(name: str, first: float, latest: float) -> Change | None:
    """The change from ``first`` to ``latest`` (None for an instrument without an MCID).
    NPRS: 2 points or 30 % (Childs et al., Spine 2005; Ostelo et al., Spine 2008)."""
    spec = INSTRUMENTS[name]
    if spec.mcid is None:
        return None
    difference = latest - first
    gain = difference if spec.higher_is_better else -difference
    percent = round(100 * difference / first, 1) if first else None
    gain_percent = 100 * gain / first if first else None
    by_points = gain >= spec.mcid
    by_percent = (
        spec.mcid_percent is not None
        and gain_percent is not None
        and gain_percent >= spec.mcid_percent
    )
    rule = f"an improvement of {spec.mcid:g} points" + (
        f" or {spec.mcid_percent:g} %" if spec.mcid_percent is not None else ""
    )
    return Change(
        difference=round(difference, 2),
        percent=percent,
        improved=gain > 0,
        clinically_important=by_points or by_percent,
        rule=rule,
    )


def score(name: str, responses: Any, **settings: Any) -> ScoreResult:
    instrument = INSTRUMENTS.get(name)
    if instrument is None:
        raise MeasureError("instrument", f"must be one of {', '.join(INSTRUMENTS)}")
    unknown = set(settings) - set(instrument.settings)
    if unknown:
        raise MeasureError("settings", f"{name} has no setting {', '.join(sorted(unknown))}")
    return instrument.scorer(responses, **{**instrument.settings, **settings})
