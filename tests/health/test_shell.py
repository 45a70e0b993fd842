"""Issue 13's "done when", in `followthrough shell`: an outcome defined by its form, readings logged a week apart
that fall while it stays marked on track, `/followthrough health` saying "Marked on track, but …", and the owner
pressing "Mark at risk" on the finding. The transcript is printed (`pytest -s`) for the closing note.

The app runs in local mode in this process, as the shell starts it, on a movable clock the test moves between
the readings."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.clock import MovableClock
from bot.settings import Settings
from models import HealthFinding, Outcome, OutcomeStatus
from tests.support import shell as shell_support
from tests.support.shell import local_shell

MONDAY = datetime(2026, 11, 2, 10, 0, tzinfo=UTC)  # the newcomer's zone is UTC
THE_FORM = [
    "/outcome",
    "Lift activation",  # title
    "Half of new teams reach their first check-in in week one.",  # definition of done
    ".",
    "",  # owner: you
    "2027-01-29",  # due
    "",  # serves nothing yet
    "Activation rate",
    "%",
    "20",  # baseline
    "40",  # target
    "Demos booked: 2 -> 10",
    ".",
]


@pytest.fixture
def local_settings(tmp_path, monkeypatch) -> Settings:
    return shell_support.local_settings(tmp_path, monkeypatch, scheduler_enabled=False)


async def test_a_status_the_readings_contradict_is_found_and_the_owner_fixes_it_from_the_button(
    local_settings: Settings,
) -> None:
    clock = MovableClock(MONDAY)
    async with local_shell(local_settings, clock) as run:
        stdin, out = run.stdin, run.out
        stdin.type(*THE_FORM)
        at = await out.shows("*O-1 · Lift activation* is defined")
        for week, reading in ((1, "30 first cohort"), (2, "27"), (3, "24 second cohort slipped")):
            clock.set(MONDAY + timedelta(weeks=week))
            stdin.type(f"/progress O-1 {reading}")
            at = await out.shows("Logged on *O-1 · Lift activation*", at)
        stdin.type("/followthrough health")
        at = await out.shows("*Status and numbers disagree* · *O-1* Lift activation", at)
        at = await out.shows("Marked on track, but Activation rate moved 30% of the way away from target", at)
        stdin.type(":click Mark at risk")
        at = await out.shows("*O-1* is now at risk.", at)
        stdin.type("/outcome O-1")
        at = await out.shows("At risk", at)
        stdin.type("/followthrough health")
        await out.shows("Nothing needs attention on you right now.", at)

    async with run.app.state.database.sessions() as session:
        outcome = await session.scalar(select(Outcome))
        finding = await session.scalar(select(HealthFinding).where(HealthFinding.kind == "contradicted"))

    assert outcome is not None and outcome.status is OutcomeStatus.AT_RISK
    assert finding is not None and (finding.acted, finding.resolved_at) == ("set_status", MONDAY + timedelta(weeks=3))
    print("\n--- followthrough shell ---\n" + out.getvalue())
