"""Working through a run: the step's DM with Done / Skip / Blocked, who may press them, the card's progress and
what is late, the thread that holds each change, resolving (by hand or by finishing every step), the timeline,
the Home tab, and another workspace's R-1 out of sight."""

from __future__ import annotations

from datetime import timedelta

import pytest

from handlers.playbooks.running.ids import RETRO_OPEN, RunIds
from models import PlaybookKind, PlaybookRun, RunStep
from models.playbook_run import RunStatus, StepStatus
from tests.support.outcomes import all_text, reply_text
from tests.support.playbook_runs import (
    INCIDENT,
    MONDAY,
    Scheduler,
    card,
    dms,
    give_reason,
    install_clock,
    make_playbook,
    press,
    private_answers,
    start_run,
    thread,
    timeline,
)

pytest_plugins = ["tests.support.outbox_fixtures"]
pytestmark = pytest.mark.usefixtures("around_the_clock")  # what is told, whatever the hour
ROLES = {"buddy": "U0ALEX", "new hire": "U0PRIYA"}


@pytest.fixture
async def run(harness, clock, clients, sender) -> PlaybookRun:
    clock.set(MONDAY)
    install_clock(harness, clock)
    ref = await make_playbook(harness)
    started = await start_run(harness, ref, people_for=ROLES, title="Onboarding: Ada")
    runs = Scheduler(harness, clock, clients, sender)
    await runs.run()  # day 1 is today at 09:00 New York: due now
    harness.runs = runs
    return started


async def step(harness, position: int) -> RunStep:
    found = await harness.rows(RunStep, RunStep.position == position)
    return found[0]


async def test_the_steps_person_gets_one_dm_with_done_skip_and_blocked(harness, run) -> None:
    [message] = [m for m in harness.standin.messages("U0ALEX") if "Laptop" in m["text"]]
    buttons = [e["text"]["text"] for b in message["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert buttons == ["Done", "Skip…", "Blocked…"]
    await harness.runs.at(timedelta(hours=1))
    assert "late" not in card(harness)  # an onboarding step turns late a day after it came due
    await harness.runs.at(timedelta(days=1))
    assert sum("Laptop" in t for t in dms(harness, "U0ALEX")) == 1
    assert "0/3 done · 1 late" in card(harness) and "Laptop and accounts ready · <@U0ALEX> (buddy)" in card(harness)


async def test_the_dm_carries_the_steps_details_and_its_link(harness, clock, clients, sender) -> None:
    clock.set(MONDAY)
    install_clock(harness, clock)
    written = {"title": "Read the runbook", "role": "new hire", "details": "Sections 1 to 3 are enough for now.",
               "link": "https://docs.example.com/runbook"}  # fmt: skip
    await start_run(harness, await make_playbook(harness, [written]), people_for={"new hire": "U0PRIYA"})
    await Scheduler(harness, clock, clients, sender).run()

    [message] = harness.standin.messages("U0PRIYA")
    shown = all_text(message["blocks"])
    assert "Sections 1 to 3 are enough for now." in shown
    assert "<https://docs.example.com/runbook|docs.example.com/runbook>" in shown  # named by where it goes
    assert "(due <!date^" in shown


async def test_done_by_the_steps_person_shows_in_the_card_and_its_thread(harness, run) -> None:
    alex = harness.actor("U0ALEX")
    await press(harness, alex, RunIds.DONE, "R-1:1")
    await harness.runs.deliver()

    done = await step(harness, 1)
    assert done.status is StepStatus.DONE and done.closed_at == MONDAY
    assert "1/3 done" in card(harness) and "Step 1 of R-1 is done" in private_answers(harness)[-1]
    assert any("<@U0ALEX> marked it done" in line for line in thread(harness))
    assert await timeline(harness, run) == ["started", "step_due", "step_done"]


async def test_skip_and_blocked_ask_the_reason_and_keep_it(harness, run) -> None:
    priya = harness.actor("U0PRIYA")
    empty = await give_reason(harness, priya, RunIds.SKIP, "R-1:2", "  ")
    assert "Say why" in empty["errors"][RunIds.REASON.value]

    await give_reason(harness, priya, RunIds.SKIP, "R-1:2", "Met everyone at the offsite last week")
    await give_reason(harness, priya, RunIds.BLOCKED, "R-1:3", "No access to the repository yet")
    await harness.runs.deliver()

    skipped, blocked = await step(harness, 2), await step(harness, 3)
    assert (skipped.status, skipped.reason) == (StepStatus.SKIPPED, "Met everyone at the offsite last week")
    assert (blocked.status, blocked.reason) == (StepStatus.BLOCKED, "No access to the repository yet")
    shown = card(harness)
    assert "0/3 done · 1 skipped · 1 blocked" in shown  # a skipped step is not counted as done
    assert "No access to the repository yet" in shown
    assert any("it needs you" in line and "<@U0LOCAL>" in line for line in thread(harness))


async def test_only_the_steps_person_the_lead_or_an_admin_may_change_a_step(harness, run) -> None:
    await press(harness, harness.actor("U0PRIYA"), RunIds.DONE, "R-1:1")  # step 1 is Alex's
    assert "Only <@U0ALEX>, <@U0LOCAL>" in private_answers(harness)[-1]
    assert (await step(harness, 1)).status is StepStatus.PENDING

    await press(harness, harness.me, RunIds.DONE, "R-1:2")  # the lead may
    assert (await step(harness, 2)).status is StepStatus.DONE
    menu = {"type": "overflow", "action_id": RunIds.STEP_MENU.value, "block_id": "x",
            "selected_option": {"value": "done:R-1:1", "text": {"type": "plain_text", "text": "Done"}}}  # fmt: skip
    await harness.slack.block_action(harness.actor("U0ALEX"), menu, message={"ts": "1.000001"})  # from the card
    assert (await step(harness, 1)).status is StepStatus.DONE


async def test_finishing_every_step_resolves_the_run_and_offers_the_retrospective(harness, run) -> None:
    await press(harness, harness.actor("U0ALEX"), RunIds.DONE, "R-1:1")
    await press(harness, harness.actor("U0PRIYA"), RunIds.DONE, "R-1:2")
    await give_reason(harness, harness.actor("U0PRIYA"), RunIds.SKIP, "R-1:3", "Merged one before starting")
    await harness.runs.deliver()

    [resolved] = await harness.rows(PlaybookRun)
    assert resolved.status is RunStatus.RESOLVED and resolved.resolved_at == MONDAY
    messages = [m for m in harness.standin.messages("C0GENERAL") if "R-1" in m["text"]]
    buttons = [e for b in messages[-1]["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert [(b["action_id"], b["value"]) for b in buttons] == [(RETRO_OPEN, str(run.id))]
    assert any("Time for the retrospective" in line for line in thread(harness))
    await harness.runs.at(timedelta(days=14))  # week 2 never comes for a finished run
    assert not any("pull request" in t for t in dms(harness, "U0PRIYA"))


async def test_resolving_by_hand_is_for_the_lead_or_an_admin(harness, run) -> None:
    response = await harness.slack.command(harness.actor("U0ALEX"), "/playbook", "resolve R-1")
    assert "Only <@U0LOCAL> (the run's lead)" in reply_text(response)
    assert (await harness.rows(PlaybookRun))[0].status is RunStatus.ACTIVE

    response = await harness.slack.command(harness.me, "/playbook", "resolve R-1")
    assert "R-1 is resolved" in reply_text(response)
    await press(harness, harness.actor("U0ALEX"), RunIds.DONE, "R-1:1")
    assert "resolved; its steps no longer change" in private_answers(harness)[-1]
    response = await harness.slack.command(harness.me, "/playbook", "resolve R-1")
    assert "already resolved" in reply_text(response)


async def test_the_run_shows_its_card_and_timeline_and_is_invisible_to_another_workspace(harness, run) -> None:
    await give_reason(harness, harness.actor("U0PRIYA"), RunIds.BLOCKED, "R-1:2", "Team is travelling")
    shown = all_text((await harness.slack.command(harness.me, "/playbook", "R-1")).json()["blocks"])
    assert "Timeline" in shown and "started it on PB-1 v1" in shown
    assert "<@U0PRIYA> marked step 2 blocked: Team is travelling" in shown

    olga = harness.actor("U0OTHER", team_id="T0OTHER")
    assert "can't find R-1" in reply_text(await harness.slack.command(olga, "/playbook", "R-1"))
    await press(harness, olga, RunIds.DONE, "R-1:1")
    assert "can't find R-1" in private_answers(harness)[-1]
    assert (await step(harness, 1)).status is StepStatus.PENDING


async def test_the_home_tab_lists_my_steps_in_active_runs(harness, run) -> None:
    await harness.slack.event(harness.actor("U0PRIYA"), {"type": "app_home_opened", "user": "U0PRIYA", "tab": "home"})
    shown = all_text(harness.standin.home("U0PRIYA")["blocks"])
    assert "My steps" in shown and "*R-1* step 2: Meet the team" in shown and "step 3" in shown
    assert "Laptop" not in shown  # Alex's


async def test_an_incident_run_names_its_status_interval_on_the_card(harness, clock) -> None:
    clock.set(MONDAY)
    install_clock(harness, clock)
    ref = await make_playbook(harness, INCIDENT, kind=PlaybookKind.INCIDENT, name="Sev-1")
    await start_run(harness, ref, people_for={"incident lead": "U0LOCAL", "comms": "U0ALEX"}, title="Checkout down")
    shown = all_text((await harness.slack.command(harness.me, "/playbook", "R-1")).json()["blocks"])
    assert "status update every 30 min" in shown
