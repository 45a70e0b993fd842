"""A finding: what a detector noticed (kind, subject, severity), the evidence in numbers, who should act, and the
one thing it recommends, which a button does. Also the thresholds every detector reads."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum, StrEnum


class Kind(StrEnum):
    BEHIND_PACE = "behind_pace"
    CONTRADICTED = "contradicted"  # the status says one thing, the numbers another
    ACTIVITY_NO_PROGRESS = "activity_no_progress"
    STALE = "stale"
    DUE_SOON = "due_soon"  # due within a week and not on track
    PAST_DUE = "past_due"
    OWNER_GONE = "owner_gone"
    BOTTLENECK = "bottleneck"
    DECISION_OVERDUE = "decision_overdue"
    MEETING_NOT_READY = "meeting_not_ready"  # the gate flagged a series' meetings again and again
    TOO_MANY_OUTCOMES = "too_many_outcomes"
    SILENT_METRIC = "silent_metric"
    PLAYBOOK_UNREVIEWED = "playbook_unreviewed"  # a playbook past its review interval


class Severity(IntEnum):
    LOW = 1
    MEDIUM = 2
    HIGH = 3


class Remedy(StrEnum):
    """What a finding's button does."""

    ASK_UPDATE = "ask_update"  # DM the owner with a Log progress button
    SET_STATUS = "set_status"
    MOVE_DUE = "move_due"
    REASSIGN = "reassign"  # the outcome's, or the bottleneck's: opens the reassign form
    MAKE_ASYNC = "make_async"
    OPEN_DECISION = "open_decision"  # put "keep going or change approach?" to the owner as a decision
    RETIRE_METRIC = "retire_metric"
    REMIND_DECIDER = "remind_decider"
    CONFIRM_PLAYBOOK = "confirm_playbook"  # the owner confirms it is still right (or edits it)


@dataclass(frozen=True)
class Recommendation:
    remedy: Remedy
    label: str  # the button's words
    why: str  # one sentence: what to do and why
    value: str = ""  # what the button carries besides the subject, e.g. the status to set or a metric id


@dataclass(frozen=True)
class Finding:
    kind: Kind
    subject: str  # O-12, D-7, M-3, PB-2, or a person as `@<person id>`
    severity: Severity
    evidence: str  # in numbers
    recommendation: Recommendation
    owner_id: int  # who should act on it (sees it on their Home tab)
    channel_id: str | None = None  # where the subject lives, for the weekly post

    @property
    def key(self) -> str:
        """Stable across runs: a snooze or what was done about it is recorded under it."""
        return f"{self.kind.value}:{self.subject}:{self.recommendation.value}"


class Pace(StrEnum):
    """A metric's latest reading against the straight path from baseline to target."""

    AHEAD = "ahead"
    ON = "on pace"
    BEHIND = "behind"


@dataclass(frozen=True)
class Thresholds:
    """Workspace settings with these defaults (shown in `/followthrough health help`)."""

    pace_tolerance: float = 0.15  # behind the straight path by more than this share of the way
    miss_tolerance: float = 0.10  # projected to fall short of target by more than this share
    min_elapsed: float = 0.15  # too early to judge pace before this share of the time has passed
    trend_readings: int = 3  # readings a trend needs
    away_tolerance: float = 0.05  # moving away from target by more than this share contradicts "on track"
    activity_days: int = 21  # activity without progress: the window
    activity_min: int = 3  # updates and closed action items in the window that count as busy
    stale_days: int = 14
    stale_rounds: int = 2  # ... or this many check-in rounds in its channel without an update
    due_soon_days: int = 7
    bottleneck_decisions: int = 5  # open decisions on one decider
    bottleneck_overdue_decisions: int = 3
    bottleneck_blockers: int = 3  # blockers naming one person in `activity_days`
    bottleneck_action_share: float = 0.5  # of the overdue action items, when there are at least 4
    gate_repeats: int = 2  # a series' meetings flagged by the gate within 30 days
    max_open_outcomes: int = 5  # per owner
    silent_metric_days: int = 30


def percent(fraction: float) -> str:
    return f"{round(fraction * 100)}%"
