"""Asking for a decision: the form as typed, checked field by field, and the decision it creates."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    Decision,
    DecisionEventKind,
    DecisionMember,
    DecisionRole,
    DecisionStatus,
    EscalationPolicy,
    Outcome,
    Person,
    Workspace,
)
from models.base import new_token
from services import outcomes, people
from services.decisions import policies
from services.decisions.changes import iso, record
from services.decisions.reading import load
from services.decisions.rules import (
    MAX_CONTEXT,
    MAX_LINK,
    MAX_OPTION,
    MAX_OPTIONS,
    MAX_QUESTION,
    Field,
    check_deadline,
    parse_deadline,
)
from services.decisions.schedule import refresh_schedule
from services.errors import Invalid
from services.links import check_url
from services.refs import next_number

_BULLET = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s*")


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


def suggested_deadline(now: datetime, zone: ZoneInfo) -> datetime:
    """What the form offers: two days ahead at 17:00 in the asker's zone, on a weekday."""
    day = (now.astimezone(zone) + timedelta(days=2)).date()
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return datetime.combine(day, time(17), tzinfo=zone).astimezone(UTC)


def parse_options(text: str) -> list[str]:
    lines = [_BULLET.sub("", line).strip() for line in text.splitlines()]
    return [" ".join(line.split()) for line in lines if line.strip()]


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
    question, context, link = _check_text(form, errors)
    options = _check_options(parse_options(form.options), errors)
    deadline = parse_deadline(form.deadline)
    check_deadline(deadline, now, errors)
    decider = await _decider(session, workspace, form.decider, errors)
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


def _check_text(form: DecisionForm, errors: dict[Field, str]) -> tuple[str, str, str | None]:
    """The question, the context and the link, tidied."""
    question = " ".join(form.question.split())
    if not question:
        errors[Field.QUESTION] = "Write the question to be decided, e.g. Which vendor do we sign with?"
    elif len(question) > MAX_QUESTION:
        errors[Field.QUESTION] = f"Keep the question within {MAX_QUESTION} characters; put the rest in the context."
    context = form.context.strip()
    if len(context) > MAX_CONTEXT:
        errors[Field.CONTEXT] = f"Keep the context within {MAX_CONTEXT:,} characters; link to a document for more."
    link = form.link.strip() or None
    if link:
        try:
            link = check_url(link, field=Field.LINK, max_length=MAX_LINK)
        except Invalid as exc:
            errors.update(exc.errors)
    return question, context, link


def _check_options(options: list[str], errors: dict[Field, str]) -> list[str]:
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
    return options


async def _decider(
    session: AsyncSession, workspace: Workspace, user_id: str | None, errors: dict[Field, str]
) -> Person | None:
    if not user_id:
        errors[Field.DECIDER] = "Choose the one person who makes this decision."
        return None
    decider = await people.ensure_person(session, workspace=workspace, slack_user_id=user_id)
    if refused := people.unassignable(decider):
        errors[Field.DECIDER] = refused
    return decider


ROLE_FIELDS = (
    (DecisionRole.RESPONSIBLE, Field.RESPONSIBLE),
    (DecisionRole.CONSULTED, Field.CONSULTED),
    (DecisionRole.INFORMED, Field.INFORMED),
)
ROLE_NAME = {
    DecisionRole.RESPONSIBLE: "Responsible",
    DecisionRole.CONSULTED: "Consulted",
    DecisionRole.INFORMED: "Informed",
}


async def _members(
    session: AsyncSession, workspace: Workspace, form: DecisionForm, decider: Person | None, errors: dict[Field, str]
) -> dict[int, tuple[Person, DecisionRole]]:
    """One role per person: someone named twice (or the decider named again) is refused on the later list,
    which says the role they have already. Bots and people who left Slack are refused too."""
    members: dict[int, tuple[Person, DecisionRole]] = {}
    for role, where in ROLE_FIELDS:
        for user_id in dict.fromkeys(getattr(form, role.value)):
            person = await people.ensure_person(session, workspace=workspace, slack_user_id=user_id)
            problem = people.unassignable(person) or _second_role(person, decider, members)
            if problem:
                errors.setdefault(where, problem)
                continue
            members[person.id] = (person, role)
    return members


def _second_role(person: Person, decider: Person | None, members: dict[int, tuple[Person, DecisionRole]]) -> str | None:
    name = person.display_name or person.slack_user_id
    if decider is not None and person.id == decider.id:
        return f"{name} is the decider already, and accountable for it all: take them off this list."
    if person.id in members:
        had = ROLE_NAME[members[person.id][1]]
        return f"{name} is {had} already: give each person one role, so take them off one of the lists."
    return None


async def _policy(
    session: AsyncSession, workspace: Workspace, chosen: str | None, channel_id: str | None, errors: dict[Field, str]
) -> EscalationPolicy | None:
    if not chosen:
        return await policies.default_for(session, workspace=workspace, channel_id=channel_id)
    found = None
    if chosen.isdigit():
        found = await policies.get_policy(session, workspace_id=workspace.id, policy_id=int(chosen))
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
        token=new_token(),
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
    record(session, decision, DecisionEventKind.CREATED, now, author, deadline=iso(draft.deadline))
    loaded = await load(session, decision.id)
    assert loaded is not None
    await refresh_schedule(session, loaded, now)
    return loaded
