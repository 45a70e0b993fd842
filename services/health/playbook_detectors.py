"""Evergreen playbooks: a published playbook not reviewed within its interval is a finding for its owner (the
owner is also asked once per interval by direct message: scheduler/playbook_reviews.py)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

from services.health.findings import Finding, Kind, Recommendation, Remedy, Severity
from services.health.views import Workspace

CONFIRM = Recommendation(
    Remedy.CONFIRM_PLAYBOOK,
    "Confirm it is still right",
    "Read it through: confirm it if it still holds, or edit it and publish a new version.",
)


def unreviewed(data: Workspace, now: datetime) -> Iterator[Finding]:
    for playbook in data.playbooks:
        interval = timedelta(days=playbook.review_days)
        late = now - playbook.reviewed_at
        if late < interval:
            continue
        days = late.days
        evidence = (
            f"last reviewed {days} day{'s' if days != 1 else ''} ago; it is reviewed every {playbook.review_days} days."
        )
        severity = Severity.MEDIUM if late >= 2 * interval else Severity.LOW
        yield Finding(Kind.PLAYBOOK_UNREVIEWED, playbook.ref, severity, evidence, CONFIRM, playbook.owner_id)
