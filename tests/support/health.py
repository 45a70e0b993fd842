"""Building stored histories for execution health: workspaces, people, outcomes with readings, decisions and
action items, written straight through the models (the detectors only read them). The benchmark seeds its
large workspace with the same functions. For the Slack tests: the harness's own workspace seeded that way, the
health command, and pressing a finding's buttons the way Slack sends them."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    Action,
    Decision,
    DecisionStatus,
    Direction,
    HealthFinding,
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
                       blocker: str | None = None, channel: str = "C0HEALTH") -> Outcome:  # fmt: skip
    """O-`number`, created `age` days before `now` and due `left` days after, with one lagging metric (0 to
    `target`) read `value` on each (days ago, value) of `values`, every reading its own progress update."""
    outcome = Outcome(workspace_id=workspace.id, number=number, title=f"Outcome {number}", definition_of_done="Done",
                      owner_id=owner.id, due_date=(now + timedelta(days=left)).date(), status=status,
                      created_at=now - timedelta(days=age), channel_id=channel)  # fmt: skip
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


# The harness's workspace, and driving the app -------------------------------------------------------------------

# Monday 30 November 2026, 08:00 UTC.
START = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
PEOPLE = ("U0LOCAL", "U0ALEX", "U0PRIYA")  # you (an admin in Slack), alex, priya
Build = Callable[[AsyncSession, Workspace, dict[str, Person]], Awaitable[object]]


async def seed(harness, build: Build) -> None:
    """The harness's workspace (T0LOCAL) with its three people, and what `build` adds, written through the models
    before anyone types anything (each person's profile is read from Slack on their first request)."""
    async with harness.db.sessions.begin() as session:
        workspace, found = await workspace_with(session, "T0LOCAL", PEOPLE)
        await build(session, workspace, dict(zip(PEOPLE, found, strict=True)))


async def health(harness, text: str = "", actor=None) -> dict:
    """`/followthrough health <text>`; the private answer's body."""
    typed = f"health {text}".strip()
    response = await harness.slack.command(actor or harness.me, "/followthrough", typed)
    assert response.status_code == 200, response.text
    return response.json()


def buttons(blocks: list[dict]) -> list[dict]:
    """Every button in `blocks`, each with the id of the block it sits in (as a press carries it)."""
    return [{**e, "block_id": b.get("block_id", "")} for b in blocks for e in b.get("elements") or []
            if e.get("type") == "button"]  # fmt: skip


def button(blocks: list[dict], label: str, nth: int = 0) -> dict:
    found = [b for b in buttons(blocks) if b["text"]["text"] == label]
    assert len(found) > nth, f"no button {label!r}: {[b['text']['text'] for b in buttons(blocks)]}"
    return found[nth]


async def press(harness, actor, element: dict, *, home: bool = False):
    """Presses a button on the private answer (or, with `home`, on the Home tab); a forged press is the same
    request with another value."""
    action = {k: element[k] for k in ("type", "action_id", "block_id", "value", "text") if k in element}
    if home:
        return await harness.slack.block_action(actor, action, view={"type": "home", "id": "V0HOME"})
    return await harness.slack.block_action(actor, action, message={"ts": "1.000001", "is_ephemeral": True})


async def stored(harness, *where) -> list[HealthFinding]:
    async with harness.db.sessions() as session:
        query = select(HealthFinding).where(*where).order_by(HealthFinding.id)
        return list(await session.scalars(query))


async def one_finding(harness, kind: str) -> HealthFinding:
    found = await stored(harness, HealthFinding.kind == kind)
    assert len(found) == 1, [(f.kind, f.subject) for f in await stored(harness)]
    return found[0]
