"""A metric read for years: its trend is fitted to a sample of its readings (every pair of three years of daily
readings is half a million slopes, a fifth of a second on every health refresh and chart), and still says
where it is heading."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from services.health import Kind, findings
from services.health.trend import TREND_READINGS, sampled, theil_sen
from tests.health.histories import NOW, Builder, Labelled, metric, path

YEARS = 3 * 365


def test_a_long_history_is_sampled_evenly_first_and_last_reading_included() -> None:
    readings = path(list(range(YEARS, 0, -1)), lambda d: (YEARS - d) / YEARS)

    sample = sampled(readings)

    assert len(sample) == TREND_READINGS
    assert sample[0] == readings[0] and sample[-1] == readings[-1]
    gaps = [(b.at - a.at).days for a, b in zip(sample, sample[1:], strict=False)]
    assert max(gaps) - min(gaps) <= 1  # evenly spread over the three years, not the last hundred days
    assert sampled(readings[:TREND_READINGS]) == readings[:TREND_READINGS]  # a short history is used whole


def test_three_years_of_noisy_daily_readings_give_the_trend_they_were_drawn_from() -> None:
    per_day = 0.05  # the way from baseline to target, in hundredths, per day: 54.75% over the three years
    readings = path(list(range(YEARS, 0, -1)), lambda d: (YEARS - d) * per_day / 100, noise=0.05, seed=3)
    readings = (*readings[:-1], replace(readings[-1], value=1e6))  # the latest reading an absurd typo

    fit = theil_sen(readings)

    assert fit is not None
    slope, intercept = fit
    assert abs(slope - per_day) < 0.005  # target 100: 0.05 a day, within a tenth
    assert abs(intercept) < 2


def test_an_outcome_read_daily_for_years_is_still_found_behind_pace_with_its_projection() -> None:
    labelled = Labelled()
    build = Builder(labelled)
    age, left = YEARS, 90
    # Halfway (and more) through its time, only a third of the way there, and heading for under half by the due date.
    readings = path(list(range(age, 0, -1)), lambda d: 0.4 * (age - d) / (age + left), noise=0.01, seed=5)
    build.outcome({Kind.BEHIND_PACE}, metrics=[metric(readings)], age=age, left=left, updated_days_ago=1)

    found = {f.kind: f for f in findings(labelled.workspace(), NOW)}

    behind = found[Kind.BEHIND_PACE]
    assert "at this trend 40% by the due date" in behind.evidence
    assert NOW - readings[-1].at < timedelta(days=2)
