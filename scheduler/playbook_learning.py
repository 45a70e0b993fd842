"""The learning loop's scheduled job: "which resolved runs have no retrospective, and which experiments have
reached their end date?".

A resolved run without a retrospective gets one (the unique run id makes it once, whichever scheduler, button
or command gets there first) and its lead one DM, in the same transaction. An experiment whose end date has come
in its owner's zone (at the start of their working hours) is marked asked under a row lock, and its owner gets
one DM in the same transaction: a second run, a second scheduler or a restart finds it asked and sends nothing.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncSession

from handlers.playbooks.messages.learning import EXPERIMENT_KIND, RETRO_KIND, queue_experiment_ask, queue_retro_ask
from models import Playbook, PlaybookRun, RunStatus
from services.playbooks import experiments, retros

if TYPE_CHECKING:
    from scheduler.runner import JobContext, Runner

log = logging.getLogger(__name__)

JOB_NAME = "playbooks.learning"
JOB_SECONDS = 60.0
__all__ = ["EXPERIMENT_KIND", "JOB_NAME", "JOB_SECONDS", "RETRO_KIND", "learning_due", "register"]


async def learning_due(ctx: JobContext) -> int:
    """Open every retrospective and ask every experiment's result due now; returns how many DMs were queued."""
    now = ctx.now()
    async with ctx.sessions() as session:
        runs = await retros.due_runs(session)
        asks = await experiments.asks_due(session, now=now)
    queued = 0
    for run_id in runs:
        await asyncio.sleep(0)  # a turn for requests and the sender between items: no long hold
        try:
            async with ctx.sessions.begin() as session:
                queued += await open_retro(session, run_id=run_id, now=now)
        except Exception:  # one broken run must not hold up the others; it is tried again next run
            log.exception("opening the retrospective of run %s failed", run_id)
    for experiment_id in asks:
        await asyncio.sleep(0)  # a turn for requests and the sender between items: no long hold
        try:
            async with ctx.sessions.begin() as session:
                queued += await ask_result(session, experiment_id=experiment_id, now=now)
        except Exception:
            log.exception("asking for the result of experiment %s failed", experiment_id)
    return queued


async def open_retro(session: AsyncSession, *, run_id: int, now: datetime) -> int:
    run = await session.get(PlaybookRun, run_id)
    if run is None or run.status is not RunStatus.RESOLVED:
        return 0
    retro = await retros.open_for(session, run=run, now=now)
    if retro is None:
        return 0  # opened meanwhile (someone pressed the card's button first): the lead is writing it
    playbook = await session.get(Playbook, run.playbook_id)
    assert playbook is not None
    return int(await queue_retro_ask(session, run=run, playbook=playbook, retro=retro, now=now))


async def ask_result(session: AsyncSession, *, experiment_id: int, now: datetime) -> int:
    experiment = await experiments.claim_ask(session, experiment_id=experiment_id, now=now)
    if experiment is None:
        return 0
    if experiment.owner.is_deleted:
        return 0  # gone from Slack: marked asked, nobody to ask
    await queue_experiment_ask(session, experiment=experiment, now=now)
    return 1


def register(runner: Runner) -> None:
    runner.register_job(JOB_NAME, learning_due, seconds=JOB_SECONDS)
