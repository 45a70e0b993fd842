"""When a check-in cadence occurs: pure functions from a rule to UTC instants, zone-aware.

A rule names local calendar days (weekdays, every week or every other week counted from an anchor date) and
a local wall time. The instant of an occurrence depends on whose wall clock is meant: the team's zone, or
each participant's own. Wall times are kept across daylight-saving changes: a Monday 09:00 Europe/Berlin
cadence is at 07:00 UTC in summer and 08:00 UTC in winter, never 09:00 of the wrong offset.

Two local times need a rule of their own, and get the usual one:
- a time that does not exist (in the spring gap, e.g. 02:30 when clocks jump from 02:00 to 03:00) moves
  forward to the first instant that exists after the gap (03:00 local, the moment of the change);
- a time that happens twice (in the autumn overlap, e.g. 02:30 when clocks fall back from 03:00 to 02:00)
  means its first occurrence (the one still on summer time).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
SEARCH_DAYS = 7 * 2 * 8  # a valid rule always has an occurrence within two weeks; this is ample


@dataclass(frozen=True)
class Rule:
    """Every `interval_weeks` week(s) on `weekdays` (0 = Monday) at wall time `at`, from `anchor` on.

    The first occurrence is the first of the weekdays on or after the anchor date; every-other-week rules
    count their weeks from that one, so they stay in step whatever day they are later edited or resumed on."""

    interval_weeks: int
    weekdays: tuple[int, ...]
    at: time
    anchor: date

    def __post_init__(self) -> None:
        if self.interval_weeks not in (1, 2):
            raise ValueError("a cadence is weekly (1) or every two weeks (2)")
        if not self.weekdays or any(d not in range(7) for d in self.weekdays):
            raise ValueError("weekdays are 0 (Monday) to 6 (Sunday), at least one")
        if self.at.tzinfo is not None:
            raise ValueError("the time of day is a wall time, without a zone")

    @property
    def period(self) -> timedelta:
        return timedelta(weeks=self.interval_weeks)

    def occurs_on(self, day: date) -> bool:
        if day < self.anchor or day.weekday() not in self.weekdays:
            return False
        weeks = (_monday(day) - _monday(self.first_day)).days // 7
        return weeks % self.interval_weeks == 0

    @property
    def first_day(self) -> date:
        ahead = min((d - self.anchor.weekday()) % 7 for d in self.weekdays)
        return self.anchor + timedelta(days=ahead)


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def occurrence_dates(rule: Rule, *, start: date) -> Iterator[date]:
    """The rule's local dates from `start` (included) on, in order, without end."""
    day = max(start, rule.anchor)
    while True:
        if rule.occurs_on(day):
            yield day
        day += timedelta(days=1)


def local_instant(day: date, at: time, zone: ZoneInfo) -> datetime:
    """The UTC instant when wall clocks in `zone` show `at` on `day`.

    A wall time in the spring gap moves forward to the first valid instant (the end of the gap); an
    ambiguous wall time in the autumn overlap is its first occurrence (fold=0)."""
    wall = datetime.combine(day, at, tzinfo=zone)  # fold=0: the first of two, or the pre-gap offset
    instant = wall.astimezone(UTC)
    if instant.astimezone(zone).replace(tzinfo=None) == wall.replace(tzinfo=None):
        return instant
    # Nonexistent: fold=0 reads it with the offset from before the gap, fold=1 with the one after, so the
    # change happened between the two readings. Find its instant (to the second) by bisection.
    low = wall.replace(fold=1).astimezone(UTC)
    high = instant
    low, high = min(low, high), max(low, high)
    after_offset = high.astimezone(zone).utcoffset()
    while high - low > timedelta(seconds=1):
        middle = low + (high - low) / 2
        if middle.astimezone(zone).utcoffset() == after_offset:
            high = middle
        else:
            low = middle
    return high.replace(microsecond=0)


def next_occurrence(rule: Rule, zone: ZoneInfo, *, after: datetime) -> datetime:
    """The first occurrence in `zone` strictly after the instant `after` (UTC)."""
    return next_occurrences(rule, zone, after=after, count=1)[0]


def next_occurrences(rule: Rule, zone: ZoneInfo, *, after: datetime, count: int) -> list[datetime]:
    """The next `count` occurrences in `zone` strictly after `after`, as UTC instants."""
    found: list[datetime] = []
    # Start a day early: the local date at `after` may be behind an occurrence still to come today.
    start = after.astimezone(zone).date() - timedelta(days=1)
    for day in occurrence_dates(rule, start=start):
        instant = local_instant(day, rule.at, zone)
        if instant > after:
            found.append(instant)
            if len(found) == count:
                return found
    raise AssertionError("unreachable: occurrence_dates never ends")  # pragma: no cover


@dataclass(frozen=True)
class Occurrence:
    """One round: its local date, and when it starts (the earliest of the zones' wall times that day)."""

    day: date
    starts_at: datetime


def first_instant(rule: Rule, day: date, zones: Sequence[ZoneInfo]) -> datetime:
    """When the occurrence on `day` starts: the earliest of its instants across `zones`."""
    if not zones:
        raise ValueError("at least one zone")
    return min(local_instant(day, rule.at, zone) for zone in zones)


def next_round(rule: Rule, zones: Sequence[ZoneInfo], *, after: datetime, not_before: date | None = None) -> Occurrence:
    """The first occurrence that starts strictly after `after`, counting a day's start as the earliest of
    its wall times across `zones` (one zone for a team-time cadence, each participant's for personal times).

    `not_before` skips dates before it (used to skip a round, or to move past rounds already held)."""
    earliest = min(after.astimezone(zone).date() for zone in zones) - timedelta(days=1)
    start = max(earliest, not_before) if not_before else earliest
    for index, day in enumerate(occurrence_dates(rule, start=start)):
        starts_at = first_instant(rule, day, zones)
        if starts_at > after:
            return Occurrence(day, starts_at)
        if index > SEARCH_DAYS:  # pragma: no cover - a valid rule never gets here
            break
    raise AssertionError("unreachable: a valid rule always has a next occurrence")


def describe(rule: Rule) -> str:
    """`every Monday and Thursday at 09:30`, `every other Monday at 09:30`."""
    names = [WEEKDAY_NAMES[d] for d in sorted(rule.weekdays)]
    days = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    if len(rule.weekdays) == 5 and set(rule.weekdays) == set(range(5)):
        days = "weekday"
    prefix = "every" if rule.interval_weeks == 1 else "every other"
    return f"{prefix} {days} at {rule.at:%H:%M}"
