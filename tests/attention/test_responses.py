"""Answering a DM the bot started is noticed, whatever feature sent it: a button pressed on it, a reply in its
thread, or a message in the DM just after it. Only the first answer is kept. Through the real app, signed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import select

from bot.clock import MovableClock
from handlers.actions.blocks.ids import ActionIds
from models import Action, Delivery
from services.attention import responses
from tests.support.actions import button
from tests.support.attention import sent_dm
from tests.support.decisions import install_clock
from tests.support.health import action_with, seed
from tests.support.outbox import TOKEN

START = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)  # Monday, 13:30 in Kolkata


@pytest.fixture
def clock(harness) -> MovableClock:
    clock = MovableClock(START)
    install_clock(harness, clock)
    return clock


async def bot_dm(standin_server, user: str, blocks: list[dict]) -> dict:
    """The bot's DM to `user`, posted to the stand-in as the sender would; the message as Slack stores it."""
    _, base_url = standin_server
    client = AsyncWebClient(token=TOKEN, base_url=f"{base_url}/api/")
    answer = await client.chat_postMessage(channel=user, text="A-1 is due today", blocks=blocks)
    return {**answer["message"], "channel": answer["channel"]}


async def remembered(harness, message: dict, *, kind: str = "action.nudge", sent: datetime = START) -> Delivery:
    """The outbox row of that DM, as the sender leaves it once sent."""
    async with harness.db.sessions.begin() as session:
        workspace = await session.scalar(select(Action.workspace_id).limit(1))
        row = sent_dm(workspace, "U0PRIYA", kind, sent,
                      slack_channel=message["channel"], slack_ts=message["ts"])  # fmt: skip
        session.add(row)
    return row


async def answered_at(harness, row: Delivery) -> datetime | None:
    [found] = await harness.rows(Delivery, Delivery.id == row.id)
    return found.responded_at


async def priya_owns_a1(session, workspace, people) -> None:
    await action_with(session, workspace, people["U0PRIYA"], 1, now=START, due_in=0)


async def test_pressing_a_button_on_a_dm_records_the_first_answer_and_the_button_still_works(
    harness, clock, standin_server
) -> None:
    await seed(harness, priya_owns_a1)
    done = button(ActionIds.DONE, "A-1")
    message = await bot_dm(standin_server, "U0PRIYA", [{"type": "actions", "block_id": done["block_id"],
                                                        "elements": [done]}])  # fmt: skip
    row = await remembered(harness, message, sent=START - timedelta(minutes=20))
    priya = harness.actor("U0PRIYA", channel_id=message["channel"], channel_name="directmessage")

    response = await harness.slack.block_action(priya, done, message=message)
    clock.advance(timedelta(hours=1))
    await harness.slack.block_action(priya, done, message=message)

    assert response.status_code == 200
    [action] = await harness.rows(Action)
    assert action.status == "done"  # the feature's own listener ran as ever
    assert await answered_at(harness, row) == START


async def test_when_recording_fails_the_press_still_does_what_it_says(
    harness, clock, standin_server, monkeypatch
) -> None:
    await seed(harness, priya_owns_a1)
    done = button(ActionIds.DONE, "A-1")
    message = await bot_dm(standin_server, "U0PRIYA", [{"type": "actions", "elements": [done]}])
    row = await remembered(harness, message)

    async def broken(*args, **kwargs):
        raise RuntimeError("the database hiccuped")

    monkeypatch.setattr(responses, "answered_message", broken)
    await harness.slack.block_action(harness.actor("U0PRIYA", channel_id=message["channel"]), done, message=message)

    [action] = await harness.rows(Action)
    assert action.status == "done"
    assert await answered_at(harness, row) is None


async def test_a_press_on_some_other_message_records_nothing(harness, clock, standin_server) -> None:
    await seed(harness, priya_owns_a1)
    done = button(ActionIds.DONE, "A-1")
    nudge = await bot_dm(standin_server, "U0PRIYA", [{"type": "actions", "elements": [done]}])
    other = await bot_dm(standin_server, "U0PRIYA", [{"type": "actions", "elements": [done]}])
    row = await remembered(harness, nudge)
    priya = harness.actor("U0PRIYA", channel_id=other["channel"])

    await harness.slack.block_action(priya, done, message=other)

    assert await answered_at(harness, row) is None


async def test_a_reply_in_the_thread_of_a_dm_records_the_answer(harness, clock, standin_server) -> None:
    await seed(harness, priya_owns_a1)
    nudge = await bot_dm(standin_server, "U0PRIYA", [])
    row = await remembered(harness, nudge, kind="checkin.ask")
    clock.advance(timedelta(minutes=7))

    response = await harness.slack.event(harness.actor("U0PRIYA"), {
        "type": "message", "channel": nudge["channel"], "channel_type": "im", "user": "U0PRIYA",
        "text": "On it, done by noon", "ts": "1764490000.000200", "thread_ts": nudge["ts"],
    })  # fmt: skip

    assert response.status_code == 200
    assert await answered_at(harness, row) == START + timedelta(minutes=7)


async def test_a_message_in_the_dm_answers_the_latest_dm_of_the_last_day(harness, clock, standin_server) -> None:
    await seed(harness, priya_owns_a1)
    earlier = await remembered(harness, await bot_dm(standin_server, "U0PRIYA", []), sent=START - timedelta(hours=3))
    latest_dm = await bot_dm(standin_server, "U0PRIYA", [])
    latest = await remembered(harness, latest_dm, sent=START - timedelta(hours=1))

    await harness.slack.event(harness.actor("U0PRIYA"), {
        "type": "message", "channel": latest_dm["channel"], "channel_type": "im", "user": "U0PRIYA",
        "text": "thanks!", "ts": "1764490000.000300",
    })  # fmt: skip
    clock.advance(timedelta(days=2))
    await harness.slack.event(harness.actor("U0PRIYA"), {
        "type": "message", "channel": latest_dm["channel"], "channel_type": "im", "user": "U0PRIYA",
        "text": "and again", "ts": "1764490000.000400",
    })  # fmt: skip

    assert await answered_at(harness, latest) == START
    assert await answered_at(harness, earlier) is None  # a day on, nothing recent is left to answer
