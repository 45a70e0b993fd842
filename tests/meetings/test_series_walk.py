"""The "done when" of meetings, in `followthrough shell`: a weekly series. The first meeting is scheduled without a
pre-read; the gate flags it to its organiser, who makes it async (a thread with written input and a summary). The
next meeting of the series gets a topic from an attendee and a pre-read; the attendee reads it; at the start the
agenda opens the meeting's thread, time-box notes follow; the facilitator records the outcome (a decision, an action
item, an item carried to the following meeting); the series' health closes the walk.

The app runs in local mode in this process, as the shell starts it; its scheduler is off and run by the test on a
movable clock the app's requests share. Run with `-s` to print the transcript."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.clock import MovableClock
from bot.settings import Settings
from scheduler import meetings, meetings_async, meetings_series
from tests.support import shell as shell_support
from tests.support.shell import local_shell

MONDAY = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)  # the organiser's zone is UTC
FIRST_GATE = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)  # a day before Wednesday's 10:00
FIRST_START = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)
SECOND_START = datetime(2026, 12, 9, 10, 0, tzinfo=UTC)


@pytest.fixture
def local_settings(tmp_path, monkeypatch) -> Settings:
    return shell_support.local_settings(tmp_path, monkeypatch, scheduler_enabled=False)


async def test_a_weekly_series_is_gated_made_async_then_held_recorded_and_carried(local_settings: Settings) -> None:

    clock = MovableClock(MONDAY)
    async with local_shell(local_settings, clock) as run:
        stdin, out, job = run.stdin, run.out, run.job

        async def scheduler_at(moment: datetime) -> None:
            """What the scheduler does at `moment`: every meetings job, then the outbox, twice over (a job's
            messages can make another job's work due, e.g. the thread posted, then the asks)."""
            clock.set(moment)
            for _ in range(2):
                await meetings.meetings_due(job)
                await meetings_async.async_due(job)
                await meetings_series.advance_due(job)
                await run.deliver()
            stdin.type(":wait 0.3")

        # Multi-line fields end with a line holding a single "."; Enter keeps what the form suggests.
        stdin.type("/meeting", "Weekly pricing sync", "", "We agree next week's prices", ".",
                   "2026-12-02 10:00", "", "2", "alex", "", "",
                   "Pricing options — @alex — 15 decide", "Launch date — @you — 10 discuss", ".", ".")  # fmt: skip
        at = await out.shows("M-1 scheduled")
        await scheduler_at(FIRST_GATE)
        at = await out.shows("isn't ready yet: no pre-read", at)
        stdin.type(":click Make it async", "")  # Enter keeps the suggested deadline: the meeting's start
        at = await out.shows("is async: it won't be held", at)
        stdin.type(":as alex")
        at = await out.shows("You are now @alex", at)
        await scheduler_at(FIRST_GATE.replace(minute=5))  # the thread is posted, then Alex is asked
        at = await out.shows("Please give yours in its thread", at)
        stdin.type(":reply 1: Option B, one price that is easy to explain")
        at = await out.shows("1: Option B", at)
        stdin.type(":as you")
        at = await out.shows("You are now @you", at)
        await scheduler_at(FIRST_START)  # the deadline: the summary, and the series' next meeting
        at = await out.shows("Time's up for written input on M-1", at)
        at = await out.shows("1 reply from Alex Meyer", at)

        stdin.type("/meeting M-2")
        at = await out.shows("M-2 Weekly pricing sync", at)
        # Edit: Enter keeps a field; the agenda and the pre-read are typed anew.
        stdin.type(":click Edit", "", "", "", "", "", "", "", "",
                   "Pricing options — @alex — 15 decide", "Launch date — @you — 10 discuss", ".",
                   "Pricing options, two pages — https://docs.example.com/pricing", ".")  # fmt: skip
        at = await out.shows("M-2 saved", at)
        stdin.type(":as alex")
        at = await out.shows("You are now @alex", at)
        await scheduler_at(datetime(2026, 12, 3, 9, 0, tzinfo=UTC))  # Alex is asked to read it
        at = await out.shows("asks you to read this before *M-2*", at)
        stdin.type(":click I've read it")
        at = await out.shows("1 of 1 have read it", at)
        stdin.type("/meeting M-2", ":click Add topic", "Competitor prices — 5 inform")
        at = await out.shows("is item 3 of *M-2*", at)

        stdin.type(":as you")
        at = await out.shows("You are now @you", at)
        await scheduler_at(datetime(2026, 12, 8, 10, 0, tzinfo=UTC))  # the gate: ready, so it says nothing
        await scheduler_at(SECOND_START.replace(hour=7))  # the reminder: Alex has read, so nobody is reminded
        await scheduler_at(SECOND_START)  # the thread opens with the agenda; the facilitator hears who read
        at = await out.shows("Who has read ahead", at)
        await scheduler_at(SECOND_START.replace(minute=15))
        at = await out.shows("next:", at)
        await scheduler_at(SECOND_START.replace(minute=30))
        at = await out.shows("that was the last item", at)
        stdin.type("/meeting M-2")
        at = await out.shows("[1] Record outcome", at)
        stdin.type(":click Record outcome")
        at = await out.shows(":click Record outcome", at)
        stdin.type("1", "Option B — one price is easy to explain", "", ".",
                   "2", "", "", "@alex draft the launch email by friday", ".",
                   "4", "", "", ".", "1", "2", "")  # fmt: skip
        at = await out.shows("1 decision (D-1) and 1 action item (A-1). 1 item opens M-3's agenda", at)
        await scheduler_at(SECOND_START.replace(minute=40))  # the summary in the thread, Alex's action item
        at = await out.shows("Outcome of M-2", at)
        stdin.type("/meeting M-3")
        at = await out.shows("*Competitor prices*", at)
        stdin.type("/meeting series M-2")
        at = await out.shows("Every pre-read read before the start: 1 of 1 meeting (100%)", at)
        at = await out.shows("Desired outcome reached: yes 0 · partly 1 · no 0", at)
        await out.shows("Made async: 1", at)
    print(out.getvalue())  # the closing note's transcript (pytest -s)
