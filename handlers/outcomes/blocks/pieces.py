"""Small pieces every outcome view shares: status marks, where a metric stands, the Log progress button,
the priority option. Check-ins and decisions show outcomes with these too."""

from __future__ import annotations

from slack_sdk.models.blocks import ButtonElement, Option

from handlers.kit.text import clip
from handlers.outcomes.blocks.ids import OutcomeIds
from models import Metric, OutcomeStatus, Priority
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


def progress_share(metric: Metric) -> int:
    """How much of the way from baseline to target the metric has come, in percent (may pass 100 or go below 0)."""
    span = metric.target - metric.baseline
    return round((metric.latest - metric.baseline) / span * 100) if span else 0


def priority_option(priority: Priority) -> Option:
    return Option(value=priority.ref, text=clip(f"{priority.ref} {priority.title}", 75))


def log_button(ref: str, *, primary: bool = False) -> ButtonElement:
    return ButtonElement(
        text="Log progress", action_id=OutcomeIds.LOG_PROGRESS, value=ref, style="primary" if primary else None
    )
