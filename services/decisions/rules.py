"""The rules of decisions: limits, the form's fields, and who may do what, and when."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Decision, DecisionEvent, DecisionEventKind, DecisionRole, DecisionStatus, Person
from models.escalation import DEFAULT_MAX_SNOOZE_MINUTES
from services.errors import Forbidden, NotNow

MAX_QUESTION = 200
MAX_CONTEXT = 3000
MAX_LINK = 500
MAX_OPTIONS = 10
MAX_OPTION = 75  # Slack shows at most 75 characters of an option in a menu
MAX_CHOICE = 300
MAX_RATIONALE = 3000  # Slack's limit for a text input
MAX_REASON = 1000
MAX_SNOOZES = 3  # per round: past that, someone has to decide or acknowledge
MAX_DEADLINE_AHEAD = timedelta(days=366)
ASK_AGAIN_AFTER = timedelta(hours=1)  # "Ask for input" at most this often, so the consulted are not nagged


class Field(StrEnum):
    QUESTION = "question"
    CONTEXT = "context"
    LINK = "link"
    OPTIONS = "options"
    DECIDER = "decider"
    RESPONSIBLE = "responsible"
    CONSULTED = "consulted"
    INFORMED = "informed"
    DEADLINE = "deadline"
    POLICY = "policy"
    OUTCOME = "outcome"
    CHOICE = "choice"
    RATIONALE = "rationale"
    REASON = "reason"
    SNOOZE = "snooze"


class ListScope(StrEnum):
    MINE = "mine"  # awaiting my decision
    CHANNEL = "channel"
    OVERDUE = "overdue"
    DECIDED = "decided"


def parse_deadline(value: int | str | None) -> datetime | None:
    if value in (None, ""):
        return None
    try:
        return datetime.fromtimestamp(int(value), UTC)  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError, OSError):
        return None


def check_deadline(deadline: datetime | None, now: datetime, errors: dict[Field, str]) -> None:
    if deadline is None:
        errors[Field.DEADLINE] = "Pick the date and time by which it must be decided."
    elif deadline <= now:
        errors[Field.DEADLINE] = "That time has passed: pick a deadline in the future."
    elif deadline - now > MAX_DEADLINE_AHEAD:
        errors[Field.DEADLINE] = "Pick a deadline within a year: a decision that far off is not one to chase yet."


def can_decide(person: Person, decision: Decision) -> bool:
    return person.is_admin or person.id == decision.decider_id


def can_withdraw(person: Person, decision: Decision) -> bool:
    return person.is_admin or person.id == decision.created_by_id


def can_reschedule(person: Person, decision: Decision) -> bool:
    """Move the deadline, or reopen: the decider, whoever asked, or an admin."""
    return person.is_admin or person.id in (decision.decider_id, decision.created_by_id)


def can_ask_input(person: Person, decision: Decision) -> bool:
    responsible = {p.id for p in decision.people_in(DecisionRole.RESPONSIBLE)}
    return can_reschedule(person, decision) or person.id in responsible


def require_decider(person: Person, decision: Decision) -> None:
    if not can_decide(person, decision):
        raise Forbidden(f"decide {decision.ref}", "the decider", [decision.decider])


def require_withdrawer(person: Person, decision: Decision) -> None:
    if not can_withdraw(person, decision):
        asker = [decision.created_by] if decision.created_by else []
        raise Forbidden(f"withdraw {decision.ref}", "who asked for it", asker)


def require_rescheduler(person: Person, decision: Decision, action: str) -> None:
    """Move the deadline of (`action`), or reopen."""
    if not can_reschedule(person, decision):
        raise Forbidden(f"{action} {decision.ref}", "the decider or who asked", _askers(decision))


def _askers(decision: Decision) -> list[Person]:
    found = [decision.decider] + ([decision.created_by] if decision.created_by else [])
    return list({p.id: p for p in found}.values())


async def escalated_to(session: AsyncSession, decision: Decision) -> tuple[set[int], bool]:
    """Who this round's walk has messaged so far, and whether it has spoken in the channel."""
    events = await session.scalars(
        select(DecisionEvent).where(
            DecisionEvent.decision_id == decision.id,
            DecisionEvent.round == decision.round,
            DecisionEvent.kind == DecisionEventKind.ESCALATED,
        )
    )
    pinged: set[int] = set()
    in_channel = False
    for event in events:
        pinged.update(event.data.get("people") or [])
        in_channel = in_channel or bool(event.data.get("channel"))
    return pinged, in_channel


async def can_respond(session: AsyncSession, person: Person, decision: Decision) -> bool:
    """Acknowledge or snooze: the decider, an admin, or whoever the walk has reached (everyone, once it has
    spoken in the channel)."""
    if person.is_admin or person.id == decision.decider_id:
        return True
    pinged, in_channel = await escalated_to(session, decision)
    return in_channel or person.id in pinged


def require_open(decision: Decision, doing: str) -> None:
    if decision.status is DecisionStatus.DECIDED:
        raise NotNow(f"{decision.ref} is decided already: {decision.chosen_option}. Reopen it to {doing}.")
    if decision.status is DecisionStatus.WITHDRAWN:
        raise NotNow(f"{decision.ref} was withdrawn, so there is nothing to {doing}. Reopen it first.")


def require_closed(decision: Decision) -> None:
    if decision.is_open:
        raise NotNow(f"{decision.ref} is still open: there is nothing to reopen.")


def snooze_limit(decision: Decision) -> timedelta:
    return timedelta(minutes=decision.policy.max_snooze_minutes if decision.policy else DEFAULT_MAX_SNOOZE_MINUTES)


async def require_respondent(
    session: AsyncSession, decision: Decision, actor: Person, doing: str, now: datetime
) -> None:
    """May `actor` acknowledge or snooze (`doing`) now? Raises NotNow or Forbidden if not."""
    require_open(decision, doing)
    if not await can_respond(session, actor, decision):
        raise Forbidden(f"{doing} {decision.ref}", "the decider or someone the escalation has reached", [])
    if now < decision.deadline:
        raise NotNow(
            f"{decision.ref} is not due yet, and escalation only starts at its deadline: nothing to {doing} yet."
        )
