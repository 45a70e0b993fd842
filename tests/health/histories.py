"""A labelled set of outcome, decision, action-item and meeting histories, built for the detectors' tests: each
history says which findings (kind, subject) a careful reader would expect of it, including none.

Noise is seeded, so every run sees the same numbers; the labels come from how each history was built, never
from what the detectors say."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from models import Direction, MetricKind, OutcomeStatus
from services.health import Kind
from services.health.views import (
    ActionView,
    Blocker,
    DecisionView,
    MeetingView,
    MetricView,
    OutcomeView,
    PersonView,
    PlaybookView,
    Reading,
    Workspace,
)

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
TODAY = NOW.date()


@dataclass
class Labelled:
    """The histories and the findings they should give."""

    outcomes: list[OutcomeView] = field(default_factory=list)
    decisions: list[DecisionView] = field(default_factory=list)
    actions: list[ActionView] = field(default_factory=list)
    meetings: list[MeetingView] = field(default_factory=list)
    blockers: list[Blocker] = field(default_factory=list)
    people: dict[int, PersonView] = field(default_factory=dict)
    playbooks: list[PlaybookView] = field(default_factory=list)
    expected: set[tuple[Kind, str]] = field(default_factory=set)

    def workspace(self) -> Workspace:
        return Workspace(tuple(self.outcomes), tuple(self.decisions), tuple(self.actions), tuple(self.meetings),
                         tuple(self.blockers), dict(self.people), tuple(self.playbooks))  # fmt: skip

    def person(self, number: int, active: bool = True) -> int:
        self.people[number] = PersonView(number, f"Person {number}", f"U{number:05d}", active)
        return number


def path(days_ago: list[int], fraction_at, *, baseline=0.0, target=100.0, noise=0.0, seed=0) -> tuple[Reading, ...]:
    """Readings on the given days, each `fraction_at(day)` of the way from baseline to target, plus noise (as a
    share of the way)."""
    rng = random.Random(seed)
    span = target - baseline
    return tuple(
        Reading(NOW - timedelta(days=d), baseline + span * (fraction_at(d) + rng.uniform(-noise, noise)))
        for d in sorted(days_ago, reverse=True)
    )


def metric(readings, *, number=1, kind=MetricKind.LAGGING, baseline=0.0, target=100.0, name="signups"):
    direction = Direction.UP if target >= baseline else Direction.DOWN
    return MetricView(number, name, kind, baseline, target, direction, tuple(readings))


class Builder:
    """Outcomes created `age` days ago, due `left` days from now, owned by a person of their own."""

    def __init__(self, labelled: Labelled) -> None:
        self.labelled = labelled
        self.count = 0

    def outcome(self, expected: set[Kind], *, metrics, status=OutcomeStatus.ON_TRACK, age=60, left=30,
                updated_days_ago=2, updates=(), closed=(), owner=None, active=True,
                rounds=0) -> OutcomeView:  # fmt: skip
        self.count += 1
        ref = f"O-{self.count}"
        owner = owner or self.labelled.person(1000 + self.count, active)
        outcome = OutcomeView(
            id=self.count, ref=ref, title=f"Outcome {self.count}", owner_id=owner, status=status,
            created_at=NOW - timedelta(days=age), due_date=TODAY + timedelta(days=left),
            last_progress_at=NOW - timedelta(days=updated_days_ago), metrics=tuple(metrics),
            update_times=tuple(NOW - timedelta(days=d) for d in updates),
            actions_closed=tuple(NOW - timedelta(days=d) for d in closed), rounds_since_update=rounds,
        )  # fmt: skip
        self.labelled.outcomes.append(outcome)
        self.labelled.expected |= {(kind, ref) for kind in expected}
        return outcome


def on_pace(age=60, left=30, lead=0.0):
    """The share of the way a metric on the straight path is at, `d` days ago."""
    total = age + left + 0.5
    return lambda d: max(0.0, (age - d) / total + lead)


EVERY_5 = [55, 50, 45, 40, 35, 30, 25, 20, 15, 10, 5, 1]
