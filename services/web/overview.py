"""The dashboard's overview: priorities, then the outcomes under each and their sub-outcomes, as plain rows for a
template. Three queries whatever the size (priorities, outcomes with their owners, nothing per outcome)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from models import Outcome, Priority


@dataclass(frozen=True)
class Row:
    ref: str
    title: str
    owner: str
    owner_id: str
    status: str
    due: str
    quiet_days: int | None  # since the last progress update; None: never updated
    children: list[Row] = field(default_factory=list)


@dataclass(frozen=True)
class Group:
    title: str  # "P-1 Win the mid-market" or "Not under a priority"
    rows: list[Row]


@dataclass(frozen=True)
class Filters:
    owner: str | None = None  # a Slack user id
    status: str | None = None
    open_only: bool = True


async def overview(session: AsyncSession, *, workspace_id: int, now: datetime, filters: Filters) -> list[Group]:
    priorities = (
        await session.scalars(
            select(Priority)
            .where(Priority.workspace_id == workspace_id, Priority.archived_at.is_(None))
            .order_by(Priority.rank)
        )
    ).all()
    query = select(Outcome).where(Outcome.workspace_id == workspace_id).options(joinedload(Outcome.owner))
    outcomes = [o for o in (await session.scalars(query.order_by(Outcome.number))).all() if _kept(o, filters)]
    rows = {o.id: _row(o, now) for o in outcomes}
    under_priority: dict[int | None, list[Row]] = defaultdict(list)
    for outcome in outcomes:
        parent = outcome.parent_outcome_id
        if parent in rows:
            rows[parent].children.append(rows[outcome.id])
        else:
            under_priority[outcome.parent_priority_id].append(rows[outcome.id])
    groups = [Group(f"{p.ref} {p.title}", under_priority.pop(p.id, [])) for p in priorities]
    loose = [row for rows_ in under_priority.values() for row in rows_]
    return [g for g in groups if g.rows] + ([Group("Not under a priority", loose)] if loose else [])


def _kept(outcome: Outcome, filters: Filters) -> bool:
    if filters.open_only and not outcome.status.is_open:
        return False
    if filters.status and outcome.status.value != filters.status:
        return False
    return not (filters.owner and outcome.owner.slack_user_id != filters.owner)


def _row(outcome: Outcome, now: datetime) -> Row:
    quiet = (now - outcome.last_progress_at).days if outcome.last_progress_at else None
    return Row(
        ref=outcome.ref,
        title=outcome.title,
        owner=outcome.owner.display_name or outcome.owner.slack_user_id,
        owner_id=outcome.owner.slack_user_id,
        status=outcome.status.value.replace("_", " "),
        due=f"{outcome.due_date:%-d %b %Y}",
        quiet_days=quiet,
    )
