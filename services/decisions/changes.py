"""Changing a decision: decide, withdraw, move the deadline, reopen, acknowledge or snooze the walk, ask for
input, hand it to another decider. Each change is recorded on the decision's timeline.

Each change that ends or reshapes the schedule also cancels the decision's pending deliveries in the same
transaction, so no reminder can follow a decision however the change was made.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Decision, DecisionEvent, DecisionEventKind, DecisionRole, DecisionStatus, Person
from models.escalation import DEFAULT_ACK_WINDOW_MINUTES
from services import outbox, people
from services.decisions import walk
from services.decisions.rules import (
    ASK_AGAIN_AFTER,
    MAX_CHOICE,
    MAX_RATIONALE,
    MAX_REASON,
    MAX_SNOOZES,
    Field,
    can_ask_input,
    check_deadline,
    parse_deadline,
    require_closed,
    require_decider,
    require_open,
    require_rescheduler,
    require_respondent,
    require_withdrawer,
    snooze_limit,
)
from services.decisions.schedule import refresh_schedule
from services.errors import Forbidden, Invalid, NotNow


async def decide(
    session: AsyncSession, *, decision: Decision, actor: Person, choice: str, rationale: str, now: datetime
) -> Decision:
    require_open(decision, "decide it again")
    require_decider(actor, decision)
    errors: dict[Field, str] = {}
    choice = " ".join((choice or "").split())
    if decision.options and choice not in decision.options:
        errors[Field.CHOICE] = "Choose one of the options."
    elif not choice:
        errors[Field.CHOICE] = "Say what was decided."
    elif len(choice) > MAX_CHOICE:
        errors[Field.CHOICE] = f"Keep the decision itself within {MAX_CHOICE} characters; explain in the rationale."
    rationale = (rationale or "").strip()
    if not rationale:
        errors[Field.RATIONALE] = "Write why: the rationale is what people will look for later."
    elif len(rationale) > MAX_RATIONALE:
        errors[Field.RATIONALE] = (
            f"Slack takes at most {MAX_RATIONALE:,} characters here (this has {len(rationale):,}); "
            "link to a document for the rest."
        )
    if errors:
        raise Invalid(errors)
    decision.status = DecisionStatus.DECIDED
    decision.chosen_option, decision.rationale = choice, rationale
    decision.decided_at, decision.decided_by_id, decision.decided_by = now, actor.id, actor
    decision.next_ping_at = None
    record(session, decision, DecisionEventKind.DECIDED, now, actor, option=choice, rationale=rationale)
    await _cancel_pending(session, decision)
    await _cancel_asked(session, decision)
    await session.flush()
    return decision


async def _cancel_asked(session: AsyncSession, decision: Decision) -> int:
    """A "you're asked" DM still waiting for someone's working hours is moot once the decision is closed."""
    return await outbox.cancel(
        session, workspace_id=decision.workspace_id, key_prefix=walk.decision_key(decision.token, "asked:")
    )


async def withdraw(session: AsyncSession, *, decision: Decision, actor: Person, reason: str, now: datetime) -> Decision:
    require_open(decision, "withdraw")
    require_withdrawer(actor, decision)
    reason = (reason or "").strip()
    if not reason:
        raise Invalid({Field.REASON: "Say why it is withdrawn, so the people involved know."})
    if len(reason) > MAX_REASON:
        raise Invalid({Field.REASON: f"Keep the reason within {MAX_REASON:,} characters."})
    decision.status = DecisionStatus.WITHDRAWN
    decision.rationale = reason  # why it ended so: the card shows it
    decision.next_ping_at = None
    record(session, decision, DecisionEventKind.WITHDRAWN, now, actor, reason=reason)
    await _cancel_pending(session, decision)
    await _cancel_asked(session, decision)
    await session.flush()
    return decision


async def move_deadline(
    session: AsyncSession, *, decision: Decision, actor: Person, deadline: int | str | None, now: datetime
) -> Decision:
    require_open(decision, "move its deadline")
    require_rescheduler(actor, decision, "move the deadline of")
    moved_to = parse_deadline(deadline)
    errors: dict[Field, str] = {}
    check_deadline(moved_to, now, errors)
    if errors:
        raise Invalid(errors)
    assert moved_to is not None
    if moved_to == decision.deadline:
        raise Invalid({Field.DEADLINE: "That is the deadline it has; pick another time."})
    previous = decision.deadline
    await _new_round(session, decision, moved_to, now)
    record(session, decision, DecisionEventKind.DEADLINE_MOVED, now, actor, was=iso(previous), deadline=iso(moved_to))
    await refresh_schedule(session, decision, now)
    return decision


async def reopen(
    session: AsyncSession, *, decision: Decision, actor: Person, deadline: int | str | None, reason: str, now: datetime
) -> Decision:
    require_closed(decision)
    require_rescheduler(actor, decision, "reopen")
    errors: dict[Field, str] = {}
    new_deadline = parse_deadline(deadline)
    check_deadline(new_deadline, now, errors)
    reason = (reason or "").strip()
    if not reason:
        errors[Field.REASON] = "Say why it is reopened: what changed?"
    elif len(reason) > MAX_REASON:
        errors[Field.REASON] = f"Keep the reason within {MAX_REASON:,} characters."
    if errors:
        raise Invalid(errors)
    assert new_deadline is not None
    decision.status = DecisionStatus.OPEN
    decision.chosen_option = decision.rationale = None
    decision.decided_at = decision.decided_by_id = decision.decided_by = None
    await _new_round(session, decision, new_deadline, now)
    record(session, decision, DecisionEventKind.REOPENED, now, actor, reason=reason, deadline=iso(new_deadline))
    await refresh_schedule(session, decision, now)
    return decision


async def _new_round(session: AsyncSession, decision: Decision, deadline: datetime, now: datetime) -> None:
    """Cancel what the old round had queued; the new round's pings get keys of their own."""
    await _cancel_pending(session, decision)
    decision.deadline = deadline
    decision.round += 1
    decision.round_started_at = now


async def acknowledge(session: AsyncSession, *, decision: Decision, actor: Person, now: datetime) -> DecisionEvent:
    """Pause the walk for the policy's acknowledgement window."""
    await require_respondent(session, decision, actor, "acknowledge", now)
    window = timedelta(minutes=decision.policy.ack_window_minutes if decision.policy else DEFAULT_ACK_WINDOW_MINUTES)
    event = record(session, decision, DecisionEventKind.ACKNOWLEDGED, now, actor, until=iso(now + window))
    await refresh_schedule(session, decision, now)
    return event


async def snooze(
    session: AsyncSession, *, decision: Decision, actor: Person, minutes: int | str | None, now: datetime
) -> DecisionEvent:
    """Pause the walk for a chosen time, within the policy's limit and at most MAX_SNOOZES times a round."""
    await require_respondent(session, decision, actor, "snooze", now)
    try:
        length = timedelta(minutes=int(minutes or 0))
    except (TypeError, ValueError):
        length = timedelta(0)
    limit = snooze_limit(decision)
    if length <= timedelta(0):
        raise Invalid({Field.SNOOZE: "Choose how long to snooze."})
    if length > limit:
        raise Invalid({Field.SNOOZE: "This path allows no snooze that long: pick one of the times offered."})
    snoozes = await session.scalar(
        select(func.count())
        .select_from(DecisionEvent)
        .where(
            DecisionEvent.decision_id == decision.id,
            DecisionEvent.round == decision.round,
            DecisionEvent.kind == DecisionEventKind.SNOOZED,
        )
    )
    if (snoozes or 0) >= MAX_SNOOZES:
        raise NotNow(
            f"{decision.ref} has been snoozed {MAX_SNOOZES} times already. Time to decide, or acknowledge it "
            "and say when it will be."
        )
    minutes = int(length.total_seconds() // 60)
    event = record(session, decision, DecisionEventKind.SNOOZED, now, actor, until=iso(now + length), minutes=minutes)
    await refresh_schedule(session, decision, now)
    return event


async def ask_for_input(session: AsyncSession, *, decision: Decision, actor: Person, now: datetime) -> list[Person]:
    """Record that the consulted are asked for input; returns them (the caller pings them)."""
    require_open(decision, "ask for input on")
    if not can_ask_input(actor, decision):
        raise Forbidden(f"ask for input on {decision.ref}", "the decider, who asked or the responsible", [])
    consulted = decision.people_in(DecisionRole.CONSULTED)
    if not consulted:
        raise NotNow(f"No one is listed as consulted on {decision.ref}, so there is no one to ask.")
    last = await session.scalar(
        select(func.max(DecisionEvent.at)).where(
            DecisionEvent.decision_id == decision.id, DecisionEvent.kind == DecisionEventKind.CONSULTED
        )
    )
    if last is not None and now - last < ASK_AGAIN_AFTER:
        minutes = max(1, int((now - last).total_seconds() // 60))
        raise NotNow(f"Input was asked {minutes} minute{'s' if minutes != 1 else ''} ago; give people time to answer.")
    record(session, decision, DecisionEventKind.CONSULTED, now, actor, people=[p.id for p in consulted])
    return consulted


async def change_decider(session: AsyncSession, *, decision: Decision, actor: Person, decider: Person,
                         now: datetime) -> Decision:  # fmt: skip
    """Hands an open decision to another decider: only the decider themself or an admin may (pushing a decision
    to the level closest to the work). The reminders still to come go to the new decider."""
    require_open(decision, "hand it to someone else")
    if not (actor.is_admin or actor.id == decision.decider_id):
        raise Forbidden(f"hand {decision.ref} to another decider", "the decider", [decision.decider])
    if decider.workspace_id != decision.workspace_id:
        raise Invalid({Field.DECIDER: "Choose someone in this workspace."})
    if refused := people.unassignable(decider):
        raise Invalid({Field.DECIDER: refused})
    if decider.id == decision.decider_id:
        raise Invalid({Field.DECIDER: "They decide it already: choose someone else."})
    was = decision.decider_id
    decision.decider_id, decision.decider = decider.id, decider
    record(session, decision, DecisionEventKind.DECIDER_CHANGED, now, actor, was=[was], decider=[decider.id])
    await refresh_schedule(session, decision, now)
    return decision


async def _cancel_pending(session: AsyncSession, decision: Decision) -> int:
    return await outbox.cancel(
        session, workspace_id=decision.workspace_id, key_prefix=walk.decision_prefix(decision.token)
    )


def record(
    session: AsyncSession, decision: Decision, kind: DecisionEventKind, now: datetime, actor: Person | None, **data: Any
) -> DecisionEvent:
    event = DecisionEvent(
        workspace_id=decision.workspace_id,
        decision_id=decision.id,
        kind=kind,
        round=decision.round,
        at=now,
        actor_id=actor.id if actor else None,
        data=data,
    )
    session.add(event)
    return event


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()
