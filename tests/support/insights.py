"""Helpers for the insight and weekly health post tests (no tests here): add an insight the way people do, fill
the form, and run the weekly job and the outbox sender the way the runner would, on a movable clock."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select

from bot.clock import MovableClock
from bot.surface import ADD_INSIGHT_SHORTCUT
from handlers.insights.blocks.ids import InsightIds
from models import Insight
from scheduler import health_weekly as jobs
from scheduler.runner import JobContext
from scheduler.sender import Sender
from tests.support.outcomes import opened_view


async def insight_reply(harness, text: str, actor=None) -> dict:
    """`/insight <text>` as typed (Slack escapes &, < and > on the way); the private answer."""
    typed = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    response = await harness.slack.command(actor or harness.me, "/insight", typed)
    assert response.status_code == 200, response.text
    return response.json() if response.content else {}


async def insights(harness) -> list[Insight]:
    async with harness.db.sessions() as session:
        return list(await session.scalars(select(Insight).order_by(Insight.created_at, Insight.id)))


async def add_as_insight(harness, message: dict, actor=None):
    """The message shortcut "Add as insight" used on `message` (as the stand-in stored it)."""
    return await harness.slack.message_action(actor or harness.me, ADD_INSIGHT_SHORTCUT.callback_id, message)


def insight_values(outcome: str | None = "O-1", quote: str | None = None, source: str | None = None,
                   view: dict | None = None) -> dict[str, dict[str, Any]]:  # fmt: skip
    """The form's state: what it showed (the prefilled words and name, from `view`) unless given here."""
    shown = {b["block_id"]: b["element"].get("initial_value") for b in (view or {}).get("blocks", [])
             if b.get("type") == "input"}  # fmt: skip
    typed = {InsightIds.QUOTE.value: quote, InsightIds.SOURCE.value: source}
    values = {block: {block: {"type": "plain_text_input", "value": shown.get(block) if text is None else text}}
              for block, text in typed.items()}  # fmt: skip
    option = {"text": {"type": "plain_text", "text": outcome}, "value": outcome} if outcome else None
    values[InsightIds.OUTCOME.value] = {InsightIds.OUTCOME.value: {"type": "external_select",
                                                                   "selected_option": option}}  # fmt: skip
    return values


async def submit_insight(harness, values: dict, actor=None) -> dict:
    actor = actor or harness.me
    response = await harness.slack.view_submission(actor, opened_view(harness, actor=actor), values)
    assert response.status_code == 200, response.text
    return response.json() if response.content else {}


class Weekly:
    """The scheduler's work for the weekly post, by hand: the "what is due" job, then the sender."""

    def __init__(self, db, clock: MovableClock, clients, sender: Sender) -> None:
        self.clock, self.sender = clock, sender
        self.context = JobContext(sessions=db.sessions, clock=clock, clients=clients)

    async def job(self) -> int:
        return await jobs.post_due(self.context)

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
