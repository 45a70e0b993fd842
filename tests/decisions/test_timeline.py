"""A decision's whole life on a movable clock: nudges at the decider's local times, level one at the deadline,
level two after its wait unless acknowledged, cancelling on decide, rescheduling on a moved deadline, and a
restart in the middle of the walk."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.slack_clients import SlackClients
from bot.web import create_app
from handlers.decisions.blocks.ids import DecisionIds
from models import Decision, DecisionEventKind, Delivery, DeliveryState, Person
from scheduler import decisions as jobs
from scheduler.runner import Runner
from tests.support.decisions import (
    DEADLINE,
    START,
    Scheduler,
    decide,
    dm_texts,
    events,
    fast_path_scheduler,
    kinds,
    one,
    posts,
    press,
    private_answers,
    submit_opened,
)
from tests.support.decisions import ask as ask_decision

pytest_plugins = ["tests.support.outbox_fixtures"]
MINUTE = timedelta(minutes=1)


@pytest.fixture
async def scheduler(harness, clock, clients, sender) -> Scheduler:
    return await fast_path_scheduler(harness, clock, clients, sender, START)


async def ask(harness, **fields) -> Decision:
    return await ask_decision(harness, harness.actor("U0ALEX"), **fields)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """A time in December 2026, UTC (the 1st is the Tuesday before the usual deadline)."""
    return datetime(2026, 12, day, hour, minute, tzinfo=UTC)


def nudges(harness, user: str) -> list[str]:
    return [t for t in dm_texts(harness, user) if "Reminder" in t or "due now" in t]


@pytest.mark.parametrize(
    ("decider", "expected"),
    [
        # Kolkata: a day before is 19:30 there, so 09:00 the next morning; two hours before is 17:30.
        ("U0PRIYA", [at(2, 3, 30), at(2, 12), at(2, 14)]),
        # New York: a day before is 09:00 (in hours); two hours before is 07:00, and the next 09:00 is the deadline.
        ("U0LOCAL", [at(1, 14), at(2, 12), at(2, 14)]),
    ],
)
async def test_nudges_reach_the_decider_at_the_right_local_times(harness, scheduler, decider, expected) -> None:
    await ask(harness, decider=decider)
    await scheduler.run()
    assert nudges(harness, decider) == []

    for number, moment in enumerate(expected, 1):
        await scheduler.at(moment - MINUTE)
        assert len(nudges(harness, decider)) == number - 1, moment
        await scheduler.at(moment)
        assert len(nudges(harness, decider)) == number, moment
    assert "due now" in nudges(harness, decider)[-1]


async def test_level_one_at_the_deadline_level_two_after_its_wait(harness, scheduler) -> None:
    decision = await ask(harness)
    await scheduler.at(DEADLINE - MINUTE)
    alex_before, dana_before = len(dm_texts(harness, "U0ALEX")), len(dm_texts(harness, "U0LOCAL"))

    await scheduler.at(DEADLINE)

    # Level 1: Alex is messaged; the decider has the deadline nudge, not a second message.
    [escalation] = dm_texts(harness, "U0ALEX")[alex_before:]
    assert "on its escalation path (level 1)" in escalation
    assert len([t for t in dm_texts(harness, "U0PRIYA") if "due now" in t]) == 1
    thread = harness.standin.messages("C0GENERAL", decision.card_ts)
    assert [m["text"] for m in thread if "escalated" in m["text"]] == [
        "⏫ *D-1* escalated to level 1: <@U0PRIYA>, <@U0ALEX>. "
        "Decide, acknowledge or snooze it from the card to stop the next level."
    ]
    [card] = harness.standin.calls_to("chat.update")
    assert "Overdue" in str(card.args["blocks"])

    await scheduler.at(DEADLINE + timedelta(minutes=59))
    assert len(dm_texts(harness, "U0LOCAL")) == dana_before

    await scheduler.at(DEADLINE + timedelta(minutes=60))
    [level_two] = dm_texts(harness, "U0LOCAL")[dana_before:]
    assert "(level 2)" in level_two
    broadcast = [m for m in harness.standin.messages("C0GENERAL") if m.get("subtype") == "thread_broadcast"]
    assert ["level 2" in m["text"] for m in broadcast] == [True]  # level 2 also speaks in the channel

    # The clock jumped to a minute before the deadline: the day-before nudge was stale by then and dropped.
    assert await kinds(harness, decision) == ["created", "nudged:2", "nudged:3", "escalated:1", "escalated:2"]
    last = (await events(harness, decision))[-1]
    assert last.at == DEADLINE + timedelta(minutes=60) and last.data["channel"] is True
    history = str((await harness.slack.command(harness.me, "/decision", "D-1")).json()["blocks"])
    assert "Escalated to level 1: <@U0PRIYA> (reminded at the deadline), <@U0ALEX>" in history
    assert "Escalated to level 2: <@U0LOCAL>, the channel" in history


async def test_acknowledging_pauses_the_walk_for_its_window_then_it_resumes(harness, scheduler) -> None:
    await ask(harness)
    await scheduler.at(DEADLINE)
    dana_before = len(dm_texts(harness, "U0LOCAL"))

    scheduler.clock.set(DEADLINE + timedelta(minutes=10))
    await press(harness, harness.actor("U0ALEX"), DecisionIds.ACKNOWLEDGE)
    assert "paused until" in private_answers(harness)[-1]

    await scheduler.at(DEADLINE + timedelta(minutes=60))  # level 2 would have been now
    await scheduler.at(DEADLINE + timedelta(minutes=10) + timedelta(hours=4) - MINUTE)
    assert len(dm_texts(harness, "U0LOCAL")) == dana_before

    await scheduler.at(DEADLINE + timedelta(minutes=10) + timedelta(hours=4))  # the window is over, still open
    assert ["(level 2)" in t for t in dm_texts(harness, "U0LOCAL")[dana_before:]] == [True]
    acknowledged = [e for e in await events(harness) if e.kind is DecisionEventKind.ACKNOWLEDGED]
    assert [e.data["until"] for e in acknowledged] == [(DEADLINE + timedelta(minutes=250)).isoformat()]


@pytest.mark.usefixtures("around_the_clock")  # what is told and when, whatever the hour
async def test_deciding_before_the_deadline_cancels_every_pending_message(harness, scheduler) -> None:
    decision = await ask(harness)
    await scheduler.run()  # the "asked" messages go out
    scheduler.clock.set(at(2, 3, 30))
    assert await scheduler.walk() == 1  # the first nudge is queued ...
    before = posts(harness)

    scheduler.clock.set(at(2, 3, 31))
    answer = await decide(harness, harness.actor("U0PRIYA"))  # ... and the decider decides before it is sent
    assert answer["response_action"] == "update"

    await scheduler.deliver()
    # Only Alex (consulted) hears the result; no nudge, no escalation, now or later.
    assert posts(harness) == before + 1
    assert "Decided: *Acme Support*" in dm_texts(harness, "U0ALEX")[-1]
    for moment in (at(2, 12), DEADLINE, DEADLINE + timedelta(hours=1), DEADLINE + timedelta(days=3)):
        await scheduler.at(moment)
    assert posts(harness) == before + 1
    [nudge] = await harness.rows(Delivery, Delivery.kind == jobs.NUDGE_KIND)
    assert nudge.state == DeliveryState.CANCELLED
    assert await kinds(harness, decision) == ["created", "nudged:1", "decided"]


async def test_moving_the_deadline_reschedules_the_nudges_and_the_walk(harness, scheduler) -> None:
    decision = await ask(harness)
    await scheduler.run()
    scheduler.clock.set(at(2, 3, 30))
    await scheduler.walk()  # nudge 1 queued for the old deadline

    friday = DEADLINE + timedelta(days=2)
    await press(harness, harness.actor("U0PRIYA"), DecisionIds.MOVE_DEADLINE)
    answer = await submit_opened(
        harness,
        harness.actor("U0PRIYA"),
        one(DecisionIds.DEADLINE, {"type": "datetimepicker", "selected_date_time": int(friday.timestamp())}),
    )
    assert answer["response_action"] == "update"
    await scheduler.deliver()
    assert nudges(harness, "U0PRIYA") == []  # the queued nudge was for the old deadline: cancelled

    for moment in (at(2, 12), DEADLINE, DEADLINE + timedelta(hours=2)):
        await scheduler.at(moment)
    assert nudges(harness, "U0PRIYA") == []
    # Friday 14:00 UTC is 19:30 in Kolkata: nudges Friday 09:00 and 17:30 there, and at the deadline.
    for moment in (friday - timedelta(hours=10, minutes=30), friday - timedelta(hours=2), friday):
        await scheduler.at(moment)
    assert len(nudges(harness, "U0PRIYA")) == 3
    await scheduler.at(friday + timedelta(hours=1))
    assert await kinds(harness, decision) == [
        "created",
        "nudged:1",
        "deadline_moved",
        "nudged:1",
        "nudged:2",
        "nudged:3",
        "escalated:1",
        "escalated:2",
    ]


async def test_a_restart_mid_walk_neither_repeats_nor_skips_a_level(harness, scheduler, db, clock) -> None:
    decision = await ask(harness)
    await scheduler.at(DEADLINE)
    await scheduler.at(DEADLINE + timedelta(minutes=30))
    await scheduler.at(DEADLINE + timedelta(minutes=30))  # the same run twice: nothing new
    sent = posts(harness)

    # The process restarts: a fresh app instance on the same database, its scheduler wired as `serve` wires it
    # (Slack clients like its Bolt app's), on the same clock.
    fresh_app = create_app(harness.app.state.settings, database=db)
    fresh = Runner(database=db, clients=SlackClients.like(fresh_app.state.bolt.client, None), clock=clock)
    jobs.register(fresh)
    clock.set(DEADLINE + timedelta(minutes=60))
    try:
        for _ in range(2):
            await fresh.run_job(jobs.JOB_NAME)
            while (await fresh.sender.run_once()).claimed:
                pass
    finally:
        await fresh.clients.close()

    assert posts(harness) == sent + 2  # level 2: Dana's message and the note in the channel, once
    assert await kinds(harness, decision) == ["created", "nudged:3", "escalated:1", "escalated:2"]
    assert fresh.metrics.job_runs[(jobs.JOB_NAME, "ok")] == 2


async def test_a_scheduler_that_was_down_catches_up_one_level_at_a_time(harness, scheduler) -> None:
    decision = await ask(harness)
    await scheduler.at(at(2, 11))  # nudge 1; then nothing runs until three hours after the deadline
    late = DEADLINE + timedelta(hours=3)

    await scheduler.at(late)

    # The stale two-hours-before nudge is dropped; the deadline nudge and level 1 go now; level 2 an hour later.
    assert await kinds(harness, decision) == ["created", "nudged:1", "nudged:3", "escalated:1"]
    await scheduler.at(late + timedelta(minutes=59))
    assert await kinds(harness, decision) == ["created", "nudged:1", "nudged:3", "escalated:1"]
    await scheduler.at(late + timedelta(minutes=60))
    assert (await kinds(harness, decision))[-1] == "escalated:2"


async def test_a_decider_who_left_slack_is_skipped_and_the_timeline_says_so(harness, scheduler) -> None:
    decision = await ask(harness)
    await scheduler.run()
    async with harness.db.sessions.begin() as session:
        person = await session.get(Person, decision.decider_id)
        person.is_deleted = True  # what users.info says once Priya's account is deactivated
    before = len(dm_texts(harness, "U0PRIYA"))

    await scheduler.at(at(2, 3, 30))
    await scheduler.at(DEADLINE)
    await scheduler.at(DEADLINE + timedelta(hours=1))

    assert len(dm_texts(harness, "U0PRIYA")) == before  # never messaged again
    nudged = [e for e in await events(harness, decision) if e.kind is DecisionEventKind.NUDGED]
    assert all(e.data["people"] == [] and e.data["skipped"] == [decision.decider_id] for e in nudged)
    shown = (await harness.slack.command(harness.me, "/decision", "D-1")).json()
    assert "Reminded nobody at the deadline (skipped <@U0PRIYA>: no longer in this Slack workspace)" in str(
        shown["blocks"]
    )
    # The walk goes on without them: level 1 reached Alex, level 2 Dana.
    assert "(level 1)" in dm_texts(harness, "U0ALEX")[-1] and "(level 2)" in dm_texts(harness, "U0LOCAL")[-1]
