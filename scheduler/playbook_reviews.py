"""Evergreen playbooks' scheduled job: "whose playbook is owed a review ask now?".

For each playbook owed one (services.playbooks.reviews: not reviewed within its interval, and not asked in this
interval yet), one transaction locks the row, checks again, records the ask and queues the owner's DM under a key
of the interval: a second scheduler, a rerun or a restart finds the ask recorded and sends nothing more.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

from handlers.playbooks.messages.reviews import REVIEW_KIND, ask_review
from services import people
from services.playbooks import reviews

if TYPE_CHECKING:
    from scheduler.runner import JobContext, Runner

log = logging.getLogger(__name__)

JOB_NAME = "playbooks.reviews"
JOB_SECONDS = 15 * 60.0  # reviews are due by the day; a quarter of an hour late is on time
__all__ = ["JOB_NAME", "JOB_SECONDS", "REVIEW_KIND", "ask_due", "register"]


async def ask_due(ctx: JobContext) -> int:
    """Queue every review ask owed now; returns how many were queued."""
    now = ctx.now()
    async with ctx.sessions() as session:
        owed = await reviews.due(session, now=now)
    queued = 0
    for playbook_id in owed:
        await asyncio.sleep(0)  # a turn for requests and the sender between items: no long hold
        try:
            async with ctx.sessions.begin() as session:
                claimed = await reviews.claim(session, playbook_id=playbook_id, now=now)
                if claimed is None:
                    continue  # another scheduler (or a confirmation) got there first
                playbook, count = claimed
                if people.reachable(playbook.owner):
                    await ask_review(session, playbook=playbook, count=count, now=now)
                    queued += 1
        except Exception:  # one broken playbook must not hold up the others; it is tried again next run
            log.exception("asking for the review of playbook %s failed", playbook_id)
    return queued


def register(runner: Runner) -> None:
    runner.register_job(JOB_NAME, ask_due, seconds=JOB_SECONDS)
