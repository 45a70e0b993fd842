"""A series' health over its meetings so far, as numbers: how often every pre-read was read before the start,
how many finished items kept to their time-box, whether the desired outcome was reached, how many of the action
items from these meetings were done on time, and how many meetings were made async. Pure: the caller loads.

"So far" is every meeting of the series except those still to come (scheduled, not started). Of those, the ones
that met (started, recorded or not) count for pre-reads and time-boxes; a meeting without a pre-read counts as
one not read ahead (the rule is to have one). An item is finished when it was decided, became action items or
was done; carried and dropped items ran no time-box to judge. An action item counts once it is due (its date has
passed in its owner's zone) or done; dropped ones count nowhere.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from models import ItemOutcome, Meeting, MeetingStatus, OutcomeReached

FINISHED = (ItemOutcome.DECIDED, ItemOutcome.ACTIONS, ItemOutcome.DONE)


@dataclass(frozen=True)
class Share:
    count: int
    of: int

    @property
    def percent(self) -> int | None:
        return round(100 * self.count / self.of) if self.of else None


@dataclass(frozen=True)
class ActionFact:
    """One action item from a meeting of the series: its due date, the day it was done (both in its owner's
    zone; None: not done), whether it was dropped, and its owner's today."""

    due_on: date
    done_on: date | None
    dropped: bool
    today: date


@dataclass(frozen=True)
class SeriesHealth:
    so_far: int
    met: int
    pre_read: Share
    in_time: Share
    reached: dict[OutcomeReached, int] = field(default_factory=dict)
    actions_on_time: Share = Share(0, 0)
    actions_not_due: int = 0
    made_async: int = 0
    cancelled: int = 0


def is_so_far(meeting: Meeting, now: datetime) -> bool:
    return meeting.status is not MeetingStatus.SCHEDULED or meeting.starts_at <= now


def read_ahead(meeting: Meeting) -> bool:
    """It had a pre-read, and everyone asked to read each one said so before the start."""
    readers = [r for p in meeting.pre_reads for r in p.readers]
    return bool(meeting.pre_reads) and all(r.read_at is not None and r.read_at <= meeting.starts_at for r in readers)


def _actions(facts: Iterable[ActionFact]) -> tuple[Share, int]:
    counted = [f for f in facts if not f.dropped]
    due = [f for f in counted if f.done_on is not None or f.due_on < f.today]
    on_time = sum(1 for f in due if f.done_on is not None and f.done_on <= f.due_on)
    return Share(on_time, len(due)), len(counted) - len(due)


def health(meetings: Sequence[Meeting], facts: Iterable[ActionFact], now: datetime) -> SeriesHealth:
    so_far = [m for m in meetings if is_so_far(m, now)]
    met = [m for m in so_far if m.status in (MeetingStatus.SCHEDULED, MeetingStatus.HELD)]
    finished = [i for m in met for i in m.items if i.outcome in FINISHED and i.over_time is not None]
    reached = {answer: sum(1 for m in met if m.outcome_reached is answer) for answer in OutcomeReached}
    on_time, not_due = _actions(facts)
    return SeriesHealth(
        so_far=len(so_far),
        met=len(met),
        pre_read=Share(sum(1 for m in met if read_ahead(m)), len(met)),
        in_time=Share(sum(1 for i in finished if not i.over_time), len(finished)),
        reached=reached,
        actions_on_time=on_time,
        actions_not_due=not_due,
        made_async=sum(1 for m in so_far if m.status is MeetingStatus.ASYNC),
        cancelled=sum(1 for m in so_far if m.status is MeetingStatus.CANCELLED),
    )
