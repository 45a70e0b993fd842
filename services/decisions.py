"""Decisions: ask, decide, withdraw, move the deadline, acknowledge or snooze the escalation, reopen; find,
list and search them. Every rule of who may do what, and when, lives here once.

Each change that ends or reshapes the schedule also cancels the decision's pending deliveries in the same
transaction, so no reminder can follow a decision however the change was made.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Select, and_, case, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload, selectinload

from models import (
    Decision,
    DecisionEvent,
    DecisionEventKind,
    DecisionMember,
    DecisionRole,
    DecisionStatus,
    EscalationPolicy,
    Outcome,
    Person,
    Workspace,
)
from models.decision import DECISION_PREFIX
from models.escalation import DEFAULT_ACK_WINDOW_MINUTES, DEFAULT_MAX_SNOOZE_MINUTES
from models.outcome import OUTCOME_PREFIX
from services import escalation, escalation_policies, outbox, outcomes, people
from services.escalation import Pause, Walk
from services.refs import next_number, parse_ref

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
RECENTLY_DECIDED = timedelta(days=14)  # how long a decided one stays on the Home tab of those informed
_BULLET = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s*")
_MENTION = re.compile(r"^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$")
_USER_ID = re.compile(r"^[UW][A-Z0-9]{2,}$")


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


class Invalid(Exception):
    """What was typed cannot be stored; `errors` says why, field by field."""

    def __init__(self, errors: dict[Field, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


class NotFound(Exception):
    def __init__(self, ref: str) -> None:
        super().__init__(f"I can't find {ref[:30]} in this workspace.")
        self.ref = ref


class Forbidden(Exception):
    """Only `people` (described by `role`, e.g. "the decider") or a workspace admin may do `action`."""

    def __init__(self, action: str, role: str, people: list[Person]) -> None:
        names = ", ".join(p.display_name or p.slack_user_id for p in people)
        super().__init__(f"Only {f'{names} ({role})' if names else role}, or a workspace admin, can {action}.")
        self.action = action
        self.role = role
        self.people = people


class NotNow(Exception):
    """Allowed in general, but not in the decision's present state; the message says why and what to do."""


class ListScope(StrEnum):
    MINE = "mine"  # awaiting my decision
    CHANNEL = "channel"
    OVERDUE = "overdue"
    DECIDED = "decided"


@dataclass(frozen=True)
class DecisionForm:
    """A decision as typed into the form: nothing checked yet."""

    question: str
    decider: str | None  # Slack user id
    deadline: int | None  # Unix time, as Slack's datetime picker gives it
    context: str = ""
    link: str = ""
    options: str = ""  # one per line
    responsible: list[str] = field(default_factory=list)
    consulted: list[str] = field(default_factory=list)
    informed: list[str] = field(default_factory=list)
    policy: str | None = None  # a policy id
    outcome: str | None = None  # O-12


@dataclass(frozen=True)
class LogSearch:
    """What `/decision log <query>` looked for, in words, and what it found."""

    described: str
    found: list[Decision]
    total: int


@dataclass(frozen=True)
class HomeDecisions:
    awaiting: list[Decision]
    awaiting_total: int
    informed: list[Decision]
    informed_total: int


# loading ---------------------------------------------------------------------------------------------------


def _with_details(query: Select) -> Select:
    return query.options(
        joinedload(Decision.decider),
        joinedload(Decision.created_by),
        joinedload(Decision.decided_by),
        joinedload(Decision.outcome),
        selectinload(Decision.members).joinedload(DecisionMember.person),
        selectinload(Decision.policy).selectinload(EscalationPolicy.levels),
    )


async def get_decision(
    session: AsyncSession, *, workspace_id: int, ref: str, for_update: bool = False
) -> Decision | None:
    """`D-7` (or `d-7`, `7`) of this workspace, with its people and policy; None if there is none."""
    number = parse_ref(ref, DECISION_PREFIX)
    if number is None:
        return None
    query = select(Decision).where(Decision.workspace_id == workspace_id, Decision.number == number)
    if for_update:
        # Serialises a button press with the scheduler's walk over the same decision (PostgreSQL; SQLite
        # writers are serialised anyway).
        query = query.with_for_update(of=Decision)
    return await session.scalar(_with_details(query).execution_options(populate_existing=True))


async def find_decision(session: AsyncSession, *, workspace_id: int, ref: str, for_update: bool = False) -> Decision:
    found = await get_decision(session, workspace_id=workspace_id, ref=ref, for_update=for_update)
    if found is None:
        raise NotFound(ref)
    return found


async def load(session: AsyncSession, decision_id: int, *, for_update: bool = False) -> Decision | None:
    query = select(Decision).where(Decision.id == decision_id)
    if for_update:
        query = query.with_for_update(of=Decision)
    return await session.scalar(_with_details(query).execution_options(populate_existing=True))


async def timeline(session: AsyncSession, *, decision: Decision) -> list[DecisionEvent]:
    query = (
        select(DecisionEvent)
        .where(DecisionEvent.workspace_id == decision.workspace_id, DecisionEvent.decision_id == decision.id)
        .order_by(DecisionEvent.at, DecisionEvent.id)
        .options(joinedload(DecisionEvent.actor))
    )
    return list(await session.scalars(query))


async def people_by_id(session: AsyncSession, *, workspace_id: int, ids: list[int]) -> dict[int, Person]:
    if not ids:
        return {}
    found = await session.scalars(select(Person).where(Person.workspace_id == workspace_id, Person.id.in_(set(ids))))
    return {p.id: p for p in found}


# permissions -----------------------------------------------------------------------------------------------


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


# asking ----------------------------------------------------------------------------------------------------


def parse_options(text: str) -> list[str]:
    lines = [_BULLET.sub("", line).strip() for line in text.splitlines()]
    return [" ".join(line.split()) for line in lines if line.strip()]


def parse_deadline(value: int | str | None) -> datetime | None:
    if value in (None, ""):
        return None
    try:
        return datetime.fromtimestamp(int(value), UTC)  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError, OSError):
        return None


def _check_deadline(deadline: datetime | None, now: datetime, errors: dict[Field, str]) -> None:
    if deadline is None:
        errors[Field.DEADLINE] = "Pick the date and time by which it must be decided."
    elif deadline <= now:
        errors[Field.DEADLINE] = "That time has passed: pick a deadline in the future."
    elif deadline - now > MAX_DEADLINE_AHEAD:
        errors[Field.DEADLINE] = "Pick a deadline within a year: a decision that far off is not one to chase yet."


@dataclass
class _Draft:
    question: str
    context: str
    link: str | None
    options: list[str]
    decider: Person
    members: dict[int, tuple[Person, DecisionRole]]
    deadline: datetime
    policy: EscalationPolicy
    outcome: Outcome | None


async def _validate(
    session: AsyncSession, *, workspace: Workspace, form: DecisionForm, channel_id: str | None, now: datetime
) -> _Draft:
    errors: dict[Field, str] = {}
    question = " ".join(form.question.split())
    if not question:
        errors[Field.QUESTION] = "Write the question to be decided, e.g. Which vendor do we sign with?"
    elif len(question) > MAX_QUESTION:
        errors[Field.QUESTION] = f"Keep the question within {MAX_QUESTION} characters; put the rest in the context."
    context = form.context.strip()
    if len(context) > MAX_CONTEXT:
        errors[Field.CONTEXT] = f"Keep the context within {MAX_CONTEXT:,} characters; link to a document for more."
    link = form.link.strip() or None
    if link and (not re.match(r"^https?://\S+$", link) or len(link) > MAX_LINK):
        errors[Field.LINK] = "Give a link starting with https:// (or leave it empty)."
    options = parse_options(form.options)
    if len(options) > MAX_OPTIONS:
        errors[Field.OPTIONS] = (
            f"You listed {len(options)} options; keep at most {MAX_OPTIONS}. Merge the close ones, or decide "
            "between fewer first."
        )
    elif long := next((o for o in options if len(o) > MAX_OPTION), None):
        errors[Field.OPTIONS] = f"Keep each option within {MAX_OPTION} characters: “{long[:40]}…” is longer."
    elif len({o.lower() for o in options}) != len(options):
        errors[Field.OPTIONS] = "Two options say the same thing: list each once."
    elif len(options) == 1:
        errors[Field.OPTIONS] = "One option is not a choice: list at least two, or none to decide in free text."
    deadline = parse_deadline(form.deadline)
    _check_deadline(deadline, now, errors)
    decider = None
    if not form.decider:
        errors[Field.DECIDER] = "Choose the one person who makes this decision."
    else:
        decider = await people.ensure_person(session, workspace=workspace, slack_user_id=form.decider)
        if decider.is_deleted:
            name = decider.display_name or form.decider
            errors[Field.DECIDER] = f"{name} has left this Slack workspace; choose someone who can decide."
    members = await _members(session, workspace, form, decider, errors)
    policy = await _policy(session, workspace, form.policy, channel_id, errors)
    outcome = None
    if form.outcome:
        outcome = await outcomes.get_outcome(session, workspace_id=workspace.id, ref=form.outcome)
        if outcome is None:
            errors[Field.OUTCOME] = f"I can't find {form.outcome[:20]} in this workspace; pick another outcome."
    if errors:
        raise Invalid(errors)
    assert decider is not None and deadline is not None and policy is not None
    return _Draft(question, context, link, options, decider, members, deadline, policy, outcome)


async def _members(
    session: AsyncSession, workspace: Workspace, form: DecisionForm, decider: Person | None, errors: dict[Field, str]
) -> dict[int, tuple[Person, DecisionRole]]:
    """One role per person, the strongest they were given; the decider needs none (they are accountable)."""
    members: dict[int, tuple[Person, DecisionRole]] = {}
    roles = (
        (DecisionRole.RESPONSIBLE, form.responsible),
        (DecisionRole.CONSULTED, form.consulted),
        (DecisionRole.INFORMED, form.informed),
    )
    for role, user_ids in roles:
        for user_id in dict.fromkeys(user_ids):
            person = await people.ensure_person(session, workspace=workspace, slack_user_id=user_id)
            if decider is not None and person.id == decider.id:
                if role is DecisionRole.INFORMED:
                    name = decider.display_name or user_id
                    errors[Field.INFORMED] = (
                        f"{name} is the decider, so they are more than informed: take them off this list."
                    )
                continue
            members.setdefault(person.id, (person, role))
    return members


async def _policy(
    session: AsyncSession, workspace: Workspace, chosen: str | None, channel_id: str | None, errors: dict[Field, str]
) -> EscalationPolicy | None:
    if not chosen:
        return await escalation_policies.default_for(session, workspace=workspace, channel_id=channel_id)
    found = None
    if chosen.isdigit():
        found = await escalation_policies.get_policy(session, workspace_id=workspace.id, policy_id=int(chosen))
    if found is None:
        errors[Field.POLICY] = "That escalation path no longer exists; pick another."
    return found


async def create_decision(
    session: AsyncSession,
    *,
    workspace: Workspace,
    author: Person,
    form: DecisionForm,
    channel_id: str | None,
    now: datetime,
) -> Decision:
    draft = await _validate(session, workspace=workspace, form=form, channel_id=channel_id, now=now)
    decision = Decision(
        workspace_id=workspace.id,
        number=await next_number(session, workspace_id=workspace.id, kind="decision"),
        question=draft.question,
        context=draft.context,
        link=draft.link,
        options=draft.options,
        decider_id=draft.decider.id,
        created_by_id=author.id,
        deadline=draft.deadline,
        policy_id=draft.policy.id,
        outcome_id=draft.outcome.id if draft.outcome else None,
        status=DecisionStatus.OPEN,
        round=1,
        round_started_at=now,
        channel_id=channel_id,
        created_at=now,
    )
    decision.members = [
        DecisionMember(workspace_id=workspace.id, person_id=person.id, role=role)
        for person, role in draft.members.values()
    ]
    session.add(decision)
    await session.flush()
    _record(session, decision, DecisionEventKind.CREATED, now, author, deadline=_iso(draft.deadline))
    loaded = await load(session, decision.id)
    assert loaded is not None
    await refresh_schedule(session, loaded, now)
    return loaded


# changing --------------------------------------------------------------------------------------------------


def require_open(decision: Decision, doing: str) -> None:
    if decision.status is DecisionStatus.DECIDED:
        raise NotNow(f"{decision.ref} is decided already: {decision.chosen_option}. Reopen it to {doing}.")
    if decision.status is DecisionStatus.WITHDRAWN:
        raise NotNow(f"{decision.ref} was withdrawn, so there is nothing to {doing}. Reopen it first.")


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
    _record(session, decision, DecisionEventKind.DECIDED, now, actor, option=choice, rationale=rationale)
    await _cancel_pending(session, decision)
    await session.flush()
    return decision


async def withdraw(session: AsyncSession, *, decision: Decision, actor: Person, reason: str, now: datetime) -> Decision:
    require_open(decision, "withdraw")
    require_withdrawer(actor, decision)
    reason = (reason or "").strip()
    if not reason:
        raise Invalid({Field.REASON: "Say why it is withdrawn, so the people involved know."})
    if len(reason) > MAX_REASON:
        raise Invalid({Field.REASON: f"Keep the reason within {MAX_REASON:,} characters."})
    decision.status = DecisionStatus.WITHDRAWN
    decision.next_ping_at = None
    _record(session, decision, DecisionEventKind.WITHDRAWN, now, actor, reason=reason)
    await _cancel_pending(session, decision)
    await session.flush()
    return decision


async def move_deadline(
    session: AsyncSession, *, decision: Decision, actor: Person, deadline: int | str | None, now: datetime
) -> Decision:
    require_open(decision, "move its deadline")
    require_rescheduler(actor, decision, "move the deadline of")
    moved_to = parse_deadline(deadline)
    errors: dict[Field, str] = {}
    _check_deadline(moved_to, now, errors)
    if errors:
        raise Invalid(errors)
    assert moved_to is not None
    if moved_to == decision.deadline:
        raise Invalid({Field.DEADLINE: "That is the deadline it has; pick another time."})
    previous = decision.deadline
    await _new_round(session, decision, moved_to, now)
    _record(
        session, decision, DecisionEventKind.DEADLINE_MOVED, now, actor, was=_iso(previous), deadline=_iso(moved_to)
    )
    await refresh_schedule(session, decision, now)
    return decision


def require_closed(decision: Decision) -> None:
    if decision.is_open:
        raise NotNow(f"{decision.ref} is still open: there is nothing to reopen.")


async def reopen(
    session: AsyncSession, *, decision: Decision, actor: Person, deadline: int | str | None, reason: str, now: datetime
) -> Decision:
    require_closed(decision)
    require_rescheduler(actor, decision, "reopen")
    errors: dict[Field, str] = {}
    new_deadline = parse_deadline(deadline)
    _check_deadline(new_deadline, now, errors)
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
    _record(session, decision, DecisionEventKind.REOPENED, now, actor, reason=reason, deadline=_iso(new_deadline))
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
    event = _record(session, decision, DecisionEventKind.ACKNOWLEDGED, now, actor, until=_iso(now + window))
    await refresh_schedule(session, decision, now)
    return event


def snooze_limit(decision: Decision) -> timedelta:
    return timedelta(minutes=decision.policy.max_snooze_minutes if decision.policy else DEFAULT_MAX_SNOOZE_MINUTES)


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
        raise Invalid({Field.SNOOZE: f"Snooze for at most {_duration(limit)}; this path allows no longer."})
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
    event = _record(session, decision, DecisionEventKind.SNOOZED, now, actor, until=_iso(now + length), minutes=minutes)
    await refresh_schedule(session, decision, now)
    return event


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
    _record(session, decision, DecisionEventKind.CONSULTED, now, actor, people=[p.id for p in consulted])
    return consulted


async def _cancel_pending(session: AsyncSession, decision: Decision) -> int:
    return await outbox.cancel(
        session, workspace_id=decision.workspace_id, key_prefix=escalation.decision_prefix(decision.id)
    )


def _record(
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


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def _duration(length: timedelta) -> str:
    minutes = int(length.total_seconds() // 60)
    if minutes % 1440 == 0:
        days = minutes // 1440
        return f"{days} day{'s' if days != 1 else ''}"
    if minutes % 60 == 0:
        hours = minutes // 60
        return f"{hours} hour{'s' if hours != 1 else ''}"
    return f"{minutes} minutes"


# the walk --------------------------------------------------------------------------------------------------


async def walk_for(session: AsyncSession, decision: Decision) -> Walk:
    """The inputs of the escalation plan, read from the decision, its policy and this round's history."""
    workspace = await session.get(Workspace, decision.workspace_id)
    assert workspace is not None
    policy = decision.policy
    if policy is None:  # its policy was deleted: the workspace default takes over
        policy = await escalation_policies.default_for(session, workspace=workspace, channel_id=decision.channel_id)
    events = await session.scalars(
        select(DecisionEvent).where(DecisionEvent.decision_id == decision.id, DecisionEvent.round == decision.round)
    )
    fired: dict[str, datetime] = {}
    pauses: list[Pause] = []
    for event in events:
        if event.ping_key:
            fired[event.ping_key] = event.at
        if event.kind in (DecisionEventKind.ACKNOWLEDGED, DecisionEventKind.SNOOZED) and event.data.get("until"):
            pauses.append(Pause(event.at, datetime.fromisoformat(event.data["until"])))
    return Walk(
        decision_id=decision.id,
        round=decision.round,
        since=decision.round_started_at,
        deadline=decision.deadline,
        zone=people.person_zone(decision.decider, workspace),
        decider_id=decision.decider_id,
        levels=escalation_policies.as_levels(policy),
        pauses=tuple(sorted(pauses, key=lambda p: p.start)),
        fired=fired,
    )


async def refresh_schedule(session: AsyncSession, decision: Decision, now: datetime, walk: Walk | None = None) -> None:
    """Keep `next_ping_at` (the scheduler's index) in step with the plan."""
    if not decision.is_open:
        decision.next_ping_at = None
        return
    walk = walk or await walk_for(session, decision)
    decision.next_ping_at = escalation.next_at(walk, now)
    await session.flush()


def with_fired(walk: Walk, key: str, at: datetime) -> Walk:
    return replace(walk, fired={**walk.fired, key: at})


async def record_ping(
    session: AsyncSession,
    *,
    decision: Decision,
    ping: escalation.Ping,
    now: datetime,
    reached: list[Person],
    skipped: list[Person],
) -> DecisionEvent | None:
    """Put a sent ping on the timeline; None when another scheduler recorded it first (then send nothing)."""
    kind = DecisionEventKind.ESCALATED if ping.is_level else DecisionEventKind.NUDGED
    data: dict[str, Any] = {"number": ping.number, "repeat": ping.repeat, "people": [p.id for p in reached]}
    if ping.is_level:
        data["channel"] = ping.in_channel
        if ping.includes_decider and decision.decider_id not in ping.people and not decision.decider.is_deleted:
            data["reminded"] = [decision.decider_id]  # by the deadline nudge of the same moment
    if skipped:
        data["skipped"] = [p.id for p in skipped]
    event = DecisionEvent(
        workspace_id=decision.workspace_id,
        decision_id=decision.id,
        kind=kind,
        round=decision.round,
        at=now,
        ping_key=ping.key,
        data=data,
    )
    try:
        async with session.begin_nested():
            session.add(event)
    except IntegrityError:
        return None
    return event


async def due_decision_ids(session: AsyncSession, *, now: datetime, limit: int = 500) -> list[int]:
    """Open decisions, in any workspace, with a ping due."""
    query = (
        select(Decision.id)
        .where(Decision.status == DecisionStatus.OPEN, Decision.next_ping_at <= now)
        .order_by(Decision.next_ping_at, Decision.id)
        .limit(limit)
    )
    return list(await session.scalars(query))


# reading ---------------------------------------------------------------------------------------------------


def _scope_filter(scope: ListScope, person: Person, channel_id: str | None, now: datetime) -> list:
    if scope is ListScope.MINE:
        return [Decision.decider_id == person.id, Decision.status == DecisionStatus.OPEN]
    if scope is ListScope.CHANNEL:
        return [Decision.channel_id == channel_id, Decision.status == DecisionStatus.OPEN]
    if scope is ListScope.OVERDUE:
        return [Decision.status == DecisionStatus.OPEN, Decision.deadline < now]
    return [Decision.status == DecisionStatus.DECIDED]


async def list_decisions(
    session: AsyncSession,
    *,
    workspace_id: int,
    scope: ListScope,
    person: Person,
    channel_id: str | None,
    now: datetime,
    limit: int = 20,
) -> tuple[list[Decision], int]:
    where = [Decision.workspace_id == workspace_id, *_scope_filter(scope, person, channel_id, now)]
    total = await session.scalar(select(func.count()).select_from(Decision).where(*where)) or 0
    order = (Decision.decided_at.desc(),) if scope is ListScope.DECIDED else (Decision.deadline,)
    query = select(Decision).where(*where).order_by(*order, Decision.number).limit(limit)
    return list(await session.scalars(_with_details(query))), total


async def search_log(
    session: AsyncSession, *, workspace_id: int, query: str, zone: ZoneInfo, limit: int = 20
) -> LogSearch:
    """Decided decisions matching a person (@name, <@U…>), an outcome (O-12), a day (YYYY-MM-DD) or text."""
    text = " ".join(query.split())
    where: list = [Decision.workspace_id == workspace_id, Decision.status == DecisionStatus.DECIDED]
    described, condition = await _log_condition(session, workspace_id, text, zone)
    if condition is None:
        return LogSearch(described, [], 0)
    where.append(condition)
    total = await session.scalar(select(func.count()).select_from(Decision).where(*where)) or 0
    found = await session.scalars(
        _with_details(select(Decision).where(*where).order_by(Decision.decided_at.desc(), Decision.number).limit(limit))
    )
    return LogSearch(described, list(found), total)


async def _log_condition(session: AsyncSession, workspace_id: int, text: str, zone: ZoneInfo) -> tuple[str, Any]:
    mention = _MENTION.match(text)
    if mention or _USER_ID.match(text):
        user_id = mention.group(1) if mention else text
        found = await session.scalars(
            select(Person).where(Person.workspace_id == workspace_id, Person.slack_user_id == user_id)
        )
        return await _involving(session, workspace_id, list(found), f"<@{user_id}>")
    if text.startswith("@"):
        name = text[1:].strip().lower()
        found = (
            await session.scalars(
                select(Person).where(
                    Person.workspace_id == workspace_id, func.lower(Person.display_name).contains(name, autoescape=True)
                )
            )
            if name
            else []
        )
        return await _involving(session, workspace_id, list(found), f"@{name}")
    if text.upper().startswith(f"{OUTCOME_PREFIX}-") and parse_ref(text, OUTCOME_PREFIX) is not None:
        outcome = await outcomes.get_outcome(session, workspace_id=workspace_id, ref=text)
        if outcome is None:
            return f"outcome {text.upper()} (not found)", None
        return f"decisions affecting {outcome.ref}", Decision.outcome_id == outcome.id
    try:
        day = date.fromisoformat(text)
    except ValueError:
        day = None
    if day is not None:
        start = datetime.combine(day, datetime.min.time(), tzinfo=zone).astimezone(UTC)
        end = datetime.combine(day + timedelta(days=1), datetime.min.time(), tzinfo=zone).astimezone(UTC)
        return f"decided on {day:%a %-d %b %Y}", (Decision.decided_at >= start) & (Decision.decided_at < end)
    words = [w for w in text.split() if w]
    if not words:
        return "everything decided", Decision.id.is_not(None)
    conditions = []
    for word in words:
        conditions.append(
            or_(
                Decision.question.icontains(word, autoescape=True),
                Decision.rationale.icontains(word, autoescape=True),
                Decision.chosen_option.icontains(word, autoescape=True),
                Decision.context.icontains(word, autoescape=True),
            )
        )
    return f"“{text}”", and_(*conditions)


async def _involving(session: AsyncSession, workspace_id: int, found: list[Person], label: str) -> tuple[str, Any]:
    if not found:
        return f"{label} (nobody by that name here)", None
    ids = [p.id for p in found]
    member_of = select(DecisionMember.decision_id).where(
        DecisionMember.workspace_id == workspace_id, DecisionMember.person_id.in_(ids)
    )
    condition = or_(
        Decision.decider_id.in_(ids),
        Decision.created_by_id.in_(ids),
        Decision.decided_by_id.in_(ids),
        Decision.id.in_(member_of),
    )
    names = ", ".join(p.display_name or p.slack_user_id for p in found[:3])
    return f"decisions involving {names}", condition


async def home_decisions(
    session: AsyncSession, *, workspace_id: int, person: Person, now: datetime, limit: int = 10
) -> HomeDecisions:
    awaiting_where = [
        Decision.workspace_id == workspace_id,
        Decision.decider_id == person.id,
        Decision.status == DecisionStatus.OPEN,
    ]
    member_of = select(DecisionMember.decision_id).where(
        DecisionMember.workspace_id == workspace_id, DecisionMember.person_id == person.id
    )
    informed_where = [
        Decision.workspace_id == workspace_id,
        Decision.id.in_(member_of),
        or_(
            Decision.status == DecisionStatus.OPEN,
            (Decision.status == DecisionStatus.DECIDED) & (Decision.decided_at >= now - RECENTLY_DECIDED),
        ),
    ]
    awaiting_total = await session.scalar(select(func.count()).select_from(Decision).where(*awaiting_where)) or 0
    awaiting = await session.scalars(
        _with_details(select(Decision).where(*awaiting_where).order_by(Decision.deadline, Decision.number).limit(limit))
    )
    informed_total = await session.scalar(select(func.count()).select_from(Decision).where(*informed_where)) or 0
    informed = await session.scalars(
        _with_details(
            select(Decision)
            .where(*informed_where)
            .order_by(case((Decision.status == DecisionStatus.OPEN, 0), else_=1), Decision.deadline, Decision.number)
            .limit(limit)
        )
    )
    return HomeDecisions(list(awaiting), awaiting_total, list(informed), informed_total)
