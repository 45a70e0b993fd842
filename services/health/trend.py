"""Where a metric is heading: the straight path from baseline (at creation) to target (at the due date), and a
robust trend of its readings (Theil–Sen: the median of the slopes between every pair of readings, so one odd
reading doesn't swing it the way a last-two-points guess does; a long history is sampled first). Pure arithmetic."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time
from statistics import median

from services.health.views import MetricView, Reading

DAY = 86400.0
TREND_READINGS = 100  # readings a trend is fitted to at most: the pairs grow with their square (see sampled)


def due_moment(due: date) -> datetime:
    """The end of the due day (UTC): an outcome due on the 30th has all of that day."""
    return datetime.combine(due, time(23, 59, 59), tzinfo=UTC)


def elapsed(start: datetime, due: date, now: datetime) -> float:
    """The share of the time from start to due that has passed, 0 to 1."""
    total = (due_moment(due) - start).total_seconds()
    if total <= 0:
        return 1.0
    return min(1.0, max(0.0, (now - start).total_seconds() / total))


def sampled(readings: Sequence[Reading], most: int = TREND_READINGS) -> Sequence[Reading]:
    """At most `most` of the readings, evenly spread over them, the first and the last always in. Theil–Sen
    compares every pair: a metric read daily for three years has half a million pairs (about 0.2 s of CPU, on
    every health refresh and every view of its chart), a hundred readings spread over the same years 4,950, and
    the median of their slopes tells much the same trend."""
    n = len(readings)
    if n <= most:
        return readings
    return [readings[round(i * (n - 1) / (most - 1))] for i in range(most)]


def theil_sen(readings: Sequence[Reading]) -> tuple[float, float] | None:
    """(slope per day, intercept at day 0 of the first reading), or None with fewer than two distinct times."""
    if len(readings) < 2:
        return None
    readings = sampled(readings)
    origin = readings[0].at
    points = [((r.at - origin).total_seconds() / DAY, r.value) for r in readings]
    slopes = [(y2 - y1) / (x2 - x1) for i, (x1, y1) in enumerate(points) for x2, y2 in points[i + 1 :] if x2 != x1]
    if not slopes:
        return None
    slope = median(slopes)
    intercept = median(y - slope * x for x, y in points)
    return slope, intercept


def projected(metric: MetricView, due: date) -> float | None:
    """The value the readings' trend reaches at the due date; None with too few readings to say."""
    fit = theil_sen(metric.readings)
    if fit is None:
        return None
    slope, intercept = fit
    days = (due_moment(due) - metric.readings[0].at).total_seconds() / DAY
    return intercept + slope * days


def moving_away(metric: MetricView, last: int) -> float | None:
    """How far (as a share of the way to target) the last `last` readings have moved away from target by their
    trend, when every step between them went away (one step back in a noisy series is not a direction); 0 when
    they didn't; None with fewer readings than that."""
    recent = metric.readings[-last:]
    if len(recent) < last:
        return None
    span = metric.target - metric.baseline
    if any((b.value - a.value) * span >= 0 for a, b in zip(recent, recent[1:], strict=False)):
        return 0.0
    fit = theil_sen(recent)
    if fit is None:
        return None
    days = (recent[-1].at - recent[0].at).total_seconds() / DAY
    span = metric.target - metric.baseline
    if span == 0:
        return None
    return -(fit[0] * days) / span  # positive: away from target, whichever way "better" points
