"""A meeting is edited: whoever it newly invites hears once, and when its start moved, everyone else invited
hears once, with the new time in their own zone.

Keys hold the meeting's token and the edit's number, so a retried submission (which changes nothing the second
time) sends nothing again, while a later edit that moves it again tells everyone again.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from handlers.kit.text import clip, esc, link, mention
from handlers.meetings.blocks.words import title, when
from handlers.meetings.messages.cancelled import TELL_KIND
from models import Meeting, Person, Workspace
from services import outbox, people
from services.meetings import Edited


def _everyone(meeting: Meeting) -> list[Person]:
    """The organiser, the facilitator and the attendees, each once."""
    found = {meeting.organiser.id: meeting.organiser, meeting.facilitator.id: meeting.facilitator}
    found.update({a.person.id: a.person for a in meeting.attendees})
    return list(found.values())


async def _dm(session: AsyncSession, meeting: Meeting, person: Person, key: str, text: str, now: datetime) -> None:
    await outbox.enqueue(session, workspace_id=meeting.workspace_id, key=key, kind=TELL_KIND,
                         method="chat.postMessage", args={"channel": person.slack_user_id, "text": text},
                         not_before=now)  # fmt: skip


def invited_text(meeting: Meeting, by: Person, zone, calendar: str | None) -> str:
    lines = [
        f"📅 {mention(by.slack_user_id)} invited you to *{meeting.ref}* {title(meeting)}: "
        f"{when(meeting.starts_at, zone)}, {meeting.minutes} min.",
        f"🎯 {esc(clip(meeting.desired_outcome, 500))}",
        f"`/meeting {meeting.ref}` shows the running order and the pre-reads."
        + (f" {link(calendar, 'Add it to your calendar')}." if calendar else ""),
    ]
    return "\n".join(lines)


def moved_text(meeting: Meeting, by: Person, was: datetime, zone) -> str:
    return (f"🕒 {mention(by.slack_user_id)} moved *{meeting.ref}* {title(meeting)}: it now starts "
            f"{when(meeting.starts_at, zone)} (it was {when(was, zone)}), {meeting.minutes} min.")  # fmt: skip


async def tell_edited(session: AsyncSession, *, edited: Edited, by: Person, now: datetime,
                      calendar: str | None = None) -> int:  # fmt: skip
    """Queues what the edit means for people (never for whoever made it, nor apps or those who left); how many
    people will hear."""
    meeting = edited.meeting
    if not edited.number:
        return 0
    workspace = await session.get(Workspace, meeting.workspace_id)
    assert workspace is not None
    new = {p.id for p in edited.invited}
    told = 0
    for person in _everyone(meeting):
        if person.id == by.id or not people.reachable(person):
            continue
        zone = people.person_zone(person, workspace)
        base = f"meeting:{meeting.token}:edit{edited.number}"
        if person.id in new:
            text = invited_text(meeting, by, zone, calendar)
            await _dm(session, meeting, person, f"{base}:invited:{person.slack_user_id}", text, now)
        elif edited.moved_from is not None:
            stamp = int(meeting.starts_at.timestamp())
            text = moved_text(meeting, by, edited.moved_from, zone)
            await _dm(session, meeting, person, f"{base}:moved:{stamp}:{person.slack_user_id}", text, now)
        else:
            continue
        told += 1
    return told
