"""Evergreen: a published playbook not reviewed within its interval (90 days unless set) is overdue; its owner is
asked once per interval whether it is still right, and confirming (or publishing) counts as a review.

The n-th interval since the last review is the unit of "once": the job claims a playbook by locking its row,
checking that no ask was recorded in this interval, and recording one, in the transaction that queues the DM
under a key of the playbook, the review it follows and n. A second scheduler, a rerun or a restart finds the
ask recorded (or the key queued) and sends nothing more.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Person, Playbook
from services.playbooks.library import find, require_publisher


def interval(playbook: Playbook) -> timedelta:
    return timedelta(days=playbook.review_days)


def overdue_by(playbook: Playbook, now: datetime) -> int:
    """How many whole intervals have passed since the last review (0: not overdue)."""
    if playbook.current_version < 1 or playbook.archived_at is not None:
        return 0
    return max(0, (now - playbook.reviewed_at) // interval(playbook))


def ask_owed(playbook: Playbook, now: datetime) -> int | None:
    """The interval whose ask is owed now, or None (not overdue, or asked already in this interval)."""
    count = overdue_by(playbook, now)
    if count < 1:
        return None
    started = playbook.reviewed_at + count * interval(playbook)
    if playbook.review_asked_at is not None and playbook.review_asked_at >= started:
        return None
    return count


def ask_key(playbook: Playbook, count: int) -> str:
    """The DM's outbox key: the ref (refs are never handed out again), the review it follows, the interval."""
    return f"playbook:{playbook.ref}:review:{playbook.reviewed_at:%Y%m%dT%H%M%S%f}:{count}"


async def due(session: AsyncSession, *, now: datetime) -> list[int]:
    """Ids of published playbooks, in every workspace, whose owner is owed an ask now."""
    query = select(Playbook).where(Playbook.current_version > 0, Playbook.archived_at.is_(None))
    return [p.id for p in await session.scalars(query) if ask_owed(p, now) is not None]


async def claim(session: AsyncSession, *, playbook_id: int, now: datetime) -> tuple[Playbook, int] | None:
    """Locks the playbook and records the ask; None when it is no longer owed (another run got there first)."""
    playbook = await session.scalar(select(Playbook).where(Playbook.id == playbook_id).with_for_update())
    if playbook is None:
        return None
    count = ask_owed(playbook, now)
    if count is None:
        return None
    playbook.review_asked_at = now
    await session.refresh(playbook, ["owner"])
    return playbook, count


async def confirm(session: AsyncSession, *, workspace_id: int, ref: str, actor: Person, now: datetime) -> Playbook:
    """Its owner (or an admin) says it is still right: the review clock starts again."""
    playbook = await find(session, workspace_id=workspace_id, ref=ref, lock=True)
    require_publisher(actor, playbook, "confirm the review of")
    playbook.reviewed_at = now
    playbook.review_asked_at = None
    await session.flush()
    return playbook
