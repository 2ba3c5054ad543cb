"""Geometry of the bar chart of events per year, drawn as SVG by a template.

Pure arithmetic, no drawing library: the page carries the figure itself, with
no script and no request to anyone else.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

# Drawn for a phone's width, so its labels stay legible when scaled down; the
# stylesheet caps how far it grows on wide screens.
WIDTH = 480
HEIGHT = 200
# Room for the axis labels: left for counts, bottom for years.
LEFT = 36
BOTTOM = 22
TOP = 8
MAX_YEAR_LABELS = 8
# A few years must not become a wall of paint.
MAX_BAR_WIDTH = 36


@dataclass(frozen=True)
class Bar:
    year: int
    count: int
    x: float
    y: float
    width: float
    height: float
    label_x: float
    labelled: bool


@dataclass(frozen=True)
class Tick:
    value: int
    y: float


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    left: int
    baseline: float
    bars: list[Bar]
    ticks: list[Tick]
    first_year: int
    last_year: int
    peak_year: int
    peak_count: int


def nice_ceiling(value: int) -> int:
    """The smallest of 1, 2, 5, 10, 20, 50… that is at least `value`."""
    if value <= 1:
        return 1
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if step * magnitude >= value:
            return step * magnitude
    return 10 * magnitude  # unreachable: 10 * magnitude > value


PLOT_HEIGHT = HEIGHT - TOP - BOTTOM
BASELINE = HEIGHT - BOTTOM


def _bars(by_year: list[tuple[int, int]], top: int) -> list[Bar]:
    slot = (WIDTH - LEFT) / len(by_year)
    width = min(slot * 0.8, MAX_BAR_WIDTH)
    # Every n-th year is labelled, counting back from the latest.
    every = math.ceil(len(by_year) / MAX_YEAR_LABELS)
    bars = []
    for index, (year, count) in enumerate(by_year):
        height = PLOT_HEIGHT * count / top
        centre = LEFT + (index + 0.5) * slot
        bars.append(
            Bar(
                year=year,
                count=count,
                x=round(centre - width / 2, 2),
                y=round(BASELINE - height, 2),
                width=round(width, 2),
                height=round(height, 2),
                label_x=round(centre, 2),
                labelled=(len(by_year) - 1 - index) % every == 0,
            )
        )
    return bars


def bar_chart(by_year: list[tuple[int, int]]) -> BarChart | None:
    """Bars for (year, count) pairs in year order; None when there are none."""
    if not by_year:
        return None
    top = nice_ceiling(max(count for _, count in by_year))
    values = {0, top} | ({top // 2} if top % 2 == 0 else set())
    ticks = [
        Tick(value=value, y=round(BASELINE - PLOT_HEIGHT * value / top, 2))
        for value in sorted(values)
    ]
    peak_year, peak_count = max(by_year, key=lambda pair: (pair[1], pair[0]))
    return BarChart(
        width=WIDTH,
        height=HEIGHT,
        left=LEFT,
        baseline=BASELINE,
        bars=_bars(by_year, top),
        ticks=ticks,
        first_year=by_year[0][0],
        last_year=by_year[-1][0],
        peak_year=peak_year,
        peak_count=peak_count,
    )
