"""The features' scheduled jobs: each module here has a `register(runner)` that calls `runner.register_job`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from scheduler import (
    actions,
    checkins,
    decisions,
    health,
    health_weekly,
    housekeeping,
    meetings,
    meetings_async,
    meetings_series,
    playbook_learning,
    playbook_reviews,
    playbook_runs,
)

if TYPE_CHECKING:
    from scheduler.runner import Runner

FEATURES = (
    housekeeping,
    checkins,
    decisions,
    actions,
    meetings,
    meetings_async,
    meetings_series,
    health,
    health_weekly,
    playbook_learning,
    playbook_runs,
    playbook_reviews,
)


def register(runner: Runner) -> None:
    for feature in FEATURES:
        feature.register(runner)
