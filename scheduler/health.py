"""Execution health's scheduled job: every 15 minutes, run the detectors for every workspace and store what they
find, so the Home tab's "Needs attention" (which only reads what is stored) stays current, and findings that no
longer hold are resolved.

Each workspace is refreshed in its own transaction: one that fails (its data, its settings) is logged and tried
again next run, and the others go on. A run is idempotent: findings are stored by key (services.health.records),
and two runs at once take turns on the workspace's row. Nothing is sent from here.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

from sqlalchemy import select

from models import Workspace
from services import health

if TYPE_CHECKING:
    from scheduler.runner import JobContext, Runner

log = logging.getLogger(__name__)

JOB_NAME = "health.refresh"
JOB_SECONDS = 15 * 60.0


async def refresh_all(ctx: JobContext) -> int:
    """Refreshes every workspace's findings; returns how many workspaces were refreshed."""
    now = ctx.now()
    async with ctx.sessions() as session:
        workspace_ids = list(await session.scalars(select(Workspace.id).order_by(Workspace.id)))
    refreshed = 0
    for workspace_id in workspace_ids:
        await asyncio.sleep(0)  # a turn for requests and the sender between items: no long hold
        try:
            async with ctx.sessions.begin() as session:
                await health.refresh(session, workspace_id=workspace_id, now=now)
            refreshed += 1
        except Exception:  # one broken workspace must not hold up the others; it is tried again next run
            log.exception("refreshing the health findings of workspace %s failed", workspace_id)
    return refreshed


def register(runner: Runner) -> None:
    runner.register_job(JOB_NAME, refresh_all, seconds=JOB_SECONDS)
