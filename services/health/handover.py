"""Handing work over, the remedy for a person who has become a bottleneck or owns more than anyone can watch: what
they could hand on (their open decisions and overdue action items, or their open outcomes), and handing the
chosen ones to someone else, each through its own feature's rule of who may."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Action, ActionStatus, Decision, DecisionStatus, Outcome, Person
from models.outcome import OPEN_STATUSES
from services import actions, decisions, outcomes
from services.errors import Forbidden, Invalid, NotFound, NotNow
from services.health.findings import Kind

MAX_ITEMS = 10  # Slack shows at most 10 checkboxes in one group


class Field(StrEnum):
    ITEMS = "items"
    TO = "to"


@dataclass(frozen=True)
class Item:
    ref: str  # O-12, D-7, A-3
    text: str  # its title, question or what, as typed


async def items_of(session: AsyncSession, *, workspace_id: int, person_id: int, kind: Kind,
                   today: date) -> list[Item]:  # fmt: skip
    """What `person_id` could hand on for a finding of `kind`: their open outcomes (too many of them), else the open
    decisions they decide and their overdue action items; the most pressing first, at most MAX_ITEMS."""
    if kind is Kind.TOO_MANY_OUTCOMES:
        query = (
            select(Outcome)
            .where(
                Outcome.workspace_id == workspace_id, Outcome.owner_id == person_id, Outcome.status.in_(OPEN_STATUSES)
            )
            .order_by(Outcome.due_date, Outcome.number)
            .limit(MAX_ITEMS)
        )
        return [Item(o.ref, o.title) for o in await session.scalars(query)]
    open_decisions = (
        select(Decision)
        .where(
            Decision.workspace_id == workspace_id,
            Decision.decider_id == person_id,
            Decision.status == DecisionStatus.OPEN,
        )
        .order_by(Decision.deadline, Decision.number)
        .limit(MAX_ITEMS)
    )
    found = [Item(d.ref, d.question) for d in await session.scalars(open_decisions)]
    overdue = (
        select(Action)
        .where(
            Action.workspace_id == workspace_id,
            Action.owner_id == person_id,
            Action.status == ActionStatus.OPEN,
            Action.due_on < today,
        )
        .order_by(Action.due_on, Action.number)
        .limit(MAX_ITEMS - len(found))
    )
    return found + [Item(a.ref, a.what) for a in await session.scalars(overdue)]


async def _hand_one(session: AsyncSession, workspace_id: int, ref: str, actor: Person, to: Person,
                    now: datetime) -> None:  # fmt: skip
    if ref.startswith("O-"):
        outcome = await outcomes.find_outcome(session, workspace_id=workspace_id, ref=ref)
        await outcomes.change_owner(session, actor=actor, outcome=outcome, new_owner=to)
    elif ref.startswith("D-"):
        decision = await decisions.find_decision(session, workspace_id=workspace_id, ref=ref, for_update=True)
        await decisions.change_decider(session, decision=decision, actor=actor, decider=to, now=now)
    else:
        action = await actions.find_action(session, workspace_id=workspace_id, ref=ref, for_update=True)
        await actions.reassign(session, action=action, actor=actor, owner=to, now=now)


async def hand_over(session: AsyncSession, *, workspace_id: int, actor: Person, holder_id: int, offered: list[Item],
                    chosen: list[str], to: Person | None, now: datetime) -> list[Item]:  # fmt: skip
    """Hands each chosen item (one of those `offered`, all the holder's) to `to`, each through its own feature's
    rule of who may. All or nothing: the first refusal undoes the ones before it and is raised as Invalid by
    Field, naming the item."""
    by_ref = {item.ref: item for item in offered}
    errors: dict[Field, str] = {}
    if not chosen:
        errors[Field.ITEMS] = "Tick at least one to hand over."
    elif stale := [ref for ref in chosen if ref not in by_ref]:
        errors[Field.ITEMS] = f"{', '.join(stale)[:60]} is no longer theirs to hand over: open the form again."
    if to is None:
        errors[Field.TO] = "Choose who takes them on."
    elif to.id == holder_id:
        errors[Field.TO] = "They have these already: choose someone else."
    if errors:
        raise Invalid(errors)
    assert to is not None
    ref = ""
    try:
        async with session.begin_nested():  # undone as a whole when one of them is refused
            for ref in chosen:
                await _hand_one(session, workspace_id, ref, actor, to, now)
    except Invalid as exc:
        raise Invalid({Field.TO: f"{ref}: {' '.join(exc.errors.values())}"}) from None
    except (Forbidden, NotNow, NotFound) as exc:
        raise Invalid({Field.ITEMS: f"{ref}: {exc}"}) from None
    return [by_ref[ref] for ref in chosen]
