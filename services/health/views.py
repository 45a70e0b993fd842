"""What the detectors look at: plain, frozen snapshots of outcomes, metrics, decisions, action items, meetings
and people, built from the database by `loading` (or by hand in tests). Nothing here touches a session."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from models import Direction, MetricKind, OutcomeStatus


@dataclass(frozen=True)
class Reading:
    at: datetime
    value: float


@dataclass(frozen=True)
class MetricView:
    id: int
    name: str
    kind: MetricKind
    baseline: float
    target: float
    direction: Direction
    readings: tuple[Reading, ...] = ()  # oldest first

    def fraction(self, value: float) -> float | None:
        """How far `value` is along the way from baseline to target (0 at baseline, 1 at target)."""
        span = self.target - self.baseline
        return None if span == 0 else (value - self.baseline) / span


@dataclass(frozen=True)
class OutcomeView:
    id: int
    ref: str
    title: str
    owner_id: int
    status: OutcomeStatus
    created_at: datetime
    due_date: date
    channel_id: str | None = None
    last_progress_at: datetime | None = None
    metrics: tuple[MetricView, ...] = ()
    update_times: tuple[datetime, ...] = ()  # every progress update (check-in answers included)
    actions_closed: tuple[datetime, ...] = ()  # action items of this outcome marked done
    rounds_since_update: int = 0  # check-in rounds in its channel since its last update

    @property
    def lagging(self) -> MetricView | None:
        return next((m for m in self.metrics if m.kind is MetricKind.LAGGING), None)


@dataclass(frozen=True)
class DecisionView:
    id: int
    ref: str
    question: str
    decider_id: int
    deadline: datetime
    is_open: bool
    channel_id: str | None = None


@dataclass(frozen=True)
class ActionView:
    id: int
    ref: str
    owner_id: int
    due_on: date
    is_open: bool


@dataclass(frozen=True)
class MeetingView:
    id: int
    ref: str
    title: str
    organiser_id: int
    series_id: int | None
    starts_at: datetime
    flagged: bool  # the gate found it not ready
    next_ref: str | None = None  # the series' next meeting still to come, which could be made async


@dataclass(frozen=True)
class PlaybookView:
    ref: str
    name: str
    owner_id: int
    reviewed_at: datetime
    review_days: int


@dataclass(frozen=True)
class PersonView:
    id: int
    name: str
    slack_user_id: str
    active: bool = True


@dataclass(frozen=True)
class Blocker:
    outcome_ref: str
    at: datetime
    named: tuple[int, ...]  # people a blocker mentions


@dataclass(frozen=True)
class Workspace:
    """Everything about one workspace the detectors read."""

    outcomes: tuple[OutcomeView, ...] = ()
    decisions: tuple[DecisionView, ...] = ()
    actions: tuple[ActionView, ...] = ()
    meetings: tuple[MeetingView, ...] = ()
    blockers: tuple[Blocker, ...] = ()
    people: dict[int, PersonView] = field(default_factory=dict)
    playbooks: tuple[PlaybookView, ...] = ()  # published ones
