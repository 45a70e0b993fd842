"""The playbook library in `followthrough shell` (the README's one walk-through, tests/playbooks/test_walkthrough.py,
goes through all three parts): a playbook from the incident template, shown step by step, edited into v2 with a
changelog line, the diff of v1 and v2, the list, and the owner's "still right?" message when the review interval has
passed.

The app runs in local mode in this process, as the shell starts it; its scheduler is off and run by the test
on a movable clock the app's requests share."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.clock import MovableClock
from bot.settings import Settings
from scheduler import playbook_reviews as jobs
from tests.support import shell as shell_support
from tests.support.shell import local_shell

MONDAY = datetime(2026, 11, 30, 10, 0, tzinfo=UTC)
V2_STEPS = [
    "now | Declare the incident and say who leads it | incident lead",
    "+5 min | Page the on-call engineer | incident lead",
    "+5 min | Open a status update for the people affected | comms",
    "+15 min | Find what changed recently and roll it back if it may be the cause | incident lead",
    "+30 min | Second status update, even if nothing changed | comms",
    "+2h | Write down the timeline while it is fresh | incident lead",
    ".",
]


@pytest.fixture
def local_settings(tmp_path, monkeypatch) -> Settings:
    return shell_support.local_settings(tmp_path, monkeypatch, scheduler_enabled=False)


async def test_a_playbook_from_the_incident_template_gets_a_second_version_a_diff_and_a_review(
    local_settings: Settings,
) -> None:
    clock = MovableClock(MONDAY)
    async with local_shell(local_settings, clock) as run:
        stdin, out, job = run.stdin, run.out, run.job
        stdin.type("/playbook new incident", "", "", "", "", "", "")  # the template as it is; publish v1
        at = await out.shows("PB-1 created")
        at = await out.shows("*PB-1* Incident response: 6 steps, v1 is published", at)

        stdin.type("/playbook PB-1")
        at = await out.shows("*3.* `+15 min` *Find what changed recently and roll it back", at)

        stdin.type("/playbook edit PB-1", *V2_STEPS, "Page on-call first; the customer check moves to the retro")
        at = await out.shows("*PB-1* v2 is published", at)

        stdin.type("/playbook PB-1 diff v1 v2")
        at = await out.shows("➕ 2. `+5 min` Page the on-call engineer", at)
        at = await out.shows("➖ 5. `+1h` Check whether customers need to be told directly", at)
        at = await out.shows("✏️ 3. `+5 min` Open a status update for the people affected: details removed", at)

        stdin.type("/playbook list")
        at = await out.shows("*PB-1* Incident response · v2", at)

        clock.set(MONDAY + timedelta(days=91))
        assert await jobs.ask_due(job) == 1
        await run.deliver()
        stdin.type(":wait 0.3")
        at = await out.shows("Is *PB-1* Incident response still right?", at)
        stdin.type(":click Confirm")
        await out.shows("is reviewed. The next review is due", at)
