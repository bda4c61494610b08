"""Line charts of the overview pages as inline SVG (no chart library, nothing from a CDN): a trend becomes
a figure with a title, a legend, a short description for screen readers and its numbers in a table. A point
not known (``None``: a day not summed yet) breaks its line and reads as a dash in the table."""

from django import template
from django.utils.formats import date_format
from django.utils.translation import gettext, pgettext

from apps.dashboards.selectors import Trend
from apps.packages.templatetags.packages import package_label

register = template.Library()

WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 12, 30
# Each at least 3:1 against white (WCAG 1.4.11, graphics).
COLOURS = ["#0f5bd6", "#b42318", "#156a39", "#8a5a00", "#6b3fa0", "#0b6e7f", "#c2410c", "#4b5563"]


def _ceiling(value: int) -> int:
    """A round top for the y axis: 1, 2, 5, 10, 20, 50, ... at or above ``value``."""
    scale = 1
    while True:
        for step in (1, 2, 5):
            if step * scale >= value:
                return step * scale
        scale *= 10


def _segments(points: list[int | None], x, y) -> list[str]:
    """The polyline coordinates of each run of known points ("x,y x,y ..."), a gap at each unknown one."""
    segments, run = [], []
    for i, value in enumerate([*points, None]):
        if value is None:
            if run:
                segments.append(" ".join(run))
            run = []
        else:
            run.append(f"{x(i)},{y(value)}")
    return segments


@register.inclusion_tag("dashboards/line_chart.html")
def line_chart(trend: Trend, title: str, chart_id: str, packages: bool = False) -> dict:
    names = list(trend.series)
    top = _ceiling(max((v for points in trend.series.values() for v in points if v is not None), default=0))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    count = len(trend.moments)

    def x(i: int) -> float:
        return round(LEFT + plot_w * (i / max(count - 1, 1)), 1)

    def y(value: int) -> float:
        return round(TOP + plot_h * (1 - value / top), 1)

    lines = []
    for n, name in enumerate(names):
        points = trend.series[name]
        known = [i for i, v in enumerate(points) if v is not None]
        first = known[0] if known else count - 1
        lines.append(
            {
                "label": package_label(name) if packages else gettext(name),
                "colour": COLOURS[n % len(COLOURS)],
                "segments": _segments(points, x, y),
                "last": (x(count - 1), y(points[-1] or 0)),
                "first_value": points[first],
                "first_moment": trend.moments[first],
                "last_value": points[-1],
                "values": points,
            }
        )
    marks = {0, top // 2, top} if top % 2 == 0 else {0, top}
    ticks = [{"value": v, "y": y(v)} for v in sorted(marks)]
    # Dates in the reader's language: "4 Sep" in English, "4 sept." in French (a format the catalog words).
    day = pgettext("chart date format (Django's date filter)", "j M")
    x_labels = [
        {"x": x(i), "text": date_format(trend.moments[i], day), "anchor": anchor}
        for i, anchor in ((0, "start"), (count // 2, "middle"), (count - 1, "end"))
    ]
    return {
        "chart_id": chart_id,
        "title": title,
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "right_edge": WIDTH - RIGHT,
        "lines": lines,
        "ticks": ticks,
        "x_labels": x_labels,
        "x_label_y": HEIGHT - 8,
        "moments": trend.moments,
        "day_format": day,
        "row_format": pgettext("chart date format (Django's date filter)", "j M Y"),
        "rows": [
            {"moment": moment, "values": [line["values"][i] for line in lines]}
            for i, moment in enumerate(trend.moments)
        ],
        "empty": not lines,
    }
