"""The README's walk-through of insights, in `followthrough shell`: one added on one line, one from a message
(`:say`, then `:shortcut insight`), the outcome's card showing them beside the numbers, and the weekly health post
in the channel the next Monday at 09:00.

The app runs in local mode in this process, as the shell starts it; its scheduler is off and run by the test
on a movable clock the app's requests share."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.clock import MovableClock
from bot.settings import Settings
from scheduler import health_weekly as jobs
from tests.support import shell as shell_support
from tests.support.shell import local_shell

MONDAY = datetime(2026, 11, 30, 10, 0, tzinfo=UTC)  # the newcomer's zone, and the workspace's, is UTC
NEXT_MONDAY = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
OUTCOME_FORM = ["/outcome", "Lift activation", "Half of new teams reach their first check-in in week one.", ".",
                "you", "2027-03-31", "", "Activation rate", "%", "20", "40", "Demos booked: 2 -> 10", "."]  # fmt: skip


@pytest.fixture
def local_settings(tmp_path, monkeypatch) -> Settings:
    return shell_support.local_settings(tmp_path, monkeypatch, scheduler_enabled=False)


async def test_words_added_on_one_line_and_from_a_message_show_on_the_card_and_in_the_weekly_post(
    local_settings: Settings,
) -> None:

    clock = MovableClock(MONDAY)
    async with local_shell(local_settings, clock) as run:
        stdin, out, job = run.stdin, run.out, run.job
        stdin.type(*OUTCOME_FORM)
        at = await out.shows("O-1")
        stdin.type('/insight O-1 "We would pay for the export today" — Dana, Acme call')
        at = await out.shows("“We would pay for the export today” — Dana, Acme call", at)

        stdin.type(":as alex", ":say Honestly, CSV export would save me an hour a day", ":as you")
        stdin.type(":shortcut insight", "O-1", "1", "", "")  # search, pick O-1; keep the words and the author
        at = await out.shows("Insight added", at)
        at = await out.shows("“Honestly, CSV export would save me an hour a day” — Alex Meyer (from", at)

        stdin.type("/outcome O-1")
        at = await out.shows("What customers say", at)
        at = await out.shows("“We would pay for the export today” — Dana, Acme call", at)

        clock.set(NEXT_MONDAY)
        assert await jobs.post_due(job) == 1
        await run.deliver()
        stdin.type(":wait 0.3")
        at = await out.shows("Execution health this week", at)
        at = await out.shows("• No new findings.\n  • No findings resolved.", at)
        await out.shows("*O-1* “Honestly, CSV export would save me an hour a day” — Alex Meyer", at)
