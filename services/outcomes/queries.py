"""Reading outcomes: find one by ref, lists, pickers, the card's details and the Home summary."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from weakref import WeakKeyDictionary

from sqlalchemy import Select, bindparam, case, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import SessionTransaction, joinedload, selectinload

from models import MetricReading, Outcome, Person, Priority, ProgressUpdate
from models.outcome import OPEN_STATUSES, OUTCOME_PREFIX, WORRYING_STATUSES
from services.errors import NotFound
from services.outcomes.loading import outcome_with_details
from services.refs import parse_ref

SPARKLINE_READINGS = 10
CARD_UPDATES = 3


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


def _with_details(query: Select) -> Select:
    return query.options(joinedload(Outcome.owner), selectinload(Outcome.metrics))


# Outcome rows each transaction (or savepoint) has locked, so that a change after a locking lookup reads once.
_locked: WeakKeyDictionary[SessionTransaction, set[int]] = WeakKeyDictionary()


def _open_transactions(session: AsyncSession) -> list[SessionTransaction]:
    """The innermost savepoint and the transaction: a row lock taken in either holds until that one ends."""
    sync = session.sync_session
    return [t for t in (sync.get_nested_transaction(), sync.get_transaction()) if t is not None]


def _note_locked(session: AsyncSession, outcome: Outcome | None) -> None:
    if outcome is not None and (open_ := _open_transactions(session)):
        _locked.setdefault(open_[0], set()).add(outcome.id)


async def get_outcome(session: AsyncSession, *, workspace_id: int, ref: str, lock: bool = False) -> Outcome | None:
    """The outcome `O-12` (or `o-12`, `12`) of this workspace, with owner and metrics; None if there is none.
    With `lock`, its row is locked and read fresh, as lock_outcome does (for a change that follows at once)."""
    number = parse_ref(ref, OUTCOME_PREFIX)
    if number is None:
        return None
    found = await outcome_with_details(session, lock=lock, by="number", workspace_id=workspace_id, number=number)
    if lock:
        _note_locked(session, found)
    return found


async def lock_outcome(session: AsyncSession, outcome: Outcome) -> Outcome:
    """Re-reads `outcome` under a row lock, refreshing its status, owner and metrics in place, so that a
    read-modify-write cannot lose a concurrent change (PostgreSQL; SQLite's single writer already queues).
    Nothing to do when this transaction locked it already."""
    if any(outcome.id in _locked.get(t, ()) for t in _open_transactions(session)):
        return outcome
    locked = await outcome_with_details(session, lock=True, by="id", outcome_id=outcome.id)
    assert locked is not None  # it was loaded in this transaction: a concurrent delete would still be waiting
    _note_locked(session, locked)
    return locked


async def find_outcome(session: AsyncSession, *, workspace_id: int, ref: str) -> Outcome:
    outcome = await get_outcome(session, workspace_id=workspace_id, ref=ref)
    if outcome is None:
        raise NotFound(ref)
    return outcome


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


_NEWEST_FIRST = func.row_number().over(
    partition_by=MetricReading.metric_id, order_by=(MetricReading.recorded_at.desc(), MetricReading.id.desc())
)
_RANKED = (
    select(MetricReading.metric_id, MetricReading.value, _NEWEST_FIRST.label("n"))
    .where(
        MetricReading.workspace_id == bindparam("workspace_id"),
        MetricReading.metric_id.in_(bindparam("metric_ids", expanding=True)),
    )
    .subquery()
)
# Built once, as the card is the next most frequent read after /progress.
_RECENT = (
    select(_RANKED.c.metric_id, _RANKED.c.value)
    .where(_RANKED.c.n <= bindparam("per_metric"))
    .order_by(_RANKED.c.n.desc())
)
_LATEST_UPDATES = (
    select(ProgressUpdate)
    .where(
        ProgressUpdate.workspace_id == bindparam("workspace_id"), ProgressUpdate.outcome_id == bindparam("outcome_id")
    )
    .order_by(ProgressUpdate.created_at.desc(), ProgressUpdate.id.desc())
    .limit(bindparam("limit"))
    .options(joinedload(ProgressUpdate.author), selectinload(ProgressUpdate.readings))
)


async def recent_readings(session: AsyncSession, *, outcome: Outcome, per_metric: int = SPARKLINE_READINGS) -> dict:
    ids = [m.id for m in outcome.metrics]
    if not ids:
        return {}
    params = {"workspace_id": outcome.workspace_id, "metric_ids": ids, "per_metric": per_metric}
    recent: dict[int, list[float]] = {i: [] for i in ids}
    for metric_id, value in await session.execute(_RECENT, params):
        recent[metric_id].append(value)
    return recent


async def latest_updates(session: AsyncSession, outcome: Outcome, limit: int = CARD_UPDATES) -> list[ProgressUpdate]:
    params = {"workspace_id": outcome.workspace_id, "outcome_id": outcome.id, "limit": limit}
    return list(await session.scalars(_LATEST_UPDATES, params))


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
