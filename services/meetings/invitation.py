"""Finding a meeting by its calendar token and making its invitation. The token is the whole key: it is random,
never handed out again, and the only thing the `.ics` link carries, so no workspace is needed to look it up and
no other meeting can be reached with it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Meeting, MeetingEvent, MeetingEventKind, Workspace
from services.meetings.calendar import calendar_url, ics, plausible_token
from services.meetings.reading import load

# Each of these makes the calendar's copy out of date: it counts as a new version (the SEQUENCE).
_VERSIONS = (MeetingEventKind.EDITED, MeetingEventKind.CANCELLED, MeetingEventKind.MADE_ASYNC,
             MeetingEventKind.BLOCKED)  # fmt: skip


@dataclass(frozen=True)
class Invitation:
    body: bytes
    filename: str


async def invitation(session: AsyncSession, *, token: str, base_url: str | None) -> Invitation | None:
    """The `.ics` of the meeting holding `token`; None for anything else."""
    if not plausible_token(token):
        return None
    meeting_id = await session.scalar(select(Meeting.id).where(Meeting.token == token))
    if meeting_id is None:
        return None
    meeting = await load(session, meeting_id)
    workspace = await session.get(Workspace, meeting.workspace_id)
    assert workspace is not None
    versions = await session.scalar(
        select(func.count(MeetingEvent.id)).where(
            MeetingEvent.workspace_id == meeting.workspace_id,
            MeetingEvent.meeting_id == meeting.id,
            MeetingEvent.kind.in_(_VERSIONS),
        )  # fmt: skip
    )
    stamp: datetime = meeting.updated_at or meeting.created_at
    body = ics(meeting, team_id=workspace.team_id, url=calendar_url(base_url, token), sequence=int(versions or 0),
               stamp=stamp)  # fmt: skip
    return Invitation(body, f"{meeting.ref}.ics")
