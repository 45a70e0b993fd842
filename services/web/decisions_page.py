"""The decisions log page: the workspace's decisions searched by text (question, context, rationale), by person
(the decider or anyone in the RACI), by outcome and by when they were asked or decided, fifty a page; and one
decision's page with its history as plain sentences. A few queries whatever the size; every one scoped to the
viewer's workspace, so another workspace's ref is simply not found."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload, selectinload

from models import Decision, DecisionEvent, DecisionEventKind, DecisionMember, DecisionRole, Outcome, Person
from models.outcome import OUTCOME_PREFIX
from services.decisions.reading import get_decision, people_by_id, timeline
from services.refs import parse_ref

PAGE_SIZE = 50


@dataclass(frozen=True)
class Filters:
    text: str = ""
    person: str = ""  # a Slack user id
    outcome: str = ""  # an outcome's ref
    since: date | None = None  # asked or decided on or after (the viewer's local day)
    until: date | None = None  # ... on or before
    page: int = 1


@dataclass(frozen=True)
class DecisionRow:
    ref: str
    question: str
    status: str
    decider: str
    deadline: datetime
    asked_at: datetime
    decided_at: datetime | None
    outcome_ref: str | None
    chosen: str | None
    rationale: str | None
    raci: dict[str, list[str]]  # "Responsible" -> names


@dataclass(frozen=True)
class LogPage:
    rows: list[DecisionRow]
    total: int
    page: int
    pages: int


@dataclass(frozen=True)
class TimelineLine:
    at: datetime
    text: str


@dataclass(frozen=True)
class DecisionDetail:
    row: DecisionRow
    context: str
    options: list[str]
    link: str | None
    history: list[TimelineLine]


def name(person: Person | None) -> str:
    return (person.display_name or person.slack_user_id) if person is not None else "someone"


def _row(decision: Decision) -> DecisionRow:
    raci = {role.value.capitalize(): [name(p) for p in decision.people_in(role)] for role in DecisionRole}
    return DecisionRow(
        ref=decision.ref,
        question=decision.question,
        status=decision.status.value,
        decider=name(decision.decider),
        deadline=decision.deadline,
        asked_at=decision.created_at,
        decided_at=decision.decided_at,
        outcome_ref=decision.outcome.ref if decision.outcome is not None else None,
        chosen=decision.chosen_option,
        rationale=decision.rationale,
        raci=raci,
    )


def _details(query: Select) -> Select:
    return query.options(
        joinedload(Decision.decider),
        joinedload(Decision.outcome),
        selectinload(Decision.members).joinedload(DecisionMember.person),
    )


def _start(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(), zone)


async def _conditions(session: AsyncSession, workspace_id: int, filters: Filters, zone: ZoneInfo) -> list | None:
    """The WHERE clauses of the search; None when it names a person or outcome this workspace doesn't have."""
    found: list[Any] = [Decision.workspace_id == workspace_id]
    if text := filters.text.strip()[:200].lower():
        found.append(or_(*(func.lower(column).contains(text, autoescape=True)
                           for column in (Decision.question, Decision.context, Decision.rationale))))  # fmt: skip
    if filters.person:
        person_id = await session.scalar(
            select(Person.id).where(Person.workspace_id == workspace_id, Person.slack_user_id == filters.person[:32])
        )
        if person_id is None:
            return None
        member = select(DecisionMember.decision_id).where(
            DecisionMember.workspace_id == workspace_id, DecisionMember.person_id == person_id
        )
        found.append(or_(Decision.decider_id == person_id, Decision.id.in_(member)))
    if filters.outcome:
        number = parse_ref(filters.outcome[:20], OUTCOME_PREFIX)
        if number is None:
            return None
        outcome = select(Outcome.id).where(Outcome.workspace_id == workspace_id, Outcome.number == number)
        found.append(Decision.outcome_id.in_(outcome))
    low = _start(filters.since, zone) if filters.since else None
    high = _start(filters.until + timedelta(days=1), zone) if filters.until else None
    if low is not None or high is not None:
        found.append(or_(_between(Decision.created_at, low, high), _between(Decision.decided_at, low, high)))
    return found


def _between(column, low: datetime | None, high: datetime | None):
    parts = [column.is_not(None)]
    if low is not None:
        parts.append(column >= low)
    if high is not None:
        parts.append(column < high)
    return and_(*parts)


async def log(session: AsyncSession, *, workspace_id: int, filters: Filters, zone: ZoneInfo) -> LogPage:
    """One page of the decisions matching `filters`, newest first."""
    conditions = await _conditions(session, workspace_id, filters, zone)
    if conditions is None:
        return LogPage(rows=[], total=0, page=1, pages=1)
    total = int(await session.scalar(select(func.count()).select_from(Decision).where(*conditions)) or 0)
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, filters.page), pages)
    query = (
        select(Decision).where(*conditions).order_by(Decision.number.desc())
        .offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE)
    )  # fmt: skip
    found = (await session.scalars(_details(query))).unique()
    return LogPage(rows=[_row(d) for d in found], total=total, page=page, pages=pages)


async def choices(session: AsyncSession, *, workspace_id: int) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The filters' selects: the people who decide or sit in a RACI, and the outcomes decisions serve."""
    deciders = select(Decision.decider_id).where(Decision.workspace_id == workspace_id)
    members = select(DecisionMember.person_id).where(DecisionMember.workspace_id == workspace_id)
    who = select(Person.slack_user_id, Person.display_name).where(
        Person.workspace_id == workspace_id, or_(Person.id.in_(deciders), Person.id.in_(members))
    )
    people = sorted(((uid, nm or uid) for uid, nm in await session.execute(who)), key=lambda p: p[1].lower())
    served = select(Decision.outcome_id).where(Decision.workspace_id == workspace_id)
    which = (
        select(Outcome.number, Outcome.title)
        .where(Outcome.workspace_id == workspace_id, Outcome.id.in_(served))
        .order_by(Outcome.number)
    )
    outcomes = [(f"{OUTCOME_PREFIX}-{n}", f"{OUTCOME_PREFIX}-{n} {title}") for n, title in await session.execute(which)]
    return people, outcomes


async def detail(session: AsyncSession, *, workspace_id: int, ref: str, zone: ZoneInfo) -> DecisionDetail | None:
    """One decision of this workspace with its history; None when it has no such decision."""
    decision = await get_decision(session, workspace_id=workspace_id, ref=ref[:20])
    if decision is None:
        return None
    events = await timeline(session, decision=decision)
    ids = [i for e in events for key in PEOPLE_KEYS for i in (e.data or {}).get(key) or [] if isinstance(i, int)]
    people = await people_by_id(session, workspace_id=workspace_id, ids=ids)
    names = {pid: name(p) for pid, p in people.items()}
    return DecisionDetail(
        row=_row(decision),
        context=decision.context,
        options=list(decision.options or []),
        link=decision.link,
        history=[TimelineLine(e.at, event_text(e, names, zone)) for e in events],
    )


# the history in plain words (the Slack card says the same in mrkdwn) ---------------------------------------

PEOPLE_KEYS = ("people", "was", "decider", "reminded", "skipped", "away")


def _named(data: dict, key: str, names: dict[int, str]) -> str:
    ids = data.get(key) or []
    return ", ".join(names[i] for i in ids if i in names) or "nobody"


def _when(data: dict, key: str, zone: ZoneInfo) -> str:
    if not data.get(key):
        return "later"
    return f"{datetime.fromisoformat(data[key]).astimezone(zone):%-d %b %Y, %H:%M}"


def _escalated(data: dict, names: dict[int, str]) -> str:
    repeat = f", again ({data.get('repeat')})" if data.get("repeat") else ""
    if data.get("moved_on"):
        return f"Level {data.get('number')}{repeat} reached nobody"
    targets = [_named(data, "people", names)] if data.get("people") else []
    if data.get("reminded"):
        targets.insert(0, f"{_named(data, 'reminded', names)} (reminded at the deadline)")
    if data.get("channel"):
        targets.append("the channel")
    return f"Escalated to level {data.get('number')}{repeat}: {', '.join(targets) or 'the thread only'}"


def event_text(event: DecisionEvent, names: dict[int, str], zone: ZoneInfo) -> str:
    """What happened, as a sentence for the page (no markup: the template escapes it)."""
    data, who = event.data or {}, name(event.actor) if event.actor is not None else "Followthrough"
    kind = event.kind
    if kind is DecisionEventKind.CREATED:
        return f"{who} asked for the decision"
    if kind is DecisionEventKind.CONSULTED:
        return f"{who} asked {_named(data, 'people', names)} for input"
    if kind is DecisionEventKind.NUDGED:
        return f"Reminded {_named(data, 'people', names)} about the deadline"
    if kind is DecisionEventKind.ESCALATED:
        return _escalated(data, names)
    if kind is DecisionEventKind.ACKNOWLEDGED:
        return f"{who} acknowledged; escalation paused until {_when(data, 'until', zone)}"
    if kind is DecisionEventKind.SNOOZED:
        return f"{who} snoozed the escalation until {_when(data, 'until', zone)}"
    if kind is DecisionEventKind.DECIDED:
        return f"{who} decided “{data.get('option', '')}”: {data.get('rationale', '')}"
    if kind is DecisionEventKind.WITHDRAWN:
        return f"{who} withdrew it: {data.get('reason', '')}"
    if kind is DecisionEventKind.REOPENED:
        return f"{who} reopened it: {data.get('reason', '')}"
    if kind is DecisionEventKind.DEADLINE_MOVED:
        return f"{who} moved the deadline to {_when(data, 'deadline', zone)}"
    return f"{who} handed it from {_named(data, 'was', names)} to {_named(data, 'decider', names)}"
