"""Someone away (`/checkin away`) is not pinged by the walk: a level naming them skips them and says so on the
timeline and in the card's thread; a level nobody on it can hear hands over to the next level at once; a decider
away gets no nudge; and once back, they are reached again."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from models import DecisionEventKind, Person
from tests.support.decisions import (
    DEADLINE,
    FAST_PATH,
    START,
    Scheduler,
    define_path,
    dm_texts,
    events,
    install_clock,
    kinds,
)
from tests.support.decisions import ask as ask_decision
from tests.support.outcomes import all_text

pytest_plugins = ["tests.support.outbox_fixtures"]
MINUTE = timedelta(minutes=1)
# Level 1 only Alex; level 2 Dana and the channel, a day; level 3 Alex again.
ALEX_THEN_DANA_THEN_ALEX = [
    {"people": ["U0ALEX"], "wait": "60"},
    {"people": ["U0LOCAL"], "channel": True, "wait": "1440"},
    {"people": ["U0ALEX"], "wait": "60"},
]


@pytest.fixture
async def scheduler(harness, clock, clients, sender) -> Scheduler:
    clock.set(START)
    install_clock(harness, clock)
    return Scheduler(harness, clock, clients, sender)


async def away(harness, user: str, until: str) -> None:
    answer = (await harness.slack.command(harness.actor(user), "/checkin", f"away {until}")).json()
    assert "You're away until" in answer["text"], answer


async def history(harness) -> str:
    return all_text((await harness.slack.command(harness.me, "/decision", "D-1")).json()["blocks"])


def thread(harness, decision) -> list[str]:
    return [m["text"] for m in harness.standin.messages("C0GENERAL", decision.card_ts) if "level" in m["text"]]


def level_dms(harness, user: str) -> list[str]:
    return [t for t in dm_texts(harness, user) if "escalation path (level" in t]


async def test_a_level_naming_someone_away_skips_them_and_the_timeline_says_so(harness, scheduler) -> None:
    await define_path(harness, "Fast", FAST_PATH, default=True)
    await away(harness, "U0ALEX", "2026-12-04")
    decision = await ask_decision(harness, harness.actor("U0ALEX"))

    await scheduler.at(DEADLINE)

    assert level_dms(harness, "U0ALEX") == []
    [level_one] = [e for e in await events(harness, decision) if e.kind is DecisionEventKind.ESCALATED]
    [alex] = await harness.rows(Person, Person.slack_user_id == "U0ALEX")
    assert level_one.data["people"] == [] and level_one.data["away"] == [alex.id]
    assert level_one.data["reminded"] == [decision.decider_id]  # the decider heard, so the level did its work
    assert thread(harness, decision) == [
        "⏫ *D-1* escalated to level 1: <@U0PRIYA>. Skipped <@U0ALEX>: away until Fri 4 Dec. "
        "Decide, acknowledge or snooze it from the card to stop the next level."
    ]
    assert (
        "Escalated to level 1: <@U0PRIYA> (reminded at the deadline) (skipped <@U0ALEX>: away until Fri 4 Dec)"
        in await history(harness)
    )
    # Level 2 keeps its time: someone on level 1 was reached.
    await scheduler.at(DEADLINE + timedelta(minutes=59))
    assert level_dms(harness, "U0LOCAL") == []
    await scheduler.at(DEADLINE + timedelta(minutes=60))
    assert len(level_dms(harness, "U0LOCAL")) == 1


async def test_a_level_whose_only_person_is_away_hands_over_at_once_and_they_are_reached_once_back(
    harness, scheduler
) -> None:
    await define_path(harness, "Alex first", ALEX_THEN_DANA_THEN_ALEX, default=True)
    await away(harness, "U0ALEX", "2026-12-02")  # the deadline's day, in Berlin
    decision = await ask_decision(harness, harness.actor("U0ALEX"))

    await scheduler.at(DEADLINE)
    await scheduler.at(DEADLINE)  # run again: nothing twice

    assert level_dms(harness, "U0ALEX") == []
    assert ["(level 2)" in t for t in level_dms(harness, "U0LOCAL")] == [True]  # now, not an hour later
    escalated = [e for e in await events(harness, decision) if e.kind is DecisionEventKind.ESCALATED]
    assert [(e.data["number"], e.at) for e in escalated] == [(1, DEADLINE), (2, DEADLINE)]
    assert escalated[0].data["moved_on"] is True and escalated[0].data["away_until"] is not None
    assert thread(harness, decision) == [
        "⏫ *D-1* reached level 1, but nobody on it can be reached now. Skipped <@U0ALEX>: away until Wed 2 Dec. "
        "Level 2 follows now.",
        "⏫ *D-1* escalated to level 2: <@U0LOCAL> and this channel. "
        "Decide, acknowledge or snooze it from the card to stop the next level.",
    ]
    shown = await history(harness)
    assert "Level 1 reached nobody (skipped <@U0ALEX>: away until Wed 2 Dec), so level 2 followed at once" in shown
    assert "Escalated to level 2: <@U0LOCAL>, the channel" in shown

    # Level 3 a day later: Thursday 15:00 in Berlin, and Alex is back.
    await scheduler.at(DEADLINE + timedelta(hours=24) - MINUTE)
    assert level_dms(harness, "U0ALEX") == []
    await scheduler.at(DEADLINE + timedelta(hours=24))
    assert ["(level 3)" in t for t in level_dms(harness, "U0ALEX")] == [True]
    assert await kinds(harness, decision) == ["created", "nudged:3", "escalated:1", "escalated:2", "escalated:3"]
    assert "Escalated to level 3: <@U0ALEX>" in await history(harness)


async def test_an_away_decider_gets_no_nudge_and_is_reminded_again_once_back(harness, scheduler) -> None:
    await define_path(harness, "Fast", FAST_PATH, default=True)
    await away(harness, "U0PRIYA", "2026-12-01")
    # Due Wednesday 11:30 in Kolkata: a day before (Tuesday 11:30) Priya is away; two hours before she is back.
    deadline = datetime(2026, 12, 2, 6, 0, tzinfo=UTC)
    decision = await ask_decision(harness, harness.actor("U0ALEX"), deadline=deadline)
    await scheduler.run()

    def reminders() -> list[str]:
        return [t for t in dm_texts(harness, "U0PRIYA") if "Reminder" in t or "due now" in t]

    await scheduler.at(deadline - timedelta(days=1))
    assert reminders() == []
    nudged = [e for e in await events(harness, decision) if e.kind is DecisionEventKind.NUDGED]
    assert [(e.data["people"], e.data["away"]) for e in nudged] == [([], [decision.decider_id])]
    assert "Reminded nobody before the deadline (skipped <@U0PRIYA>: away until Tue 1 Dec)" in await history(harness)

    await scheduler.at(deadline - timedelta(hours=2))
    await scheduler.at(deadline)
    assert ["Reminder" in t for t in reminders()] == [True, False]  # the two-hours-before one, then "due now"
    assert await kinds(harness, decision) == ["created", "nudged:1", "nudged:2", "nudged:3", "escalated:1"]
