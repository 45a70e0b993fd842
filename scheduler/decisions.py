"""Decisions' scheduled job: "which decisions have a ping due now?".

The job derives what is due from the database (services.decisions.walk plans the pings from the deadline, the path
and the timeline), records each ping on the decision's timeline under its key and enqueues its messages
(handlers.decisions.messages) under keys derived from it, in one transaction per group of due decisions with one
statement per step for the whole group (when anything of a group fails, one transaction per decision instead, so one
broken decision cannot hold up the others). A missed run catches up (one level at a time, the rest of the walk
moving with it), except that a level nobody could hear (everyone on it away or gone) hands over to the next at once;
a repeated or concurrent run finds the keys taken and sends nothing. Deciding, withdrawing and moving the deadline
cancel what is pending.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.decisions.messages import CARD_KIND, LEVEL_KIND, NUDGE_KIND, TELL_KIND, queue_card_redraw, queue_ping
from models import Decision, Person, Workspace
from services import decisions, outbox, people
from services.decisions.walk import DEADLINE_NUDGE, Ping, Walk, due, next_at

if TYPE_CHECKING:
    from scheduler.runner import JobContext, Runner

log = logging.getLogger(__name__)

JOB_NAME = "decisions.walk"
JOB_SECONDS = 30.0
__all__ = ["CARD_KIND", "JOB_NAME", "JOB_SECONDS", "LEVEL_KIND", "NUDGE_KIND", "TELL_KIND", "register", "walk_due"]


GROUP = 50  # due decisions walked together, in one transaction


class Taken(Exception):
    """Another scheduler recorded some of a group's pings first: the group is walked again one by one."""


async def walk_due(ctx: JobContext) -> int:
    """Send every ping due now, a group of decisions at a time; returns how many pings were sent."""
    now = ctx.now()
    async with ctx.sessions() as session:
        due_ids = await decisions.due_decision_ids(session, now=now)
    sent = 0
    workspaces: dict[int, Workspace] = {}  # read once per pass
    for start in range(0, len(due_ids), GROUP):
        group = sorted(due_ids[start : start + GROUP])  # locked in id order, as any other scheduler locks them
        await asyncio.sleep(0)  # a turn for requests and the sender between groups: no long hold
        try:
            async with ctx.sessions.begin() as session:
                sent += await walk_group(session, decision_ids=group, now=now, workspaces=workspaces)
            continue
        except Taken:
            log.info("another scheduler walked some of decisions %s first; walking them one by one", group)
        except Exception:
            log.exception("walking decisions %s together failed; walking them one by one", group)
        # One broken decision must not hold up the others: each in a transaction of its own, as before.
        for decision_id in group:
            await asyncio.sleep(0)
            try:
                async with ctx.sessions.begin() as session:
                    sent += await walk_one(session, decision_id=decision_id, now=now, workspaces=workspaces)
            except Exception:  # retried next run
                log.exception("walking decision %s failed", decision_id)
    return sent


async def walk_group(
    session: AsyncSession, *, decision_ids: list[int], now: datetime, workspaces: dict[int, Workspace]
) -> int:
    """`walk_one` for several decisions (ids in order) in one transaction, with a statement per step rather than
    per decision; raises Taken (roll back, then walk them one by one) when another scheduler recorded a ping first.
    `workspaces`: those this pass has read already (it adds to them)."""
    loaded = await decisions.load_many(session, decision_ids)  # locked, as walk_one locks one
    schedules: dict[Decision, datetime | None] = {d: None for d in loaded if not d.is_open}
    group = [d for d in loaded if d.is_open]
    known = await _workspaces(session, {d.workspace_id for d in group}, workspaces)
    walks = await decisions.walks_for(session, group, known)
    # Everyone the due walks may ping, in one query.
    wanted: dict[int, set[int]] = {}
    first = {d.id: due(walks[d.id], now) for d in group}
    for decision in group:
        if first[decision.id]:
            walk = walks[decision.id]
            ids = {decision.decider_id, *(p for level in walk.levels for p in level.people)}
            wanted.setdefault(decision.workspace_id, set()).update(ids)
    found = await decisions.people_of_many(session, wanted)
    events: list[dict] = []
    queued = outbox.Batch()  # every message of the group, written in one statement in the order queued
    for decision in group:
        await asyncio.sleep(0)  # building messages is the costly part: a turn for others between decisions
        workspace = known[decision.workspace_id]
        people_found = found.get(decision.workspace_id, {})
        walk, pings = await plan_run(decision, walks[decision.id], workspace, people_found, now, first[decision.id])
        zone = people.person_zone(decision.decider, workspace)
        for ping, reach in pings:
            events.append(decisions.ping_event(decision, ping, now, reach))
            await queue_ping(session, decision, ping, reach=reach, now=now, zone=zone, batch=queued)
        await _redraw(session, decision, [ping for ping, _ in pings], now, zone, queued)
        schedules[decision] = next_at(walk, now)
    # The row locks make this rare (SQLite has none): a key taken means a run walked these first.
    if await decisions.record_pings(session, events) != len(events):
        raise Taken
    await queued.write(session)
    await decisions.set_schedules(session, schedules)
    return len(events)


async def plan_run(
    decision: Decision,
    walk: Walk,
    workspace: Workspace,
    found: dict[int, Person],
    now: datetime,
    batch: list[Ping],
    record: Callable[[Ping, decisions.Reach], Awaitable[bool]] | None = None,
) -> tuple[Walk, list[tuple[Ping, decisions.Reach]]]:
    """What one run sends of a decision's walk (`batch`: `due(walk, now)`), each ping with whom it reaches, and
    the walk afterwards. `record`, when given, records each ping as it comes and says whether it was new: one
    recorded already is left out, and the walk goes on without it."""
    sent: list[tuple[Ping, decisions.Reach]] = []
    while batch:
        handed_over = False
        for ping in batch:
            # Someone who has left Slack, or is away today, is skipped; the timeline and the thread say so.
            reach = decisions.reach(decision, ping, found, workspace, now, last=ping.number == len(walk.levels))
            if record is not None and not await record(ping, reach):
                continue
            walk = decisions.with_fired(walk, ping.key, now, moved_on=reach.moves_on)
            sent.append((ping, reach))
            handed_over |= reach.moves_on
        # A level nobody could hear (all away or gone) hands over to the next level in this same run.
        batch = due(walk, now) if handed_over else []
    return walk, sent


async def _redraw(
    session: AsyncSession, decision: Decision, sent: list[Ping], now: datetime, zone: ZoneInfo, queued: outbox.Batch
) -> None:
    """Overdue, escalated: the card says so. One redraw per run, so two can never arrive out of order."""
    redraw = [p for p in sent if p.is_level or p.number == DEADLINE_NUDGE]
    if redraw and decision.card_ts:
        await queue_card_redraw(session, decision, redraw[-1].key, now, zone, batch=queued)


async def _workspaces(session: AsyncSession, ids: set[int], known: dict[int, Workspace]) -> dict[int, Workspace]:
    """The group's workspaces by id, those this pass has not read yet in one query; detached copies (a rolled-back
    group cannot expire them), which is all the walk needs of them (their zone and days off)."""
    if missing := ids - known.keys():
        for workspace in await session.scalars(select(Workspace).where(Workspace.id.in_(missing))):
            session.expunge(workspace)
            known[workspace.id] = workspace
    return {i: known[i] for i in ids}


async def walk_one(
    session: AsyncSession, *, decision_id: int, now: datetime, workspaces: dict[int, Workspace] | None = None
) -> int:
    """Send what is due of one decision; `workspaces`: those this pass has read already (it adds to them)."""
    # The row lock makes a second scheduler (or a button press) wait, then see what this one recorded.
    decision = await decisions.load(session, decision_id, for_update=True)
    if decision is None:
        return 0
    if not decision.is_open:
        decision.next_ping_at = None
        return 0
    workspace = await _workspace(session, decision.workspace_id, workspaces)
    zone = people.person_zone(decision.decider, workspace)
    walk = await decisions.walk_for(session, decision)
    batch = due(walk, now)
    # Everyone the walk may ping, in one query rather than one per ping.
    ids = {decision.decider_id, *(p for level in walk.levels for p in level.people)}
    found = await decisions.people_by_id(session, workspace_id=decision.workspace_id, ids=list(ids)) if batch else {}
    # The run's messages, written together at the end in one statement, in the order they were queued.
    queued = outbox.Batch()

    async def record(ping: Ping, reach: decisions.Reach) -> bool:
        if not await decisions.record_ping(session, decision=decision, ping=ping, now=now, reach=reach):
            return False  # recorded already (a repeated or concurrent run): not sent again
        await queue_ping(session, decision, ping, reach=reach, now=now, zone=zone, batch=queued)
        return True

    walk, sent = await plan_run(decision, walk, workspace, found, now, batch, record)
    await _redraw(session, decision, [ping for ping, _ in sent], now, zone, queued)
    await queued.write(session)
    await decisions.move_schedule(session, decision, now, walk)
    return len(sent)


async def _workspace(session: AsyncSession, workspace_id: int, known: dict[int, Workspace] | None) -> Workspace:
    """The decision's workspace (its default zone is all the walk reads of it), from the database once per pass.
    The pass keeps a detached copy (a rolled-back walk cannot expire it) and merges it into each session without
    a query, where the services' `session.get` finds it."""
    found = known.get(workspace_id) if known is not None else None
    if found is None:
        found = await session.get(Workspace, workspace_id)
        assert found is not None
        if known is None:
            return found
        session.expunge(found)
        known[workspace_id] = found
    return await session.merge(found, load=False)


def register(runner: Runner) -> None:
    runner.register_job(JOB_NAME, walk_due, seconds=JOB_SECONDS)
