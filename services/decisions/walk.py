"""The plan of pings for one open decision, as a pure function of its deadline, its path and its history.

Before the deadline the decider is nudged (a day and two hours before, moved into their working hours where
that is still before the deadline, and at the deadline). From the deadline on, the path's levels fire in
order: level 1 at the deadline, each next level `wait` after the previous one actually fired, with the
level's repeats spread in between; a level ping that reached nobody (everyone on it away or gone) ends its level
and the next one follows at once. A level fires late (the scheduler was down) and the rest of the walk
moves with it, so a restart never skips a level nor fires two at once. An acknowledgement or a snooze is a
pause: nothing of the walk fires before the pause ends, and then it goes on where it stood.

Every ping has a key; the scheduler sends the ones due now whose key is not on the decision's timeline yet.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from services.attention.hours import WorkingHours
from services.workhours import into_working_hours

NUDGES_BEFORE = (timedelta(days=1), timedelta(hours=2))  # nudge 1 and 2; nudge 3 is at the deadline
MIN_NUDGE_GAP = timedelta(hours=1)  # two nudges closer than this are one too many: the earlier one goes
DEADLINE_NUDGE = len(NUDGES_BEFORE) + 1


class PingKind(StrEnum):
    NUDGE = "nudge"
    LEVEL = "level"


@dataclass(frozen=True)
class Level:
    """One level of a path, in plain values (Person ids)."""

    wait: timedelta
    people: tuple[int, ...] = ()
    include_decider: bool = False
    post_in_channel: bool = False
    repeats: int = 0
    repeat_interval: timedelta | None = None

    @property
    def interval(self) -> timedelta:
        """Time between this level's pings: the given interval, else the wait shared out evenly."""
        return self.repeat_interval or self.wait / (self.repeats + 1)


@dataclass(frozen=True)
class Pause:
    """An acknowledgement or a snooze: the walk holds from `start` to `end`."""

    start: datetime
    end: datetime


@dataclass(frozen=True)
class Walk:
    """Everything the plan depends on."""

    decision_token: str  # Decision.token: never given to another decision, unlike its id
    round: int
    since: datetime  # when this round began (created, deadline moved, reopened): no nudge before it
    deadline: datetime
    zone: ZoneInfo  # the decider's
    decider_id: int
    levels: tuple[Level, ...]
    pauses: tuple[Pause, ...] = ()
    fired: Mapping[str, datetime] = field(default_factory=dict)  # ping key -> when it was sent
    moved_on: frozenset[str] = frozenset()  # level pings that reached nobody (all away or gone): the next follows
    hours: WorkingHours = WorkingHours()  # the decider's


@dataclass(frozen=True)
class Ping:
    key: str
    at: datetime
    kind: PingKind
    number: int  # the nudge's number, or the level's (1-based)
    repeat: int  # 0 for a level's first ping
    people: tuple[int, ...]  # Person ids to message
    in_channel: bool = False  # levels: the thread note is also shown in the channel
    fired_at: datetime | None = None
    # The level names the decider; at the deadline they are reminded by the nudge rather than messaged twice.
    includes_decider: bool = False

    @property
    def is_level(self) -> bool:
        return self.kind is PingKind.LEVEL


# keys ----------------------------------------------------------------------------------------------------


# Built from the decision's token, never its id: SQLite gives a deleted row's id to the next one, whose messages
# would then match keys sent already and never go.


def decision_prefix(token: str) -> str:
    """Every scheduled delivery of one decision starts with this (the trailing r keeps "1" apart from "12")."""
    return f"decision:{token}:r"


def decision_key(token: str, what: str) -> str:
    """A message of the decision outside the walk (who is told it was asked, or closed)."""
    return f"decision:{token}:{what}"


def round_prefix(token: str, round: int) -> str:
    return f"decision:{token}:r{round}:"


def nudge_key(token: str, round: int, number: int) -> str:
    return f"{round_prefix(token, round)}nudge:{number}"


def level_key(token: str, round: int, level: int, repeat: int) -> str:
    return f"{round_prefix(token, round)}level:{level}:{repeat}"


# the plan --------------------------------------------------------------------------------------------------


def nudges(walk: Walk) -> list[Ping]:
    """The decider's nudges: before the deadline (in working hours where possible), then at the deadline."""
    planned: list[tuple[int, datetime]] = []
    for number, before in enumerate(NUDGES_BEFORE, 1):
        at = into_working_hours(walk.deadline - before, walk.zone, walk.deadline, walk.hours)
        if at >= walk.since:
            planned.append((number, at))
    planned.append((DEADLINE_NUDGE, walk.deadline))
    kept = [
        (n, at)
        for (n, at), (_, following) in zip(planned, planned[1:], strict=False)
        if following - at >= MIN_NUDGE_GAP
    ]
    kept.append(planned[-1])
    pings = []
    for number, at in kept:
        key = nudge_key(walk.decision_token, walk.round, number)
        fired = walk.fired.get(key)
        pings.append(Ping(key, fired or at, PingKind.NUDGE, number, 0, (walk.decider_id,), fired_at=fired))
    return pings


def levels(walk: Walk) -> list[Ping]:
    """The path, level by level; each ping anchored on when the one before it really fired. A level ping that
    reached nobody ends its level: the next level follows at once."""
    pings: list[Ping] = []
    anchor = walk.deadline
    paused_until = max((p.end for p in walk.pauses), default=None)
    handed_over = False
    for index, level in enumerate(walk.levels):
        for repeat in range(level.repeats + 1):
            gap = _gap(walk, index, repeat, handed_over)
            key = level_key(walk.decision_token, walk.round, index + 1, repeat)
            fired = walk.fired.get(key)
            at = fired or anchor + gap
            if fired is None and paused_until is not None and paused_until > at:
                at = paused_until
            people = list(level.people)
            # At the deadline itself the decider has just had the deadline nudge: one message, not two.
            if level.include_decider and not (index == 0 and repeat == 0):
                people.append(walk.decider_id)
            people = [p for p in dict.fromkeys(people) if not (index == 0 and repeat == 0 and p == walk.decider_id)]
            pings.append(
                Ping(
                    key,
                    at,
                    PingKind.LEVEL,
                    index + 1,
                    repeat,
                    tuple(people),
                    level.post_in_channel,
                    fired_at=fired,
                    includes_decider=level.include_decider,
                )
            )
            anchor = at
            handed_over = fired is not None and key in walk.moved_on
            if handed_over:
                break
    return pings


def _gap(walk: Walk, index: int, repeat: int, handed_over: bool) -> timedelta:
    """Time from the ping before to this one: none for the first level or after a level nobody heard."""
    if (index == 0 and repeat == 0) or handed_over:
        return timedelta(0)
    if repeat > 0:
        return walk.levels[index].interval
    before = walk.levels[index - 1]
    return max(before.wait - before.repeats * before.interval, before.interval)


def plan(walk: Walk) -> list[Ping]:
    """Every ping of this round, sent or not, in time order."""
    return sorted(nudges(walk) + levels(walk), key=lambda p: (p.at, p.kind is PingKind.LEVEL, p.number, p.repeat))


def pending(walk: Walk, now: datetime) -> list[Ping]:
    """Pings not sent yet, without nudges made pointless by a later one that is due already."""
    planned = plan(walk)
    latest_due_nudge = max((p.number for p in planned if p.kind is PingKind.NUDGE and p.at <= now), default=0)
    return [p for p in planned if p.fired_at is None and not (p.kind is PingKind.NUDGE and p.number < latest_due_nudge)]


def due(walk: Walk, now: datetime) -> list[Ping]:
    """What to send now. Levels come one at a time: the next is anchored on this one's sending."""
    found = [p for p in pending(walk, now) if p.at <= now]
    first_level = next((p for p in found if p.is_level), None)
    return [p for p in found if not p.is_level or p is first_level]


def next_at(walk: Walk, now: datetime) -> datetime | None:
    """When the next ping is due (perhaps already), or None when the walk has nothing left."""
    return min((p.at for p in pending(walk, now)), default=None)
