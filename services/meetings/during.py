"""Around the meeting itself: the one pre-read reminder to those who haven't read, who has read what (for the
facilitator at the start), the time-box messages' progress through the running order, and the meeting's thread.

As in `gate`, each step locks the meeting and checks again before it changes anything, so it happens once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import literal, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import AgendaItem, Delivery, DeliveryState, Meeting, MeetingStatus, Person, PreRead
from services.meetings.gate import Due, due_ids, locked
from services.meetings.readiness import timebox_ends
from services.meetings.settings import settings_of

KEY_PREFIX = "meeting"
THREAD = "thread"
TIMEBOX_GRACE = timedelta(minutes=10)  # after the meeting's end, a time-box message is no longer worth posting


def meeting_key(meeting: Meeting, *parts: str) -> str:
    """An outbox key of one of the meeting's messages: its token (never handed out again), then what and whom."""
    return ":".join((KEY_PREFIX, meeting.token, *parts))


def thread_key(meeting: Meeting) -> str:
    """The key of the message that opens the meeting's thread at its start; replies name it as `thread_of`."""
    return meeting_key(meeting, THREAD)


async def people_by_id(session: AsyncSession, *, workspace_id: int, ids: set[int]) -> dict[int, Person]:
    if not ids:
        return {}
    query = select(Person).where(Person.workspace_id == workspace_id, Person.id.in_(ids))
    return {p.id: p for p in await session.scalars(query)}


@dataclass(frozen=True)
class Reading:
    """Who must read each pre-read: those who have, and those who haven't yet."""

    pre_read: PreRead
    read: list[Person]
    unread: list[Person]


async def reading(session: AsyncSession, meeting: Meeting) -> list[Reading]:
    ids = {r.person_id for p in meeting.pre_reads for r in p.readers}
    found = await people_by_id(session, workspace_id=meeting.workspace_id, ids=ids)
    shown = []
    for pre_read in meeting.pre_reads:
        receipts = [(found[r.person_id], r.read_at) for r in pre_read.readers if r.person_id in found]
        shown.append(Reading(pre_read, [p for p, at in receipts if at is not None],
                             [p for p, at in receipts if at is None]))  # fmt: skip
    return shown


async def due_reminders(session: AsyncSession, *, now: datetime) -> Due:
    return await due_ids(session, Meeting.remind_at <= now, Meeting.reminded_at.is_(None))


async def take_reminder(session: AsyncSession, *, workspace_id: int, meeting_id: int,
                        now: datetime) -> tuple[Meeting, list[Reading]] | None:  # fmt: skip
    """Marks the meeting's reminder as gone and returns who still has to read what; None when another run took it,
    or when the meeting has started (a reminder then is too late to help)."""
    meeting = await locked(session, workspace_id=workspace_id, meeting_id=meeting_id)
    if meeting is None or not meeting.is_scheduled or meeting.reminded_at is not None:
        return None
    if meeting.remind_at is None or meeting.remind_at > now:
        return None
    meeting.reminded_at = now
    await session.flush()
    if meeting.starts_at <= now:
        return None
    return meeting, await reading(session, meeting)


async def due_timeboxes(session: AsyncSession, *, now: datetime) -> Due:
    return await due_ids(session, Meeting.started_at.is_not(None), Meeting.next_timebox_at <= now)


@dataclass(frozen=True)
class TimeUp:
    """An item's time-box ended: the item, the one after it (None: it was the last), and whether to say so."""

    meeting: Meeting
    item: AgendaItem
    following: AgendaItem | None
    say: bool


async def time_up(session: AsyncSession, *, workspace_id: int, meeting_id: int, now: datetime) -> TimeUp | None:
    """Moves the meeting past every time-box that has ended; only the latest is announced, so a scheduler that
    was away for a while posts one message, not a burst. None when nothing has ended since the last run."""
    meeting = await locked(session, workspace_id=workspace_id, meeting_id=meeting_id)
    if meeting is None or not meeting.is_scheduled or meeting.started_at is None or meeting.next_timebox_at is None:
        return None
    ends = [(position, at) for position, at in timebox_ends(meeting) if position > meeting.timebox_position]
    ended = [position for position, at in ends if at <= now]
    coming = [at for position, at in ends if at > now]
    meeting.next_timebox_at = coming[0] if coming else None
    if not ended:
        await session.flush()
        return None
    meeting.timebox_position = ended[-1]
    await session.flush()
    item = next(i for i in meeting.items if i.position == ended[-1])
    following = next((i for i in meeting.items if i.position > item.position), None)
    settings = await settings_of(session, workspace_id=workspace_id)
    say = settings.timebox_messages and now < meeting.ends_at + TIMEBOX_GRACE
    return TimeUp(meeting, item, following, say)


async def learn_threads(session: AsyncSession) -> int:
    """Meetings whose thread message has gone out learn its channel and ts from the outbox, for whatever is
    posted there later by another route (the outcome's summary). How many learnt it."""
    key = literal(f"{KEY_PREFIX}:") + Meeting.token + literal(f":{THREAD}")
    query = (
        select(Meeting, Delivery.slack_channel, Delivery.slack_ts)
        .join(Delivery, (Delivery.workspace_id == Meeting.workspace_id) & (Delivery.key == key))
        .where(
            Meeting.started_at.is_not(None),
            Meeting.thread_ts.is_(None),
            Meeting.status != MeetingStatus.ASYNC,
            Delivery.state == DeliveryState.SENT,
        )  # fmt: skip
    )
    learnt = 0
    for meeting, channel, ts in (await session.execute(query)).all():
        meeting.thread_channel, meeting.thread_ts = channel, ts
        learnt += 1
    await session.flush()
    return learnt
