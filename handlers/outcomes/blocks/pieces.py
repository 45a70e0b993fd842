"""Small pieces the outcome views share: how far a metric has come, the Log progress button, the priority
option. Status marks and "where a metric stands" are in handlers.kit.outcome_status (other features show them)."""

from __future__ import annotations

from slack_sdk.models.blocks import ButtonElement, Option

from handlers.kit.text import clip
from handlers.outcomes.blocks.ids import OutcomeIds
from models import Metric, Priority


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
