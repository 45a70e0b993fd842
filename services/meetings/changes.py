"""Changing a meeting: someone says they have read a pre-read, the organiser (or an admin) cancels it. Each change
is checked against who may make it and put on the meeting's history in the same transaction."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from models import Meeting, MeetingEvent, MeetingEventKind, MeetingStatus, Person, PreRead, PreReadReader
from services.errors import NotFound, NotNow
from services.meetings.rules import require_canceller, require_scheduled


def record(session: AsyncSession, meeting: Meeting, kind: MeetingEventKind, now: datetime, actor: Person | None,
           **data: Any) -> MeetingEvent:  # fmt: skip
    event = MeetingEvent(workspace_id=meeting.workspace_id, meeting_id=meeting.id, kind=kind, at=now,
                         actor_id=actor.id if actor else None, data=data)  # fmt: skip
    session.add(event)
    return event


def pre_read_at(meeting: Meeting, position: int) -> PreRead:
    found = next((p for p in meeting.pre_reads if p.position == position), None)
    if found is None:
        raise NotFound(f"{meeting.ref}'s pre-read {position}")
    return found


def receipt_of(pre_read: PreRead, person: Person) -> PreReadReader | None:
    return next((r for r in pre_read.readers if r.person_id == person.id), None)


def readers_count(pre_read: PreRead) -> tuple[int, int]:
    """(how many have read it, how many must)."""
    return sum(1 for r in pre_read.readers if r.read_at is not None), len(pre_read.readers)


async def mark_read(session: AsyncSession, *, meeting: Meeting, position: int, person: Person,
                    now: datetime) -> tuple[PreRead, bool]:  # fmt: skip
    """Records that `person` has read the pre-read; False when they had said so already (nothing changes)."""
    require_scheduled(meeting, "read ahead of")
    pre_read = pre_read_at(meeting, position)
    receipt = receipt_of(pre_read, person)
    if receipt is None:
        raise NotNow(f"{meeting.ref}'s pre-read is for its required attendees, and you aren't one of them, so "
                     "there is nothing to mark.")  # fmt: skip
    if receipt.read_at is not None:
        return pre_read, False
    receipt.read_at = now
    record(session, meeting, MeetingEventKind.READ, now, person, pre_read=pre_read.position)
    await session.flush()
    return pre_read, True


async def cancel(session: AsyncSession, *, meeting: Meeting, actor: Person, now: datetime) -> Meeting:
    require_canceller(actor, meeting)
    require_scheduled(meeting, "cancel")
    if meeting.starts_at <= now:
        raise NotNow(f"{meeting.ref} has started already; it can't be cancelled now.")
    meeting.status = MeetingStatus.CANCELLED
    record(session, meeting, MeetingEventKind.CANCELLED, now, actor)
    await session.flush()
    return meeting
