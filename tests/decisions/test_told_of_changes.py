"""The decider and the responsible hear once, in a direct message, when a decision's deadline moves or the
decision is reopened; whoever made the change is not told what they did (issue 10 item 8)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from handlers.decisions.blocks.ids import DecisionIds
from models import Delivery
from tests.support.decisions import (
    DEADLINE,
    START,
    Scheduler,
    ask,
    decide,
    dm_texts,
    install_clock,
    one,
    press,
    submit_opened,
    text_state,
)

pytest_plugins = ["tests.support.outbox_fixtures"]


@pytest.fixture(autouse=True)
def at_start(harness, clock) -> None:
    clock.set(START)
    install_clock(harness, clock)


def deadline_state(moment) -> dict:
    return one(DecisionIds.DEADLINE, {"type": "datetimepicker", "selected_date_time": int(moment.timestamp())})


async def move(harness, actor, moment) -> dict:
    await press(harness, actor, DecisionIds.MOVE_DEADLINE)
    return await submit_opened(harness, actor, deadline_state(moment))


async def test_moving_the_deadline_tells_the_decider_and_the_responsible_once(harness, clock, clients, sender) -> None:
    scheduler = Scheduler(harness, clock, clients, sender)
    await ask(harness, responsible=["U0ALEX"], consulted=[], informed=["U0OTHER"])
    await scheduler.run()
    before = {u: len(dm_texts(harness, u)) for u in ("U0PRIYA", "U0ALEX", "U0LOCAL", "U0OTHER")}

    answer = await move(harness, harness.me, DEADLINE + timedelta(days=1))
    await scheduler.deliver()
    await scheduler.deliver()

    assert "2 people are told" in str(answer["view"])
    priya, alex = dm_texts(harness, "U0PRIYA")[before["U0PRIYA"] :], dm_texts(harness, "U0ALEX")[before["U0ALEX"] :]
    assert len(priya) == 1 and len(alex) == 1
    assert priya[0].startswith("🗓️ <@U0LOCAL> moved the deadline of *D-1* (it was ")
    assert "You decide by <!date^" in priya[0] and "<@U0PRIYA> decides by" in alex[0]
    assert len(dm_texts(harness, "U0LOCAL")) == before["U0LOCAL"]  # who moved it knows
    assert len(dm_texts(harness, "U0OTHER")) == before["U0OTHER"]  # the informed hear the result, not each move


@pytest.mark.usefixtures("around_the_clock")  # what is told and when, whatever the hour
async def test_each_move_and_a_reopen_is_told_under_a_key_of_its_own(harness, clock, clients, sender) -> None:
    scheduler = Scheduler(harness, clock, clients, sender)
    await ask(harness, consulted=[])
    await move(harness, harness.me, DEADLINE + timedelta(days=1))
    await move(harness, harness.me, DEADLINE + timedelta(days=2))
    await decide(harness, harness.actor("U0PRIYA"))
    await press(harness, harness.me, DecisionIds.REOPEN)
    reason = one(DecisionIds.REASON, text_state("Acme changed its offer."))
    await submit_opened(harness, harness.me, deadline_state(DEADLINE + timedelta(days=3)) | reason)
    await scheduler.deliver()

    told = sorted(d.key for d in await harness.rows(Delivery) if ":rescheduled:" in d.key)
    assert told == [
        "decision:D-1:round:2:rescheduled:U0PRIYA",
        "decision:D-1:round:3:rescheduled:U0PRIYA",
        "decision:D-1:round:4:rescheduled:U0PRIYA",
    ]
    assert "🔁 <@U0LOCAL> reopened *D-1*: Acme changed its offer. You decide by" in dm_texts(harness, "U0PRIYA")[-1]
