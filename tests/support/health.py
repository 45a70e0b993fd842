"""Building stored histories for execution health: workspaces, people, outcomes with readings, decisions and
action items, written straight through the models (the detectors only read them). The benchmark seeds its
large workspace with the same functions."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    Action,
    Decision,
    DecisionStatus,
    Direction,
    Metric,
    MetricKind,
    MetricReading,
    Outcome,
    OutcomeStatus,
    Person,
    ProgressSource,
    ProgressUpdate,
    Workspace,
)
from models.base import new_token


async def workspace_with(session: AsyncSession, team: str, people: Sequence[str]) -> tuple[Workspace, list[Person]]:
    workspace = Workspace(team_id=team, name=team)
    session.add(workspace)
    await session.flush()
    found = [Person(workspace_id=workspace.id, slack_user_id=u, display_name=u.lower()) for u in people]
    session.add_all(found)
    await session.flush()
    return workspace, found


async def outcome_with(session: AsyncSession, workspace: Workspace, owner: Person, number: int, *, now: datetime,
                       values: Sequence[tuple[int, float]], status: OutcomeStatus = OutcomeStatus.ON_TRACK,
                       age: int = 60, left: int = 30, target: float = 100.0,
                       blocker: str | None = None) -> Outcome:  # fmt: skip
    """O-`number`, created `age` days before `now` and due `left` days after, with one lagging metric (0 to
    `target`) read `value` on each (days ago, value) of `values`, every reading its own progress update."""
    outcome = Outcome(workspace_id=workspace.id, number=number, title=f"Outcome {number}", definition_of_done="Done",
                      owner_id=owner.id, due_date=(now + timedelta(days=left)).date(), status=status,
                      created_at=now - timedelta(days=age), channel_id="C0HEALTH")  # fmt: skip
    session.add(outcome)
    await session.flush()
    metric = Metric(workspace_id=workspace.id, outcome_id=outcome.id, kind=MetricKind.LAGGING, name="signups",
                    slug="signups", baseline=0.0, target=target, direction=Direction.UP)  # fmt: skip
    session.add(metric)
    await session.flush()
    for days_ago, value in values:
        at = now - timedelta(days=days_ago)
        update = ProgressUpdate(workspace_id=workspace.id, outcome_id=outcome.id, author_id=owner.id,
                                source=ProgressSource.COMMAND, created_at=at, blocker=blocker)  # fmt: skip
        session.add(update)
        await session.flush()
        session.add(MetricReading(workspace_id=workspace.id, metric_id=metric.id, update_id=update.id,
                                  author_id=owner.id, value=value, recorded_at=at))  # fmt: skip
        outcome.last_progress_at = at
    metric.current_value = values[-1][1] if values else None
    await session.flush()
    return outcome


async def decision_with(session: AsyncSession, workspace: Workspace, decider: Person, number: int, *,
                        deadline: datetime) -> Decision:  # fmt: skip
    decision = Decision(workspace_id=workspace.id, number=number, token=new_token(), question=f"Question {number}?",
                        decider_id=decider.id, deadline=deadline, status=DecisionStatus.OPEN)  # fmt: skip
    session.add(decision)
    await session.flush()
    return decision


async def action_with(session: AsyncSession, workspace: Workspace, owner: Person, number: int, *,
                      now: datetime, due_in: int) -> Action:  # fmt: skip
    action = Action(workspace_id=workspace.id, number=number, what=f"Task {number}", owner_id=owner.id,
                    due_on=(now + timedelta(days=due_in)).date())  # fmt: skip
    session.add(action)
    await session.flush()
    return action
