"""The README's walk-through of meetings (first part), in `followthrough shell`: the form filled in line by line,
the card with the running order, "I've read it" pressed by an attendee, the channel's list, and Edit.

The app runs in local mode in this process, as the shell starts it, on a movable clock."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.clock import MovableClock
from bot.settings import Settings
from tests.support import shell as shell_support
from tests.support.shell import local_shell

MONDAY = datetime(2026, 11, 30, 10, 0, tzinfo=UTC)  # the newcomer's zone is UTC


@pytest.fixture
def local_settings(tmp_path, monkeypatch) -> Settings:
    return shell_support.local_settings(tmp_path, monkeypatch, scheduler_enabled=False)


async def test_a_newcomer_schedules_a_meeting_reads_its_card_and_marks_the_pre_read(local_settings: Settings) -> None:
    clock = MovableClock(MONDAY)
    async with local_shell(local_settings, clock) as run:
        stdin, out = run.stdin, run.out
        # Multi-line fields end with a line holding a single "."; Enter keeps what the form suggests.
        stdin.type("/meeting", "Pricing review", "", "We have chosen one pricing option", ".", "", "", "", "alex",
                   "", "", "Pricing options — @alex — 15 decide", ".",
                   "Pricing options, two pages — https://docs.example.com/pricing", ".")  # fmt: skip
        at = await out.shows("M-1 scheduled")
        stdin.type("/meeting M-1")
        at = await out.shows("Desired outcome", at)
        at = await out.shows("*Pricing options* · @alex · 15 min", at)
        at = await out.shows("0 of 1 have read it", at)
        stdin.type(":as alex", "/meeting M-1", ":click I've read it")
        at = await out.shows("1 of 1 have read it", at)
        stdin.type("/meeting list channel")
        at = await out.shows("*M-1* Pricing review", at)
        # Edit: the form comes back filled in; Enter keeps each value, so only the start changes.
        stdin.type(":as you", "/meeting M-1", ":click Edit", "", "", "", "2026-12-02 11:00", "", "", "", "",
                   "", "")  # fmt: skip
        at = await out.shows("you changed the start", at)
        stdin.type("/meeting M-1")
        await out.shows("changed the start", at)
