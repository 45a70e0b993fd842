"""Playbook runs' scheduled job: "whose step is due now?" and "which incident lead owes a status update?".

Each step's person gets one DM when the step comes due (services/playbooks/run_schedule.py claims it on the
run's timeline first, so a second run of the job, a second scheduler or a restart sends nothing twice), and the
card is redrawn to show what is late. Incident runs remind their lead every interval until resolved.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

from handlers.playbooks.messages import runs as messages
from models import PlaybookVersion
from services.playbooks import run_schedule

if TYPE_CHECKING:
    from scheduler.runner import JobContext, Runner

log = logging.getLogger(__name__)

JOB_NAME = "playbooks.runs"
JOB_SECONDS = 60.0


async def tell_due_steps(ctx: JobContext) -> int:
    """Queue the DM of every step due now (and redraw the card of those turning late); returns the DMs queued."""
    now = ctx.now()
    async with ctx.sessions() as session:
        due = await run_schedule.steps_due(session, now=now)
    told = 0
    for step_id in due:
        await asyncio.sleep(0)  # a turn for requests and the sender between items: no long hold
        try:
            async with ctx.sessions.begin() as session:
                claimed = await run_schedule.claim_step(session, step_id=step_id, now=now)
                if claimed is None:
                    continue  # another scheduler (or a press) got there first
                step, run = claimed.step, claimed.run
                # The card first, so the DM with its buttons is the last thing its person sees.
                await messages.redraw_card(session, run=run, now=now)
                if claimed.tell:
                    pinned = await session.get(PlaybookVersion, run.version_id)
                    written = next((s for s in pinned.steps if s.get("key") == step.step_key), {})
                    told += await messages.tell_step_due(session, run=run, step=step, kind=claimed.kind,
                                                         details=str(written.get("details") or ""),
                                                         url=written.get("link"), now=now)  # fmt: skip
        except Exception:  # one broken step must not hold up the others; it is tried again next run
            log.exception("telling step %s failed", step_id)
    return told


async def remind_leads(ctx: JobContext) -> int:
    """Queue the status-update reminder of every incident run owing one; returns how many were queued."""
    now = ctx.now()
    async with ctx.sessions() as session:
        owing = await run_schedule.runs_owing_status(session, now=now)
    reminded = 0
    for run_id in owing:
        await asyncio.sleep(0)  # a turn for requests and the sender between items: no long hold
        try:
            async with ctx.sessions.begin() as session:
                claimed = await run_schedule.claim_status(session, run_id=run_id, now=now)
                if claimed is not None:
                    run, moment = claimed
                    reminded += await messages.remind_status(session, run=run, moment=moment, now=now)
        except Exception:
            log.exception("reminding the lead of run %s failed", run_id)
    return reminded


async def run_due(ctx: JobContext) -> int:
    return await tell_due_steps(ctx) + await remind_leads(ctx)


def register(runner: Runner) -> None:
    runner.register_job(JOB_NAME, run_due, seconds=JOB_SECONDS)
