"""How decisions read (issue 10 item 9): the deadline said once, "waiting on" for an overdue one, a card that
says when the escalation is paused and stops offering Acknowledge, durations in hours and days."""

from __future__ import annotations

from datetime import timedelta

import pytest

from handlers.decisions.blocks.ids import DecisionIds
from models import Decision
from tests.support.decisions import (
    DEADLINE,
    START,
    Scheduler,
    ask,
    fast_path_scheduler,
    press,
)
from tests.support.outcomes import all_text

pytest_plugins = ["tests.support.outbox_fixtures"]


@pytest.fixture
async def scheduler(harness, clock, clients, sender) -> Scheduler:
    return await fast_path_scheduler(harness, clock, clients, sender, START)


def card(harness, decision: Decision) -> dict:
    [message] = [m for m in harness.standin.messages("C0GENERAL") if m["ts"] == decision.card_ts]
    return message


def buttons(message: dict) -> list[str]:
    actions = next(b for b in message["blocks"] if b.get("block_id") == DecisionIds.CARD_ACTIONS)
    return [e["text"]["text"] for e in actions["elements"]]


async def shown(harness) -> dict:
    return (await harness.slack.command(harness.me, "/decision", "D-1")).json()


async def test_after_acknowledge_the_card_says_the_escalation_is_paused_and_offers_no_acknowledge(
    harness, scheduler
) -> None:
    decision = await ask(harness)
    await scheduler.at(DEADLINE + timedelta(minutes=5))
    assert "the escalation path is being walked" in all_text(card(harness, decision)["blocks"])
    assert "Acknowledge" in buttons(card(harness, decision))

    await press(harness, harness.actor("U0PRIYA"), DecisionIds.ACKNOWLEDGE)

    for message in (card(harness, decision), await shown(harness)):
        text = all_text(message["blocks"])
        assert "🟠 Overdue by 5 min: the escalation is paused until <!date^" in text
        assert "being walked" not in text
        assert buttons(message) == ["Decide", "Ask for input", "Move deadline", "Withdraw"]

    await scheduler.at(DEADLINE + timedelta(minutes=5, hours=4))  # the window is over: the walk goes on
    again = card(harness, decision)
    assert "the escalation path is being walked" in all_text(again["blocks"])
    assert "Acknowledge" in buttons(again)


async def test_the_deadline_is_said_once_when_the_deciders_time_is_the_fallbacks(harness, scheduler) -> None:
    harness.standin.add_user("U0UTC", name="uma", real_name="Uma Utc", tz="UTC")
    await ask(harness, decider="U0UTC")
    await ask(harness, question="Which region first?")

    in_utc = all_text((await harness.slack.command(harness.me, "/decision", "D-1")).json()["blocks"])
    in_kolkata = all_text((await harness.slack.command(harness.me, "/decision", "D-2")).json()["blocks"])

    assert "|Wed 2 Dec 14:00 UTC> (in 2 days)\n" in in_utc and "for <@U0UTC>" not in in_utc
    assert "|Wed 2 Dec 14:00 UTC> (in 2 days); Wed 2 Dec 19:30 for <@U0PRIYA> (Asia/Kolkata)" in in_kolkata


async def test_an_overdue_decision_reads_as_waiting_on_its_decider(harness, scheduler) -> None:
    await ask(harness)
    scheduler.clock.set(DEADLINE + timedelta(minutes=3))

    overdue = all_text((await harness.slack.command(harness.me, "/decision", "list overdue")).json()["blocks"])

    assert "· 3 min overdue, waiting on <@U0PRIYA>" in overdue
    assert "decides 3" not in overdue


async def test_a_path_reads_in_hours_and_days(harness, scheduler) -> None:
    listing = all_text((await harness.slack.command(harness.me, "/escalation", "list")).json()["blocks"])

    assert "1. at the deadline: <@U0ALEX>, the decider; after 1 h the next level" in listing
    assert "2. next: <@U0LOCAL>, the channel" in listing
    assert " min" not in listing.replace("Standard", "")
