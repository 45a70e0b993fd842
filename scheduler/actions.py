"""Action items' scheduled job: "whose action items have a nudge due now?".

Each open item keeps `next_nudge_at`, the next moment of its plan (services.actions.plan: 09:00 in the owner's
zone on the due day, on the working day after it slips, then Mondays). The job takes the owners with something
due, and for each, in one transaction, locks those items, records each nudge on its history under a key of
its plan (a second run finds the keys, or the moved `next_nudge_at`, and sends nothing), and queues ONE
message for all of them. Every overdue item's weekly moment is the same Monday 09:00, so the round-up gathers
them all. A missed run sends only the latest nudge each item is owed.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncSession

from handlers.actions.messages import NUDGE_KIND, TELL_KIND, THREAD_KIND, queue_nudge
from models import Action, Workspace
from services import actions, people
from services.actions.plan import Stage, due_now, next_after

if TYPE_CHECKING:
    from scheduler.runner import JobContext, Runner

log = logging.getLogger(__name__)

JOB_NAME = "actions.nudge"
JOB_SECONDS = 60.0
__all__ = ["JOB_NAME", "JOB_SECONDS", "NUDGE_KIND", "TELL_KIND", "THREAD_KIND", "nudge_due", "register"]


async def nudge_due(ctx: JobContext) -> int:
    """Queue every owner's nudge due now; returns how many messages were queued."""
    now = ctx.now()
    async with ctx.sessions() as session:
        owners = await actions.owners_due(session, now=now)
    queued = 0
    for workspace_id, owner_id in owners:
        await asyncio.sleep(0)  # a turn for requests and the sender between items: no long hold
        try:
            async with ctx.sessions.begin() as session:
                queued += await nudge_owner(session, workspace_id=workspace_id, owner_id=owner_id, now=now)
        except Exception:  # one broken owner must not hold up the others; they are retried next run
            log.exception("nudging owner %s of workspace %s failed", owner_id, workspace_id)
    return queued


async def nudge_owner(session: AsyncSession, *, workspace_id: int, owner_id: int, now: datetime) -> int:
    items = await actions.due_for_owner(session, workspace_id=workspace_id, owner_id=owner_id, now=now)
    if not items:
        return 0  # another scheduler (or a press) got there first
    workspace = await session.get(Workspace, workspace_id)
    assert workspace is not None
    owner = items[0].owner
    zone = people.person_zone(owner, workspace)
    groups: dict[Stage, list[Action]] = {}
    moment = None
    for action in items:
        found = due_now(action.due_on, zone, action.plan_started_at, now)
        action.next_nudge_at = next_after(action.due_on, zone, action.plan_started_at, now)
        if found is None:
            continue
        stage, at = found
        if await actions.record_nudge(session, action=action, stage=stage, moment=at, now=now):
            groups.setdefault(stage, []).append(action)
            moment = max(moment or at, at)
    if not groups or owner.is_deleted or moment is None:
        return 0
    await queue_nudge(session, owner=owner, groups=groups, moment=moment, today=now.astimezone(zone).date(), now=now)
    return 1


def register(runner: Runner) -> None:
    runner.register_job(JOB_NAME, nudge_due, seconds=JOB_SECONDS)
