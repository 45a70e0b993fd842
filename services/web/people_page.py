"""The people page: each person's load (open outcomes they own, open decisions awaiting them as decider, their
overdue action items), heaviest first: the bottleneck view. Four queries whatever the number of people: one
GROUP BY per kind of load, then the names."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Action, ActionStatus, Decision, DecisionStatus, Outcome, Person
from models.outcome import OPEN_STATUSES


@dataclass(frozen=True)
class LoadRow:
    slack_user_id: str
    name: str
    outcomes: int
    decisions: int
    overdue: int

    @property
    def total(self) -> int:
        return self.outcomes + self.decisions + self.overdue


async def _counts(session: AsyncSession, owner, *where) -> dict[int, int]:
    query = select(owner, func.count()).where(*where).group_by(owner)
    return {pid: int(n) for pid, n in await session.execute(query)}


async def load(session: AsyncSession, *, workspace_id: int, today: date) -> list[LoadRow]:
    """Everyone with something on them, heaviest first (then by name); `today` is the viewer's local day."""
    outcomes = await _counts(session, Outcome.owner_id, Outcome.workspace_id == workspace_id,
                             Outcome.status.in_(OPEN_STATUSES))  # fmt: skip
    decisions = await _counts(session, Decision.decider_id, Decision.workspace_id == workspace_id,
                              Decision.status == DecisionStatus.OPEN)  # fmt: skip
    overdue = await _counts(session, Action.owner_id, Action.workspace_id == workspace_id,
                            Action.status == ActionStatus.OPEN, Action.due_on < today)  # fmt: skip
    ids = set(outcomes) | set(decisions) | set(overdue)
    if not ids:
        return []
    query = select(Person.id, Person.slack_user_id, Person.display_name).where(
        Person.workspace_id == workspace_id, Person.id.in_(ids)
    )
    rows = [
        LoadRow(
            slack_user_id=uid,
            name=shown or uid,
            outcomes=outcomes.get(pid, 0),
            decisions=decisions.get(pid, 0),
            overdue=overdue.get(pid, 0),
        )  # fmt: skip
        for pid, uid, shown in await session.execute(query)
    ]
    return sorted(rows, key=lambda r: (-r.total, -r.overdue, -r.decisions, r.name.lower()))
