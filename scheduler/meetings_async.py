"""Meetings made async, the scheduled half: "whose thread is posted, so its attendees can be asked?" and
"whose deadline has come, so its summary goes?".

The thread's first message is an outbox delivery; once Slack has it, this job records where it is on the meeting
(the ts from the delivery), fetches its permalink (outside any transaction) and queues each attendee's ask with
a link to it. At the deadline it marks the meeting summarised and queues the summary in the thread, in one
transaction per meeting, the row locked: a second run, or a second scheduler, finds it done and sends nothing.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime
from typing import TYPE_CHECKING

import aiohttp
from slack_sdk.errors import SlackClientError
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.meetings.messages import ASYNC_KIND, queue_asks, queue_summary
from models import Workspace
from services import meetings
from services.meetings import PostedThread

if TYPE_CHECKING:
    from scheduler.runner import JobContext, Runner

log = logging.getLogger(__name__)

JOB_NAME = "meetings.async"
JOB_SECONDS = 60.0
PERMALINK_SECONDS = 5.0  # a link is worth a short wait; without one the ask names the channel instead
__all__ = ["ASYNC_KIND", "JOB_NAME", "JOB_SECONDS", "ask_posted", "async_due", "register", "summarise_due"]


async def async_due(ctx: JobContext) -> int:
    """Both questions, asks first (a thread posted late still asks before its summary); how many were queued."""
    return await ask_posted(ctx) + await summarise_due(ctx)


async def ask_posted(ctx: JobContext) -> int:
    """Ask the attendees of every meeting whose thread is posted; returns how many asks were queued."""
    async with ctx.sessions() as session:
        posted = await meetings.threads_posted(session)
    asked = 0
    for thread in posted:
        link = await permalink(ctx, thread)
        try:
            async with ctx.sessions.begin() as session:
                asked += await ask_one(session, thread=thread, link=link, now=ctx.now())
        except Exception:  # one broken meeting must not hold up the others; it is tried again next run
            log.exception("asking the attendees of meeting %s failed", thread.meeting_id)
    return asked


async def permalink(ctx: JobContext, thread: PostedThread) -> str | None:
    try:
        client = await ctx.clients.client_for(thread.team_id, thread.enterprise_id)
        if client is None:
            return None
        answer = await asyncio.wait_for(
            client.chat_getPermalink(channel=thread.channel, message_ts=thread.ts), PERMALINK_SECONDS
        )
    except (SlackClientError, aiohttp.ClientError, TimeoutError) as exc:  # the ask goes without the link
        log.warning("chat.getPermalink for meeting %s failed: %r", thread.meeting_id, exc)
        return None
    return answer.get("permalink")


async def ask_one(session: AsyncSession, *, thread: PostedThread, link: str | None, now: datetime) -> int:
    meeting = await meetings.link_thread(session, thread=thread)
    if meeting is None or meeting.async_summarised_at is not None:
        return 0  # another run got there first, or the deadline passed before the thread could be posted
    workspace = await session.get(Workspace, meeting.workspace_id)
    assert workspace is not None
    by = await meetings.made_async_by(session, meeting)
    return await queue_asks(session, meeting=meeting, by=by, permalink=link, workspace=workspace, now=now)


async def summarise_due(ctx: JobContext) -> int:
    """Queue the summary of every meeting whose deadline has come; returns how many were queued."""
    now = ctx.now()
    async with ctx.sessions() as session:
        due = await meetings.due_summaries(session, now=now)
    done = 0
    for meeting_id in due:
        await asyncio.sleep(0)  # a turn for requests and the sender between items: no long hold
        try:
            async with ctx.sessions.begin() as session:
                done += await summarise_one(session, meeting_id=meeting_id, now=now)
        except Exception:  # one broken meeting must not hold up the others; it is tried again next run
            log.exception("summing up meeting %s failed", meeting_id)
    return done


async def summarise_one(session: AsyncSession, *, meeting_id: int, now: datetime) -> int:
    meeting = await meetings.take_summary(session, meeting_id=meeting_id, now=now)
    if meeting is None:
        return 0
    summary = await meetings.summary_of(session, meeting)
    await queue_summary(session, meeting=meeting, summary=summary, now=now)
    return 1


def register(runner: Runner) -> None:
    runner.register_job(JOB_NAME, async_due, seconds=JOB_SECONDS)
