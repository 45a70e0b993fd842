"""Organisation priorities: ranked, managed by workspace admins, the top of every outcome's cascade."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Outcome, Person, Priority, Workspace
from models.outcome import OPEN_STATUSES, WORRYING_STATUSES
from models.priority import PRIORITY_PREFIX
from services.errors import Forbidden, NotFound
from services.refs import next_number, parse_ref

MAX_TITLE = 150


class BadPriority(Exception):
    """The request cannot be carried out; the message says why."""


@dataclass(frozen=True)
class PriorityLine:
    priority: Priority
    open_outcomes: int
    worrying: int  # at risk or off track


def require_admin(person: Person) -> None:
    if not person.is_admin:
        raise Forbidden("manage priorities")


def _title(text: str) -> str:
    title = " ".join(text.split())
    if not title:
        raise BadPriority("Give the priority a title, e.g. `/priority add Grow self-serve revenue`.")
    if len(title) > MAX_TITLE:
        raise BadPriority(f"Keep the title within {MAX_TITLE} characters (this one has {len(title)}).")
    return title


async def active(session: AsyncSession, *, workspace_id: int) -> list[Priority]:
    query = select(Priority).where(Priority.workspace_id == workspace_id, Priority.archived_at.is_(None))
    return list(await session.scalars(query.order_by(Priority.rank, Priority.number)))


async def overview(session: AsyncSession, *, workspace_id: int) -> list[PriorityLine]:
    """Active priorities in rank order, with how many open outcomes serve each and how many of those worry us."""
    priorities = await active(session, workspace_id=workspace_id)
    counts = await session.execute(
        select(
            Outcome.parent_priority_id,
            func.count(),
            func.count().filter(Outcome.status.in_(WORRYING_STATUSES)),
        )
        .where(Outcome.workspace_id == workspace_id, Outcome.status.in_(OPEN_STATUSES))
        .where(Outcome.parent_priority_id.in_([p.id for p in priorities]))
        .group_by(Outcome.parent_priority_id)
    )
    by_id = {pid: (total, worrying) for pid, total, worrying in counts}
    return [PriorityLine(p, *by_id.get(p.id, (0, 0))) for p in priorities]


async def find(session: AsyncSession, *, workspace_id: int, ref: str) -> Priority:
    number = parse_ref(ref, PRIORITY_PREFIX)
    priority = None
    if number is not None:
        priority = await session.scalar(
            select(Priority).where(Priority.workspace_id == workspace_id, Priority.number == number)
        )
    if priority is None:
        raise NotFound(ref)
    return priority


async def add(session: AsyncSession, *, workspace: Workspace, actor: Person, title: str) -> Priority:
    require_admin(actor)
    title = _title(title)
    ranked = await active(session, workspace_id=workspace.id)
    priority = Priority(
        workspace_id=workspace.id,
        number=await next_number(session, workspace_id=workspace.id, kind="priority"),
        title=title,
        rank=len(ranked) + 1,
        created_by_id=actor.id,
    )
    session.add(priority)
    await session.flush()
    return priority


async def rank(session: AsyncSession, *, workspace: Workspace, actor: Person, ref: str, position: int) -> Priority:
    """Moves a priority to `position` (1 is the top); the others keep their order around it."""
    require_admin(actor)
    priority = await find(session, workspace_id=workspace.id, ref=ref)
    if priority.archived_at is not None:
        raise BadPriority(f"{priority.ref} is archived; it has no rank.")
    ranked = [p for p in await active(session, workspace_id=workspace.id) if p.id != priority.id]
    if not 1 <= position <= len(ranked) + 1:
        raise BadPriority(f"Pick a position from 1 to {len(ranked) + 1}.")
    ranked.insert(position - 1, priority)
    for number, p in enumerate(ranked, 1):
        p.rank = number
    await session.flush()
    return priority


async def rename(session: AsyncSession, *, workspace: Workspace, actor: Person, ref: str, title: str) -> Priority:
    require_admin(actor)
    priority = await find(session, workspace_id=workspace.id, ref=ref)
    priority.title = _title(title)
    await session.flush()
    return priority


async def archive(session: AsyncSession, *, workspace: Workspace, actor: Person, ref: str, now: datetime) -> Priority:
    """Takes a priority off the list; outcomes under it keep the link, shown as archived."""
    require_admin(actor)
    priority = await find(session, workspace_id=workspace.id, ref=ref)
    if priority.archived_at is not None:
        raise BadPriority(f"{priority.ref} is already archived.")
    priority.archived_at = now
    for number, p in enumerate(await active(session, workspace_id=workspace.id), 1):  # autoflush: without it
        p.rank = number
    await session.flush()
    return priority
