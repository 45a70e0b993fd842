"""The walk in the database: its inputs read from the decision's path and timeline, each ping recorded once,
and `next_ping_at` (the scheduler's index) kept in step with the plan."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value

from models import Decision, DecisionEvent, DecisionEventKind, DecisionStatus, Workspace
from services import people, workhours
from services.decisions import policies
from services.decisions.reach import Reach
from services.decisions.walk import Pause, Ping, Walk, next_at
from services.inserts import inserted


async def walk_for(session: AsyncSession, decision: Decision) -> Walk:
    """The inputs of the escalation plan, read from the decision, its policy and this round's history."""
    workspace = await session.get(Workspace, decision.workspace_id)
    assert workspace is not None
    policy = decision.policy
    if policy is None:  # its policy was deleted: the workspace default takes over
        policy = await policies.default_for(session, workspace=workspace, channel_id=decision.channel_id)
    # Plain rows, not timeline objects: only four columns matter here.
    events = await session.execute(
        select(DecisionEvent.ping_key, DecisionEvent.at, DecisionEvent.kind, DecisionEvent.data).where(
            DecisionEvent.decision_id == decision.id, DecisionEvent.round == decision.round
        )
    )
    fired: dict[str, datetime] = {}
    moved_on: set[str] = set()
    pauses: list[Pause] = []
    for ping_key, at, kind, data in events:
        data = data or {}
        if ping_key:
            fired[ping_key] = at
            if data.get("moved_on"):
                moved_on.add(ping_key)
        if kind in (DecisionEventKind.ACKNOWLEDGED, DecisionEventKind.SNOOZED) and data.get("until"):
            pauses.append(Pause(at, datetime.fromisoformat(data["until"])))
    return Walk(
        decision_token=decision.token,
        round=decision.round,
        since=decision.round_started_at,
        deadline=decision.deadline,
        zone=people.person_zone(decision.decider, workspace),
        decider_id=decision.decider_id,
        levels=policies.as_levels(policy),
        pauses=tuple(sorted(pauses, key=lambda p: p.start)),
        fired=fired,
        moved_on=frozenset(moved_on),
        hours=workhours.hours_of(decision.decider),
    )


async def paused_until(session: AsyncSession, decision: Decision, now: datetime) -> datetime | None:
    """Until when an acknowledgement or a snooze of this round holds the escalation; None when nothing does."""
    if not decision.is_open or decision.deadline > now:
        return None
    events = await session.scalars(
        select(DecisionEvent).where(
            DecisionEvent.decision_id == decision.id,
            DecisionEvent.round == decision.round,
            DecisionEvent.kind.in_((DecisionEventKind.ACKNOWLEDGED, DecisionEventKind.SNOOZED)),
        )
    )
    ends = [datetime.fromisoformat(e.data["until"]) for e in events if (e.data or {}).get("until")]
    latest = max(ends, default=None)
    return latest if latest is not None and latest > now else None


async def refresh_schedule(session: AsyncSession, decision: Decision, now: datetime, walk: Walk | None = None) -> None:
    """Keep `next_ping_at` (the scheduler's index) in step with the plan."""
    if not decision.is_open:
        decision.next_ping_at = None
        return
    walk = walk or await walk_for(session, decision)
    decision.next_ping_at = next_at(walk, now)
    await session.flush()


async def move_schedule(session: AsyncSession, decision: Decision, now: datetime, walk: Walk) -> None:
    """`refresh_schedule` for the scheduler's walk of an open decision, where nothing else of it changed: one
    UPDATE, without the unit of work (the scheduler does this for every due decision)."""
    at = next_at(walk, now)
    table = Decision.__table__
    await session.execute(update(table).where(table.c.id == decision.id).values(next_ping_at=at))
    set_committed_value(decision, "next_ping_at", at)


def with_fired(walk: Walk, key: str, at: datetime, *, moved_on: bool = False) -> Walk:
    """`walk` with the ping `key` sent at `at`; `moved_on`: a level that reached nobody, so the next follows now."""
    return replace(walk, fired={**walk.fired, key: at}, moved_on=walk.moved_on | {key} if moved_on else walk.moved_on)


async def record_ping(session: AsyncSession, *, decision: Decision, ping: Ping, now: datetime, reach: Reach) -> bool:
    """Put a sent ping on the timeline; False when another scheduler recorded it first (then send nothing)."""
    kind = DecisionEventKind.ESCALATED if ping.is_level else DecisionEventKind.NUDGED
    data: dict[str, Any] = {"number": ping.number, "repeat": ping.repeat, **reach.data()}
    if ping.is_level:
        data["channel"] = ping.in_channel
    # One statement; the unique (decision, ping key) makes a second scheduler's insert skip.
    return await inserted(
        session,
        DecisionEvent,
        unique=("decision_id", "ping_key"),
        workspace_id=decision.workspace_id,
        decision_id=decision.id,
        kind=kind,
        round=decision.round,
        at=now,
        ping_key=ping.key,
        data=data,
    )


async def due_decision_ids(session: AsyncSession, *, now: datetime, limit: int = 500) -> list[int]:
    """Open decisions, in any workspace, with a ping due."""
    query = (
        select(Decision.id)
        .where(Decision.status == DecisionStatus.OPEN, Decision.next_ping_at <= now)
        .order_by(Decision.next_ping_at, Decision.id)
        .limit(limit)
    )
    return list(await session.scalars(query))
