"""The loss chart's axes: whole steps on x; round, evenly spaced ticks on y (linear or log)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st
from mg_tui.tui.core.ticks import linear_ticks, log_ticks, step_ticks

losses = st.floats(min_value=1e-6, max_value=1e6, allow_nan=False)


def test_ticks_are_whole_steps_spanning_the_history() -> None:
    assert step_ticks(1, 1) == [1]
    assert step_ticks(1, 2) == [1, 2]
    for first, last in [(1, 7), (1, 1000), (40, 57), (3, 4)]:
        ticks = step_ticks(first, last)
        assert ticks[0] == first and ticks[-1] <= last
        assert all(isinstance(t, int) for t in ticks)
        assert 1 <= len(ticks) <= 5
        assert last - ticks[-1] < (ticks[1] - ticks[0] if len(ticks) > 1 else 1)


def mantissa(x: float) -> float:
    return round(x / 10.0 ** math.floor(math.log10(x) + 1e-9), 6)


def test_the_uneven_ticks_of_the_report_become_round_ones() -> None:
    # issue 12: plotext labelled a run from 3.372 to 5.269 `5.27 4.95 4.32 4.00 3.37`
    ticks = linear_ticks(3.372, 5.269)
    # a 0.5 step would need six ticks (3.0 … 5.5): the next round step, 1, needs four
    assert ticks.labels == ["3", "4", "5", "6"]
    assert (ticks.low, ticks.high) == (3.0, 6.0)


@given(losses, losses)
def test_linear_ticks_are_evenly_spaced_round_and_cover_the_data(a: float, b: float) -> None:
    low, high = min(a, b), max(a, b)
    ticks = linear_ticks(low, high)
    assert 2 <= len(ticks.values) <= 5
    assert ticks.low <= low and ticks.high >= high
    gaps = [later - earlier for earlier, later in zip(ticks.values, ticks.values[1:])]
    assert max(gaps) - min(gaps) <= 1e-9 * max(abs(ticks.high), 1)
    assert mantissa(gaps[0]) in (1.0, 2.0, 5.0)
    assert [float(label) for label in ticks.labels] == pytest.approx(ticks.values)
    assert len({len(label.split(".")[-1]) for label in ticks.labels if "." in label}) <= 1


@given(losses, losses)
def test_log_ticks_are_one_two_five_times_powers_of_ten(a: float, b: float) -> None:
    low, high = min(a, b), max(a, b)
    ticks = log_ticks(low, high)
    assert ticks.low <= low * (1 + 1e-9) and ticks.high >= high * (1 - 1e-9)
    assert ticks.values == sorted(ticks.values) and len(ticks.values) >= 1
    assert all(mantissa(v) in (1.0, 2.0, 5.0) for v in ticks.values)
    assert [float(label) for label in ticks.labels] == pytest.approx(ticks.values)


def test_log_ticks_refuse_a_zero_loss() -> None:
    with pytest.raises(ValueError, match="positive"):
        log_ticks(0.0, 1.0)


@given(losses, losses)
def test_inner_ticks_stay_inside_and_are_evenly_spaced(a: float, b: float) -> None:
    from mg_tui.tui.core.ticks import inner_ticks

    low, high = min(a, b), max(a, b)
    if high - low < 1e-9 * high:
        return
    ticks = inner_ticks(low, high, 5)
    assert 1 <= len(ticks.values) <= 5
    slack = 1e-9 * (high - low)
    assert all(low - slack <= v <= high + slack for v in ticks.values)
    gaps = [later - earlier for earlier, later in zip(ticks.values, ticks.values[1:])]
    if gaps:
        assert max(gaps) - min(gaps) <= 1e-9 * max(abs(high), 1)
        assert mantissa(gaps[0]) in (1.0, 2.0, 5.0)


def test_inner_ticks_of_the_moons_y_range() -> None:
    from mg_tui.tui.core.ticks import inner_ticks

    # moons' y from -1.14 to 1.62: a step of 0.5 puts -1.0 … 1.5 inside (6 > 4), so 1
    assert inner_ticks(-1.1375, 1.6150, 4).labels == ["-1", "0", "1"]


def test_a_log_axis_up_to_the_float_limit_ends_on_the_largest_power_of_ten() -> None:
    ticks = log_ticks(0.5, 1.7e308)  # 10.0**309 would overflow
    assert ticks.values[-1] == 1e308 and ticks.high == 1.7e308
    assert all(math.isfinite(v) for v in ticks.values)
