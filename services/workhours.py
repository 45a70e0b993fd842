"""Working hours, one definition for every feature: 09:00 to 18:00, Monday to Friday, in the person's zone.
Nudges and the meeting gate are moved into them; nothing here knows which feature asks."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

WORK_START = time(9, 0)
WORK_END = time(18, 0)
WORK_DAYS = frozenset(range(5))  # Monday to Friday
LAST_HOUR = timedelta(hours=1)


def is_working_time(moment: datetime, zone: ZoneInfo) -> bool:
    local = moment.astimezone(zone)
    return local.weekday() in WORK_DAYS and WORK_START <= local.time() < WORK_END


def next_working_start(moment: datetime, zone: ZoneInfo) -> datetime:
    """The next 09:00 on a weekday in `zone` after `moment` (or today's, if it is still to come)."""
    local = moment.astimezone(zone)
    day = local.date()
    if local.time() >= WORK_START:
        day += timedelta(days=1)
    while day.weekday() not in WORK_DAYS:
        day += timedelta(days=1)
    return datetime.combine(day, WORK_START, tzinfo=zone).astimezone(UTC)


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
