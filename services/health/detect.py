"""All findings for a workspace at `now`, most severe first: the one entry point the Home tab, the health
command, the weekly post and the JSON view share."""

from __future__ import annotations

from datetime import datetime

from services.health import outcome_detectors as per_outcome
from services.health import playbook_detectors as playbooks
from services.health import team_detectors as team
from services.health.findings import Finding, Thresholds
from services.health.views import Workspace

DEFAULTS = Thresholds()


def findings(data: Workspace, now: datetime, limits: Thresholds = DEFAULTS) -> list[Finding]:
    found: list[Finding] = []
    for outcome in data.outcomes:
        found += per_outcome.behind_pace(outcome, now, limits)
        found += per_outcome.contradicted(outcome, now, limits)
        found += per_outcome.activity_without_progress(outcome, now, limits)
        found += per_outcome.stale(outcome, now, limits)
        found += per_outcome.due_dates(outcome, now, limits)
        found += per_outcome.owner_gone(outcome, data.people)
        found += per_outcome.silent_metrics(outcome, now, limits)
    found += team.bottlenecks(data, now, limits)
    found += team.too_many_outcomes(data, limits)
    found += team.overdue_decisions(data, now)
    found += team.meetings_not_ready(data, now, limits)
    found += playbooks.unreviewed(data, now)
    return sorted(found, key=lambda f: (-f.severity, f.kind.value, f.subject))


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
