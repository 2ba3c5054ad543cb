"""Geometry of the bar chart of events per year, drawn as SVG by a template.

Pure arithmetic, no drawing library: the page carries the figure itself, with
no script and no request to anyone else.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

WIDTH = 720
HEIGHT = 220
# Room for the axis labels: left for counts, bottom for years.
LEFT = 40
BOTTOM = 24
TOP = 8
MAX_YEAR_LABELS = 12


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


def bar_chart(by_year: list[tuple[int, int]]) -> BarChart | None:
    """Bars for (year, count) pairs in year order; None when there are none."""
    if not by_year:
        return None
    top = nice_ceiling(max(count for _, count in by_year))
    plot_height = HEIGHT - TOP - BOTTOM
    baseline = HEIGHT - BOTTOM
    slot = (WIDTH - LEFT) / len(by_year)
    gap = min(slot * 0.2, 8)
    every = math.ceil(len(by_year) / MAX_YEAR_LABELS)
    bars = []
    for index, (year, count) in enumerate(by_year):
        height = plot_height * count / top
        x = LEFT + index * slot + gap / 2
        bars.append(
            Bar(
                year=year,
                count=count,
                x=round(x, 2),
                y=round(baseline - height, 2),
                width=round(slot - gap, 2),
                height=round(height, 2),
                label_x=round(x + (slot - gap) / 2, 2),
                labelled=(len(by_year) - 1 - index) % every == 0,
            )
        )
    values = {0, top} | ({top // 2} if top % 2 == 0 else set())
    ticks = [
        Tick(value=value, y=round(baseline - plot_height * value / top, 2))
        for value in sorted(values)
    ]
    peak_year, peak_count = max(by_year, key=lambda pair: (pair[1], pair[0]))
    return BarChart(
        width=WIDTH,
        height=HEIGHT,
        left=LEFT,
        baseline=baseline,
        bars=bars,
        ticks=ticks,
        peak_year=peak_year,
        peak_count=peak_count,
    )
