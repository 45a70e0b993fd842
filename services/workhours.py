"""Working hours for the features that move their own times into them (decision nudges, the meeting gate, a
follow-up's input deadline): each person's own `WorkingHours` (`hours_of`), the default 09:00 to 18:00, Monday to
Friday, for whoever has set none, in the person's zone, and the moves into them those features need. Nothing
here knows which feature asks."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from models import Person
from services.attention.hours import WorkingHours, stored

DEFAULT = WorkingHours()
WORK_START, WORK_END, WORK_DAYS = DEFAULT.start, DEFAULT.end, DEFAULT.days
LAST_HOUR = timedelta(hours=1)


def hours_of(person: Person) -> WorkingHours:
    """The person's own working hours (`/followthrough hours`), else the default."""
    return stored(person.work_hours)


def is_working_time(moment: datetime, zone: ZoneInfo, hours: WorkingHours = DEFAULT) -> bool:
    return hours.is_working(moment, zone)


def next_working_start(moment: datetime, zone: ZoneInfo, hours: WorkingHours = DEFAULT) -> datetime:
    """The next start of `hours` in `zone` after `moment` (or today's, if it is still to come)."""
    return hours.next_start(moment, zone)


def into_working_hours(moment: datetime, zone: ZoneInfo, deadline: datetime, hours: WorkingHours = DEFAULT) -> datetime:
    """`moment`, moved to the start of the person's next working day when it falls outside their hours and that
    start is still before the deadline; otherwise unchanged."""
    if is_working_time(moment, zone, hours):
        return moment
    moved = next_working_start(moment, zone, hours)
    return moved if moved < deadline else moment


def last_hour_start(hours: WorkingHours = DEFAULT) -> time:
    """When the last working hour of a day begins (17:00 by default)."""
    return (datetime.combine(datetime.min, hours.end) - LAST_HOUR).time()


def last_working_before(moment: datetime, zone: ZoneInfo, hours: WorkingHours = DEFAULT) -> datetime:
    """`moment` itself in working hours; otherwise the start of the last working hour before it (17:00 of the
    working day before, by default), so whoever hears then still has time to act before `moment`."""
    if is_working_time(moment, zone, hours):
        return moment
    local = moment.astimezone(zone)
    day = local.date() if local.time() >= hours.end else local.date() - timedelta(days=1)
    while day.weekday() not in hours.days:
        day -= timedelta(days=1)
    return datetime.combine(day, last_hour_start(hours), tzinfo=zone).astimezone(UTC)
