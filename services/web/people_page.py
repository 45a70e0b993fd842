"""The people page: each person's load (open outcomes they own, open decisions awaiting them as decider, their
overdue action items, their open steps in active playbook runs and how many of those are late), heaviest first:
the bottleneck view. Five queries whatever the number of people: one GROUP BY per kind of load, then the names."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Action, ActionStatus, Decision, DecisionStatus, Outcome, Person
from models.outcome import OPEN_STATUSES
from models.playbook_run import PlaybookRun, RunStatus, RunStep, StepStatus


@dataclass(frozen=True)
class LoadRow:
    slack_user_id: str
    name: str
    outcomes: int
    decisions: int
    overdue: int
    steps: int = 0  # open steps of active runs assigned to them
    late_steps: int = 0  # of those, past their due time

    @property
    def total(self) -> int:
        return self.outcomes + self.decisions + self.overdue + self.steps


async def _counts(session: AsyncSession, owner, *where) -> dict[int, int]:
    query = select(owner, func.count()).where(*where).group_by(owner)
    return {pid: int(n) for pid, n in await session.execute(query)}


async def _steps(session: AsyncSession, workspace_id: int, now: datetime) -> dict[int, tuple[int, int]]:
    """Per assignee: (open steps in active runs, how many are late)."""
    late = func.sum(case((RunStep.due_at < now, 1), else_=0))
    query = (
        select(RunStep.assignee_id, func.count(), late)
        .join(PlaybookRun, PlaybookRun.id == RunStep.run_id)
        .where(RunStep.workspace_id == workspace_id, RunStep.assignee_id.is_not(None),
               RunStep.status.in_((StepStatus.PENDING, StepStatus.BLOCKED)), PlaybookRun.status == RunStatus.ACTIVE)
        .group_by(RunStep.assignee_id)
    )  # fmt: skip
    return {pid: (int(n), int(k or 0)) for pid, n, k in await session.execute(query)}


async def load(session: AsyncSession, *, workspace_id: int, today: date, now: datetime) -> list[LoadRow]:
    """Everyone with something on them, heaviest first (then by name); `today` is the viewer's local day."""
    outcomes = await _counts(session, Outcome.owner_id, Outcome.workspace_id == workspace_id,
                             Outcome.status.in_(OPEN_STATUSES))  # fmt: skip
    decisions = await _counts(session, Decision.decider_id, Decision.workspace_id == workspace_id,
                              Decision.status == DecisionStatus.OPEN)  # fmt: skip
    overdue = await _counts(session, Action.owner_id, Action.workspace_id == workspace_id,
                            Action.status == ActionStatus.OPEN, Action.due_on < today)  # fmt: skip
    steps = await _steps(session, workspace_id, now)
    ids = set(outcomes) | set(decisions) | set(overdue) | set(steps)
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
            steps=steps.get(pid, (0, 0))[0],
            late_steps=steps.get(pid, (0, 0))[1],
        )  # fmt: skip
        for pid, uid, shown in await session.execute(query)
    ]
    return sorted(rows, key=lambda r: (-r.total, -r.overdue - r.late_steps, -r.decisions, r.name.lower()))
