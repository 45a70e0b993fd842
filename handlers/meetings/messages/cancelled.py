"""A meeting is cancelled: each attendee hears once.

Keys are built from the meeting's ref (never handed out again in a workspace) and the person, so a retried press
or a restart queues nothing twice.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from handlers.kit.text import mention
from handlers.meetings.blocks.words import title
from models import Meeting, Person
from services import outbox, people

TELL_KIND = "meeting.tell"


async def tell_cancelled(session: AsyncSession, *, meeting: Meeting, by: Person, now: datetime) -> int:
    """Each attendee who can be reached hears once, except whoever cancelled it; how many were told."""
    told = 0
    for attendee in meeting.attendees:
        person = attendee.person
        if person.id == by.id or not people.reachable(person):
            continue
        text = f"⚪ {mention(by.slack_user_id)} cancelled *{meeting.ref}* {title(meeting)}: the slot is yours again."
        await outbox.enqueue(
            session,
            workspace_id=meeting.workspace_id,
            key=f"meeting:{meeting.ref}:cancelled:{person.slack_user_id}",
            kind=TELL_KIND,
            method="chat.postMessage",
            args={"channel": person.slack_user_id, "text": text},
            not_before=now,
        )
        told += 1
    return told
