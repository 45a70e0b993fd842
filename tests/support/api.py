"""Helpers for the read API's tests: a token made the way a person makes one, a client that sends it, and a
second workspace with one of everything, written straight to the database."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import httpx

from models import (
    Action,
    Decision,
    DecisionEvent,
    DecisionEventKind,
    Meeting,
    MeetingKind,
    Metric,
    MetricKind,
    MetricReading,
    Outcome,
    Person,
    ProgressSource,
    ProgressUpdate,
    Workspace,
)
from models.outcome import Direction

TOKEN = re.compile(r"`(ftk_[\w-]+)`")


async def token_reply(harness, text: str = "", actor=None) -> str:
    answer = (await harness.slack.command(actor or harness.me, "/followthrough", f"token {text}".strip())).json()
    assert answer.get("response_type", "ephemeral") == "ephemeral", answer
    return answer["text"]


async def new_token(harness, name: str = "", actor=None) -> str:
    [token] = TOKEN.findall(await token_reply(harness, name, actor))
    return token


def api_client(harness, token: str | None = None) -> httpx.AsyncClient:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=harness.app), base_url="http://followthrough.test",
                             headers=headers)  # fmt: skip


async def elsewhere(harness, number: int = 7) -> dict[str, str]:
    """Another workspace's outcome O-7 (with a metric and a reading), decision D-7, action A-7 and meeting M-7
    (or another `number`); returns their refs and the texts that must never show outside it."""
    now = datetime.now(UTC)
    async with harness.db.sessions.begin() as session:
        other = Workspace(team_id="T0ELSE", name="Elsewhere")
        session.add(other)
        await session.flush()
        ws = other.id
        owner = Person(workspace_id=ws, slack_user_id="U0ELSE", display_name="Someone else")
        session.add(owner)
        await session.flush()
        outcome = Outcome(workspace_id=ws, number=number, title="Elsewhere's secret plan", definition_of_done="x",
                          owner_id=owner.id, due_date=date(2031, 1, 1))  # fmt: skip
        session.add(outcome)
        await session.flush()
        metric = Metric(workspace_id=ws, outcome_id=outcome.id, kind=MetricKind.LAGGING, name="Secret revenue",
                        slug="secret-revenue", baseline=1, target=2, direction=Direction.UP)  # fmt: skip
        update = ProgressUpdate(workspace_id=ws, outcome_id=outcome.id, author_id=owner.id, note="secret note",
                                source=ProgressSource.COMMAND)  # fmt: skip
        session.add_all([metric, update])
        await session.flush()
        session.add(MetricReading(workspace_id=ws, metric_id=metric.id, update_id=update.id, author_id=owner.id,
                                  value=1.5))  # fmt: skip
        decision = Decision(workspace_id=ws, number=number, question="Secret question?", decider_id=owner.id,
                            deadline=now + timedelta(days=3), options=["a", "b"])  # fmt: skip
        session.add(decision)
        session.add(Action(workspace_id=ws, number=number, what="Secret errand", owner_id=owner.id,
                           due_on=date(2031, 1, 1)))  # fmt: skip
        session.add(Meeting(workspace_id=ws, number=number, title="Secret meeting", kind=MeetingKind.STATUS,
                            desired_outcome="secret", organiser_id=owner.id, facilitator_id=owner.id,
                            starts_at=now + timedelta(days=1), minutes=30))  # fmt: skip
        await session.flush()
        session.add(DecisionEvent(workspace_id=ws, decision_id=decision.id, kind=DecisionEventKind.CREATED, round=1,
                                  at=now, actor_id=owner.id))  # fmt: skip
    return {"outcome": f"O-{number}", "decision": f"D-{number}", "action": f"A-{number}", "meeting": f"M-{number}"}


SECRETS = ("secret", "U0ELSE", "Elsewhere")
