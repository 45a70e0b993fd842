"""Issue 16's "Done when", in `followthrough shell`, as the README's playbook walk-through shows it: the incident
template copied as PB-1, run as R-1, its steps done and skipped from their DMs, resolved, the postmortem written,
a change proposed and accepted as v2, the diff of v1 and v2, and a second run on v2 while R-1 still shows v1.

Everything goes through the shell (no rows made directly), so the three parts meet as a person meets them. The
app runs in local mode in this process with its scheduler off; the test runs the jobs on a movable clock the
app's requests share."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from bot.clock import MovableClock
from bot.settings import Settings
from scheduler import playbook_learning, playbook_runs
from tests.support import shell as shell_support
from tests.support.processes import ROOT
from tests.support.shell import local_shell

START = datetime(2026, 11, 30, 10, 0, tzinfo=UTC)  # a Monday; the newcomer's zone is UTC
# The form opened on the incident template: Enter keeps its name and kind, alex owns it, Enter publishes v1.
NEW = ["/playbook new incident", "", "", "alex", "", "", ""]
# The run's name; comms and support; then Enter keeps the lead (you, also the incident lead: asked once), the
# start (now), the channel (#general) and the status update's interval (30 minutes).
RUN = ["/playbook run PB-1", "Checkout is down", "alex", "priya", "", "", "", ""]
POSTMORTEM = ["/playbook retro R-1", "Checkout failed for 40 minutes after a deploy.", ".", "", "",
              "Support heard about it from customers first.", ".", "", "Tell support what to say within 30 minutes",
              ".", "", ""]  # fmt: skip
CHANGE = "+30 min | Tell support what to say | comms | approval: incident lead"
PROPOSE = [":click Propose a change", "1", "", CHANGE]


@pytest.fixture
def local_settings(tmp_path, monkeypatch) -> Settings:
    return shell_support.local_settings(tmp_path, monkeypatch, scheduler_enabled=False)


def readme_walkthrough() -> list[str]:
    """The commands of the README's playbook walk-through, as typed (comments dropped)."""
    readme = (ROOT / "README.md").read_text()
    block = readme.split("`tests/playbooks/test_walkthrough.py` runs this transcript", 1)[1].split("```")[1]
    return [re.sub(r"\s+#.*$", "", line).split("> ", 1)[1] for line in block.splitlines() if "@#general> " in line]


async def test_the_incident_template_is_run_learned_from_and_published_as_v2_while_the_first_run_keeps_v1(
    local_settings: Settings,
) -> None:
    clock = MovableClock(START)
    typed: list[str] = []
    async with local_shell(local_settings, clock) as run:
        stdin, out = run.stdin, run.out

        def type_(*lines: str) -> None:
            typed.extend(lines)
            stdin.type(*lines)

        async def later(after: timedelta) -> None:
            await run.deliver()  # what was sent before (the new run's card) is out first
            clock.advance(after)
            await playbook_runs.run_due(run.job)
            await playbook_learning.learning_due(run.job)
            await run.deliver()
            stdin.type(":wait 0.3")

        type_(*NEW)
        at = await out.shows("*PB-1* Incident response: 6 steps, v1 is published")
        type_(*RUN)
        at = await out.shows("R-1* Checkout is down started", at)

        await later(timedelta(0))
        at = await out.shows("Step 1 is yours now", at)
        type_(":click Done")  # in the step's DM
        at = await out.shows("Step 1 of R-1 is done", at)

        await later(timedelta(minutes=5))
        type_(":as alex")
        at = await out.shows("Open a status update for the people affected", at)
        type_(":click Skip…", "The status page was already updated by the on-call engineer", ".")
        at = await out.shows("Step 2 of *R-1* is skipped", at)

        type_(":as you", "/playbook resolve R-1")
        at = await out.shows("R-1 is resolved", at)
        await later(timedelta(minutes=1))
        at = await out.shows("Write the blameless postmortem.", at)
        type_(*POSTMORTEM)
        at = await out.shows("The retrospective of *R-1* is saved.", at)
        await later(timedelta(0))
        at = await out.shows("The retrospective of *R-1* suggests changes to *PB-1*", at)
        type_(*PROPOSE)
        at = await out.shows("It is in the draft of *PB-1*", at)
        await later(timedelta(0))
        type_(":as alex")  # the owner decides
        at = await out.shows("The retrospective of *R-1* proposes a change to *PB-1*", at)
        at = await out.shows(f"> {CHANGE}", at)  # written as the edit form writes it
        type_(":click Accept and publish")
        at = await out.shows("Published *PB-1 v2*: Learned from R-1: added step “Tell support what to say”", at)
        type_(":as you")

        type_("/playbook PB-1 diff v1 v2")
        at = await out.shows("➕ 5. `+30 min` Tell support what to say", at)
        type_(RUN[0], "Checkout is slow", *RUN[2:])
        at = await out.shows("R-2* Checkout is slow started", at)
        type_("/playbook R-2")
        at = await out.shows("*PB-1 v2* Incident response", at)
        type_("/playbook R-1")
        await out.shows("*PB-1 v1* Incident response", at)

    transcript = out.getvalue()
    assert "Traceback" not in transcript
    assert [line for line in typed if line.startswith(("/", ":"))] == readme_walkthrough()
