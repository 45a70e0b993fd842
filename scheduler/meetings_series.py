"""Series' scheduled job: "which meeting of a series needs its next one?".

Once a meeting of an active series has started (or ended before its start: cancelled, made async), the series'
next meeting is made, one period later at the same wall-clock time in the organiser's zone, so those invited can
add topics ahead. Each meeting is advanced in its own transaction with the series row locked, and a meeting after
it means the next one exists: a second run, or a second scheduler, makes nothing.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

from services.meetings import series

if TYPE_CHECKING:
    from scheduler.runner import JobContext, Runner

log = logging.getLogger(__name__)

JOB_NAME = "meetings.series"
JOB_SECONDS = 300.0  # nobody needs next week's meeting within the minute


async def advance_due(ctx: JobContext) -> int:
    """Make every next meeting that is due; returns how many were made."""
    now = ctx.now()
    async with ctx.sessions() as session:
        due = await series.meetings_to_advance(session, now=now)
    made = 0
    for meeting_id in due:
        await asyncio.sleep(0)  # a turn for requests and the sender between items: no long hold
        try:
            async with ctx.sessions.begin() as session:
                made += await series.advance_after(session, meeting_id=meeting_id, now=now) is not None
        except Exception:  # one broken series must not hold up the others; it is tried again next run
            log.exception("making the next meeting after meeting %s failed", meeting_id)
    return made


def register(runner: Runner) -> None:
    runner.register_job(JOB_NAME, advance_due, seconds=JOB_SECONDS)
