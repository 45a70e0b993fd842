"""Outcomes: define, edit and reassign them; find them by ref; lists, pickers, cards and the Home summary."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from sqlalchemy import Select, case, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload, selectinload

from models import (
    Metric,
    MetricKind,
    MetricReading,
    Outcome,
    OutcomeStatus,
    Person,
    Priority,
    ProgressUpdate,
    Workspace,
)
from models.outcome import OPEN_STATUSES, OUTCOME_PREFIX, WORRYING_STATUSES
from services.outcome_form import Draft, Field, Invalid, MetricSpec, OutcomeForm, validate
from services.refs import next_number, parse_ref

SPARKLINE_READINGS = 10
CARD_UPDATES = 3


class NotFound(Exception):
    def __init__(self, ref: str) -> None:
        super().__init__(f"I can't find {ref[:30]} in this workspace.")
        self.ref = ref


class Forbidden(Exception):
    """Only the owner or an admin may do this; `action` completes "only ... can <action>"."""

    def __init__(self, action: str, owner: Person | None = None) -> None:
        who = "the owner or a workspace admin" if owner else "a workspace admin"
        super().__init__(f"Only {who} can {action}.")
        self.action = action
        self.owner = owner


class ListScope(StrEnum):
    MINE = "mine"
    CHANNEL = "channel"
    ALL = "all"
    AT_RISK = "at-risk"


@dataclass(frozen=True)
class Card:
    outcome: Outcome
    parent: Priority | Outcome | None
    recent: dict[int, list[float]]  # metric id -> its latest readings, oldest first
    updates: list[ProgressUpdate]  # newest first, authors and readings loaded


@dataclass(frozen=True)
class HomeSummary:
    owned: list[Outcome]
    owned_total: int
    contributing: list[Outcome]  # open outcomes owned by others that this person has logged progress on
    contributing_total: int
    closed_total: int = 0  # owned outcomes already done or dropped


def can_manage(person: Person, outcome: Outcome) -> bool:
    return person.is_admin or person.id == outcome.owner_id


def require_manager(person: Person, outcome: Outcome, action: str) -> None:
    if not can_manage(person, outcome):
        raise Forbidden(action, outcome.owner)


def _with_details(query: Select) -> Select:
    return query.options(joinedload(Outcome.owner), selectinload(Outcome.metrics))


async def get_outcome(session: AsyncSession, *, workspace_id: int, ref: str) -> Outcome | None:
    """The outcome `O-12` (or `o-12`, `12`) of this workspace, with owner and metrics; None if there is none."""
    number = parse_ref(ref, OUTCOME_PREFIX)
    if number is None:
        return None
    # One round trip: this lookup starts every /progress, the most frequent request.
    query = (
        select(Outcome)
        .where(Outcome.workspace_id == workspace_id, Outcome.number == number)
        .options(joinedload(Outcome.owner), joinedload(Outcome.metrics))
    )
    return (await session.scalars(query)).unique().one_or_none()


async def find_outcome(session: AsyncSession, *, workspace_id: int, ref: str) -> Outcome:
    outcome = await get_outcome(session, workspace_id=workspace_id, ref=ref)
    if outcome is None:
        raise NotFound(ref)
    return outcome


async def create_outcome(
    session: AsyncSession,
    *,
    workspace: Workspace,
    author: Person,
    form: OutcomeForm,
    channel_id: str | None,
    today: date,
) -> Outcome:
    draft = await validate(session, workspace=workspace, form=form, today=today)
    owner = draft.owner or author
    outcome = Outcome(
        workspace_id=workspace.id,
        number=await next_number(session, workspace_id=workspace.id, kind="outcome"),
        owner_id=owner.id,
        created_by_id=author.id,
        status=OutcomeStatus.ON_TRACK,
        channel_id=channel_id,
    )
    outcome.owner = owner
    _apply(outcome, draft)
    outcome.metrics = [_new_metric(workspace.id, spec, position) for position, spec in enumerate(draft.metrics)]
    session.add(outcome)
    await session.flush()
    return outcome


async def edit_outcome(
    session: AsyncSession, *, workspace: Workspace, actor: Person, outcome: Outcome, form: OutcomeForm, today: date
) -> Outcome:
    require_manager(actor, outcome, f"edit {outcome.ref}")
    draft = await validate(session, workspace=workspace, form=form, today=today, editing=outcome)
    await _reconcile_metrics(session, outcome, draft.metrics)
    _apply(outcome, draft)
    await session.flush()
    return outcome


async def change_owner(session: AsyncSession, *, actor: Person, outcome: Outcome, new_owner: Person) -> Person | None:
    """Hands the outcome to `new_owner`; returns the previous owner, or None when nothing changed."""
    require_manager(actor, outcome, f"change the owner of {outcome.ref}")
    if new_owner.workspace_id != outcome.workspace_id:
        raise Invalid({Field.OWNER: "Choose someone in this workspace."})
    if new_owner.id == outcome.owner_id:
        return None
    previous = outcome.owner
    outcome.owner_id = new_owner.id
    outcome.owner = new_owner
    await session.flush()
    return previous


def _apply(outcome: Outcome, draft: Draft) -> None:
    outcome.title = draft.title
    outcome.definition_of_done = draft.definition_of_done
    outcome.due_date = draft.due_date
    outcome.parent_priority_id = draft.parent_priority.id if draft.parent_priority else None
    outcome.parent_outcome_id = draft.parent_outcome.id if draft.parent_outcome else None


def _new_metric(workspace_id: int, spec: MetricSpec, position: int) -> Metric:
    metric = Metric(workspace_id=workspace_id, kind=spec.kind, position=position)
    _set_metric(metric, spec)
    return metric


def _set_metric(metric: Metric, spec: MetricSpec) -> None:
    metric.name, metric.slug, metric.unit = spec.name, spec.slug, spec.unit
    metric.baseline, metric.target, metric.direction = spec.baseline, spec.target, spec.direction


async def _reconcile_metrics(session: AsyncSession, outcome: Outcome, specs: list[MetricSpec]) -> None:
    """Keeps metrics (and their readings) by name; a metric with readings cannot be removed."""
    by_slug = {m.slug: m for m in outcome.metrics if m.kind is MetricKind.LEADING}
    matched = [outcome.lagging if spec.kind is MetricKind.LAGGING else by_slug.get(spec.slug) for spec in specs]
    removed = [m for m in outcome.metrics if all(m is not k for k in matched)]
    if removed:
        read = set(
            await session.scalars(
                select(MetricReading.metric_id).where(MetricReading.metric_id.in_([m.id for m in removed])).distinct()
            )
        )
        stuck = [m.name for m in removed if m.id in read]
        if stuck:
            raise Invalid({Field.LEADING: f"{', '.join(stuck)} already has readings, so it stays: keep its line."})
        for metric in removed:
            await session.delete(metric)
        await session.flush()  # before renames, so a new name may reuse a removed one
    kept = []
    for position, (spec, metric) in enumerate(zip(specs, matched, strict=True)):
        metric = metric or _new_metric(outcome.workspace_id, spec, position)
        _set_metric(metric, spec)
        metric.position = position
        kept.append(metric)
    outcome.metrics = kept


# reading -------------------------------------------------------------------------------------------------


def _scope_filter(scope: ListScope, person: Person, channel_id: str | None) -> list:
    if scope is ListScope.MINE:
        return [Outcome.owner_id == person.id, Outcome.status.in_(OPEN_STATUSES)]
    if scope is ListScope.CHANNEL:
        return [Outcome.channel_id == channel_id, Outcome.status.in_(OPEN_STATUSES)]
    if scope is ListScope.AT_RISK:
        return [Outcome.status.in_(WORRYING_STATUSES)]
    return [Outcome.status.in_(OPEN_STATUSES)]


async def list_outcomes(
    session: AsyncSession,
    *,
    workspace_id: int,
    scope: ListScope,
    person: Person,
    channel_id: str | None,
    limit: int = 20,
) -> tuple[list[Outcome], int]:
    """Up to `limit` outcomes (soonest due first) and how many there are in all."""
    where = [Outcome.workspace_id == workspace_id, *_scope_filter(scope, person, channel_id)]
    total = await session.scalar(select(func.count()).select_from(Outcome).where(*where)) or 0
    query = select(Outcome).where(*where).order_by(Outcome.due_date, Outcome.number).limit(limit)
    return list(await session.scalars(_with_details(query))), total


def _matching(query: str) -> list:
    text = query.strip()
    if not text:
        return []
    number = parse_ref(text, OUTCOME_PREFIX)
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    conditions = [Outcome.title.ilike(f"%{escaped}%", escape="\\")]
    if number is not None:
        conditions.append(Outcome.number == number)
    return [or_(*conditions)]


async def search_outcomes(
    session: AsyncSession, *, workspace_id: int, person: Person, query: str, limit: int = 100, open_only: bool = True
) -> list[Outcome]:
    """For pickers: the person's own outcomes first, then everyone else's, matching the typed text."""
    where = [Outcome.workspace_id == workspace_id, *_matching(query)]
    if open_only:
        where.append(Outcome.status.in_(OPEN_STATUSES))
    mine_first = case((Outcome.owner_id == person.id, 0), else_=1)
    return list(
        await session.scalars(
            select(Outcome).where(*where).order_by(mine_first, Outcome.due_date, Outcome.number).limit(limit)
        )
    )


async def search_priorities(session: AsyncSession, *, workspace_id: int, query: str, limit: int) -> list[Priority]:
    where = [Priority.workspace_id == workspace_id, Priority.archived_at.is_(None)]
    text = query.strip()
    if text:
        escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        number = parse_ref(text, "P")
        matches = [Priority.title.ilike(f"%{escaped}%", escape="\\")]
        if number is not None:
            matches.append(Priority.number == number)
        where.append(or_(*matches))
    return list(await session.scalars(select(Priority).where(*where).order_by(Priority.rank).limit(limit)))


async def load_card(session: AsyncSession, *, outcome: Outcome) -> Card:
    parent: Priority | Outcome | None = None
    if outcome.parent_priority_id:
        parent = await session.get(Priority, outcome.parent_priority_id)
    elif outcome.parent_outcome_id:
        parent = await session.get(Outcome, outcome.parent_outcome_id)
    if parent is not None and parent.workspace_id != outcome.workspace_id:
        parent = None  # never show another workspace's rows, whatever the ids say
    return Card(
        outcome, parent, await recent_readings(session, outcome=outcome), await latest_updates(session, outcome)
    )


async def recent_readings(session: AsyncSession, *, outcome: Outcome, per_metric: int = SPARKLINE_READINGS) -> dict:
    ids = [m.id for m in outcome.metrics]
    if not ids:
        return {}
    newest_first = func.row_number().over(
        partition_by=MetricReading.metric_id, order_by=(MetricReading.recorded_at.desc(), MetricReading.id.desc())
    )
    ranked = (
        select(MetricReading.metric_id, MetricReading.value, newest_first.label("n"))
        .where(MetricReading.workspace_id == outcome.workspace_id, MetricReading.metric_id.in_(ids))
        .subquery()
    )
    rows = await session.execute(
        select(ranked.c.metric_id, ranked.c.value).where(ranked.c.n <= per_metric).order_by(ranked.c.n.desc())
    )
    recent: dict[int, list[float]] = {i: [] for i in ids}
    for metric_id, value in rows:
        recent[metric_id].append(value)
    return recent


async def latest_updates(session: AsyncSession, outcome: Outcome, limit: int = CARD_UPDATES) -> list[ProgressUpdate]:
    query = (
        select(ProgressUpdate)
        .where(ProgressUpdate.workspace_id == outcome.workspace_id, ProgressUpdate.outcome_id == outcome.id)
        .order_by(ProgressUpdate.created_at.desc(), ProgressUpdate.id.desc())
        .limit(limit)
        .options(joinedload(ProgressUpdate.author), selectinload(ProgressUpdate.readings))
    )
    return list(await session.scalars(query))


async def home_summary(
    session: AsyncSession, *, workspace_id: int, person: Person, limit: int = 15, contributing_limit: int = 10
) -> HomeSummary:
    owned_where = [
        Outcome.workspace_id == workspace_id,
        Outcome.owner_id == person.id,
        Outcome.status.in_(OPEN_STATUSES),
    ]
    contributed = select(ProgressUpdate.outcome_id).where(
        ProgressUpdate.workspace_id == workspace_id, ProgressUpdate.author_id == person.id
    )
    contributing_where = [
        Outcome.workspace_id == workspace_id,
        Outcome.owner_id != person.id,
        Outcome.status.in_(OPEN_STATUSES),
        Outcome.id.in_(contributed),
    ]
    owned_total = await session.scalar(select(func.count()).select_from(Outcome).where(*owned_where)) or 0
    owned = await session.scalars(
        _with_details(select(Outcome).where(*owned_where).order_by(Outcome.due_date, Outcome.number).limit(limit))
    )
    contributing_total = await session.scalar(select(func.count()).select_from(Outcome).where(*contributing_where)) or 0
    contributing = await session.scalars(
        _with_details(
            select(Outcome)
            .where(*contributing_where)
            .order_by(Outcome.due_date, Outcome.number)
            .limit(contributing_limit)
        )
    )
    closed_total = 0
    if not owned_total:  # only the empty state needs it
        closed_total = (
            await session.scalar(
                select(func.count())
                .select_from(Outcome)
                .where(
                    Outcome.workspace_id == workspace_id,
                    Outcome.owner_id == person.id,
                    Outcome.status.not_in(OPEN_STATUSES),
                )
            )
            or 0
        )
    return HomeSummary(list(owned), owned_total, list(contributing), contributing_total, closed_total)
