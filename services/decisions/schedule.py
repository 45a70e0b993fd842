"""The walk in the database: its inputs read from the decision's path and timeline, each ping recorded once,
and `next_ping_at` (the scheduler's index) kept in step with the plan."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value

from models import Decision, DecisionEvent, DecisionEventKind, DecisionStatus, EscalationPolicy, Workspace
from services import people, workhours
from services.decisions import policies
from services.decisions.reach import Reach
from services.decisions.walk import Pause, Ping, Walk, next_at
from services.inserts import inserted, inserted_many

UNIQUE_PING = ("decision_id", "ping_key")


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
    return build_walk(decision, workspace, policy, events)


# The timelines of several decisions at once (the scheduler's group), built once; rounds are picked in Python.
_EVENTS_OF_MANY = select(
    DecisionEvent.decision_id, DecisionEvent.round, DecisionEvent.ping_key, DecisionEvent.at, DecisionEvent.kind,
    DecisionEvent.data,
).where(
    DecisionEvent.workspace_id.in_(bindparam("workspace_ids", expanding=True)),
    DecisionEvent.decision_id.in_(bindparam("decision_ids", expanding=True)),
)  # fmt: skip


async def walks_for(
    session: AsyncSession, decisions: Sequence[Decision], workspaces: Mapping[int, Workspace]
) -> dict[int, Walk]:
    """`walk_for` of several open decisions (by id), their timelines read in one query; `workspaces` by id."""
    if not decisions:
        return {}
    params = {"workspace_ids": list({d.workspace_id for d in decisions}), "decision_ids": [d.id for d in decisions]}
    rounds = {d.id: d.round for d in decisions}
    events: dict[int, list[Any]] = {d.id: [] for d in decisions}
    for decision_id, round_, *event in await session.execute(_EVENTS_OF_MANY, params):
        if rounds.get(decision_id) == round_:
            events[decision_id].append(event)
    walks = {}
    defaults: dict[tuple[int, str | None], EscalationPolicy] = {}  # read once per workspace and channel
    for decision in decisions:
        workspace = workspaces[decision.workspace_id]
        policy = decision.policy
        if policy is None:  # its policy was deleted: the workspace default takes over
            where = (decision.workspace_id, decision.channel_id)
            if where not in defaults:
                defaults[where] = await policies.default_for(session, workspace=workspace, channel_id=where[1])
            policy = defaults[where]
        walks[decision.id] = build_walk(decision, workspace, policy, events[decision.id])
    return walks


def build_walk(decision: Decision, workspace: Workspace, policy: EscalationPolicy, events: Iterable[Any]) -> Walk:
    """The walk of `decision` from its round's events (ping key, at, kind, data)."""
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
    await set_schedules(session, {decision: next_at(walk, now)})


_SET_SCHEDULE = (
    update(Decision.__table__)
    .where(Decision.__table__.c.id == bindparam("decision_id"))
    .values(next_ping_at=bindparam("at"))
)


async def set_schedules(session: AsyncSession, schedules: Mapping[Decision, datetime | None]) -> None:
    """Set `next_ping_at` of several decisions in one statement (executed for each row), without the unit of work."""
    if not schedules:
        return
    await session.execute(_SET_SCHEDULE, [{"decision_id": d.id, "at": at} for d, at in schedules.items()])
    for decision, at in schedules.items():
        set_committed_value(decision, "next_ping_at", at)


def with_fired(walk: Walk, key: str, at: datetime, *, moved_on: bool = False) -> Walk:
    """`walk` with the ping `key` sent at `at`; `moved_on`: a level that reached nobody, so the next follows now."""
    return replace(walk, fired={**walk.fired, key: at}, moved_on=walk.moved_on | {key} if moved_on else walk.moved_on)


def ping_event(decision: Decision, ping: Ping, now: datetime, reach: Reach) -> dict[str, Any]:
    """The timeline row of a sent ping."""
    kind = DecisionEventKind.ESCALATED if ping.is_level else DecisionEventKind.NUDGED
    data: dict[str, Any] = {"number": ping.number, "repeat": ping.repeat, **reach.data()}
    if ping.is_level:
        data["channel"] = ping.in_channel
    return {"workspace_id": decision.workspace_id, "decision_id": decision.id, "kind": kind, "round": decision.round,
            "at": now, "ping_key": ping.key, "data": data}  # fmt: skip


async def record_ping(session: AsyncSession, *, decision: Decision, ping: Ping, now: datetime, reach: Reach) -> bool:
    """Put a sent ping on the timeline; False when another scheduler recorded it first (then send nothing)."""
    # One statement; the unique (decision, ping key) makes a second scheduler's insert skip.
    return await inserted(session, DecisionEvent, unique=UNIQUE_PING, **ping_event(decision, ping, now, reach))


async def record_pings(session: AsyncSession, rows: list[dict[str, Any]]) -> int:
    """`record_ping` of several pings (rows of `ping_event`) in one statement; returns how many were new (the
    others were recorded first by another scheduler)."""
    return await inserted_many(session, DecisionEvent, unique=UNIQUE_PING, rows=rows)


async def due_decision_ids(session: AsyncSession, *, now: datetime, limit: int = 500) -> list[int]:
    """Open decisions, in any workspace, with a ping due."""
    query = (
        select(Decision.id)
        .where(Decision.status == DecisionStatus.OPEN, Decision.next_ping_at <= now)
        .order_by(Decision.next_ping_at, Decision.id)
        .limit(limit)
    )
    return list(await session.scalars(query))
