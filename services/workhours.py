"""Working hours for the features that don't yet read a person's own (decision nudges, the meeting gate): the
default of `services.attention.hours.WorkingHours`, 09:00 to 18:00, Monday to Friday, in the person's zone, and
the moves into them those features need. Nothing here knows which feature asks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from services.attention.hours import WorkingHours

DEFAULT = WorkingHours()
WORK_START, WORK_END, WORK_DAYS = DEFAULT.start, DEFAULT.end, DEFAULT.days
LAST_HOUR = timedelta(hours=1)


def is_working_time(moment: datetime, zone: ZoneInfo) -> bool:
    return DEFAULT.is_working(moment, zone)


def next_working_start(moment: datetime, zone: ZoneInfo) -> datetime:
    """The next 09:00 on a weekday in `zone` after `moment` (or today's, if it is still to come)."""
    return DEFAULT.next_start(moment, zone)


def into_working_hours(moment: datetime, zone: ZoneInfo, deadline: datetime) -> datetime:
    """`moment`, moved to the start of the decider's next working day when it falls outside working hours and
    that start is still before the deadline; otherwise unchanged."""
    if is_working_time(moment, zone):
        return moment
    moved = next_working_start(moment, zone)
    return moved if moved < deadline else moment


def last_working_before(moment: datetime, zone: ZoneInfo) -> datetime:
    """`moment` itself in working hours; otherwise the start of the last working hour before it (17:00 of the
    working day before), so whoever hears then still has time to act before `moment`."""
    if is_working_time(moment, zone):
        return moment
    local = moment.astimezone(zone)
    day = local.date() if local.time() >= WORK_END else local.date() - timedelta(days=1)
    while day.weekday() not in WORK_DAYS:
        day -= timedelta(days=1)
    return (datetime.combine(day, WORK_END, tzinfo=zone) - LAST_HOUR).astimezone(UTC)
