"""A person's working hours: a daily window and the days it applies, in their own zone. Parsed from what
people type (`08:00-16:00 mon-thu`, `9-17`, `mon,wed,fri 10:00-15:00`), checked, and asked of a moment: is it
working time, and when does the next working morning start? Pure."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from services.errors import Invalid

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
EXAMPLE = "`/followthrough hours 08:00-16:00 mon-thu`"
_WINDOW = re.compile(r"^(\d{1,2})(?::(\d{2}))?(am|pm)?-(\d{1,2})(?::(\d{2}))?(am|pm)?$")
_ALIASES = {"weekdays": "mon-fri", "weekends": "sat-sun", "daily": "mon-sun", "everyday": "mon-sun"}


@dataclass(frozen=True)
class WorkingHours:
    start: time = time(9, 0)
    end: time = time(18, 0)
    days: frozenset[int] = frozenset(range(5))  # Monday is 0

    def describe(self) -> str:
        names = [DAY_NAMES[d].capitalize() for d in sorted(self.days)]
        run = f"{names[0]}–{names[-1]}" if _consecutive(sorted(self.days)) and len(names) > 2 else ", ".join(names)
        return f"{self.start:%H:%M}–{_end(self.end)} {run}"

    def is_working(self, moment: datetime, zone: ZoneInfo) -> bool:
        local = moment.astimezone(zone)
        return (
            local.weekday() in self.days
            and self.start <= local.time()
            and (local.time() < self.end or self.end == MIDNIGHT)
        )

    def next_start(self, moment: datetime, zone: ZoneInfo) -> datetime:
        """The start of the next working window after `moment` (today's, if it is still to come)."""
        local = moment.astimezone(zone)
        day = local.date() if local.time() < self.start else local.date() + timedelta(days=1)
        while day.weekday() not in self.days:
            day += timedelta(days=1)
        return _at(day, self.start, zone)

    def resume_at(self, moment: datetime, zone: ZoneInfo) -> datetime:
        """`moment` itself when it is working time, else the next start."""
        return moment if self.is_working(moment, zone) else self.next_start(moment, zone)

    def working_day(self, moment: datetime, zone: ZoneInfo) -> date:
        """The day a budget counts against: the local date (the hours before the start belong to that day)."""
        return moment.astimezone(zone).date()


MIDNIGHT = time.max  # an end of 24:00: the whole of the day's last minute is working time


def _end(end: time) -> str:
    return "24:00" if end == MIDNIGHT else f"{end:%H:%M}"


def _consecutive(days: list[int]) -> bool:
    return all(b - a == 1 for a, b in zip(days, days[1:], strict=False))


def _at(day: date, clock: time, zone: ZoneInfo) -> datetime:
    """The wall-clock time `clock` on `day` in `zone`, in UTC; a time skipped by a DST change moves forward."""
    naive = datetime.combine(day, clock)
    aware = naive.replace(tzinfo=zone)
    back = aware.astimezone(UTC).astimezone(zone)
    if back.replace(tzinfo=None) != naive:  # in a spring-forward gap: the first moment after it
        aware = (naive + timedelta(hours=1)).replace(tzinfo=zone)
    return aware.astimezone(UTC)


def _clock(hours: str, minutes: str | None, half: str | None) -> time:
    hour, minute = int(hours), int(minutes or 0)
    if half:  # 9am, 5pm, 12pm (noon), 12am (midnight)
        if not 1 <= hour <= 12:
            raise ValueError
        hour = hour % 12 + (12 if half == "pm" else 0)
    if hour == 24 and minute == 0:
        return MIDNIGHT
    if hour > 23 or minute > 59:
        raise ValueError
    return time(hour, minute)


def _days(text: str) -> frozenset[int]:
    """Days as typed: `mon-thu`, `mon,wed,fri`, `mon wed fri`, `sat mon-thu`, `weekdays`; a range may wrap."""
    found: set[int] = set()
    for part in re.split(r"[,\s]+", text.strip()):
        part = _ALIASES.get(part, part)
        ends = [w[:3] for w in part.split("-")]
        if not part or any(e not in DAY_NAMES for e in ends) or len(ends) > 2:
            raise ValueError
        first, last = DAY_NAMES.index(ends[0]), DAY_NAMES.index(ends[-1])
        found |= {(first + n) % 7 for n in range((last - first) % 7 + 1)}
    return frozenset(found)


def parse(text: str) -> WorkingHours:
    """`HH:MM-HH:MM [days]` or `[days] HH:MM-HH:MM` (also `9-17`, `9am-5pm`); the days default to Monday–Friday.
    Invalid otherwise, saying why."""
    cleaned = re.sub(r"\s*(?:[-–]|\bto\b)\s*", "-", text.lower().strip())
    cleaned = re.sub(r"(\d)\s+(am|pm)\b", r"\1\2", cleaned)
    words = cleaned.split()
    window = next((w for w in words if _WINDOW.match(w)), None)
    rest = " ".join(w for w in words if w is not window).strip()
    if window is None:
        raise Invalid({"hours": f"Give a start and an end, e.g. {EXAMPLE}."})
    start_h, start_m, start_half, end_h, end_m, end_half = _WINDOW.match(window).groups()  # type: ignore[union-attr]
    try:
        start, end = _clock(start_h, start_m, start_half), _clock(end_h, end_m, end_half)
        days = _days(rest) if rest else frozenset(range(5))
    except ValueError:
        raise Invalid({"hours": f"I couldn't read “{text[:60]}”; try {EXAMPLE}."}) from None
    if end <= start:
        raise Invalid({"hours": "The end must come after the start; working hours here stay within one day."})
    if (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute) < 60:
        raise Invalid({"hours": "That is less than an hour a day; give a window of at least an hour."})
    return WorkingHours(start, end, days)


def stored(text: str | None) -> WorkingHours:
    """A person's stored working hours (`Person.work_hours`, written by `canonical`); the default when unset."""
    if not text:
        return WorkingHours()
    try:
        return parse(text)
    except Invalid:  # stored by an older rule: the default rather than nothing
        return WorkingHours()


def canonical(hours: WorkingHours) -> str:
    """What `Person.work_hours` stores: reads back through `parse` to the same hours."""
    days = ",".join(DAY_NAMES[d] for d in sorted(hours.days))
    return f"{hours.start:%H:%M}-{_end(hours.end)} {days}"
