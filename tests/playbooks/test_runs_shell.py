"""Running a playbook in `followthrough shell` (the README's one walk-through, tests/playbooks/test_walkthrough.py, goes
through all three parts): an incident playbook is run from the form, the incident lead marks a step done from its DM,
comms skips one with a reason, the card and timeline show it all, the lead is reminded to post a status update, and
resolving ends it with the retrospective offered.

The app runs in local mode in this process, as the shell starts it; its scheduler is off and run by the test
on a movable clock the app's requests share. The playbook is published through the services (making one is
the library part's form)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.clock import MovableClock
from bot.settings import Settings
from models import PlaybookKind, Workspace
from scheduler import playbook_runs as jobs
from services import people, playbooks
from tests.support import shell as shell_support
from tests.support.playbook_runs import INCIDENT, step_dicts
from tests.support.shell import local_shell

START = datetime(2026, 11, 30, 10, 0, tzinfo=UTC)  # the newcomer's zone is UTC


@pytest.fixture
def local_settings(tmp_path, monkeypatch) -> Settings:
    return shell_support.local_settings(tmp_path, monkeypatch, scheduler_enabled=False)


async def publish_incident_playbook(run) -> None:
    async with run.app.state.database.sessions.begin() as session:
        workspace = await session.scalar(select(Workspace))
        owner = await people.ensure_person(session, workspace=workspace, slack_user_id="U0LOCAL")
        playbook = await playbooks.create(session, workspace=workspace, owner=owner, name="Sev-1 response",
                                          kind=PlaybookKind.INCIDENT, now=START)  # fmt: skip
        await playbooks.publish(session, playbook=playbook, steps=step_dicts(INCIDENT), changelog="First version",
                                by=owner, now=START)  # fmt: skip


async def test_an_incident_is_run_its_steps_done_and_skipped_reminded_and_resolved(local_settings: Settings) -> None:
    clock = MovableClock(START)
    async with local_shell(local_settings, clock) as run:
        stdin, out = run.stdin, run.out

        async def scheduler_runs(after: timedelta) -> None:
            clock.advance(after)
            await jobs.run_due(run.job)
            await run.deliver()
            stdin.type(":wait 0.3")

        stdin.type("/playbook run PB-1")
        at = await out.shows("can't find PB-1")
        await publish_incident_playbook(run)
        # The form: the run's name and who fills comms, then Enter keeps the lead (you, who is also the incident
        # lead: the form asks that once), the start (now), the channel (#general) and the interval (30 minutes).
        stdin.type("/playbook run PB-1", "Checkout is down", "alex", "", "", "", "")
        at = await out.shows("R-1* Checkout is down started", at)
        await scheduler_runs(timedelta(0))
        at = await out.shows("Step 1 is yours now", at)
        stdin.type(":select 1 Done")  # the card's menu beside step 1 (the DM has the same buttons)
        at = await out.shows("Step 1 of R-1 is done", at)

        await scheduler_runs(timedelta(minutes=15))
        stdin.type(":as alex")
        at = await out.shows("Tell customers on the status page", at)
        stdin.type(":click Skip…", "The status page is down too; posted on social media instead", ".")
        at = await out.shows("Step 2 of *R-1* is skipped", at)

        await scheduler_runs(timedelta(minutes=15))
        stdin.type(":as you")
        at = await out.shows("Time for a status update on *R-1*", at)
        stdin.type("/playbook R-1")
        at = await out.shows("1/3 done · 1 skipped", at)
        at = await out.shows("skipped step 2: The status page is down too", at)
        stdin.type("/playbook resolve R-1")
        at = await out.shows("R-1 is resolved", at)
        await scheduler_runs(timedelta(minutes=30))
        stdin.type("/playbook R-1")
        await out.shows("Write the retrospective", at)

    transcript = out.getvalue()
    assert transcript.count("Time for a status update") == 1  # none after resolving
