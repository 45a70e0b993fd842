"""Reading decisions: one by its ref, its timeline, lists, the log's search and the Home tab's share."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Select, and_, bindparam, case, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload, selectinload

from models import Decision, DecisionEvent, DecisionMember, DecisionRole, DecisionStatus, EscalationPolicy, Person
from models.decision import DECISION_PREFIX
from models.outcome import OUTCOME_PREFIX
from services import outcomes
from services.decisions.rules import ListScope
from services.errors import NotFound
from services.refs import parse_ref

RECENTLY_DECIDED = timedelta(days=14)  # how long a decided one stays on the Home tab of those informed
_MENTION = re.compile(r"^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$")
_USER_ID = re.compile(r"^[UW][A-Z0-9]{2,}$")


@dataclass(frozen=True)
class LogSearch:
    """What `/decision log <query>` looked for, in words, and what it found."""

    described: str
    found: list[Decision]
    total: int


@dataclass(frozen=True)
class HomeDecisions:
    """What the Home tab shows: the decisions awaiting the person, and those naming them (responsible, consulted
    or informed), each with the role they have in it."""

    awaiting: list[Decision]
    awaiting_total: int
    named: list[Decision]
    named_total: int
    roles: dict[int, DecisionRole]  # decision id -> the person's role in it

    def role_in(self, decision: Decision) -> DecisionRole | None:
        return self.roles.get(decision.id)


# loading ---------------------------------------------------------------------------------------------------


def _with_details(query: Select) -> Select:
    return query.options(
        joinedload(Decision.decider),
        joinedload(Decision.created_by),
        joinedload(Decision.decided_by),
        joinedload(Decision.outcome),
        selectinload(Decision.members).joinedload(DecisionMember.person),
        joinedload(Decision.policy).selectinload(EscalationPolicy.levels),  # one row: no extra query
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


async def open_with_question(session: AsyncSession, *, workspace_id: int, question: str) -> Decision | None:
    """An open decision of this workspace asking exactly `question` (so a question is not put twice at once)."""
    query = select(Decision).where(Decision.workspace_id == workspace_id, Decision.status == DecisionStatus.OPEN,
                                   Decision.question == question)  # fmt: skip
    return await session.scalar(query.order_by(Decision.number).limit(1))


async def load(session: AsyncSession, decision_id: int, *, for_update: bool = False) -> Decision | None:
    query = select(Decision).where(Decision.id == decision_id)
    if for_update:
        query = query.with_for_update(of=Decision)
    return await session.scalar(_with_details(query).execution_options(populate_existing=True))


# The scheduler's group of due decisions, locked and loaded with their details in one query (and the
# selectinloads'), built once: ordered by id, so two schedulers lock rows in the same order.
_LOCK_MANY = _with_details(
    select(Decision)
    .where(Decision.id.in_(bindparam("ids", expanding=True)))
    .order_by(Decision.id)
    .with_for_update(of=Decision)
).execution_options(populate_existing=True)


async def load_many(session: AsyncSession, decision_ids: list[int]) -> list[Decision]:
    """Several decisions by id (those still there), locked for update, in the order of their ids."""
    if not decision_ids:
        return []
    return list((await session.scalars(_LOCK_MANY, {"ids": decision_ids})).unique())


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


_PEOPLE_OF_MANY = select(Person).where(
    Person.workspace_id.in_(bindparam("workspace_ids", expanding=True)),
    Person.id.in_(bindparam("ids", expanding=True)),
)


async def people_of_many(session: AsyncSession, wanted: dict[int, set[int]]) -> dict[int, dict[int, Person]]:
    """`people_by_id` for several workspaces at once (workspace id -> Person ids), in one query."""
    found: dict[int, dict[int, Person]] = {workspace_id: {} for workspace_id in wanted}
    ids = {i for some in wanted.values() for i in some}
    if ids:
        for person in await session.scalars(_PEOPLE_OF_MANY, {"workspace_ids": list(wanted), "ids": list(ids)}):
            if person.id in wanted[person.workspace_id]:
                found[person.workspace_id][person.id] = person
    return found


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
    named_total = await session.scalar(select(func.count()).select_from(Decision).where(*informed_where)) or 0
    named = list(
        await session.scalars(
            _with_details(
                select(Decision)
                .where(*informed_where)
                .order_by(
                    case((Decision.status == DecisionStatus.OPEN, 0), else_=1), Decision.deadline, Decision.number
                )
                .limit(limit)
            )
        )
    )
    roles = {d.id: m.role for d in named for m in d.members if m.person_id == person.id}
    return HomeDecisions(list(awaiting), awaiting_total, named, named_total, roles)
