"""Helpers for the Record outcome, series, Add topic and health tests (no tests here): fill in the Record outcome
and Add topic forms the way Slack sends them, run the series job and the outbox sender on a movable clock, and
read what was stored."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from bot.clock import MovableClock
from handlers.meetings.blocks.ids import MeetingIds
from handlers.meetings.blocks.record import block
from handlers.meetings.blocks.topic import TOPIC_BLOCK
from models import Action, Decision, Delivery, Meeting, PreRead
from scheduler import meetings_series
from scheduler.runner import JobContext
from scheduler.sender import Sender
from tests.support.decisions import text_state
from tests.support.meetings import meeting_values, open_form, option, press
from tests.support.outcomes import all_text, opened_view


async def schedule_series(harness, actor=None, weeks: int = 1, **fields: Any) -> dict:
    """/meeting, then the form submitted with `fields` and "Repeats" every `weeks` weeks."""
    actor = actor or harness.me
    values = meeting_values(**fields)
    values[MeetingIds.REPEATS.value] = {MeetingIds.REPEATS.value: {"type": "static_select",
                                                                   "selected_option": option(weeks)}}  # fmt: skip
    response = await harness.slack.view_submission(actor, await open_form(harness, actor), values)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body.get("response_action") == "update", body
    return body


async def command_text(harness, actor, text: str) -> str:
    """`/meeting <text>`: what the person reads."""
    response = await harness.slack.command(actor, "/meeting", text)
    assert response.status_code == 200, response.text
    return said(response.json())


def record_values(items: dict[int, dict[str, Any]], *, over: Iterable[int] = (), reached: str | None = "yes",
                  deciders: dict[int, str] | None = None) -> dict[str, dict[str, Any]]:  # fmt: skip
    """The Record outcome form's state: per position `outcome`, `decision`, `actions`; `deciders` by position."""
    values: dict[str, dict[str, Any]] = {}

    def put(name: str, state: dict[str, Any]) -> None:
        values[block(name)] = {block(name): state}

    for position, typed in items.items():
        outcome = typed.get("outcome")
        put(f"outcome:{position}", {"type": "static_select", "selected_option":
            {"text": {"type": "plain_text", "text": "x"}, "value": outcome} if outcome else None})  # fmt: skip
        put(f"decision:{position}", text_state(typed.get("decision")))
        put(f"actions:{position}", text_state(typed.get("actions")))
        put(f"decider:{position}", {"type": "users_select", "selected_user": (deciders or {}).get(position)})
    picked = [{"text": {"type": "plain_text", "text": "x"}, "value": str(p)} for p in over]
    put("over:0", {"type": "checkboxes", "selected_options": [o for o in picked if int(o["value"]) <= 10]})
    put("over:1", {"type": "checkboxes", "selected_options": [o for o in picked if int(o["value"]) > 10]})
    chosen = {"text": {"type": "plain_text", "text": "x"}, "value": reached} if reached else None
    put("reached", {"type": "radio_buttons", "selected_option": chosen})
    return values


async def open_record(harness, actor, ref: str = "M-1") -> dict:
    """Presses Record outcome on the card; the form Slack opened."""
    opened = len(harness.standin.calls_to("views.open"))
    await press(harness, actor, MeetingIds.RECORD, ref)
    assert len(harness.standin.calls_to("views.open")) == opened + 1, "the form did not open"
    return opened_view(harness, actor=actor)


async def submit_record(harness, actor, view: dict, items: dict[int, dict[str, Any]], **kw: Any) -> dict:
    response = await harness.slack.view_submission(actor, view, record_values(items, **kw))
    assert response.status_code == 200, response.text
    return response.json() if response.content else {}


async def record(harness, actor, items: dict[int, dict[str, Any]], ref: str = "M-1", **kw: Any) -> dict:
    return await submit_record(harness, actor, await open_record(harness, actor, ref), items, **kw)


async def open_topic(harness, actor, ref: str = "M-1") -> dict:
    opened = len(harness.standin.calls_to("views.open"))
    await press(harness, actor, MeetingIds.ADD_TOPIC, ref)
    assert len(harness.standin.calls_to("views.open")) == opened + 1, "the form did not open"
    return opened_view(harness, actor=actor)


async def add_topic(harness, actor, line: str, ref: str = "M-1") -> dict:
    view = await open_topic(harness, actor, ref)
    values = {TOPIC_BLOCK: {TOPIC_BLOCK: text_state(line)}}
    response = await harness.slack.view_submission(actor, view, values)
    assert response.status_code == 200, response.text
    return response.json() if response.content else {}


async def meetings_now(harness) -> list[Meeting]:
    async with harness.db.sessions() as session:
        query = (
            select(Meeting)
            .order_by(Meeting.number)
            .options(
                selectinload(Meeting.items),
                selectinload(Meeting.attendees),
                selectinload(Meeting.pre_reads).selectinload(PreRead.readers),
            )
        )
        return list(await session.scalars(query))


async def decisions_now(harness) -> list[Decision]:
    async with harness.db.sessions() as session:
        return list(await session.scalars(select(Decision).order_by(Decision.number)))


async def actions_now(harness) -> list[Action]:
    async with harness.db.sessions() as session:
        return list(await session.scalars(select(Action).order_by(Action.number)))


async def delivery_keys(harness) -> list[str]:
    return sorted(d.key for d in await harness.rows(Delivery))


class Jobs:
    """The scheduler's work for series, by hand: the job, then the outbox sender."""

    def __init__(self, harness, clock: MovableClock, clients, sender: Sender) -> None:
        self.sender = sender
        self.context = JobContext(sessions=harness.db.sessions, clock=clock, clients=clients)

    async def series(self) -> int:
        return await meetings_series.advance_due(self.context)

    async def deliver(self, sender: Sender | None = None) -> int:
        claimed = 0
        while done := (await (sender or self.sender).run_once()).claimed:
            claimed += done
        return claimed


def said(message: dict) -> str:
    """A message's text and every text in its blocks."""
    return f"{message.get('text', '')}\n{all_text(message.get('blocks') or [])}"
