"""A server-rendered line chart (inline SVG, no script, no CDN) of usage per service and day, with its
numbers in a table beside it for screen readers and anyone who prefers them."""

import math
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import count

from django.utils.formats import date_format

# Colours with at least 3:1 contrast against white (WCAG 2.2 non-text contrast).
PALETTE = ["#0f5bd6", "#b3261e", "#1b7f3b", "#8a4b00", "#6b3fa0", "#006b75", "#a0306e", "#4d5358"]
WIDTH, HEIGHT, LEFT, BOTTOM, TOP, RIGHT = 720, 260, 48, 28, 12, 12


@dataclass
class Series:
    label: str
    colour: str
    points: str  # "x,y x,y ..." of the polyline
    last: float
    peak: float


@dataclass
class Chart:
    start: date
    end: date
    series: list[Series]
    y_ticks: list[tuple[float, float]]  # (y position, value)
    x_ticks: list[tuple[float, str]]  # (x position, label)
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    plot_bottom: int = HEIGHT - BOTTOM
    plot_right: int = WIDTH - RIGHT

    @property
    def empty(self) -> bool:
        return not self.series


def _scale(peak: float) -> tuple[int, int]:
    """(top, step) of the value axis for a ``peak`` of licences: a whole step of 1, 2 or 5 times a power of
    ten that makes at most five intervals (0, 10, 20, 30 for a peak of 26, not 0, 7.5, 15, 22.5, 30), and the
    first multiple of it at or above the peak."""
    steps = (multiple * 10**power for power in count() for multiple in (1, 2, 5))
    step = next(step for step in steps if peak <= step * 5)
    return max(math.ceil(peak / step), 1) * step, step


def usage_chart(*, series: dict[str, list[float]], start: date, end: date) -> Chart:
    days = (end - start).days + 1
    top, step = _scale(max((max(values) for values in series.values()), default=0))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(n: int) -> float:
        return round(LEFT + (plot_w * n / max(days - 1, 1)), 1)

    def y(value: float) -> float:
        return round(TOP + plot_h - plot_h * value / top, 1)

    drawn = [
        Series(
            label,
            PALETTE[n % len(PALETTE)],
            " ".join(f"{x(i)},{y(v)}" for i, v in enumerate(values)),
            values[-1],
            max(values),
        )
        for n, (label, values) in enumerate(sorted(series.items()))
    ]
    y_ticks = [(y(value), value) for value in range(0, top + 1, step)]
    every = max(days // 6, 1)
    x_ticks = [(x(i), date_format(start + timedelta(days=i), "d M")) for i in range(0, days, every)]
    return Chart(start, end, drawn, y_ticks, x_ticks)
