"""What a meeting made async tells people, as outbox rows: the thread (its first message, then one reply per
agenda item, threaded by the outbox under the first), each attendee's ask by direct message (queued by the
scheduler once the thread exists, so it can link to it), the deadline's summary, a decision made from an item,
and a hint to someone whose reply names no item.

Keys come from services.meetings.async_key (the meeting's token, what, who), so a retried press, a second
scheduler or a restart queues nothing twice; Slack's ts of each post is recorded on its delivery.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from handlers.meetings.blocks.going_async import (
    WHICH_ITEM,
    ask_dm,
    decision_dm,
    decision_note,
    item_message,
    summary_message,
    thread_message,
)
from models import DeliveryState, Meeting, Person, Workspace
from services import outbox, people
from services.meetings import ItemDecision, MadeAsync, Summary, async_key

ASYNC_KIND = "meeting.async"
POST = "chat.postMessage"


async def queue_thread(session: AsyncSession, *, made: MadeAsync, workspace: Workspace, now: datetime) -> None:
    """The thread in the meeting's channel (the organiser's direct messages when it has none), and a reply per
    item under it; the organiser hears if it can never be posted (the app not in the channel)."""
    meeting = made.meeting
    zone = people.person_zone(meeting.organiser, workspace)
    parent = async_key(meeting.token, "thread")
    channel = meeting.channel_id or meeting.organiser.slack_user_id
    message = thread_message(meeting, on_outcome_only=made.on_outcome_only, zone=zone)
    await outbox.enqueue(session, workspace_id=meeting.workspace_id, key=parent, kind=ASYNC_KIND, method=POST,
                         args={"channel": channel, **message}, not_before=now,
                         owner=meeting.organiser.slack_user_id)  # fmt: skip
    if made.on_outcome_only:
        return
    for item in meeting.items:
        await outbox.enqueue(session, workspace_id=meeting.workspace_id, kind=ASYNC_KIND, method=POST,
                             key=async_key(meeting.token, "item", str(item.position)),
                             args=item_message(meeting, item), not_before=now, thread_of=parent)  # fmt: skip


async def queue_asks(session: AsyncSession, *, meeting: Meeting, by: Person | None, permalink: str | None,
                     workspace: Workspace, now: datetime) -> int:  # fmt: skip
    """One direct message to each attendee who can be reached, except whoever made it async; how many."""
    asked = 0
    for attendee in meeting.attendees:
        person = attendee.person
        if (by is not None and person.id == by.id) or not people.reachable(person):
            continue
        message = ask_dm(meeting, by=by, permalink=permalink, zone=people.person_zone(person, workspace))
        await outbox.enqueue(session, workspace_id=meeting.workspace_id, kind=ASYNC_KIND, method=POST,
                             key=async_key(meeting.token, "ask", person.slack_user_id),
                             args={"channel": person.slack_user_id, **message}, not_before=now)  # fmt: skip
        asked += 1
    return asked


async def queue_summary(session: AsyncSession, *, meeting: Meeting, summary: Summary, now: datetime) -> None:
    await outbox.enqueue(session, workspace_id=meeting.workspace_id, kind=ASYNC_KIND, method=POST,
                         key=async_key(meeting.token, "summary"), args=summary_message(meeting, summary),
                         not_before=now, thread_of=async_key(meeting.token, "thread"))  # fmt: skip


async def queue_decision(session: AsyncSession, *, meeting: Meeting, made: ItemDecision, by: Person,
                         summary: Summary, workspace: Workspace, now: datetime) -> None:  # fmt: skip
    """A note in the thread, the owner's direct message (when someone else pressed), and the summary redrawn
    without the item's button. Once per item: the keys name it."""
    item, ref, deadline = made.item, made.decision.ref, made.decision.deadline
    position, parent = str(item.position), async_key(meeting.token, "thread")
    note = decision_note(meeting, item, ref, deadline, people.person_zone(meeting.organiser, workspace))
    await outbox.enqueue(session, workspace_id=meeting.workspace_id, kind=ASYNC_KIND, method=POST,
                         key=async_key(meeting.token, "decision", position), args={"text": note},
                         not_before=now, thread_of=parent)  # fmt: skip
    owner = item.owner
    if owner.id != by.id and people.reachable(owner):
        text = decision_dm(meeting, item, by=by, decision_ref=ref, deadline=deadline,
                           zone=people.person_zone(owner, workspace))  # fmt: skip
        await outbox.enqueue(session, workspace_id=meeting.workspace_id, kind=ASYNC_KIND, method=POST,
                             key=async_key(meeting.token, "decision", position, owner.slack_user_id),
                             args={"channel": owner.slack_user_id, "text": text}, not_before=now)  # fmt: skip
    posted = await outbox.get(session, workspace_id=meeting.workspace_id, key=async_key(meeting.token, "summary"))
    if posted is not None and posted.state in (DeliveryState.PENDING, DeliveryState.SENDING, DeliveryState.SENT):
        await outbox.enqueue(session, workspace_id=meeting.workspace_id, kind=ASYNC_KIND, method="chat.update",
                             key=async_key(meeting.token, "summary", "redraw", position),
                             args=summary_message(meeting, summary), not_before=now,
                             thread_of=posted.key)  # fmt: skip


async def queue_which_item(session: AsyncSession, *, meeting: Meeting, user: str, channel: str, thread_ts: str,
                           message_ts: str, now: datetime) -> None:  # fmt: skip
    """Only the person who replied sees it, in the thread."""
    await outbox.enqueue(session, workspace_id=meeting.workspace_id, kind=ASYNC_KIND, method="chat.postEphemeral",
                         key=async_key(meeting.token, "which", message_ts),
                         args={"channel": channel, "user": user, "thread_ts": thread_ts, "text": WHICH_ITEM},
                         not_before=now)  # fmt: skip
