"""Check-in jobs: "what is due now?" for rounds, reminders and digests.

What each one tells people is composed and queued by handlers.checkins.messages; who a round asks is read
from Slack there too. A channel Slack refuses to let us read is the one thing told from here: its owner hears
of it through the outbox's failure notice.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime
from typing import TYPE_CHECKING

from slack_sdk.errors import SlackApiError
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.checkins.messages import KINDS, member_ids, members_of, owner_of, post_digest, queue_reminder, queue_round
from handlers.outbox.messages import failure_notice
from models import Cadence, Workspace
from services import checkins, outbox
from services.checkins import THREAD, Member
from services.delivery import NOTICE_KIND, TRANSIENT_ERRORS

if TYPE_CHECKING:
    from scheduler.runner import JobContext, Runner

log = logging.getLogger(__name__)

JOB_SECONDS = 30  # how often the scheduler asks; a round or reminder goes out at most this late


async def tell_owner(session: AsyncSession, cadence: Cadence, error: str, *, now: datetime) -> None:
    """The cadence's owner hears, once per cause, that its channel could not be read."""
    await outbox.enqueue(
        session,
        workspace_id=cadence.workspace_id,
        key=f"{checkins.KEY_PREFIX}:cadence:{cadence.token}:{error}"[:200],  # never its id: ids come back
        kind=NOTICE_KIND,
        method="chat.postMessage",
        args=failure_notice(owner=owner_of(cadence), target=cadence.channel_id, error=error, kind=KINDS[THREAD]),
        not_before=now,
    )


async def open_due_rounds(ctx: JobContext) -> int:
    """Opens each cadence's round whose time has come; returns how many opened."""
    now = ctx.now()
    async with ctx.sessions() as session:
        due = [(c.id, c.workspace_id) for c in await checkins.due_cadences(session, now=now)]
    opened = 0
    for cadence_id, workspace_id in due:
        await asyncio.sleep(0)  # a turn for requests and the sender between items: no long hold
        try:
            opened += await _open_one(ctx, cadence_id, workspace_id, now)
        except Exception:  # one channel's trouble must not hold up the others; it is tried again next run
            log.exception("opening the check-in round of cadence %s failed", cadence_id)
    return opened


async def _read_members(
    ctx: JobContext, cadence: Cadence, workspace: Workspace, now: datetime
) -> tuple[list[Member], str | None]:
    """Who the round asks, and Slack's refusal to say (a channel deleted, or private to us), if any."""
    client = await ctx.clients.client_for(workspace.team_id, workspace.enterprise_id)
    if client is None:
        log.warning("check-in in %s skipped: the app is not installed in %s", cadence.channel_id, workspace.team_id)
        return [], None
    try:
        user_ids = await member_ids(client, cadence)
    except SlackApiError as exc:
        refusal = str(exc.response.get("error"))
        if exc.response.status_code == 429 or exc.response.status_code >= 500 or refusal in TRANSIENT_ERRORS:
            raise  # tried again at the next run
        log.warning("check-in in %s skipped: conversations.members says %s", cadence.channel_id, refusal)
        return [], refusal
    async with ctx.sessions() as session:
        fresh = await checkins.fresh_ids(session, workspace_id=workspace.id, user_ids=user_ids, now=now)
    return await members_of(client, user_ids, fresh), None


async def _open_one(ctx: JobContext, cadence_id: int, workspace_id: int, now: datetime) -> int:
    # No transaction is open while Slack is asked (SQLite's writers would wait on it): read, ask, then write.
    async with ctx.sessions() as session:
        cadence = await checkins.get_cadence_by_id(session, workspace_id=workspace_id, cadence_id=cadence_id)
        workspace = await session.get(Workspace, workspace_id)
        day = await checkins.latest_due_day(session, cadence=cadence, now=now) if cadence else None
    if cadence is None or workspace is None or day is None:
        return 0
    members, refusal = await _read_members(ctx, cadence, workspace, now)
    async with ctx.sessions.begin() as session:
        cadence = await checkins.get_cadence_by_id(session, workspace_id=workspace_id, cadence_id=cadence_id)
        workspace = await session.get(Workspace, workspace_id)
        if cadence is None or workspace is None or cadence.next_on is None:
            return 0  # deleted or paused meanwhile
        if not members:  # nobody to ask, or Slack refused: this occurrence is skipped, and the owner told once
            if refusal:
                await tell_owner(session, cadence, refusal, now=now)
            await checkins.schedule_next(session, cadence=cadence, now=now)
            return 0
        round_ = await checkins.start_round(
            session, cadence=cadence, workspace=workspace, members=members, occurs_on=day, now=now
        )
        if round_ is not None:
            await queue_round(session, round_)
    return 1 if round_ is not None else 0


async def send_due_reminders(ctx: JobContext) -> int:
    now = ctx.now()
    sent = 0
    while True:
        await asyncio.sleep(0)  # a turn for requests and the sender between items: no long hold
        async with ctx.sessions.begin() as session:
            due = await checkins.due_reminders(session, now=now)
            for invite in due:
                if checkins.take_reminder(invite, now):
                    await queue_reminder(session, invite, now=now)
                    sent += 1
        if len(due) < checkins.REMINDER_BATCH:
            return sent


async def post_due_digests(ctx: JobContext) -> int:
    now = ctx.now()
    async with ctx.sessions() as session:
        due = await checkins.due_digests(session, now=now)
    for workspace_id, round_id in due:
        await asyncio.sleep(0)  # a turn for requests and the sender between items: no long hold
        async with ctx.sessions.begin() as session:
            round_ = await checkins.load_round(session, workspace_id=workspace_id, round_id=round_id, lock=True)
            if round_ is not None:
                await post_digest(session, round_, now=now)
    return len(due)


async def check_ins_due(ctx: JobContext) -> None:
    await open_due_rounds(ctx)
    await send_due_reminders(ctx)
    await post_due_digests(ctx)


def register(runner: Runner) -> None:
    runner.register_job("checkins", check_ins_due, seconds=JOB_SECONDS)
