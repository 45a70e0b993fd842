"""Meetings' scheduled jobs: "which meetings does the gate look at, which start, whose pre-read reminder is due,
whose time-box has ended?".

Each step reads what is due, then handles one meeting per transaction: services.meetings.gate / during lock its
row, check again and record what happened (gate_flagged_at, started_at, reminded_at, timebox_position), and
handlers.meetings.messages queues what people are told under keys built from the meeting's token. A second run,
or a second scheduler, finds the columns moved and the keys taken, and sends nothing twice; a run missed for a
while catches up with one message per meeting, not a burst.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncSession

from handlers.meetings.messages import (
    GATE_KIND,
    READ_KIND,
    THREAD_KIND,
    flag_to_organiser,
    open_thread,
    post_time_up,
    queue_reminders,
    tell_blocked,
    tell_facilitator_who_read,
)
from services.meetings import during, gate

if TYPE_CHECKING:
    from scheduler.runner import JobContext, Runner

log = logging.getLogger(__name__)

JOB_NAME = "meetings"
JOB_SECONDS = 30.0
__all__ = ["GATE_KIND", "JOB_NAME", "READ_KIND", "THREAD_KIND", "gate_due", "meetings_due", "register",
           "remind_due", "start_due", "timebox_due"]  # fmt: skip

Step = Callable[[AsyncSession, int, int, datetime], Awaitable[int]]


async def _each(ctx: JobContext, due: list[tuple[int, int]], step: Step, now: datetime, doing: str) -> int:
    done = 0
    for workspace_id, meeting_id in due:
        await asyncio.sleep(0)  # a turn for requests and the sender between items: no long hold
        try:
            async with ctx.sessions.begin() as session:
                done += await step(session, workspace_id, meeting_id, now)
        except Exception:  # one broken meeting must not hold up the others; it is tried again next run
            log.exception("%s meeting %s of workspace %s failed", doing, meeting_id, workspace_id)
    return done


async def _look(session: AsyncSession, workspace_id: int, meeting_id: int, now: datetime) -> int:
    flagged = await gate.look(session, workspace_id=workspace_id, meeting_id=meeting_id, now=now)
    if flagged is None:
        return 0
    await flag_to_organiser(session, flagged=flagged, now=now)
    return 1


async def gate_due(ctx: JobContext) -> int:
    """The gate looks at every meeting whose moment has come; returns how many it flagged."""
    now = ctx.now()
    async with ctx.sessions() as session:
        due = await gate.due_gates(session, now=now)
    return await _each(ctx, due, _look, now, "the gate looking at")


async def _start(session: AsyncSession, workspace_id: int, meeting_id: int, now: datetime) -> int:
    started = await gate.start(session, workspace_id=workspace_id, meeting_id=meeting_id, now=now)
    if started is None:
        return 0
    if started.blocked:
        await tell_blocked(session, meeting=started.meeting, gaps=started.blocked, now=now)
    elif not started.late:
        await open_thread(session, meeting=started.meeting, now=now)
        await tell_facilitator_who_read(session, meeting=started.meeting, now=now)
    return 1


async def start_due(ctx: JobContext) -> int:
    """Every meeting whose start has come starts (or, blocked by the gate, is cancelled); returns how many."""
    now = ctx.now()
    async with ctx.sessions() as session:
        due = await gate.due_starts(session, now=now)
    return await _each(ctx, due, _start, now, "starting")


async def _remind(session: AsyncSession, workspace_id: int, meeting_id: int, now: datetime) -> int:
    taken = await during.take_reminder(session, workspace_id=workspace_id, meeting_id=meeting_id, now=now)
    if taken is None:
        return 0
    meeting, found = taken
    return await queue_reminders(session, meeting=meeting, found=found, now=now)


async def remind_due(ctx: JobContext) -> int:
    """The one pre-read reminder of each meeting whose moment has come; returns how many people were reminded."""
    now = ctx.now()
    async with ctx.sessions() as session:
        due = await during.due_reminders(session, now=now)
    return await _each(ctx, due, _remind, now, "reminding readers of")


async def _time_up(session: AsyncSession, workspace_id: int, meeting_id: int, now: datetime) -> int:
    found = await during.time_up(session, workspace_id=workspace_id, meeting_id=meeting_id, now=now)
    if found is None or not found.say:
        return 0
    await post_time_up(session, found=found, now=now)
    return 1


async def timebox_due(ctx: JobContext) -> int:
    """A note in the thread of each meeting whose item's time-box has ended; returns how many were posted."""
    now = ctx.now()
    async with ctx.sessions() as session:
        due = await during.due_timeboxes(session, now=now)
    posted = await _each(ctx, due, _time_up, now, "the time-box of")
    async with ctx.sessions.begin() as session:
        await during.learn_threads(session)
    return posted


async def meetings_due(ctx: JobContext) -> None:
    """Everything due now, in the order a meeting lives through it."""
    await gate_due(ctx)
    await remind_due(ctx)
    await start_due(ctx)
    await timebox_due(ctx)


def register(runner: Runner) -> None:
    runner.register_job(JOB_NAME, meetings_due, seconds=JOB_SECONDS)
