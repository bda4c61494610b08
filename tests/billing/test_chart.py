"""The usage chart's value axis: round steps a reader can read off, whatever the peak."""

from datetime import date

import pytest

from apps.billing.chart import usage_chart


@pytest.mark.parametrize(
    ("peak", "ticks"),
    [
        (0, [0, 1]),
        (3, [0, 1, 2, 3]),
        (7, [0, 2, 4, 6, 8]),
        (25.4, [0, 10, 20, 30]),
        (50, [0, 10, 20, 30, 40, 50]),
        (1666.65, [0, 500, 1000, 1500, 2000]),
    ],
)
def test_the_value_axis_counts_in_round_steps_up_to_the_first_at_or_above_the_peak(peak, ticks):
    chart = usage_chart(series={"Webex Calling": [0, peak]}, start=date(2026, 11, 1), end=date(2026, 11, 2))

    assert [value for _, value in chart.y_ticks] == ticks
    top_y = chart.y_ticks[-1][0]
    assert top_y == 12  # the top tick is the top of the plot (TOP): the peak never draws above it
