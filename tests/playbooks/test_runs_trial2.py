"""A second trial's findings on runs, fixed: `T` at the launch moment (in test_runs_timing), the start's wording,
refusals before a form is opened, approval that waits for the approver, and the overdue list redrawn on resolve."""

from __future__ import annotations

import pytest

from handlers.playbooks.running.ids import RunIds
from models import PlaybookKind, RunStep
from models.playbook_run import StepStatus
from tests.support.outcomes import all_text, reply_text
from tests.support.playbook_runs import (
    MONDAY,
    Scheduler,
    install_clock,
    make_playbook,
    press,
    private_answers,
    start_run,
    submit_run,
)

pytest_plugins = ["tests.support.outbox_fixtures"]
pytestmark = pytest.mark.usefixtures("around_the_clock")
ROLES = {"buddy": "U0ALEX", "new hire": "U0PRIYA"}


@pytest.fixture
def runs(harness, clock, clients, sender) -> Scheduler:
    clock.set(MONDAY)
    install_clock(harness, clock)
    return Scheduler(harness, clock, clients, sender)


async def step_row(harness, position: int) -> RunStep:
    return (await harness.rows(RunStep, RunStep.position == position))[0]


# 8: refused before the form, named one way --------------------------------------------------------------------


async def test_skip_on_someone_elses_step_is_refused_before_the_reason_is_asked(harness, runs) -> None:
    await start_run(harness, await make_playbook(harness), people_for=ROLES)  # step 1 is the buddy's (alex)
    opened = len(harness.standin.calls_to("views.open"))
    await press(harness, harness.actor("U0PRIYA"), RunIds.SKIP, "R-1:1")
    assert len(harness.standin.calls_to("views.open")) == opened  # no "Why skip it?" to write in vain
    said = private_answers(harness)[-1]
    assert said.startswith("Only <@U0ALEX>, <@U0LOCAL> (") and "Nothing was changed" in said
    await press(harness, harness.actor("U0PRIYA"), RunIds.DONE, "R-1:1")  # Done's refusal reads the same
    assert private_answers(harness)[-1] == said
    assert (await step_row(harness, 1)).status is StepStatus.PENDING


async def test_resolve_says_who_may_before_asking_to_confirm_and_refuses_others_after(harness, runs) -> None:
    await start_run(harness, await make_playbook(harness), people_for=ROLES)
    await runs.run()
    card = [m for m in harness.standin.messages("C0GENERAL") if "R-1" in m["text"]][-1]
    [resolve] = [e for b in card["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert "or a workspace admin can resolve it" in resolve["confirm"]["text"]["text"]

    button = {"type": "button", "action_id": RunIds.RESOLVE.value, "block_id": "x", "value": "R-1",
              "text": {"type": "plain_text", "text": "Resolve"}}  # fmt: skip
    await harness.slack.block_action(harness.actor("U0PRIYA"), button, message={"ts": "1.000001"})
    assert private_answers(harness)[-1].startswith("Only <@U0LOCAL> (the run's lead)")


# 9: the start's past-due list after the run is resolved --------------------------------------------------------


async def test_resolving_redraws_the_past_due_list_without_its_menus(harness, runs) -> None:
    incident = [("Page on-call", "incident lead", "now"), ("Roll back", "incident lead", "+1h"),
                ("Status update", "comms", "+15 min")]  # fmt: skip
    ref = await make_playbook(harness, incident, kind=PlaybookKind.INCIDENT, name="Sev-1")
    await submit_run(harness, ref, people_for={"comms": "U0ALEX"}, anchor="2026-11-29 10:00")
    await runs.run()
    [listed] = [m for m in harness.standin.messages("U0LOCAL") if "already past due" in m["text"]]
    assert any(b.get("accessory", {}).get("type") == "overflow" for b in listed["blocks"])

    said = reply_text(await harness.slack.command(harness.me, "/playbook", "resolve R-1"))
    assert "resolved" in said
    await runs.deliver()
    [redrawn] = [m for m in harness.standin.messages("U0LOCAL") if m["ts"] == listed["ts"]]
    shown = all_text(redrawn["blocks"])
    assert "is resolved" in shown and "Page on-call" in shown and "Roll back" in shown
    assert not any("accessory" in b for b in redrawn["blocks"])
