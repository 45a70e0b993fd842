"""Helpers for the attention tests: `/followthrough` typed by someone, DMs the bot sent (outbox rows written
straight through the model, as the sender leaves them), and four weeks of them for the noise report."""

from __future__ import annotations

import itertools
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Delivery, DeliveryState, Person, Workspace
from services.attention import canonical, parse
from tests.support.outcomes import all_text

_keys = itertools.count(1)


async def followthrough(harness, text: str, actor=None) -> str:
    """`/followthrough <text>`; what the person reads of the private answer."""
    response = await harness.slack.command(actor or harness.me, "/followthrough", text)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body.get("response_type", "ephemeral") == "ephemeral"  # a command's answer is private unless it says
    return f"{body['text']}\n{all_text(body.get('blocks', []))}"


def sent_dm(workspace_id: int, user: str, kind: str, at: datetime, **fields: Any) -> Delivery:
    """A DM the bot started and sent to `user` (the person it interrupted) at `at`; `fields` override."""
    n = next(_keys)
    values: dict[str, Any] = {
        "workspace_id": workspace_id,
        "key": f"test:{kind}:{user}:{n}",
        "kind": kind,
        "method": "chat.postMessage",
        "args": {"channel": user, "text": "A nudge"},
        "target": user,
        "due_at": at,
        "next_attempt_at": at,
        "state": DeliveryState.SENT,
        "sent_at": at,
        "cleared_at": at,
        "slack_channel": f"D{user}",
        "slack_ts": f"{at.timestamp():.6f}"[:-3] + f"{n % 1000:03d}",
        "urgency": "normal",
        "interrupts": user,
    }
    return Delivery(**{**values, **fields})


async def set_work_hours(harness, user_id: str, text: str) -> None:
    """Stores `text` as the person's working hours the way `/followthrough hours` keeps them (canonically); a
    first request makes sure the person exists, as it would when they typed the command."""
    response = await harness.slack.command(harness.actor(user_id), "/followthrough", "help")
    assert response.status_code == 200, response.text
    async with harness.db.sessions.begin() as session:
        person = await session.scalar(select(Person).where(Person.slack_user_id == user_id))
        person.work_hours = canonical(parse(text))


# Four weeks of DMs --------------------------------------------------------------------------------------------
#
# One string per day, 2 to 8 days before now, in each person's own zone; each letter is one top-level DM:
# d decision.nudge, c checkin.ask, m meeting.read, a action.nudge, y the "your day" round-up (two action nudges
# inside it, one answered). Lower case: answered within an hour; upper case: not answered; `~` answered a day
# and a half later; `*` it waited first (outside working hours). The first DM of each day goes at 05:00 local
# time (Kolkata's is the evening before in UTC), the rest at 09:00, 10:00, ...
HISTORY = {
    "U0PRIYA": ["dCCCCCCM*", "d", "c", "dC*", "dCM", "y", "a"],  # 8 1 1 2 3 1 1
    "U0ALEX": ["dCCCC~", "dA", "dC", "d", "c", "DCM*", "a"],  # 5 2 2 1 1 3 1
    "U0LOCAL": ["dCCM", "dC", "DM*", "dCC", "a", "dM", "a*"],  # 4 2 2 3 1 2 1
}
ZONES = {"U0PRIYA": "Asia/Kolkata", "U0ALEX": "Europe/Berlin", "U0LOCAL": "America/New_York"}
KINDS = {"d": "decision.nudge", "c": "checkin.ask", "m": "meeting.read", "a": "action.nudge", "y": "attention.your_day"}


def _moment(zone: ZoneInfo, now: datetime, days_ago: int, index: int) -> datetime:
    day = now.astimezone(zone).date() - timedelta(days=days_ago)
    clock = time(5) if index == 0 else time(8 + index)
    return datetime.combine(day, clock).replace(tzinfo=zone)


def _day(workspace: Workspace, user: str, zone: ZoneInfo, now: datetime, days_ago: int, text: str) -> list:
    rows: list[Delivery] = []
    for index, (letter, late, held) in enumerate(_tokens(text)):
        sent_at = _moment(zone, now, days_ago, index)
        answered = sent_at + timedelta(hours=36 if late else 1) if letter.islower() or late else None
        row = sent_dm(workspace.id, user, KINDS[letter.lower()], sent_at, responded_at=answered,
                      held_reason="outside working hours" if held else None)  # fmt: skip
        rows.append(row)
        if letter == "y":  # the round-up's items: thread replies under it, each over the day's budget
            row.responded_at = None
            for answered_item in (True, False):
                rows.append(sent_dm(workspace.id, user, "action.nudge", sent_at, thread_of=row.key,
                                    held_reason="over today's budget",
                                    responded_at=sent_at + timedelta(hours=2) if answered_item else None))  # fmt: skip
    return rows


def _tokens(text: str) -> list[tuple[str, bool, bool]]:
    """(letter, answered late, held) for each letter of a day's string."""
    found: list[tuple[str, bool, bool]] = []
    for char in text:
        if char.isalpha():
            found.append((char, False, False))
        elif char == "~":
            found[-1] = (found[-1][0], True, found[-1][2])
        elif char == "*":
            found[-1] = (found[-1][0], found[-1][1], True)
    return found


async def four_weeks(session: AsyncSession, workspace: Workspace, now: datetime, *, strangers: bool = True) -> None:
    """HISTORY for the harness's three people (their zones stored), one DM to alex an hour ago (too recent for its
    answer to count), and what the report must leave out: a DM still waiting, a channel post, a DM sent five
    weeks ago, and (with `strangers`) a DM in another workspace."""
    for user, days in HISTORY.items():
        zone = ZoneInfo(ZONES[user])
        for days_ago, text in enumerate(days, start=2):
            session.add_all(_day(workspace, user, zone, now, days_ago, text))
    session.add(sent_dm(workspace.id, "U0ALEX", "checkin.ask", now - timedelta(hours=1)))
    waiting = sent_dm(workspace.id, "U0ALEX", "checkin.ask", now, state=DeliveryState.PENDING, sent_at=None,
                      held_reason="focus time")  # fmt: skip
    post = sent_dm(workspace.id, "C0GENERAL", "checkin.digest", now - timedelta(days=3), interrupts=None, urgency=None)
    old = sent_dm(workspace.id, "U0ALEX", "checkin.ask", now - timedelta(days=35))
    session.add_all([waiting, post, old])
    if strangers:
        other = Workspace(team_id="T0OTHER", name="Other")
        session.add(other)
        await session.flush()
        session.add(sent_dm(other.id, "U0OTHER", "checkin.ask", now - timedelta(days=3)))
    await session.flush()


async def zones_stored(session: AsyncSession, people: dict[str, Person]) -> None:
    for user, person in people.items():
        person.timezone = ZONES[user]
    await session.flush()
