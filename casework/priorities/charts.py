"""The band-count chart of the supervisor's view, as geometry for an inline SVG (PC13).

Drawn on the server: no chart library and nothing from a CDN. The template draws each shape
with a CSS class for its colour (the content security policy allows no style attributes),
and the same numbers are in a table beside it for anyone who cannot see the chart. Pure
Python: no queries here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from math import ceil

from casework.priorities import engine
from casework.priorities.selectors import DayCounts

WIDTH = 720
HEIGHT = 260
LEFT = 40  # room for the y-axis numbers
RIGHT = 10
TOP = 10
BOTTOM = 30  # room for the dates
LABEL_HALF_WIDTH = 24  # half of "30 Sep" at the chart's tick size, generously


@dataclass(frozen=True)
class Segment:
    band: str
    y: float
    height: float
    count: int


@dataclass(frozen=True)
class Bar:
    x: float
    width: float
    segments: list[Segment]
    title: str


@dataclass(frozen=True)
class Tick:
    position: float
    label: str
    anchor: str = "middle"  # SVG text-anchor: the last date ends at the right edge (issue 9, D24)


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    bars: list[Bar]
    y_ticks: list[Tick]
    x_ticks: list[Tick]
    past_lines: list[str]  # SVG polyline points, one per run of days with a snapshot
    past_points: list[Tick]  # a marker on each day, so a lone day shows too (position: x, label: y)
    baseline: float
    left: float
    right: float
    empty: bool


def _nice_maximum(value: int) -> int:
    """The axis top: the value rounded up to 1, 2 or 5 times a power of ten (at least 5)."""
    value = max(value, 5)
    power = 1
    while True:
        for step in (1, 2, 5):
            if step * power >= value:
                return step * power
        power *= 10


def band_chart(series: Sequence[DayCounts], *, width: int = WIDTH, height: int = HEIGHT) -> Chart:
    """Stacked columns of red, amber and green cases per day, and a line for cases past their
    time scale. A day with no snapshot is a gap, not a zero."""
    days = len(series)
    plot_width = width - LEFT - RIGHT
    plot_height = height - TOP - BOTTOM
    baseline = TOP + plot_height
    peak = max([max(day.total, day.past_time_scale or 0) for day in series] or [0])
    top = _nice_maximum(peak)
    scale = plot_height / top
    slot = plot_width / max(days, 1)
    bar_width = max(slot * 0.7, 1.0)
    bars: list[Bar] = []
    past_lines: list[str] = []
    past_points: list[Tick] = []
    run: list[str] = []
    for index, day in enumerate(series):
        x = LEFT + index * slot + (slot - bar_width) / 2
        if day.red is None:
            if len(run) > 1:
                past_lines.append(" ".join(run))
            run = []
            continue
        y = float(baseline)
        segments = []
        for band, count in ((engine.GREEN, day.green), (engine.AMBER, day.amber), (engine.RED, day.red)):
            h = (count or 0) * scale
            y -= h
            segments.append(Segment(band, round(y, 2), round(h, 2), count or 0))
        title = (
            f"{day.on:%a} {day.on.day} {day.on:%b}: {day.red} red, {day.amber} amber, {day.green} green; "
            f"{day.past_time_scale} past their time scale"
        )
        bars.append(Bar(round(x, 2), round(bar_width, 2), list(reversed(segments)), title))
        cx = LEFT + index * slot + slot / 2
        cy = baseline - (day.past_time_scale or 0) * scale
        run.append(f"{cx:.2f},{cy:.2f}")
        past_points.append(Tick(round(cx, 2), f"{cy:.2f}"))
    if len(run) > 1:
        past_lines.append(" ".join(run))
    y_ticks = [Tick(round(baseline - value * scale, 2), str(value)) for value in _tick_values(top)]
    every = max(1, ceil(days / 8))
    x_ticks = []
    for index, day in enumerate(series):
        if (days - 1 - index) % every:
            continue
        position, label = LEFT + index * slot + slot / 2, f"{day.on.day} {day.on:%b}"
        # A date centred on the last day would run past the right edge and be cut off.
        if position + LABEL_HALF_WIDTH > width:
            x_ticks.append(Tick(float(width - 1), label, "end"))
        else:
            x_ticks.append(Tick(round(position, 2), label))
    return Chart(
        width=width,
        height=height,
        bars=bars,
        y_ticks=y_ticks,
        x_ticks=x_ticks,
        past_lines=past_lines,
        past_points=past_points,
        baseline=baseline,
        left=LEFT,
        right=width - RIGHT,
        empty=not bars,
    )


def _tick_values(top: int) -> list[int]:
    step = top // 5 if top % 5 == 0 and top >= 5 else max(1, top // 4)
    return list(range(0, top + 1, step))
