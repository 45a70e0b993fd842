"""The weekly execution-health post's job: "whose weekly post is due now?".

A workspace's post is due on its chosen day from its chosen hour, in the workspace's zone (services.health.weekly),
until that local day ends. For each such workspace, the channels with open outcomes whose post for this ISO week
is not queued yet get one: the detectors run once (services.health.refresh, which also records what was found
and what went away), then each channel's post is composed from its share and queued under a key of the channel
and the week, all in one transaction. A second run, a second scheduler or a restart finds the keys and sends
nothing; a scheduler that was down at the hour posts later that day, and one down all day waits a week.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncSession

from handlers.insights.messages import WEEKLY_KIND, queue_weekly, queued
from models import Workspace
from services import health
from services.health import weekly
from services.health.settings import settings_of

if TYPE_CHECKING:
    from scheduler.runner import JobContext, Runner

log = logging.getLogger(__name__)

JOB_NAME = "health.weekly"
JOB_SECONDS = 120.0  # the post goes out at most two minutes after the hour
__all__ = ["JOB_NAME", "JOB_SECONDS", "WEEKLY_KIND", "post_due", "register"]


async def post_due(ctx: JobContext) -> int:
    """Queue every weekly post due now; returns how many were queued."""
    now = ctx.now()
    async with ctx.sessions() as session:
        due = await weekly.due_now(session, now=now)
    queued_now = 0
    for workspace_id, window in due:
        await asyncio.sleep(0)  # a turn for requests and the sender between items: no long hold
        try:
            async with ctx.sessions.begin() as session:
                queued_now += await post_workspace(session, workspace_id=workspace_id, window=window, now=now)
        except Exception:  # one workspace's trouble must not hold up the others; it is tried again next run
            log.exception("the weekly health post of workspace %s failed", workspace_id)
    return queued_now


async def post_workspace(session: AsyncSession, *, workspace_id: int, window: weekly.Window, now: datetime) -> int:
    # A second scheduler waits here, then finds this week's keys. NO KEY UPDATE (PostgreSQL): rows that only
    # refer to the workspace are still written meanwhile. SQLite's single writer queues them anyway.
    workspace = await session.get(Workspace, workspace_id, with_for_update={"key_share": True})
    if workspace is None:
        return 0
    channels = [
        c
        for c in await weekly.open_channels(session, workspace_id=workspace_id)
        if not await queued(session, workspace_id=workspace_id, channel=c.channel_id, week=window.week)
    ]
    if not channels:
        return 0  # posted already this week (the usual case for the rest of the day), or no open outcomes
    found = await health.refresh(session, workspace_id=workspace_id, now=now)
    settings = await settings_of(session, workspace_id=workspace_id)
    for channel in channels:
        week = await weekly.channel_week(session, workspace_id=workspace_id, channel=channel, found=found,
                                         window=window, settings=settings, zone=workspace.timezone)  # fmt: skip
        await queue_weekly(session, workspace_id=workspace_id, week=week, now=now)
    return len(channels)


def register(runner: Runner) -> None:
    runner.register_job(JOB_NAME, post_due, seconds=JOB_SECONDS)
