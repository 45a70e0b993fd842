"""Housekeeping jobs: keep the retry-dedupe and outbox tables small."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from models import SlackEvent
from services import outbox

if TYPE_CHECKING:
    from scheduler.runner import JobContext, Runner

# Slack's last retry of an event comes about five minutes after the first; a day is plenty.
EVENT_DEDUPE_KEEP = timedelta(days=1)


async def forget_old_events(session: AsyncSession, *, now: datetime) -> int:
    result = await session.execute(delete(SlackEvent).where(SlackEvent.received_at < now - EVENT_DEDUPE_KEEP))
    return result.rowcount


async def clean_up(ctx: JobContext) -> None:
    now = ctx.now()
    async with ctx.sessions.begin() as session:
        await forget_old_events(session, now=now)
        await outbox.purge_finished(session, before=now - outbox.RETENTION)


def register(runner: Runner) -> None:
    runner.register_job("housekeeping", clean_up, seconds=3600)
