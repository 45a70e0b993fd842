"""Series: each meeting of a series is followed by the next, one period later at the same wall-clock time in the
organiser's zone (across daylight-saving changes), with the same people and purpose and no pre-read (each
meeting needs a fresh one). Its agenda opens with what the last meeting carried forward or left unfinished.

The next meeting is made once (the series row is locked, and a meeting after this one means it exists already):
by the scheduler once a meeting has started or ended early (cancelled, made async), so attendees can add topics
ahead, or by recording an outcome before the scheduler got there. Which items it takes from the last one:

- a meeting held and recorded: the items carried forward and those left without an outcome;
- a cancelled one: all of its items, none was discussed;
- a started one whose outcome is not recorded yet: none for now; recording the outcome appends them;
- one made async: none, its items were taken up in writing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import and_, exists, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from models import (
    AgendaItem,
    Attendee,
    ItemOutcome,
    Meeting,
    MeetingEventKind,
    MeetingSeries,
    MeetingStatus,
    Person,
    Workspace,
)
from services import people
from services.errors import Forbidden, NotNow
from services.meetings.changes import record
from services.meetings.creating import refresh_times
from services.meetings.reading import load
from services.meetings.rules import MAX_ITEMS
from services.recurrence import local_instant
from services.refs import next_number

UNFINISHED = (ItemOutcome.CARRIED, None)  # what opens the next meeting's agenda


def next_start(previous: datetime, every_weeks: int, zone: ZoneInfo, now: datetime) -> datetime:
    """One period after `previous`, at its wall-clock time in `zone`; further periods on while that has passed
    (a scheduler that was stopped for weeks makes the next meeting still to come, not one in the past)."""
    local = previous.astimezone(zone)
    day, wall = local.date(), local.time().replace(tzinfo=None, fold=0)
    step = timedelta(weeks=every_weeks)
    while True:
        day += step
        start = local_instant(day, wall, zone)
        if start > now:
            return start


async def series_of(session: AsyncSession, meeting: Meeting, *, for_update: bool = False) -> MeetingSeries | None:
    if meeting.series_id is None:
        return None
    query = select(MeetingSeries).where(
        MeetingSeries.id == meeting.series_id, MeetingSeries.workspace_id == meeting.workspace_id
    )
    return await session.scalar(query.with_for_update() if for_update else query)


async def meeting_after(session: AsyncSession, meeting: Meeting) -> Meeting | None:
    """The series' next meeting after `meeting`, whatever its state; None when there is none yet."""
    if meeting.series_id is None:
        return None
    query = (
        select(Meeting.id)
        .where(
            Meeting.workspace_id == meeting.workspace_id,
            Meeting.series_id == meeting.series_id,
            Meeting.starts_at > meeting.starts_at,
        )
        .order_by(Meeting.starts_at, Meeting.number)
        .limit(1)
    )
    found = await session.scalar(query)
    return await load(session, found) if found is not None else None


async def coming_after(session: AsyncSession, meeting: Meeting, now: datetime) -> Meeting | None:
    """The first meeting of the series after `meeting` that is still to come (scheduled, not started)."""
    if meeting.series_id is None:
        return None
    query = (
        select(Meeting.id)
        .where(
            Meeting.workspace_id == meeting.workspace_id,
            Meeting.series_id == meeting.series_id,
            Meeting.starts_at > meeting.starts_at,
            Meeting.starts_at > now,
            Meeting.status == MeetingStatus.SCHEDULED,
        )
        .order_by(Meeting.starts_at, Meeting.number)
        .limit(1)
    )
    found = await session.scalar(query)
    return await load(session, found) if found is not None else None


def items_to_open(previous: Meeting) -> list[AgendaItem]:
    """What the next meeting takes from `previous` when it is made (see the module's docstring)."""
    if previous.status is MeetingStatus.CANCELLED:
        return list(previous.items)
    if previous.status is MeetingStatus.HELD:
        return [item for item in previous.items if item.outcome in UNFINISHED]
    return []


@dataclass
class Carried:
    """Items moved into a meeting (as they were where they came from): those that went, those left out (its agenda
    was full, or there is no meeting to take them), and by how many minutes its time-boxes now overrun it."""

    into: Meeting | None
    moved: list[AgendaItem] = field(default_factory=list)
    left_out: list[AgendaItem] = field(default_factory=list)
    over_minutes: int = 0


async def append_items(session: AsyncSession, *, meeting: Meeting, items: Sequence[AgendaItem], source: Meeting,
                       now: datetime) -> Carried:  # fmt: skip
    """Copies `items` (of `source`) to the end of `meeting`'s agenda, as far as MAX_ITEMS allows; they are
    moved even when their time-boxes no longer fit (the summary says so)."""
    room = max(0, MAX_ITEMS - len(meeting.items))
    moved, left_out = list(items[:room]), list(items[room:])
    last = max((i.position for i in meeting.items), default=0)
    for offset, item in enumerate(moved, start=1):
        session.add(AgendaItem(meeting_id=meeting.id, position=last + offset, topic=item.topic, owner_id=item.owner_id,
                               minutes=item.minutes, kind=item.kind, carried_from=source.ref))  # fmt: skip
    await session.flush()
    loaded = await load(session, meeting.id)
    await refresh_times(session, loaded, now)  # the gate looks at the agenda it has now
    over = sum(i.minutes for i in loaded.items) - loaded.minutes
    return Carried(loaded, moved, left_out, max(0, over))


async def _make_next(session: AsyncSession, previous: Meeting, series: MeetingSeries, now: datetime) -> Meeting:
    workspace = await session.get(Workspace, previous.workspace_id)
    assert workspace is not None
    zone = people.person_zone(previous.organiser, workspace)
    meeting = Meeting(
        workspace_id=previous.workspace_id,
        number=await next_number(session, workspace_id=previous.workspace_id, kind="meeting"),
        title=previous.title,
        kind=previous.kind,
        desired_outcome=previous.desired_outcome,
        organiser_id=previous.organiser_id,
        facilitator_id=previous.facilitator_id,
        starts_at=next_start(previous.starts_at, series.every_weeks, zone, now),
        minutes=previous.minutes,
        channel_id=previous.channel_id,
        series_id=series.id,
    )
    session.add(meeting)
    await session.flush()
    session.add_all(
        Attendee(meeting_id=meeting.id, person_id=a.person_id, role=a.role)
        for a in previous.attendees
        if people.reachable(a.person)
    )
    record(session, meeting, MeetingEventKind.CREATED, now, None, starts=meeting.starts_at.isoformat(),
           series_after=previous.ref)  # fmt: skip
    await session.flush()
    return await load(session, meeting.id)


async def advance(session: AsyncSession, *, meeting: Meeting, now: datetime) -> tuple[Meeting | None, bool]:
    """The meeting after `meeting` in its series: the one there already, or a new one (then True); None when it
    has no series, or the series is stopped and nothing follows."""
    series = await series_of(session, meeting, for_update=True)
    if series is None:
        return None, False
    following = await meeting_after(session, meeting)
    if following is not None or not series.active:
        return following, False
    made = await _make_next(session, meeting, series, now)
    carried = await append_items(session, meeting=made, items=items_to_open(meeting), source=meeting, now=now)
    assert carried.into is not None
    return carried.into, True


async def carry_forward(session: AsyncSession, *, meeting: Meeting, items: Sequence[AgendaItem],
                        now: datetime) -> Carried:  # fmt: skip
    """After recording `meeting`'s outcome: `items` (carried or unfinished) go to the series' next meeting still
    to come (made now if there is none after this one yet); they stay where they are when there is no series, or
    every later meeting has started or ended (nothing can be added to those any more)."""
    if not items:
        return Carried(None)
    if await meeting_after(session, meeting) is None:
        made, created = await advance(session, meeting=meeting, now=now)
        if made is None or not created:
            return Carried(made, left_out=list(items))
        copied = sum(1 for i in made.items if i.carried_from == meeting.ref)  # the first of `items`, in order
        over = max(0, sum(i.minutes for i in made.items) - made.minutes)
        return Carried(made, list(items[:copied]), list(items[copied:]), over)
    coming = await coming_after(session, meeting, now)
    if coming is None:
        return Carried(None, left_out=list(items))
    return await append_items(session, meeting=coming, items=items, source=meeting, now=now)


def due_to_advance(now: datetime):
    """The query for meetings whose series needs its next meeting: the latest of an active series, once it has
    started, or ended before its start (cancelled, made async, held)."""
    later = aliased(Meeting)
    return (
        select(Meeting.id)
        .join(
            MeetingSeries,
            and_(MeetingSeries.id == Meeting.series_id, MeetingSeries.workspace_id == Meeting.workspace_id),
        )
        .where(
            MeetingSeries.active.is_(True),
            or_(Meeting.starts_at <= now, Meeting.status != MeetingStatus.SCHEDULED),
            ~exists().where(
                later.workspace_id == Meeting.workspace_id,
                later.series_id == Meeting.series_id,
                later.starts_at > Meeting.starts_at,
            ),
        )
        .order_by(Meeting.starts_at)
    )


async def meetings_to_advance(session: AsyncSession, *, now: datetime, limit: int = 100) -> list[int]:
    return list(await session.scalars(due_to_advance(now).limit(limit)))


async def advance_after(session: AsyncSession, *, meeting_id: int, now: datetime) -> Meeting | None:
    """For the scheduler: the next meeting after this one, made if it is due; None when nothing was made."""
    meeting = await load(session, meeting_id)
    if meeting.status is MeetingStatus.SCHEDULED and meeting.starts_at > now:
        return None  # not due (any more): moved to a later start since it was found
    made, created = await advance(session, meeting=meeting, now=now)
    return made if created else None


def can_stop(person: Person, series: MeetingSeries) -> bool:
    return person.is_admin or person.id == series.organiser_id


async def stop(session: AsyncSession, *, meeting: Meeting, actor: Person, now: datetime) -> MeetingSeries:
    """The series' organiser (or an admin) ends it: no next meeting is made; those already made stay."""
    series = await series_of(session, meeting, for_update=True)
    if series is None:
        raise NotNow(f"{meeting.ref} happens once; it isn't part of a series, so there is nothing to stop.")
    if not can_stop(actor, series):
        organiser = await session.get(Person, series.organiser_id)
        raise Forbidden(f"stop the series of {meeting.ref}", "its organiser", [organiser] if organiser else [])
    if not series.active:
        raise NotNow(f"The series of {meeting.ref} is stopped already.")
    series.active = False
    record(session, meeting, MeetingEventKind.EDITED, now, actor, series="stopped")
    await session.flush()
    return series
