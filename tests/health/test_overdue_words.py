"""How late a decision is, as its finding says it: in days, in hours, or just past (a newcomer read "0 hours past
its deadline" minutes after it)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from services.health import Kind, findings
from services.health.views import DecisionView, PersonView, Workspace
from tests.health.histories import NOW


@pytest.mark.parametrize(
    ("late", "says"),
    [
        (timedelta(minutes=7), "just past its deadline"),
        (timedelta(hours=1, minutes=5), "1 hour past its deadline"),
        (timedelta(hours=5), "5 hours past its deadline"),
        (timedelta(days=4, hours=2), "4 days past its deadline"),
    ],
)
def test_an_overdue_decision_says_how_late_in_words_that_fit(late: timedelta, says: str) -> None:
    decision = DecisionView(1, "D-1", "Which vendor?", 7, NOW - late, True)
    data = Workspace(decisions=(decision,), people={7: PersonView(7, "Priya", "U0PRIYA", True)})

    [finding] = [f for f in findings(data, NOW) if f.kind is Kind.DECISION_OVERDUE]

    assert says in finding.evidence
