"""A server-rendered line chart (inline SVG, no script, no CDN) of usage per service and day, with its
numbers in a table beside it for screen readers and anyone who prefers them."""

from dataclasses import dataclass
from datetime import date, timedelta

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


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    step = 10 ** (len(str(int(value))) - 1)
    return float(((int(value) // step) + 1) * step)


def usage_chart(*, series: dict[str, list[float]], start: date, end: date) -> Chart:
    days = (end - start).days + 1
    peak = _nice_max(max((max(values) for values in series.values()), default=0))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(n: int) -> float:
        return round(LEFT + (plot_w * n / max(days - 1, 1)), 1)

    def y(value: float) -> float:
        return round(TOP + plot_h - plot_h * value / peak, 1)

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
    y_ticks = [(y(peak * k / 4), round(peak * k / 4, 1)) for k in range(5)]
    step = max(days // 6, 1)
    x_ticks = [(x(i), date_format(start + timedelta(days=i), "d M")) for i in range(0, days, step)]
    return Chart(start, end, drawn, y_ticks, x_ticks)
