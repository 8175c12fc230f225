"""Score history as a small SVG line chart, with the MCID marked. Plain Python.

The chart is decoration for sighted readers: it is ``aria-hidden`` and the page puts the
same figures in a table beside it for screen readers. The MCID line is drawn at the first
score plus or minus the minimal clinically important difference, on the side of
improvement, so a reader sees at a glance whether the change is one that matters.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from html import escape

from clinic.measures.registry import INSTRUMENTS

WIDTH, HEIGHT = 420, 200
LEFT, RIGHT, TOP, BOTTOM = 44, 28, 14, 34


@dataclass(frozen=True)
class ChartPoint:
    taken_on: date
    score: float


def _scale_max(scores: Sequence[float], mcid_line: float | None, ceiling: float) -> float:
    return max(ceiling, *scores, mcid_line or 0)


def line_chart(
    points: Sequence[ChartPoint],
    ceiling: float,
    mcid: float | None,
    higher_is_better: bool,
) -> str:
    """An SVG chart of ``points`` (oldest first) on a 0..ceiling axis."""
    if not points:
        return ""
    scores = [point.score for point in points]
    mcid_line = None
    if mcid is not None:
        mcid_line = scores[0] + mcid if higher_is_better else scores[0] - mcid
        mcid_line = min(max(mcid_line, 0.0), ceiling)
    top = _scale_max(scores, mcid_line, ceiling)
    plot_width = WIDTH - LEFT - RIGHT
    plot_height = HEIGHT - TOP - BOTTOM

    def x(index: int) -> float:
        return LEFT + (
            plot_width * index / (len(points) - 1) if len(points) > 1 else plot_width / 2
        )

    def y(value: float) -> float:
        return TOP + plot_height * (1 - value / top)

    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" '
        'aria-hidden="true" focusable="false" xmlns="http://www.w3.org/2000/svg">',
        f'<line x1="{LEFT}" y1="{TOP + plot_height}" x2="{WIDTH - RIGHT}" y2="{TOP + plot_height}" '
        'stroke="#1b1f24" stroke-width="1"/>',
        f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{TOP + plot_height}" '
        'stroke="#1b1f24" stroke-width="1"/>',
    ]
    for tick in (0, top / 2, top):
        parts.append(
            f'<text x="{LEFT - 6}" y="{y(tick) + 4:.1f}" text-anchor="end" font-size="11" '
            f'fill="#1b1f24">{tick:g}</text>'
        )
    if mcid_line is not None:
        parts.append(
            f'<line x1="{LEFT}" y1="{y(mcid_line):.1f}" '
            f'x2="{WIDTH - RIGHT}" y2="{y(mcid_line):.1f}" '
            'stroke="#1e6b34" stroke-width="2" stroke-dasharray="6 4"/>'
        )
        parts.append(
            f'<text x="{WIDTH - RIGHT}" y="{y(mcid_line) - 5:.1f}" '
            'text-anchor="end" font-size="11" '
            f'fill="#1e6b34">MCID ({mcid:g})</text>'
        )
    path = " ".join(f"{x(i):.1f},{y(score):.1f}" for i, score in enumerate(scores))
    parts.append(f'<polyline points="{path}" fill="none" stroke="#0b4f8a" stroke-width="3"/>')
    for index, point in enumerate(points):
        parts.append(
            f'<circle cx="{x(index):.1f}" cy="{y(point.score):.1f}" r="4.5" fill="#0b4f8a"/>'
        )
        label = escape(f"{point.taken_on.day} {point.taken_on:%b}")
        parts.append(
            f'<text x="{x(index):.1f}" y="{HEIGHT - 12}" text-anchor="middle" font-size="11" '
            f'fill="#1b1f24">{label}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


CEILINGS = {name: spec.ceiling for name, spec in INSTRUMENTS.items()}
