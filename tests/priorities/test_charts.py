"""The band chart's geometry: stacked columns to scale, gaps for days with no snapshot (PC13)."""

from __future__ import annotations

import datetime as dt

from casework.priorities.charts import BOTTOM, HEIGHT, TOP, band_chart
from casework.priorities.selectors import DayCounts

DAY = dt.date(2026, 11, 2)


def day(offset: int, red: int | None, amber: int = 0, green: int = 0, past: int = 0) -> DayCounts:
    if red is None:
        return DayCounts(DAY + dt.timedelta(days=offset), None, None, None, None)
    return DayCounts(DAY + dt.timedelta(days=offset), red, amber, green, past)


def test_columns_stack_red_on_amber_on_green_to_scale():
    chart = band_chart([day(0, 2, 3, 5, past=4)])

    (bar,) = chart.bars
    red, amber, green = bar.segments
    assert [s.band for s in bar.segments] == ["red", "amber", "green"]
    plot = HEIGHT - TOP - BOTTOM
    unit = plot / 10  # the axis tops out at 10 for a total of 10
    assert (red.height, amber.height, green.height) == (
        round(2 * unit, 2),
        round(3 * unit, 2),
        round(5 * unit, 2),
    )
    assert green.y + green.height == chart.baseline  # green sits on the axis
    assert amber.y + amber.height == green.y and red.y + red.height == amber.y
    assert [t.label for t in chart.y_ticks] == ["0", "2", "4", "6", "8", "10"]
    assert bar.title == "Mon 2 Nov: 2 red, 3 amber, 5 green; 4 past their time scale"


def test_a_day_without_a_snapshot_is_a_gap_not_a_zero():
    chart = band_chart([day(0, 1, past=1), day(1, 1, past=2), day(2, None), day(3, 1, past=1)])

    assert len(chart.bars) == 3
    assert len(chart.past_lines) == 1  # the lone last day has a marker but no line
    assert len(chart.past_points) == 3
    assert not chart.empty


def test_no_snapshots_at_all_is_an_empty_chart():
    assert band_chart([day(0, None), day(1, None)]).empty
