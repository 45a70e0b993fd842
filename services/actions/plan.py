"""When an owner hears about an action item, as a pure function of its due date, their zone and the plan's start.

- `due`: the morning of the due day (the last working day before it, when it falls on a weekend);
- `overdue`: the morning of the first working day after the due day, once;
- `weekly`: then only Monday mornings, when every overdue item of the owner is gathered into one message.

Every moment is 09:00 in the owner's zone on a working day, so one owner's items due at the same moment are
told in one message, and an owner hears at most once a working day. Working hours and attention budgets come
later; they only change `MORNING` and `is_working_day`.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

MORNING = time(9, 0)


class Stage(StrEnum):
    DUE = "due"
    OVERDUE = "overdue"
    WEEKLY = "weekly"


def is_working_day(day: date) -> bool:
    return day.weekday() < 5


def morning(day: date, zone: ZoneInfo) -> datetime:
    """09:00 that day in `zone`, in UTC (zoneinfo resolves the daylight-saving change for that very day)."""
    return datetime.combine(day, MORNING, tzinfo=zone).astimezone(UTC)


def _working_on_or_before(day: date) -> date:
    while not is_working_day(day):
        day -= timedelta(days=1)
    return day


def _working_after(day: date) -> date:
    day += timedelta(days=1)
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def stages(due_on: date, zone: ZoneInfo, since: datetime) -> Iterator[tuple[Stage, datetime]]:
    """Every nudge of a plan that started at `since`, in order; the weekly ones go on for ever."""
    due_at = morning(_working_on_or_before(due_on), zone)
    if due_at >= since:
        yield Stage.DUE, due_at
    overdue_day = _working_after(due_on)
    overdue_at = morning(overdue_day, zone)
    if overdue_at >= since:
        yield Stage.OVERDUE, overdue_at
    monday = overdue_day + timedelta(days=7 - overdue_day.weekday())
    while True:
        moment = morning(monday, zone)
        if moment >= since:
            yield Stage.WEEKLY, moment
        monday += timedelta(days=7)


def due_now(due_on: date, zone: ZoneInfo, since: datetime, now: datetime) -> tuple[Stage, datetime] | None:
    """The latest nudge whose moment has come (a missed run sends only the latest), or None."""
    latest = None
    for stage, moment in stages(due_on, zone, since):
        if moment > now:
            return latest
        latest = (stage, moment)
    return latest  # pragma: no cover - stages never end


def next_after(due_on: date, zone: ZoneInfo, since: datetime, after: datetime) -> datetime:
    return next(moment for _, moment in stages(due_on, zone, since) if moment > after)


def ping_key(plan: int, stage: Stage, moment: datetime) -> str:
    """Unique per item: its plan number, the stage and the day, so a repeated run records nothing twice."""
    return f"p{plan}:{stage.value}:{moment:%Y%m%d}"
