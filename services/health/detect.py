"""All findings for a workspace at `now`, most severe first: the one entry point the Home tab, the health
command, the weekly post and the JSON view share."""

from __future__ import annotations

from datetime import datetime

from services import turns
from services.health import outcome_detectors as per_outcome
from services.health import playbook_detectors as playbooks
from services.health import team_detectors as team
from services.health.findings import Finding, Thresholds
from services.health.views import OutcomeView, Workspace

DEFAULTS = Thresholds()


def findings(data: Workspace, now: datetime, limits: Thresholds = DEFAULTS) -> list[Finding]:
    found = [f for outcome in data.outcomes for f in _of_outcome(outcome, data, now, limits)]
    return _in_order(found + _of_team(data, now, limits))


async def findings_in_turns(data: Workspace, now: datetime, limits: Thresholds = DEFAULTS) -> list[Finding]:
    """The same findings, the outcomes a batch at a time with a turn for others between: a workspace of thousands
    of outcomes takes a second of CPU, which must not hold the event loop all at once."""
    found: list[Finding] = []
    async for outcome in turns.each(data.outcomes):
        found += _of_outcome(outcome, data, now, limits)
    await turns.a_turn()
    return _in_order(found + _of_team(data, now, limits))


def _of_outcome(outcome: OutcomeView, data: Workspace, now: datetime, limits: Thresholds) -> list[Finding]:
    return [
        *per_outcome.behind_pace(outcome, now, limits),
        *per_outcome.contradicted(outcome, now, limits),
        *per_outcome.activity_without_progress(outcome, now, limits),
        *per_outcome.stale(outcome, now, limits),
        *per_outcome.due_dates(outcome, now, limits),
        *per_outcome.owner_gone(outcome, data.people),
        *per_outcome.silent_metrics(outcome, now, limits),
    ]


def _of_team(data: Workspace, now: datetime, limits: Thresholds) -> list[Finding]:
    return [
        *team.bottlenecks(data, now, limits),
        *team.too_many_outcomes(data, limits),
        *team.overdue_decisions(data, now),
        *team.meetings_not_ready(data, now, limits),
        *playbooks.unreviewed(data, now),
    ]


def _in_order(found: list[Finding]) -> list[Finding]:
    return sorted(found, key=lambda f: (-f.severity, f.kind, f.subject))  # the kind compares as its text


def as_data(found: list[Finding]) -> list[dict]:
    """The same findings as plain JSON-ready data, for the dashboard's read API."""
    return [
        {
            "kind": f.kind.value,
            "subject": f.subject,
            "severity": f.severity.name.lower(),
            "evidence": f.evidence,
            "recommendation": {
                "do": f.recommendation.remedy.value,
                "label": f.recommendation.label,
                "why": f.recommendation.why,
            },
            "owner_id": f.owner_id,
            "key": f.key,
        }
        for f in found
    ]
