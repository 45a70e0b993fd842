"""When a step is due, relative to its run's anchor: the grammar people type and the rule that turns it into a
UTC moment.

    day 3        the third working day (Monday to Friday) counting the anchor's day as day 1 (onboarding)
    week 2       the first working day of the second working week: day 6, day 11, ...
    T-14d  T+1d  calendar days (or `w` weeks) before or after T (launch); a day that falls on a weekend moves
                 towards T's safe side: earlier when before T (be ready in time), later when after it; these
                 are due at 09:00 local on their day
    T            the launch moment itself (the anchor's date and time; 09:00 when only a date was given), so a
                 `T-3h` freeze always comes before the `T` ship, weekend or not (the team chose that moment)
    T-3h  T+30m  hours or minutes from the anchor moment, exactly
    +15 min  +1h hours or minutes from the anchor moment, exactly (incidents); `now` or `+0` is at the start

Each kind of playbook takes the forms that fit its anchor (`kind_problem`): onboarding counts working days
(`day`, `week`), a launch counts around its T (`T`, `T±Nd`, `T±Nw`, `T±Nh`, `T±Nm`), an incident counts minutes
from its start (`now`, `+N min`, `+Nh`); "other" takes any of them.

A step due on a day is due at the start of that working day (`DAY_STARTS`, in the run's zone), so a day across
a daylight-saving change is still 09:00 local; a step due some minutes after the anchor is that many real
minutes later whatever the clocks do.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from models import PlaybookKind

DAY_STARTS = time(9, 0)
MAX_DAYS = 366
MAX_MINUTES = 60 * 24 * 30
EXAMPLES = "`day 1`, `week 2`, `T-14d`, `T+1d`, `T-3h`, `+15 min`, `now`"
MAX_DIGITS = 9  # longer numbers are "too far" without being read
FORMS: dict[PlaybookKind, str] = {
    PlaybookKind.ONBOARDING: "Onboarding steps count working days from the start date: `day 1`, `day 3`, `week 2`",
    PlaybookKind.LAUNCH: "Launch steps count from the launch moment T: `T-14d`, `T-2w`, `T-3h`, `T`, `T+1d`",
    PlaybookKind.INCIDENT: "Incident steps count from the incident's start: `now`, `+15 min`, `+1h`",
}


class Unit(StrEnum):
    WORKDAY = "workday"  # day N / week N: counted in working days from the anchor's day
    DAY = "day"  # T±Nd / T±Nw: calendar days from the anchor's day
    MINUTE = "minute"  # T±Nh/m, +N min: exact minutes from the anchor moment


@dataclass(frozen=True)
class Timing:
    unit: Unit
    amount: int  # working days after day 1 (day 1 = 0), calendar days, or minutes; negative is before T

    def due_at(self, *, anchor: datetime, zone: str) -> datetime:
        """The UTC moment this step is due for a run anchored at `anchor` (aware) in `zone`."""
        if self.unit is Unit.MINUTE:
            return (anchor.astimezone(UTC) + timedelta(minutes=self.amount)).astimezone(UTC)
        if self.unit is Unit.DAY and self.amount == 0:
            return anchor.astimezone(UTC)  # T is the launch moment: 09:00 would put `T` before a `T-3h` freeze
        tz = ZoneInfo(zone)
        start = anchor.astimezone(tz).date()
        if self.unit is Unit.WORKDAY:
            day = _add_workdays(_next_workday(start), self.amount)
        else:
            day = _off_weekend(start + timedelta(days=self.amount), earlier=self.amount < 0)
        return datetime.combine(day, DAY_STARTS, tzinfo=tz).astimezone(UTC)

    def describe(self) -> str:
        """The canonical way to write it, as the checklist shows it."""
        if self.unit is Unit.WORKDAY:
            return f"day {self.amount + 1}"
        if self.unit is Unit.DAY:
            return "T" if self.amount == 0 else f"T{self.amount:+d}d"
        if self.amount == 0:
            return "now"
        hours, minutes = divmod(abs(self.amount), 60)
        sign = "+" if self.amount > 0 else "T-"  # before the anchor only makes sense for a launch's T
        return f"{sign}{hours}h" if not minutes and hours else f"{sign}{abs(self.amount)} min"


_DAY = re.compile(r"^(day|week)\s*(\d+)$")
_T = re.compile(r"^t\s*(?:([+\-−])\s*(\d+)\s*(d|w|h|m|min|mins|minutes?|hours?|days?|weeks?)?)?$")
_PLUS = re.compile(r"^\+\s*(\d+)\s*(m|min|mins|minutes?|h|hr|hrs|hours?)?$")
_NOW = {"now", "+0", "at start", "start"}


def parse_timing(text: str) -> Timing:
    """The timing in `text`; raises ValueError with a sentence for the person when it is not one."""
    raw = " ".join(text.strip().lower().split())
    if raw in _NOW:
        return Timing(Unit.MINUTE, 0)
    if match := _DAY.match(raw):
        number = _number(match.group(2), text)
        if number < 1:
            raise ValueError(f"“{text.strip()[:20]}”: days and weeks count from 1.")
        amount = number - 1 if match.group(1) == "day" else (number - 1) * 5
        return _checked(Timing(Unit.WORKDAY, amount), text)
    if match := _T.match(raw):
        if match.group(1) is None:
            return Timing(Unit.DAY, 0)
        sign = -1 if match.group(1) in "-−" else 1
        return _checked(_unit_amount(sign * _number(match.group(2), text), match.group(3) or "d"), text)
    if match := _PLUS.match(raw):
        return _checked(_unit_amount(_number(match.group(1), text), match.group(2) or "min"), text)
    raise ValueError(f"I can't read “{text.strip()[:30]}” as a timing. Try {EXAMPLES}.")


def kind_problem(text: str, kind: PlaybookKind | str | None) -> str | None:
    """A sentence when `text` (a timing that parses) is not a form `kind` takes; None when it fits."""
    forms = FORMS.get(PlaybookKind(kind)) if kind else None
    if forms is None:
        return None
    raw = " ".join(text.strip().lower().split())
    if kind == PlaybookKind.ONBOARDING:
        fits = bool(_DAY.match(raw))
    elif kind == PlaybookKind.LAUNCH:
        fits = bool(_T.match(raw))
    else:
        fits = raw in _NOW or bool(_PLUS.match(raw))
    return None if fits else f"“{text.strip()[:20]}” doesn't fit this kind of playbook. {forms}."


def _number(digits: str, text: str) -> int:
    if len(digits) > MAX_DIGITS:
        raise ValueError(f"“{text.strip()[:20]}” is too far from the start; keep steps within a year.")
    return int(digits)


def _unit_amount(amount: int, unit: str) -> Timing:
    if unit.startswith("w"):
        return Timing(Unit.DAY, amount * 7)
    if unit.startswith("d"):
        return Timing(Unit.DAY, amount)
    if unit.startswith("h"):
        return Timing(Unit.MINUTE, amount * 60)
    return Timing(Unit.MINUTE, amount)


def _checked(timing: Timing, text: str) -> Timing:
    limit = MAX_MINUTES if timing.unit is Unit.MINUTE else MAX_DAYS
    if abs(timing.amount) > limit:
        raise ValueError(f"“{text.strip()[:20]}” is too far from the start; keep steps within a year.")
    return timing


def _next_workday(day: date) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def _add_workdays(day: date, count: int) -> date:
    while count > 0:
        day += timedelta(days=1)
        if day.weekday() < 5:
            count -= 1
    return day


def _off_weekend(day: date, *, earlier: bool) -> date:
    step = timedelta(days=-1 if earlier else 1)
    while day.weekday() >= 5:
        day += step
    return day
