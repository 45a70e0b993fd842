"""Carried forward when a meeting doesn't repeat: its carried and unreached topics go to a written thread, a
follow-up meeting made async at once (its input due in the last working hour two working days on, by the
organiser's own hours and zone), so they are neither lost nor left waiting for a meeting nobody has scheduled."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from models import AgendaItem, Attendee, Meeting, MeetingEventKind, Person, Workspace
from services import people
from services.attention.hours import WorkingHours
from services.meetings.changes import record
from services.meetings.going_async import MadeAsync, make_async
from services.meetings.reading import load
from services.meetings.rules import MAX_MINUTES, MAX_TITLE, MIN_MINUTES
from services.meetings.series import append_items
from services.refs import next_number
from services.workhours import DEFAULT, hours_of, last_hour_start

WORKING_DAYS = 2
SUFFIX = " (follow-up)"


def input_deadline(now: datetime, zone: ZoneInfo, hours: WorkingHours = DEFAULT) -> datetime:
    """The start of the last working hour (17:00 by default) on the second working day after today, in `zone` and
    the organiser's `hours`."""
    day, left = now.astimezone(zone).date(), WORKING_DAYS
    while left:
        day += timedelta(days=1)
        left -= day.weekday() in hours.days
    return datetime.combine(day, last_hour_start(hours), tzinfo=zone).astimezone(UTC)


async def follow_up_async(session: AsyncSession, *, meeting: Meeting, items: Sequence[AgendaItem], actor: Person,
                          now: datetime) -> MadeAsync:  # fmt: skip
    """M-n for `items` of `meeting` (same people, channel and desired outcome), made async by `actor`, who recorded
    the outcome and may therefore make it async; its thread and asks are queued by the caller's messages."""
    workspace = await session.get(Workspace, meeting.workspace_id)
    assert workspace is not None
    deadline = input_deadline(now, people.person_zone(meeting.organiser, workspace), hours_of(meeting.organiser))
    minutes = min(MAX_MINUTES, max(MIN_MINUTES, sum(item.minutes for item in items)))
    follow = Meeting(
        workspace_id=meeting.workspace_id,
        number=await next_number(session, workspace_id=meeting.workspace_id, kind="meeting"),
        title=meeting.title[: MAX_TITLE - len(SUFFIX)] + SUFFIX,
        kind=meeting.kind,
        desired_outcome=meeting.desired_outcome,
        organiser_id=meeting.organiser_id,
        facilitator_id=meeting.facilitator_id,
        starts_at=deadline,  # it is never held; its thread's deadline stands in for a start
        minutes=minutes,
        channel_id=meeting.channel_id,
    )
    session.add(follow)
    await session.flush()
    session.add_all(Attendee(meeting_id=follow.id, person_id=a.person_id, role=a.role) for a in meeting.attendees
                    if people.reachable(a.person))  # fmt: skip
    record(session, follow, MeetingEventKind.CREATED, now, actor, starts=deadline.isoformat(), follow_up_of=meeting.ref)
    await session.flush()
    await append_items(session, meeting=await load(session, follow.id), items=items, source=meeting, now=now)
    return await make_async(session, meeting=await load(session, follow.id), actor=actor, deadline=deadline, now=now)
