"""A meeting's outcome is recorded: ONE summary in the meeting's thread (or, before it had one, in its channel;
without a channel, to the facilitator), and ONE direct message to each person with new action items, listing
theirs.

Keys are built from the meeting's token (never handed out again) and the person's Slack id, so a retried form or a
restart queues nothing twice.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from handlers.meetings.blocks.outcome import actions_dm, summary_blocks, summary_text
from models import Action, Meeting, Person
from services import outbox, people
from services.meetings.recording import Recorded

SUMMARY_KIND = "meeting.summary"
ACTIONS_KIND = "meeting.actions"


def summary_place(meeting: Meeting) -> dict[str, str]:
    """Where the summary goes: the thread started at the meeting's start, its channel, or the facilitator."""
    if meeting.thread_channel and meeting.thread_ts:
        return {"channel": meeting.thread_channel, "thread_ts": meeting.thread_ts}
    if meeting.channel_id:
        return {"channel": meeting.channel_id}
    return {"channel": meeting.facilitator.slack_user_id}


async def tell_recorded(session: AsyncSession, *, done: Recorded, now: datetime) -> int:
    """Queues the summary and the action item messages; returns how many people hear of their action items."""
    meeting = done.meeting
    await outbox.enqueue(
        session,
        workspace_id=meeting.workspace_id,
        key=f"meeting:{meeting.token}:summary",
        kind=SUMMARY_KIND,
        method="chat.postMessage",
        args={**summary_place(meeting), "text": summary_text(done), "blocks": summary_blocks(done)},
        not_before=now,
        owner=done.recorder.slack_user_id,
    )
    theirs: dict[str, tuple[Person, list[Action]]] = {}
    for _, action in done.actions:
        theirs.setdefault(action.owner.slack_user_id, (action.owner, []))[1].append(action)
    told = 0
    for user_id, (owner, mine) in theirs.items():
        if not people.reachable(owner):
            continue
        await outbox.enqueue(
            session,
            workspace_id=meeting.workspace_id,
            key=f"meeting:{meeting.token}:actions:{user_id}",
            kind=ACTIONS_KIND,
            method="chat.postMessage",
            args={"channel": user_id, "text": actions_dm(meeting, owner, mine, done.recorder)},
            not_before=now,
        )
        told += 1
    return told
