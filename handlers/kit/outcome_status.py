"""How an outcome's status and numbers read wherever an outcome shows: its card, the Home tab, a check-in
thread and digest, a decision. One vocabulary, so a team learns one set of marks."""

from __future__ import annotations

from handlers.kit.text import esc
from models import Metric, OutcomeStatus
from services.numbers import format_value

STATUS_MARK = {
    OutcomeStatus.ON_TRACK: "🟢",
    OutcomeStatus.AT_RISK: "🟡",
    OutcomeStatus.OFF_TRACK: "🔴",
    OutcomeStatus.DONE: "✅",
    OutcomeStatus.DROPPED: "⚪",
}


def status_text(status: OutcomeStatus) -> str:
    return f"{STATUS_MARK[status]} {status.label}"


def shown_value(value: float, unit: str) -> str:
    """`31%`, `3.5 days`: a value with the metric's unit (typed by whoever defined it), ready for mrkdwn."""
    return esc(format_value(value, unit))


def metric_now(metric: Metric) -> str:
    """`Activation 31% / 40%`'s numbers: where a metric stands against its target, ready for mrkdwn."""
    return f"{shown_value(metric.latest, metric.unit)} / {shown_value(metric.target, metric.unit)}"
