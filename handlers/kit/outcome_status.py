"""How an outcome's status and numbers read wherever an outcome shows: its card, the Home tab, a check-in
thread and digest, a decision. One vocabulary, so a team learns one set of marks."""

from __future__ import annotations

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


def metric_now(metric: Metric) -> str:
    """`31% / 40%`: where a metric stands against its target."""
    return f"{format_value(metric.latest, metric.unit)} / {format_value(metric.target, metric.unit)}"
