"""Helpers for the meeting job tests (no tests here): run the meetings' scheduled jobs and the outbox sender the
way the runner would, at a chosen moment on a movable clock, and read what people and channels received."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from bot.clock import MovableClock
from models import Meeting
from scheduler import meetings as jobs
from scheduler.runner import JobContext
from scheduler.sender import Sender
from tests.support.outcomes import all_text

CHANNEL = "C0GENERAL"


class MeetingJobs:
    """The scheduler's work for meetings, by hand: every "what is due" job, then the sender."""

    def __init__(self, harness, clock: MovableClock, clients, sender: Sender) -> None:
        self.harness, self.clock, self.sender = harness, clock, sender
        self.context = JobContext(sessions=harness.db.sessions, clock=clock, clients=clients)

    async def deliver(self) -> int:
        claimed = 0
        while done := (await self.sender.run_once()).claimed:
            claimed += done
        return claimed

    async def at(self, moment: datetime, *, twice: bool = False) -> None:
        """Every job at `moment` (twice over when asked, as a second scheduler would), then the sender."""
        self.clock.set(moment)
        for _ in range(2 if twice else 1):
            await jobs.meetings_due(self.context)
        await self.deliver()

    async def sweep(self, start: datetime, until: datetime, step: timedelta = timedelta(minutes=1)) -> None:
        """Run every `step` from `start` to `until`, as a scheduler that never stops would."""
        moment = start
        while moment <= until:
            await self.at(moment)
            moment += step


def texts(harness, user_or_channel: str, thread_ts: str | None = None) -> list[str]:
    """What a person (their DM with the app) or a channel shows, each message's text and blocks together."""
    found = harness.standin.messages(user_or_channel, thread_ts)
    return [f"{m.get('text', '')}\n{all_text(m.get('blocks') or [])}" for m in found]


def buttons(message: dict) -> list[tuple[str, str]]:
    """(action_id, value) of every button in a message, accessories included."""
    found = []
    for block in message.get("blocks") or []:
        for element in [*(block.get("elements") or []), block.get("accessory") or {}]:
            if element.get("type") == "button":
                found.append((element["action_id"], element.get("value", "")))
    return found


async def meeting_row(harness, number: int = 1) -> Meeting:
    async with harness.db.sessions() as session:
        return (await session.scalars(select(Meeting).where(Meeting.number == number).order_by(Meeting.id))).first()
