"""The plan in the database: `next_nudge_at` (the scheduler's index) kept in step with the plan, each nudge
recorded once on the item's history, and the owners who have something due."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from models import Action, ActionEvent, ActionEventKind, ActionStatus, Workspace
from services import people
from services.actions import plan


async def zone_of_owner(session: AsyncSession, action: Action):
    workspace = await session.get(Workspace, action.workspace_id)
    assert workspace is not None
    return people.person_zone(action.owner, workspace)


async def refresh_plan(session: AsyncSession, action: Action, now: datetime) -> None:
    """Keep `next_nudge_at` in step with the plan; nothing is due for a closed item."""
    if not action.is_open:
        action.next_nudge_at = None
        return
    zone = await zone_of_owner(session, action)
    action.next_nudge_at = plan.next_after(action.due_on, zone, action.plan_started_at, now)
    await session.flush()


def new_plan(action: Action, now: datetime) -> None:
    """A new due date or owner: the nudges start over, under keys of their own."""
    action.plan += 1
    action.plan_started_at = now


async def owners_due(session: AsyncSession, *, now: datetime, limit: int = 500) -> list[tuple[int, int]]:
    """(workspace id, owner id) of everyone with a nudge due, in any workspace."""
    query = (
        select(Action.workspace_id, Action.owner_id)
        .where(Action.status == ActionStatus.OPEN, Action.next_nudge_at <= now)
        .group_by(Action.workspace_id, Action.owner_id)
        .order_by(Action.workspace_id, Action.owner_id)
        .limit(limit)
    )
    return [(row[0], row[1]) for row in await session.execute(query)]


async def due_for_owner(session: AsyncSession, *, workspace_id: int, owner_id: int, now: datetime) -> list[Action]:
    """The owner's items with a nudge due, locked: a second scheduler (or a press) waits, then finds none."""
    query = (
        select(Action)
        .where(
            Action.workspace_id == workspace_id,
            Action.owner_id == owner_id,
            Action.status == ActionStatus.OPEN,
            Action.next_nudge_at <= now,
        )
        .order_by(Action.due_on, Action.number)
        .with_for_update(of=Action)
        .options(joinedload(Action.owner), joinedload(Action.created_by))
        .execution_options(populate_existing=True)
    )
    return list(await session.scalars(query))


async def record_nudge(
    session: AsyncSession, *, action: Action, stage: plan.Stage, moment: datetime, now: datetime, **data: Any
) -> bool:
    """Put a nudge on the item's history; False when it was recorded already (then send nothing)."""
    event = ActionEvent(
        workspace_id=action.workspace_id,
        action_id=action.id,
        kind=ActionEventKind.NUDGED,
        at=now,
        ping_key=plan.ping_key(action.plan, stage, moment),
        data={"stage": stage.value, **data},
    )
    try:
        async with session.begin_nested():
            session.add(event)
    except IntegrityError:
        return False
    return True
