"""Detectors over one outcome at a time: behind pace (with a projected miss), a status the numbers contradict,
activity without progress, stale, due soon and not on track, past due, an owner who has left, and metrics
nobody reads any more. Each returns findings with evidence in numbers and the one thing to do."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

from models import MetricKind, OutcomeStatus
from services.health.findings import Finding, Kind, Pace, Recommendation, Remedy, Severity, Thresholds, percent
from services.health.trend import due_moment, elapsed, moving_away, projected
from services.health.views import MetricView, OutcomeView, PersonView

WORRYING = (OutcomeStatus.AT_RISK, OutcomeStatus.OFF_TRACK)
EPSILON = 1e-9


def _finding(outcome: OutcomeView, kind: Kind, severity: Severity, evidence: str, remedy: Recommendation) -> Finding:
    return Finding(kind, outcome.ref, severity, evidence, remedy, outcome.owner_id, outcome.channel_id)


def _pace(outcome: OutcomeView, metric: MetricView, now: datetime, limits: Thresholds):
    """(expected share by now, actual share, projected share at due or None), or None when pace can't be judged."""
    if not metric.readings or metric.fraction(metric.baseline) is None:
        return None
    expected = elapsed(outcome.created_at, outcome.due_date, now)
    if expected < limits.min_elapsed:
        return None
    actual = metric.fraction(metric.readings[-1].value)
    ahead = projected(metric, outcome.due_date) if len(metric.readings) >= limits.trend_readings else None
    return expected, actual, (metric.fraction(ahead) if ahead is not None else None)


def judged(expected: float, actual: float, tolerance: float) -> Pace:
    """Where `actual` (share of the way) stands against `expected` by now: off the straight path by more than
    `tolerance` is ahead or behind."""
    if expected - actual > tolerance:
        return Pace.BEHIND
    return Pace.AHEAD if actual - expected > tolerance else Pace.ON


def pace_of(outcome: OutcomeView, metric: MetricView, now: datetime, limits: Thresholds) -> Pace | None:
    """The pace of `metric`'s latest reading; None when it can't be judged (no reading, too early, no span)."""
    pace = _pace(outcome, metric, now, limits)
    return None if pace is None else judged(pace[0], pace[1], limits.pace_tolerance)


def _direction_words(metric: MetricView) -> str:
    recent = metric.readings[-3:]
    if len(recent) < 2:
        return f"{len(metric.readings)} reading"
    towards = (recent[-1].value - recent[0].value) * (metric.target - metric.baseline)
    trend = "rising towards target" if towards > 0 else "moving away from target" if towards < 0 else "flat"
    return f"last {len(recent)} readings {trend}"


def behind_pace(outcome: OutcomeView, now: datetime, limits: Thresholds) -> Iterator[Finding]:
    metric = outcome.lagging
    if metric is None or not outcome.status.is_open or (pace := _pace(outcome, metric, now, limits)) is None:
        return
    expected, actual, ahead = pace
    if judged(expected, actual, limits.pace_tolerance) is not Pace.BEHIND:
        return
    if ahead is not None and ahead >= 1 - limits.miss_tolerance:
        return  # behind today, but the trend makes it: a noisy start, not a miss
    evidence = f"{metric.name}: expected {percent(expected)} of the way by today, at {percent(actual)}"
    if ahead is not None:
        evidence += f"; at this trend {percent(max(ahead, 0))} by the due date"
    evidence += f" ({_direction_words(metric)})"
    days_left = (due_moment(outcome.due_date) - now).days
    severe = (ahead is not None and ahead < 0.5) or days_left <= 14
    remedy = Recommendation(
        Remedy.ASK_UPDATE,
        "Ask for a recovery plan",
        "Ask the owner what would bring it back on pace, or to mark it at risk.",
    )
    yield _finding(outcome, Kind.BEHIND_PACE, Severity.HIGH if severe else Severity.MEDIUM, evidence, remedy)


def _contradicting_metric(outcome: OutcomeView, now: datetime, limits: Thresholds) -> tuple[MetricView, str] | None:
    for metric in sorted(outcome.metrics, key=lambda m: m.kind is not MetricKind.LAGGING):
        away = moving_away(metric, limits.trend_readings)
        if away is not None and away > limits.away_tolerance:
            return (
                metric,
                f"{metric.name} moved {percent(away)} of the way away from target over its last "
                f"{limits.trend_readings} readings",
            )
        pace = _pace(outcome, metric, now, limits) if metric.kind is MetricKind.LAGGING else None
        if pace and pace[2] is not None and pace[2] < 1 - limits.miss_tolerance and pace[0] - pace[1] > 0:
            return metric, f"{metric.name} is projected to reach {percent(max(pace[2], 0))} of target by the due date"
    return None


def _all_on_pace(outcome: OutcomeView, now: datetime, limits: Thresholds) -> bool:
    judged = [(m, _pace(outcome, m, now, limits)) for m in outcome.metrics if len(m.readings) >= limits.trend_readings]
    if not judged or any(p is None for _, p in judged):
        return False
    return all(p[0] - p[1] <= limits.pace_tolerance / 2 and p[2] is not None and p[2] >= 1 for _, p in judged)


def contradicted(outcome: OutcomeView, now: datetime, limits: Thresholds) -> Iterator[Finding]:
    if outcome.status is OutcomeStatus.ON_TRACK and (found := _contradicting_metric(outcome, now, limits)):
        remedy = Recommendation(
            Remedy.SET_STATUS,
            "Mark at risk",
            "The numbers say otherwise: mark it at risk so the team can help.",
            OutcomeStatus.AT_RISK.value,
        )
        yield _finding(outcome, Kind.CONTRADICTED, Severity.HIGH, f"Marked on track, but {found[1]}.", remedy)
    elif outcome.status is OutcomeStatus.OFF_TRACK and _all_on_pace(outcome, now, limits):
        remedy = Recommendation(
            Remedy.SET_STATUS,
            "Mark on track",
            "Every metric is on pace: say so, so nobody spends help where none is needed.",
            OutcomeStatus.ON_TRACK.value,
        )
        yield _finding(
            outcome,
            Kind.CONTRADICTED,
            Severity.LOW,
            "Marked off track, but every metric is on pace and its trend reaches the target.",
            remedy,
        )


def activity_without_progress(outcome: OutcomeView, now: datetime, limits: Thresholds) -> Iterator[Finding]:
    since = now - timedelta(days=limits.activity_days)
    if not outcome.status.is_open or outcome.created_at > since or not outcome.metrics:
        return
    busy = sum(1 for at in outcome.update_times if at >= since) + sum(1 for at in outcome.actions_closed if at >= since)
    if busy < limits.activity_min:
        return
    for metric in outcome.metrics:
        before = [r.value for r in metric.readings if r.at < since]
        start = before[-1] if before else metric.baseline
        if any(abs(r.value - start) > EPSILON for r in metric.readings if r.at >= since):
            return
    evidence = (
        f"{busy} updates and closed action items in {limits.activity_days} days, while none of its "
        f"{len(outcome.metrics)} metrics moved"
    )
    remedy = Recommendation(
        Remedy.OPEN_DECISION,
        "Open a decision",
        "Busy is not progress: put it to the owner as a decision, keep going as planned or change approach.",
    )
    yield _finding(outcome, Kind.ACTIVITY_NO_PROGRESS, Severity.MEDIUM, evidence, remedy)


def stale(outcome: OutcomeView, now: datetime, limits: Thresholds) -> Iterator[Finding]:
    if not outcome.status.is_open:
        return
    last = outcome.last_progress_at or outcome.created_at
    quiet, rounds = (now - last).days, outcome.rounds_since_update
    if quiet >= limits.stale_days or rounds >= limits.stale_rounds:
        remedy = Recommendation(Remedy.ASK_UPDATE, "Ask for an update", "Ask the owner for a one-line update.")
        through = f", through {rounds} check-in rounds in its channel" if rounds >= limits.stale_rounds else ""
        yield _finding(outcome, Kind.STALE, Severity.MEDIUM, f"No update for {quiet} days{through}.", remedy)


def due_dates(outcome: OutcomeView, now: datetime, limits: Thresholds) -> Iterator[Finding]:
    if not outcome.status.is_open:
        return
    left = (outcome.due_date - now.date()).days
    if left < 0:
        remedy = Recommendation(
            Remedy.MOVE_DUE,
            "Move the due date",
            "Close it as done or dropped, or give it a due date people can believe.",
        )
        yield _finding(outcome, Kind.PAST_DUE, Severity.HIGH, f"{-left} days past its due date and still open.", remedy)
    elif left <= limits.due_soon_days and outcome.status in WORRYING:
        remedy = Recommendation(
            Remedy.MOVE_DUE,
            "Move the due date",
            "Due within a week and not on track: agree a new date or cut the scope now.",
        )
        yield _finding(
            outcome,
            Kind.DUE_SOON,
            Severity.HIGH,
            f"Due in {left} days and marked {outcome.status.label.lower()}.",
            remedy,
        )


def owner_gone(outcome: OutcomeView, people: dict[int, PersonView]) -> Iterator[Finding]:
    owner = people.get(outcome.owner_id)
    if outcome.status.is_open and owner is not None and not owner.active:
        remedy = Recommendation(Remedy.REASSIGN, "Reassign", "Its owner has left Slack: give it a new owner.")
        yield _finding(outcome, Kind.OWNER_GONE, Severity.HIGH, f"{owner.name} is deactivated in Slack.", remedy)


def silent_metrics(outcome: OutcomeView, now: datetime, limits: Thresholds) -> Iterator[Finding]:
    if not outcome.status.is_open or (now - outcome.created_at).days < limits.silent_metric_days:
        return
    for metric in outcome.metrics:
        last = metric.readings[-1].at if metric.readings else outcome.created_at
        if (now - last).days >= limits.silent_metric_days:
            evidence = f"{metric.name} has had no reading for {(now - last).days} days."
            remedy = Recommendation(
                Remedy.RETIRE_METRIC,
                f"Retire {metric.name}"[:75],
                "A number nobody reads is noise: retire it, or start reading it.",
                str(metric.id),
            )
            yield Finding(
                Kind.SILENT_METRIC, outcome.ref, Severity.LOW, evidence, remedy, outcome.owner_id, outcome.channel_id
            )
