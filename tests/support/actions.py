"""Helpers for the action item tests (no tests here): capture one the way people do, press its buttons, and run
the nudge job and the outbox sender the way the runner would, on a movable clock."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import select

from bot.clock import MovableClock
from bot.surface import CREATE_ACTION_SHORTCUT
from handlers.actions.blocks.ids import ActionIds
from models import Action, ActionEvent
from scheduler import actions as jobs
from scheduler.runner import JobContext
from scheduler.sender import Sender
from tests.support.decisions import install_clock, private_answers
from tests.support.outcomes import opened_view

# Monday 30 November 2026, 08:00 UTC (03:00 in New York, 09:00 in Berlin, 13:30 in Kolkata).
START = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
ALEX = "<@U0ALEX|alex>"
PRIYA = "<@U0PRIYA|priya>"


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


async def capture(harness, text: str, actor=None):
    """`/action <text>`; returns the HTTP response."""
    response = await harness.slack.command(actor or harness.me, "/action", text)
    assert response.status_code == 200, response.text
    return response


async def capture_text(harness, text: str, actor=None) -> str:
    return (await capture(harness, text, actor)).json()["text"]


async def action_rows(harness) -> list[Action]:
    async with harness.db.sessions() as session:
        return list(await session.scalars(select(Action).order_by(Action.number)))


async def only_action(harness) -> Action:
    rows = await action_rows(harness)
    assert len(rows) == 1, rows
    return rows[0]


async def history(harness, action: Action) -> list[str]:
    async with harness.db.sessions() as session:
        events = await session.scalars(
            select(ActionEvent).where(ActionEvent.action_id == action.id).order_by(ActionEvent.at, ActionEvent.id)
        )
        return [e.kind.value + (f":{e.data['stage']}" if e.data.get("stage") else "") for e in events]


def state(block: ActionIds, value: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {block.value: {block.value: value}}


def form_values(what: str = "Send the pricing deck to Globex", owner: str | None = "U0ALEX",
                due: str | None = "2026-12-02", outcome: str | None = None) -> dict[str, dict[str, Any]]:  # fmt: skip
    option = {"text": {"type": "plain_text", "text": outcome}, "value": outcome} if outcome else None
    return (
        state(ActionIds.WHAT, {"type": "plain_text_input", "value": what})
        | state(ActionIds.OWNER, {"type": "users_select", "selected_user": owner})
        | state(ActionIds.DUE, {"type": "datepicker", "selected_date": due})
        | state(ActionIds.OUTCOME, {"type": "external_select", "selected_option": option})
    )


async def submit_latest(harness, values: dict, actor=None) -> dict:
    actor = actor or harness.me
    response = await harness.slack.view_submission(actor, opened_view(harness, actor=actor), values)
    assert response.status_code == 200, response.text
    return response.json() if response.content else {}


async def shortcut(harness, message: dict, actor=None):
    return await harness.slack.message_action(actor or harness.me, CREATE_ACTION_SHORTCUT.callback_id, message)


def button(action: ActionIds, ref: str) -> dict[str, Any]:
    return {"type": "button", "action_id": action.value, "block_id": ActionIds.CARD_ACTIONS.value, "value": ref,
            "text": {"type": "plain_text", "text": "x"}}  # fmt: skip


async def press(harness, actor, action: ActionIds, ref: str = "A-1"):
    """Presses a button on a message; its value (a ref) is all a forger needs."""
    return await harness.slack.block_action(actor, button(action, ref), message={"ts": "1.000001"})


class Nudges:
    """The scheduler's work for action items, by hand: the "what is due" job, then the sender."""

    def __init__(self, harness, clock: MovableClock, clients, sender: Sender) -> None:
        self.harness, self.clock, self.sender = harness, clock, sender
        self.context = JobContext(sessions=harness.db.sessions, clock=clock, clients=clients)

    async def job(self) -> int:
        return await jobs.nudge_due(self.context)

    async def deliver(self) -> int:
        claimed = 0
        while done := (await self.sender.run_once()).claimed:
            claimed += done
        return claimed

    async def at(self, moment: datetime) -> int:
        self.clock.set(moment)
        queued = await self.job()
        await self.deliver()
        return queued

    async def sweep(self, until: datetime, step: timedelta = timedelta(hours=1)) -> None:
        """Run every `step` from the clock's time until `until`, as a scheduler that never stops would."""
        moment = self.clock.now()
        while moment <= until:
            await self.at(moment)
            moment += step


def dms(harness, user: str) -> list[dict]:
    return harness.standin.messages(user)


def dm_texts(harness, user: str) -> list[str]:
    return [m["text"] for m in dms(harness, user)]


__all__ = ["install_clock", "private_answers"]
