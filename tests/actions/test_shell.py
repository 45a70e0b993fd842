"""The "done when" of action items, in `followthrough shell`: capture one on one line, one in the form and one
from a message (`:say`, then `:shortcut`); the due-day message and its Done button; the list and the Home tab.

The app runs in local mode in this process, as the shell starts it; its scheduler is off and run by the test
on a movable clock the app's requests share, so the next morning comes at once."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.clock import MovableClock
from bot.settings import Settings
from scheduler import actions as jobs
from tests.support import shell as shell_support
from tests.support.shell import local_shell

MONDAY = datetime(2026, 11, 30, 10, 0, tzinfo=UTC)  # the newcomer's zone is UTC
TUESDAY_MORNING = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def local_settings(tmp_path, monkeypatch) -> Settings:
    return shell_support.local_settings(tmp_path, monkeypatch, scheduler_enabled=False)


async def test_a_newcomer_captures_three_ways_gets_the_due_day_message_presses_done_and_sees_the_lists(
    local_settings: Settings,
) -> None:

    clock = MovableClock(MONDAY)
    async with local_shell(local_settings, clock) as run:
        stdin, out, job = run.stdin, run.out, run.job

        async def scheduler_runs() -> None:
            await jobs.nudge_due(job)
            await run.deliver()

        stdin.type("/action @alex send the pricing deck to Globex by friday")
        at = await out.shows("*A-1* send the pricing deck to Globex")
        at = await out.shows("I've let @alex know.", at)

        stdin.type("/action", "Book the venue for the offsite", "", "", "")  # what; Enter keeps you, the date
        at = await out.shows("A-2 created", at)

        stdin.type(":say Can someone draft the launch email?")
        at = await out.shows("you:\n  Can someone draft the launch email?", at)
        stdin.type(":shortcut", "", "", "", "")  # the message's text, its author (you), the date, no outcome
        at = await out.shows("A-3 created", at)
        await scheduler_runs()
        stdin.type(":wait 0.3")
        at = await out.shows("made this *A-3* (owner @you", at)

        clock.set(TUESDAY_MORNING)
        await scheduler_runs()
        stdin.type(":wait 0.3")
        at = await out.shows("Due today", at)
        at = await out.shows("*A-2* Book the venue for the offsite · due 1 Dec (today)", at)
        stdin.type(":click Done")
        at = await out.shows("*A-2* is done", at)

        stdin.type("/action list")
        at = await out.shows("*Your open action items* (1)", at)
        stdin.type(":home")
        at = await out.shows("My action items", at)
        await out.shows("*A-3* Can someone draft the launch email?", at)

    transcript = out.getvalue()
    assert transcript.index("A-2 created") < transcript.index("A-3 created") < transcript.index("*A-2* is done")
