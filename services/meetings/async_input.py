"""A meeting made async, after it was made so: its thread (whose ts is learnt from the outbox once posted),
written input (replies in the thread, each filed under an agenda item), and the deadline's summary.

Slack's threads are one level deep: a reply to an item's message lands in the meeting's thread like every other
reply. So a reply names its item by number ("2: …" or "#2 …"); in a thread with one item, every reply is for it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import literal, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    AgendaItem,
    Delivery,
    DeliveryState,
    Meeting,
    MeetingEvent,
    MeetingEventKind,
    MeetingInput,
    MeetingStatus,
    Person,
    Workspace,
)
from models.meeting import MEETING_PREFIX
from services import outbox
from services.meetings.changes import record
from services.meetings.going_async import KEY_PREFIX, THREAD, async_key
from services.meetings.reading import get_meeting

# "2: …", "2) …", "2 - …", "2. …", "#2 …", "item 2 …" at the very start; "2.5 million" or "2 weeks" is not.
_NUMBERED = re.compile(r"^\s*(?:(?:#|item\s*)(\d{1,2})\b[\s:.)\-–—]*|(\d{1,2})(?:\s*[:)\-–—]|\.(?=\s)))\s*", re.I)
SUMMARY_BATCH = 100


def _thread_key_column():
    return literal(f"{KEY_PREFIX}:") + Meeting.token + literal(f":async:{THREAD}")


async def _locked(session: AsyncSession, workspace_id: int, number: int) -> Meeting | None:
    ref = f"{MEETING_PREFIX}-{number}"
    return await get_meeting(session, workspace_id=workspace_id, ref=ref, for_update=True)


async def meeting_for_thread(session: AsyncSession, *, workspace_id: int, channel_id: str,
                             thread_ts: str) -> Meeting | None:  # fmt: skip
    """The meeting made async whose thread starts at `thread_ts` in this channel, locked; None if it is not one.
    Before the scheduler has recorded the thread's ts, it is found through the delivery that posted it."""
    mine = (Meeting.workspace_id == workspace_id, Meeting.status == MeetingStatus.ASYNC)
    number = await session.scalar(
        select(Meeting.number).where(*mine, Meeting.thread_channel == channel_id, Meeting.thread_ts == thread_ts)
    )
    if number is None:
        posted = (Delivery.workspace_id == Meeting.workspace_id) & (Delivery.key == _thread_key_column())
        number = await session.scalar(
            select(Meeting.number)
            .join(Delivery, posted)
            .where(
                *mine, Meeting.thread_ts.is_(None), Delivery.slack_channel == channel_id, Delivery.slack_ts == thread_ts
            )  # fmt: skip
        )
    return None if number is None else await _locked(session, workspace_id, number)


def which_item(meeting: Meeting, text: str) -> tuple[AgendaItem | None, str]:
    """The item a reply is for, and its text without the number that named it; (None, text) when a thread of
    several items gets a reply that names none (or one it doesn't have)."""
    match = _NUMBERED.match(text)
    if match:
        position = int(match.group(1) or match.group(2))
        found = next((i for i in meeting.items if i.position == position), None)
        rest = text[match.end() :].strip()
        if found is not None:
            return found, rest or text.strip()
    if len(meeting.items) == 1:
        return meeting.items[0], text.strip()
    return None, text


async def add_input(session: AsyncSession, *, meeting: Meeting, item: AgendaItem, person: Person, message_ts: str,
                    text: str, now: datetime) -> MeetingInput | None:  # fmt: skip
    """Stores a reply as written input; None when it is too late (the summary is out) or stored already."""
    if meeting.status is not MeetingStatus.ASYNC or meeting.async_summarised_at is not None:
        return None
    query = select(MeetingInput.id).where(MeetingInput.item_id == item.id, MeetingInput.message_ts == message_ts)
    if await session.scalar(query) is not None:
        return None
    given = MeetingInput(workspace_id=meeting.workspace_id, meeting_id=meeting.id, item_id=item.id,
                         person_id=person.id, message_ts=message_ts, text=text, at=now)  # fmt: skip
    try:
        async with session.begin_nested():
            session.add(given)
    except IntegrityError:  # the same reply, stored meanwhile by a concurrent delivery of the event
        return None
    return given


# the thread, once posted -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PostedThread:
    meeting_id: int
    workspace_id: int
    team_id: str
    enterprise_id: str | None
    channel: str
    ts: str


async def threads_posted(session: AsyncSession, *, limit: int = SUMMARY_BATCH) -> list[PostedThread]:
    """Meetings made async whose thread Slack has, but whose attendees are not asked yet (across workspaces)."""
    posted = (Delivery.workspace_id == Meeting.workspace_id) & (Delivery.key == _thread_key_column())
    query = (
        select(
            Meeting.id,
            Meeting.workspace_id,
            Workspace.team_id,
            Workspace.enterprise_id,
            Delivery.slack_channel,
            Delivery.slack_ts,
        )  # fmt: skip
        .join(Delivery, posted)
        .join(Workspace, Workspace.id == Meeting.workspace_id)
        .where(
            Meeting.status == MeetingStatus.ASYNC,
            Meeting.thread_ts.is_(None),
            Delivery.state == DeliveryState.SENT,
            Delivery.slack_ts.is_not(None),
        )  # fmt: skip
        .order_by(Meeting.id)
        .limit(limit)
    )
    return [PostedThread(*row) for row in await session.execute(query)]


async def learn_item_ts(session: AsyncSession, meeting: Meeting) -> None:
    """Each item's reply's ts, from its delivery once sent; the desired outcome of a meeting that had no agenda
    is asked in the thread's first message, which has no reply of its own."""
    for item in meeting.items:
        if item.async_ts is not None:
            continue
        sent = await outbox.get(session, workspace_id=meeting.workspace_id,
                                key=async_key(meeting.token, "item", str(item.position)))  # fmt: skip
        if sent is None:
            item.async_ts = meeting.thread_ts
        elif sent.state == DeliveryState.SENT:
            item.async_ts = sent.slack_ts


async def link_thread(session: AsyncSession, *, thread: PostedThread) -> Meeting | None:
    """Records where the thread is (locked: a second scheduler finds it done and gets None)."""
    number = await session.scalar(select(Meeting.number).where(Meeting.id == thread.meeting_id))
    meeting = None if number is None else await _locked(session, thread.workspace_id, number)
    if meeting is None or meeting.thread_ts is not None or meeting.status is not MeetingStatus.ASYNC:
        return None
    meeting.thread_channel, meeting.thread_ts = thread.channel, thread.ts
    await learn_item_ts(session, meeting)
    await session.flush()
    return meeting


async def made_async_by(session: AsyncSession, meeting: Meeting) -> Person | None:
    """Who made it async (from its history): the attendees' asks come from them, and not to them."""
    query = (
        select(Person)
        .join(MeetingEvent, MeetingEvent.actor_id == Person.id)
        .where(
            MeetingEvent.workspace_id == meeting.workspace_id,
            MeetingEvent.meeting_id == meeting.id,
            MeetingEvent.kind == MeetingEventKind.MADE_ASYNC,
        )  # fmt: skip
        .order_by(MeetingEvent.at.desc(), MeetingEvent.id.desc())
        .limit(1)
    )
    return await session.scalar(query)


# the summary at the deadline ---------------------------------------------------------------------------------


async def due_summaries(session: AsyncSession, *, now: datetime, limit: int = SUMMARY_BATCH) -> list[int]:
    """Ids of meetings made async whose deadline has come and whose summary has not gone (across workspaces)."""
    query = (
        select(Meeting.id)
        .where(
            Meeting.status == MeetingStatus.ASYNC, Meeting.async_summarised_at.is_(None), Meeting.async_deadline <= now
        )  # fmt: skip
        .order_by(Meeting.async_deadline, Meeting.id)
        .limit(limit)
    )
    return list(await session.scalars(query))


async def take_summary(session: AsyncSession, *, meeting_id: int, now: datetime) -> Meeting | None:
    """Marks the summary as done, locked (a second run, or a second scheduler, gets None)."""
    row = (await session.execute(select(Meeting.workspace_id, Meeting.number).where(Meeting.id == meeting_id))).first()
    meeting = None if row is None else await _locked(session, row.workspace_id, row.number)
    if meeting is None or meeting.async_summarised_at is not None or meeting.status is not MeetingStatus.ASYNC:
        return None
    meeting.async_summarised_at = now
    await learn_item_ts(session, meeting)
    record(session, meeting, MeetingEventKind.SUMMARISED, now, None)
    await session.flush()
    return meeting


@dataclass(frozen=True)
class ItemInput:
    item: AgendaItem
    answers: list[tuple[Person, int]]  # who wrote, and how many replies, first to write first

    @property
    def replies(self) -> int:
        return sum(n for _, n in self.answers)


@dataclass(frozen=True)
class Summary:
    items: list[ItemInput]
    silent: list[Person]  # attendees who wrote nothing at all


async def summary_of(session: AsyncSession, meeting: Meeting) -> Summary:
    query = select(MeetingInput).where(
        MeetingInput.workspace_id == meeting.workspace_id, MeetingInput.meeting_id == meeting.id
    ).order_by(MeetingInput.at, MeetingInput.id)  # fmt: skip
    given = list(await session.scalars(query))
    known = {a.person.id: a.person for a in meeting.attendees} | {i.owner.id: i.owner for i in meeting.items}
    unknown = {g.person_id for g in given} - set(known)
    if unknown:
        known |= {p.id: p for p in await session.scalars(select(Person).where(Person.id.in_(unknown)))}
    items = []
    for item in meeting.items:
        counts: dict[int, int] = {}
        for g in given:
            if g.item_id == item.id:
                counts[g.person_id] = counts.get(g.person_id, 0) + 1
        items.append(ItemInput(item, [(known[pid], n) for pid, n in counts.items()]))
    wrote = {g.person_id for g in given}
    silent = [a.person for a in meeting.attendees if a.person_id not in wrote]
    return Summary(items, silent)
