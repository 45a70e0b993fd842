"""Changing an action item: done, dropped, snoozed (a new due date), reassigned. Each change is recorded on its
history, checked against who may make it, and reshapes or ends its plan of nudges in the same transaction."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from models import Action, ActionEvent, ActionEventKind, ActionStatus, Person
from services import outbox, people
from services.actions.rules import Field, check_due, check_reason, require_changer, require_open
from services.actions.schedule import new_plan, refresh_plan, zone_of_owner
from services.errors import Invalid


async def done(session: AsyncSession, *, action: Action, actor: Person, now: datetime) -> Action:
    require_changer(actor, action, "mark done")
    require_open(action, "mark done")
    await _close(session, action, ActionStatus.DONE, now)
    record(session, action, ActionEventKind.DONE, now, actor)
    await session.flush()
    return action


async def drop(session: AsyncSession, *, action: Action, actor: Person, reason: str, now: datetime) -> Action:
    require_changer(actor, action, "drop")
    require_open(action, "drop")
    reason = check_reason(reason)
    await _close(session, action, ActionStatus.DROPPED, now)
    action.drop_reason = reason
    record(session, action, ActionEventKind.DROPPED, now, actor, reason=reason)
    await session.flush()
    return action


async def snooze(session: AsyncSession, *, action: Action, actor: Person, until: date | None, now: datetime) -> Action:
    """A new due date (in the owner's zone); the nudges start over from it."""
    require_changer(actor, action, "snooze")
    require_open(action, "snooze")
    errors: dict[Field, str] = {}
    today = now.astimezone(await zone_of_owner(session, action)).date()
    check_due(until, today, errors)
    if not errors and until == action.due_on:
        errors[Field.DUE] = "That is the date it has; choose another."
    if errors:
        raise Invalid(errors)
    assert until is not None
    was = action.due_on
    await cancel_pending(session, action)
    action.due_on = until
    new_plan(action, now)
    record(session, action, ActionEventKind.SNOOZED, now, actor, was=was.isoformat(), due=until.isoformat())
    await refresh_plan(session, action, now)
    return action


async def reassign(session: AsyncSession, *, action: Action, actor: Person, owner: Person | None,
                   now: datetime) -> Action:  # fmt: skip
    require_changer(actor, action, "reassign")
    require_open(action, "reassign")
    if owner is None:
        raise Invalid({Field.OWNER: "Choose who owns it now."})
    if (why := people.unassignable(owner)) is not None:
        raise Invalid({Field.OWNER: why})
    if owner.id == action.owner_id:
        raise Invalid({Field.OWNER: "They own it already; choose someone else."})
    was = action.owner_id
    await cancel_pending(session, action)
    action.owner_id, action.owner = owner.id, owner
    new_plan(action, now)
    record(session, action, ActionEventKind.REASSIGNED, now, actor, was=was, owner=owner.id)
    await refresh_plan(session, action, now)
    return action


async def _close(session: AsyncSession, action: Action, status: ActionStatus, now: datetime) -> None:
    await cancel_pending(session, action)
    action.status, action.closed_at, action.next_nudge_at = status, now, None


async def cancel_pending(session: AsyncSession, action: Action) -> int:
    """Whatever was queued about this item alone and not sent yet (see handlers.actions.messages for keys)."""
    return await outbox.cancel(session, workspace_id=action.workspace_id, key_prefix=item_prefix(action))


def item_prefix(action: Action) -> str:
    """Outbox keys about one item start with this; its ref is never handed out again in the workspace."""
    return f"action:{action.ref}:"


def record(
    session: AsyncSession, action: Action, kind: ActionEventKind, now: datetime, actor: Person | None, **data: Any
) -> ActionEvent:
    event = ActionEvent(
        workspace_id=action.workspace_id,
        action_id=action.id,
        kind=kind,
        at=now,
        actor_id=actor.id if actor else None,
        data=data,
    )
    session.add(event)
    return event
