"""When each step's person hears of it: at 09:00 of the step's working day in the lead's zone across a weekend
and the end of daylight saving time (New York, Sunday 1 November 2026), inside the person's own working hours
for onboarding and launches, and at the exact minute for incidents, night or weekend. Real attention policy
here: people work 09:00-18:00, Monday to Friday, in their own zones."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from models import PlaybookKind
from tests.support.playbook_runs import Scheduler, dms, install_clock, make_playbook, start_run, steps

pytest_plugins = ["tests.support.outbox_fixtures"]
THURSDAY = datetime(2026, 10, 29, 15, 0, tzinfo=UTC)  # the run is started then; US clocks go back on Sunday


@pytest.fixture
def runs(harness, clock, clients, sender) -> Scheduler:
    clock.set(THURSDAY)
    install_clock(harness, clock)
    return Scheduler(harness, clock, clients, sender)


def told(harness, user: str, title: str) -> int:
    return sum(1 for text in dms(harness, user) if title in text)


async def when_told(harness, runs: Scheduler, user: str, title: str, moments: list[datetime]) -> datetime | None:
    """The first of `moments` at which `user` has heard of `title` (the job and the sender run at each)."""
    for moment in moments:
        await runs.at(moment)
        if told(harness, user, title):
            return moment
    return None


def utc(day: int, hour: int, minute: int = 0, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


async def test_onboarding_days_fall_at_nine_local_across_the_weekend_and_the_clock_change(harness, runs) -> None:
    steps_typed = [("Laptop ready", "buddy", "day 1"), ("Meet the team", "buddy", "day 2")]
    ref = await make_playbook(harness, steps_typed)
    run = await start_run(harness, ref, people_for={"buddy": "U0LOCAL"}, anchor="2026-10-30")  # a Friday

    found = await steps(harness, run)
    # Friday 09:00 EDT is 13:00 UTC; Monday 09:00 EST, after the clocks went back, is 14:00 UTC.
    assert [s.due_at.astimezone(UTC) for s in found] == [utc(30, 13, month=10), utc(2, 14)]
    first = await when_told(
        harness, runs, "U0LOCAL", "Laptop ready", [utc(30, 12, 59, month=10), utc(30, 13, month=10)]
    )
    assert first == utc(30, 13, month=10)
    second = await when_told(harness, runs, "U0LOCAL", "Meet the team",
                             [utc(31, 13, month=10), utc(1, 14), utc(2, 13, 59), utc(2, 14)])  # fmt: skip
    assert second == utc(2, 14)
    await runs.at(utc(3, 14))
    assert told(harness, "U0LOCAL", "Laptop ready") == told(harness, "U0LOCAL", "Meet the team") == 1


async def test_launch_days_before_t_move_earlier_and_after_t_later_off_the_weekend(harness, runs) -> None:
    steps_typed = [("Freeze the release", "release manager", "T-1d"), ("Read the launch metrics", "release manager",
                   "T+5d")]  # fmt: skip
    ref = await make_playbook(harness, steps_typed, kind=PlaybookKind.LAUNCH, name="Launch")
    run = await start_run(harness, ref, people_for={"release manager": "U0LOCAL"}, anchor="2026-11-02")  # T: Monday

    found = await steps(harness, run)
    # T-1d is Sunday: moved to Friday (09:00 EDT); T+5d is Saturday: moved to Monday 9 November (09:00 EST).
    assert [s.due_at.astimezone(UTC) for s in found] == [utc(30, 13, month=10), utc(9, 14)]
    assert await when_told(harness, runs, "U0LOCAL", "Freeze the release",
                           [utc(30, 12, 30, month=10), utc(30, 13, month=10)]) == utc(30, 13, month=10)  # fmt: skip


async def test_launch_t_is_the_launch_moment_so_a_freeze_hours_before_comes_first(harness, runs) -> None:
    steps_typed = [("Freeze", "release manager", "T-3h"), ("Ship", "release manager", "T"),
                   ("Check metrics", "release manager", "T+1d")]  # fmt: skip
    ref = await make_playbook(harness, steps_typed, kind=PlaybookKind.LAUNCH, name="Launch")
    run = await start_run(harness, ref, people_for={"release manager": "U0LOCAL"}, anchor="2026-11-04 16:00")

    found = await steps(harness, run)
    # Wednesday 16:00 New York (EST) is 21:00 UTC: the freeze at 18:00 UTC, the ship at 21:00, T+1d 09:00 local.
    assert [s.due_at.astimezone(UTC) for s in found] == [utc(4, 18), utc(4, 21), utc(5, 14)]


async def test_a_step_due_after_its_persons_hours_waits_for_their_morning(harness, runs) -> None:
    ref = await make_playbook(harness, [("Set up your laptop", "new hire", "day 1")])
    await start_run(harness, ref, people_for={"new hire": "U0PRIYA"}, anchor="2026-10-30")

    # Due Friday 09:00 in New York (13:00 UTC): 18:30 in Kolkata, after Priya's day; her next morning is Monday's.
    await runs.at(utc(30, 13, month=10))
    assert told(harness, "U0PRIYA", "Set up your laptop") == 0
    told_at = await when_told(harness, runs, "U0PRIYA", "Set up your laptop",
                              [utc(31, 4, month=10), utc(2, 3, 29), utc(2, 3, 30)])  # fmt: skip
    assert told_at == utc(2, 3, 30)  # Monday 09:00 in Kolkata


async def test_incident_steps_come_at_the_exact_minute_at_night_on_a_weekend_across_the_clock_change(
    harness, runs, clock
) -> None:
    steps_typed = [("Page on-call", "incident lead", "now"), ("Status page", "comms", "+15 min"),
                   ("Confirm the fix", "incident lead", "+1h")]  # fmt: skip
    ref = await make_playbook(harness, steps_typed, kind=PlaybookKind.INCIDENT, name="Sev-1")
    start = utc(1, 5, 30)  # Sunday 01:30 EDT; an hour later it is 01:30 EST
    clock.set(start)
    run = await start_run(harness, ref, people_for={"incident lead": "U0LOCAL", "comms": "U0PRIYA"})

    assert [s.due_at.astimezone(UTC) for s in await steps(harness, run)] == [
        start, start + timedelta(minutes=15), start + timedelta(hours=1)
    ]  # fmt: skip
    await runs.at(start)
    assert told(harness, "U0LOCAL", "Page on-call") == 1
    minutes = [start + timedelta(minutes=n) for n in (14, 15)]
    assert await when_told(harness, runs, "U0PRIYA", "Status page", minutes) == minutes[1]
    minutes = [start + timedelta(minutes=n) for n in (59, 60)]
    assert await when_told(harness, runs, "U0LOCAL", "Confirm the fix", minutes) == minutes[1]
