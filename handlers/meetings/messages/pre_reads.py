"""Pre-read messages: each person who must read one is asked once, the one reminder goes to those who haven't
read a few hours before the start, and at the start the facilitator hears who has read what.

Each reader row remembers when its person was asked, and one message asks for all the pre-reads waiting, so
calling `queue_pre_read_asks` again after an edit reaches only those newly invited or a newly added pre-read.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.meetings.blocks.prompts import ask_dm, readers_dm, reminder_dm
from models import Delivery, Meeting, Person, PreRead, Workspace
from services import outbox, people
from services.meetings.during import Reading, meeting_key, people_by_id, reading

READ_KIND = "meeting.read"
ASK = "read"


def ask_key(meeting: Meeting, asked: list[PreRead], person: Person) -> str:
    """One ask per person and batch of pre-reads (their positions and a digest of their links)."""
    digest = hashlib.sha256("|".join(p.link for p in asked).encode()).hexdigest()[:10]
    return meeting_key(meeting, ASK, ",".join(str(p.position) for p in asked), digest, person.slack_user_id)


async def _zones(session: AsyncSession, meeting: Meeting) -> Workspace:
    workspace = await session.get(Workspace, meeting.workspace_id)
    assert workspace is not None
    return workspace


async def queue_pre_read_asks(session: AsyncSession, *, meeting: Meeting, now: datetime) -> int:
    """Everyone who must read a pre-read, hasn't, and hasn't been asked for it yet, gets ONE message listing all
    such pre-reads (each with its "I've read it"); how many were asked. Asking is marked on the reader rows in
    the same transaction, so calling this again after an edit reaches only the new readers or pre-reads."""
    if not meeting.is_scheduled or meeting.starts_at <= now:
        return 0
    waiting: dict[int, list[PreRead]] = {}
    for pre_read in meeting.pre_reads:
        for receipt in pre_read.readers:
            if receipt.read_at is None and receipt.asked_at is None:
                receipt.asked_at = now
                waiting.setdefault(receipt.person_id, []).append(pre_read)
    found = await people_by_id(session, workspace_id=meeting.workspace_id, ids=set(waiting))
    workspace = await _zones(session, meeting)
    queued = 0
    for person_id, asked in waiting.items():
        reader = found.get(person_id)
        if reader is None or not people.reachable(reader):
            continue
        args = ask_dm(meeting, asked, reader, people.person_zone(reader, workspace))
        await outbox.enqueue(session, workspace_id=meeting.workspace_id, key=ask_key(meeting, asked, reader),
                             kind=READ_KIND, method="chat.postMessage", args=args, not_before=now)  # fmt: skip
        queued += 1
    await session.flush()
    return queued


async def first_asked(session: AsyncSession, meeting: Meeting) -> dict[str, datetime]:
    """When each person (by Slack id) was first asked to read one of the meeting's pre-reads."""
    prefix = meeting_key(meeting, ASK) + ":"
    query = select(Delivery.key, Delivery.due_at).where(
        Delivery.workspace_id == meeting.workspace_id, Delivery.key.startswith(prefix, autoescape=True)
    )
    asked: dict[str, datetime] = {}
    for key, at in (await session.execute(query)).all():
        user = key.rsplit(":", 1)[-1]
        asked[user] = min(asked.get(user, at), at)
    return asked


async def queue_reminders(session: AsyncSession, *, meeting: Meeting, found: list[Reading], now: datetime) -> int:
    """One reminder to each person with something unread, listing just that; nobody who was asked only after the
    reminder's moment (they have just been asked). How many were reminded."""
    unread: dict[int, tuple[Person, list[PreRead]]] = {}
    for shown in found:
        for person in shown.unread:
            unread.setdefault(person.id, (person, []))[1].append(shown.pre_read)
    asked = await first_asked(session, meeting)
    workspace = await _zones(session, meeting)
    reminded = 0
    for person, pre_reads in unread.values():
        when = asked.get(person.slack_user_id)
        if not people.reachable(person) or (when is not None and meeting.remind_at and when >= meeting.remind_at):
            continue
        args = reminder_dm(meeting, person, pre_reads, people.person_zone(person, workspace))
        await outbox.enqueue(session, workspace_id=meeting.workspace_id,
                             key=meeting_key(meeting, "remind", person.slack_user_id), kind=READ_KIND,
                             method="chat.postMessage", args=args, not_before=now)  # fmt: skip
        reminded += 1
    return reminded


async def tell_facilitator_who_read(session: AsyncSession, *, meeting: Meeting, now: datetime) -> bool:
    """At the start, the facilitator hears who has read each pre-read and who hasn't (nothing without one)."""
    facilitator = meeting.facilitator
    if not meeting.pre_reads or not people.reachable(facilitator):
        return False
    zone = people.person_zone(facilitator, await _zones(session, meeting))
    args = readers_dm(meeting, facilitator, await reading(session, meeting), zone)
    await outbox.enqueue(session, workspace_id=meeting.workspace_id, key=meeting_key(meeting, "readers"),
                         kind=READ_KIND, method="chat.postMessage", args=args, not_before=now)  # fmt: skip
    return True
