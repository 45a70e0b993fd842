"""What action items tell people, as outbox rows: the owner's morning nudge, being handed an item, an item done,
and the note in the thread of the message it was captured from.

Keys are built from refs (never handed out again in a workspace) and the plan, so a repeated run, a retried
press or a restart queues nothing twice. A message about one item starts with `action:A-7:`, which is what
done, drop, snooze and reassign cancel while it is still pending.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from handlers.actions.blocks.dms import assigned_dm, captured_thread, done_dm, done_thread, nudge_dm
from models import Action, Person
from services import outbox
from services.actions import item_prefix
from services.actions.plan import Stage

NUDGE_KIND = "action.nudge"
TELL_KIND = "action.tell"
THREAD_KIND = "action.thread"


async def queue_nudge(session: AsyncSession, *, owner: Person, groups: dict[Stage, list[Action]], moment: datetime,
                      today: date, now: datetime) -> None:  # fmt: skip
    """One message for everything the owner hears about at `moment`."""
    items = [a for found in groups.values() for a in found]
    if len(items) == 1:
        stage = next(s for s, found in groups.items() if found)
        key = f"{item_prefix(items[0])}nudge:p{items[0].plan}:{stage.value}:{moment:%Y%m%d}"
    else:
        key = f"actions:nudge:{owner.slack_user_id}:{moment:%Y%m%dT%H%M}"
    await outbox.enqueue(
        session,
        workspace_id=owner.workspace_id,
        key=key,
        kind=NUDGE_KIND,
        method="chat.postMessage",
        args=nudge_dm(owner.slack_user_id, groups, today),
        not_before=now,
    )


async def tell_assigned(session: AsyncSession, *, action: Action, by: Person | None, today: date,
                        now: datetime) -> bool:  # fmt: skip
    """The owner hears once per plan that it is theirs, unless they gave it to themselves."""
    if (by is not None and by.id == action.owner_id) or action.owner.is_deleted:
        return False
    await outbox.enqueue(
        session,
        workspace_id=action.workspace_id,
        key=f"{item_prefix(action)}assigned:p{action.plan}",
        kind=TELL_KIND,
        method="chat.postMessage",
        args=assigned_dm(action, action.owner.slack_user_id, by.slack_user_id if by else None, today),
        not_before=now,
    )
    return True


async def tell_done(session: AsyncSession, *, action: Action, actor: Person, now: datetime) -> None:
    """Who asked for it hears once (unless they own it or pressed Done), and so does the thread it came from."""
    creator = action.created_by
    if creator and creator.id not in (action.owner_id, actor.id) and not creator.is_deleted:
        await outbox.enqueue(
            session,
            workspace_id=action.workspace_id,
            key=f"{item_prefix(action)}done:creator",
            kind=TELL_KIND,
            method="chat.postMessage",
            args=done_dm(action, creator.slack_user_id, actor.slack_user_id),
            not_before=now,
        )
    if action.source_channel and action.source_ts:
        await outbox.enqueue(
            session,
            workspace_id=action.workspace_id,
            key=f"{item_prefix(action)}done:thread",
            kind=THREAD_KIND,
            method="chat.postMessage",
            args=done_thread(action, actor.slack_user_id),
            not_before=now,
        )


async def note_captured(session: AsyncSession, *, action: Action, by: Person, today: date, now: datetime) -> None:
    """The confirmation in the thread of the message it was made from."""
    if not (action.source_channel and action.source_ts):
        return
    await outbox.enqueue(
        session,
        workspace_id=action.workspace_id,
        key=f"{item_prefix(action)}captured",
        kind=THREAD_KIND,
        method="chat.postMessage",
        args=captured_thread(action, by.slack_user_id, today),
        not_before=now,
        owner=by.slack_user_id,
    )
