"""The meeting's thread as it runs: at the start, the opening message in the meeting's channel (or, without
one, in the facilitator's DM) and the agenda as its first reply; then one note as each time-box ends.

The replies name the opening message's delivery (`thread_of`), so they land in its thread once it is posted,
wherever that was. Keys are built from the meeting's token, so each message goes once.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from handlers.meetings.blocks.running import agenda_reply, opening, time_up
from models import Meeting, Workspace
from services import outbox, people
from services.meetings.during import TimeUp, meeting_key, thread_key

THREAD_KIND = "meeting.thread"


async def open_thread(session: AsyncSession, *, meeting: Meeting, now: datetime) -> None:
    """The opening message and, in its thread, the agenda (when there is one)."""
    workspace = await session.get(Workspace, meeting.workspace_id)
    assert workspace is not None
    channel = meeting.channel_id or meeting.facilitator.slack_user_id
    await outbox.enqueue(session, workspace_id=meeting.workspace_id, key=thread_key(meeting), kind=THREAD_KIND,
                         method="chat.postMessage", args=opening(meeting, channel), not_before=now,
                         owner=meeting.organiser.slack_user_id)  # fmt: skip
    if meeting.items:
        zone = people.person_zone(meeting.facilitator, workspace)
        await outbox.enqueue(session, workspace_id=meeting.workspace_id, key=meeting_key(meeting, "agenda"),
                             kind=THREAD_KIND, method="chat.postMessage", args=agenda_reply(meeting, zone),
                             not_before=now, thread_of=thread_key(meeting))  # fmt: skip


async def post_time_up(session: AsyncSession, *, found: TimeUp, now: datetime) -> None:
    meeting = found.meeting
    await outbox.enqueue(session, workspace_id=meeting.workspace_id,
                         key=meeting_key(meeting, "timebox", str(found.item.position)), kind=THREAD_KIND,
                         method="chat.postMessage", args=time_up(meeting, found.item, found.following),
                         not_before=now, thread_of=thread_key(meeting))  # fmt: skip
