"""Retrospectives and experiments in `followthrough shell` (the README shows its experiment; its one walk-through,
tests/playbooks/test_walkthrough.py, goes through all three parts): the postmortem of a resolved incident run, a
suggestion proposed as a new step, its owner accepting it as v2 (the changelog names the run), and an experiment that
ends invalidated and shows up in the weekly health post.

The playbook and its resolved run are made directly with the services (the library and running parts have their
own walk-throughs); the app runs in local mode in this process with its scheduler off, the test running the jobs
on a movable clock the app's requests share."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.clock import MovableClock
from bot.settings import Settings
from models import PlaybookVersion
from scheduler import health_weekly
from scheduler import playbook_learning as jobs
from tests.support import shell as shell_support
from tests.support.playbook_learning import resolved_run
from tests.support.shell import local_shell

MONDAY = datetime(2026, 11, 30, 10, 0, tzinfo=UTC)  # the newcomer's zone, and the workspace's, is UTC
ENDS = datetime(2026, 12, 14, 9, 30, tzinfo=UTC)
NEXT_MONDAY = datetime(2026, 12, 21, 9, 0, tzinfo=UTC)
OUTCOME_FORM = ["/outcome", "Lift activation", "Half of new teams reach their first check-in in week one.", ".",
                "you", "2027-03-31", "", "Activation rate", "%", "20", "40", "Demos booked: 2 -> 10", "."]  # fmt: skip
POSTMORTEM = ["/playbook retro R-1", "Checkout failed for 40 minutes after a deploy.", ".", "", "",
              "Support heard about it from customers first.", ".", "", "Tell support what to say within 30 minutes",
              ".", "", ""]  # fmt: skip
PROPOSE = [":click Propose a change", "1", "", "+30 min | Tell support what to say | comms"]
EXPERIMENT = ["/experiment new", "A shorter sign-up form lifts activation", ".", "activ", "1",
              "+5 points in two weeks", "2026-12-14"]  # fmt: skip
RESULT = [":click Record the result", "2", "Activation did not move: the form was not the bottleneck.", "."]


@pytest.fixture
def local_settings(tmp_path, monkeypatch) -> Settings:
    return shell_support.local_settings(tmp_path, monkeypatch, scheduler_enabled=False)


async def test_a_postmortem_teaches_the_playbook_v2_and_an_invalidated_experiment_is_reported(
    local_settings: Settings,
) -> None:
    clock = MovableClock(MONDAY)
    async with local_shell(local_settings, clock) as run:
        stdin, out, job = run.stdin, run.out, run.job
        database = run.app.state.database
        stdin.type(*OUTCOME_FORM)
        at = await out.shows("O-1")
        await resolved_run(database, at=MONDAY)  # PB-1 "Incident response" (Alex owns it), R-1 led by you
        assert await jobs.learning_due(job) == 1
        await run.deliver()
        stdin.type(":wait 0.3")
        at = await out.shows("Write the blameless postmortem.", at)

        stdin.type(*POSTMORTEM)
        at = await out.shows("The retrospective of *R-1* is saved.", at)
        await run.deliver()
        stdin.type(":wait 0.3")
        at = await out.shows("The retrospective of *R-1* suggests changes to *PB-1*", at)
        stdin.type(*PROPOSE)
        at = await out.shows("It is in the draft of *PB-1*", at)
        await run.deliver()
        stdin.type(":wait 0.3", ":as alex", ":click Accept and publish")
        at = await out.shows("Published *PB-1 v2*: Learned from R-1: added step “Tell support what to say”", at)
        async with database.sessions() as session:
            assert await session.get(PlaybookVersion, 2) is not None

        stdin.type(":as you", *EXPERIMENT)
        at = await out.shows("*X-1* is running until Mon 14 Dec 2026", at)
        clock.set(ENDS)
        assert await jobs.learning_due(job) == 1
        await run.deliver()
        stdin.type(":wait 0.3")
        at = await out.shows("*X-1* has reached its end date.", at)
        stdin.type(*RESULT)
        at = await out.shows("*X-1* is invalidated.", at)

        clock.set(NEXT_MONDAY)
        assert await health_weekly.post_due(job) == 1
        await run.deliver()
        stdin.type(":wait 0.3")
        at = await out.shows("What we learned this week", at)
        await out.shows("*X-1* A shorter sign-up form lifts activation: *invalidated*. Activation did not move", at)
