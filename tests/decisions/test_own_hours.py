"""Nudges before the deadline move into the decider's own working hours (`Person.work_hours`), not a default
for everyone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.support.attention import set_work_hours
from tests.support.decisions import (
    START,
    Scheduler,
    ask,
    dm_texts,
    fast_path_scheduler,
)

pytest_plugins = ["tests.support.outbox_fixtures"]
MINUTE = timedelta(minutes=1)
# Monday 7 December 2026, 10:00 in Berlin, where Alex decides.
DEADLINE = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


@pytest.fixture
async def scheduler(harness, clock, clients, sender) -> Scheduler:
    return await fast_path_scheduler(harness, clock, clients, sender, START)


def reminders(harness) -> list[str]:
    return [t for t in dm_texts(harness, "U0ALEX") if "Reminder" in t or "due now" in t]


@pytest.mark.parametrize(
    ("hours", "expected"),
    [
        # The default, 09:00-18:00: a day before is Sunday, moved to 09:00 Monday, where the two-hours-before
        # nudge (08:00) lands too: one nudge, then the deadline.
        (None, [DEADLINE - timedelta(hours=1), DEADLINE]),
        # Theirs, 07:00-15:00 Monday to Thursday: Sunday moves to 07:00 Monday, and 08:00 is inside their hours.
        ("07:00-15:00 mon-thu", [DEADLINE - timedelta(hours=3), DEADLINE - timedelta(hours=2), DEADLINE]),
    ],
    ids=["default-hours", "own-hours"],
)
async def test_nudges_move_into_the_deciders_own_working_hours(harness, scheduler, hours, expected) -> None:
    if hours:
        await set_work_hours(harness, "U0ALEX", hours)
    await ask(harness, harness.actor("U0PRIYA"), decider="U0ALEX", consulted=[], deadline=DEADLINE)
    await scheduler.run()

    for number, moment in enumerate(expected, 1):
        await scheduler.at(moment - MINUTE)
        assert len(reminders(harness)) == number - 1, moment
        await scheduler.at(moment)
        assert len(reminders(harness)) == number, moment
    assert "due now" in reminders(harness)[-1]
