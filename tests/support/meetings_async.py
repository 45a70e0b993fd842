"""Helpers for the tests of meetings made async (no tests here): press Make it async and send its form, run the
scheduler's job and the outbox sender on the movable clock, reply in the thread as people do, read the thread."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from bot.clock import MovableClock
from handlers.meetings.blocks.going_async import AsyncIds
from handlers.meetings.blocks.ids import MeetingIds
from models import Meeting, MeetingInput, Person
from scheduler import meetings_async as jobs
from scheduler.runner import JobContext
from scheduler.sender import Sender
from tests.support.checkins import deliver
from tests.support.meetings import press
from tests.support.outcomes import opened_view

CHANNEL = "C0GENERAL"


def deadline_values(deadline: datetime | None) -> dict[str, dict[str, Any]]:
    stamp = int(deadline.timestamp()) if deadline else None
    block = AsyncIds.DEADLINE.value
    return {block: {block: {"type": "datetimepicker", "selected_date_time": stamp}}}


async def open_async_form(harness, actor, ref: str = "M-1") -> dict:
    """Presses Make it async; the form Slack opened."""
    opened = len(harness.standin.calls_to("views.open"))
    await press(harness, actor, MeetingIds.MAKE_ASYNC, ref)
    assert len(harness.standin.calls_to("views.open")) == opened + 1, "no form opened"
    return opened_view(harness, actor=actor)


async def submit_async(harness, actor, view: dict, deadline: datetime | None) -> dict:
    response = await harness.slack.view_submission(actor, view, deadline_values(deadline))
    assert response.status_code == 200, response.text
    return response.json() if response.content else {}


class Async:
    """The scheduler's work for meetings made async, by hand: the job (asks, summaries), then the sender."""

    def __init__(self, harness, clock: MovableClock, clients, sender: Sender) -> None:
        self.harness, self.clock, self.sender = harness, clock, sender
        self.context = JobContext(sessions=harness.db.sessions, clock=clock, clients=clients)

    async def deliver(self) -> int:
        return await deliver(self.sender)

    async def job(self) -> int:
        return await jobs.async_due(self.context)

    async def at(self, moment: datetime | None = None) -> int:
        """The job at `moment` (or now), then whatever it queued, sent."""
        if moment is not None:
            self.clock.set(moment)
        queued = await self.job()
        await self.deliver()
        return queued


def thread(harness, channel: str = CHANNEL) -> tuple[dict, list[dict]]:
    """The thread's first message in the channel and the replies under it."""
    [parent] = [m for m in harness.standin.messages(channel) if "is async" in m["text"]]
    return parent, harness.standin.messages(channel, parent["ts"])


async def reply(harness, user: str, text: str, *, channel: str = CHANNEL, team_id: str | None = None,
                event_id: str | None = None, retry_num: int | None = None, **extra: Any) -> dict:  # fmt: skip
    """`user` replies in the meeting's thread (the message stored in the stand-in, its event sent to the app)."""
    parent, _ = thread(harness, channel)
    message = harness.standin.add_message(channel, user, text, thread_ts=parent["ts"])
    event = {"type": "message", "channel": channel, "channel_type": "channel", "user": user, "text": text,
             "ts": message["ts"], "thread_ts": parent["ts"], **extra}  # fmt: skip
    actor = harness.actor(user, **({"team_id": team_id} if team_id else {}))
    response = await harness.slack.event(actor, event, event_id=event_id, retry_num=retry_num)
    assert response.status_code == 200, response.text
    return event


async def resend(harness, user: str, event: dict, *, event_id: str, retry_num: int) -> None:
    """Slack retrying an event it thinks was lost: the same event id, with X-Slack-Retry-Num."""
    response = await harness.slack.event(harness.actor(user), event, event_id=event_id, retry_num=retry_num)
    assert response.status_code == 200, response.text


async def inputs(harness) -> list[tuple[str, int, str]]:
    """Written input as stored: (who, the item's position, the text), in order."""
    async with harness.db.sessions() as session:
        meeting = await session.scalar(select(Meeting).options(selectinload(Meeting.items)))
        positions = {i.id: i.position for i in meeting.items} if meeting else {}
        rows = await session.execute(
            select(Person.slack_user_id, MeetingInput.item_id, MeetingInput.text)
            .join(Person, Person.id == MeetingInput.person_id)
            .order_by(MeetingInput.id)
        )
        return [(user, positions.get(item_id, 0), text) for user, item_id, text in rows]


def decision_button(message: dict, value: str) -> dict:
    for block in message.get("blocks") or []:
        for element in block.get("elements") or []:
            if element.get("action_id") == AsyncIds.MAKE_DECISION and element.get("value") == value:
                return {**element, "block_id": block["block_id"]}
    raise AssertionError(f"no decision button {value} in {message.get('text')!r}")


def buttons_in(message: dict) -> list[str]:
    return [e.get("value") for b in message.get("blocks") or [] if b["type"] == "actions" for e in b["elements"]]
