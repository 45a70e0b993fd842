"""A second trial's findings on runs, fixed: `T` at the launch moment (in test_runs_timing), the start's wording,
refusals before a form is opened, approval that waits for the approver, and the overdue list redrawn on resolve."""

from __future__ import annotations

import pytest

from handlers.playbooks.running.ids import RunIds
from models import PlaybookKind
from models.playbook_run import StepStatus
from tests.support.outcomes import all_text, reply_text
from tests.support.playbook_runs import (
    card,
    make_playbook,
    opened_view,
    press,
    private_answers,
    start_run,
    step_row,
    submit_run,
)

pytest_plugins = ["tests.support.outbox_fixtures"]
pytestmark = pytest.mark.usefixtures("around_the_clock")
ROLES = {"buddy": "U0ALEX", "new hire": "U0PRIYA"}


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


# 4: approval that waits for the approver ------------------------------------------------------------------------

GOALS = {"title": "Agree goals for the quarter", "role": "manager", "approval_role": "manager's lead"}
READ = {"title": "Read the handbook", "role": "manager", "timing": "day 2"}


def approve_button(action: RunIds, value: str = "R-1:1") -> dict:
    return {"type": "button", "action_id": action.value, "block_id": "x", "value": value,
            "text": {"type": "plain_text", "text": "x"}}  # fmt: skip


async def home_of(harness, user: str) -> str:
    await harness.slack.event(harness.actor(user), {"type": "app_home_opened", "user": user, "tab": "home"})
    return all_text(harness.standin.home(user)["blocks"])


async def test_done_on_a_step_needing_approval_waits_until_the_approver_approves(harness, runs) -> None:
    await start_run(harness, await make_playbook(harness, [GOALS, READ]),
                    people_for={"manager": "U0ALEX", "manager's lead": "U0PRIYA"})  # fmt: skip
    await runs.run()
    await press(harness, harness.actor("U0ALEX"), RunIds.DONE, "R-1:1")
    assert "awaits <@U0PRIYA>'s approval" in private_answers(harness)[-1]
    await runs.deliver()
    assert (await step_row(harness, 1)).status is StepStatus.AWAITING
    assert "awaiting <@U0PRIYA>'s approval" in card(harness) and "0/2 done" in card(harness)
    [asked] = [m for m in harness.standin.messages("U0PRIYA") if "awaits your approval" in m["text"]]
    labels = [e["text"]["text"] for b in asked["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert labels == ["Approve", "Send back…"]
    shown_home = await home_of(harness, "U0PRIYA")
    assert "awaits your approval" in shown_home, shown_home

    # Someone else may not approve; the approver sends it back with a reason, then approves the second Done.
    await harness.slack.block_action(harness.actor("U0BOB"), approve_button(RunIds.APPROVE), message={"ts": "1"})
    assert private_answers(harness)[-1].startswith("Only <@U0PRIYA>, <@U0LOCAL> (")
    opened = len(harness.standin.calls_to("views.open"))
    await harness.slack.block_action(harness.actor("U0PRIYA"), approve_button(RunIds.SEND_BACK), message={"ts": "1"})
    assert len(harness.standin.calls_to("views.open")) == opened + 1
    values = {RunIds.REASON.value: {RunIds.REASON.value: {"type": "plain_text_input", "value": "Add the Q2 goal"}}}
    await harness.slack.view_submission(harness.actor("U0PRIYA"), opened_view(harness, actor=harness.actor("U0PRIYA")),
                                        values)  # fmt: skip
    back = await step_row(harness, 1)
    assert back.status is StepStatus.PENDING and back.reason == "Add the Q2 goal"

    await press(harness, harness.actor("U0ALEX"), RunIds.DONE, "R-1:1")
    await harness.slack.block_action(harness.actor("U0PRIYA"), approve_button(RunIds.APPROVE), message={"ts": "1"})
    assert "Approved" in private_answers(harness)[-1]
    await runs.deliver()
    assert (await step_row(harness, 1)).status is StepStatus.DONE and "1/2 done" in card(harness)


async def test_the_approvers_own_step_is_done_at_once_and_their_dm_asks_no_ok_of_themselves(harness, runs) -> None:
    mine = {"title": "Sign the budget", "role": "manager", "approval_role": "manager"}
    await start_run(harness, await make_playbook(harness, [mine, READ]), people_for={"manager": "U0ALEX"})
    await runs.run()
    dm = all_text([m for m in harness.standin.messages("U0ALEX") if "Sign the budget" in m["text"]][0]["blocks"])
    assert "get their OK" not in dm and "You are also its approver" in dm
    await press(harness, harness.actor("U0ALEX"), RunIds.DONE, "R-1:1")
    assert (await step_row(harness, 1)).status is StepStatus.DONE


def card_menu_options(harness) -> dict[str, list[str]]:
    """Each step line's menu on the run's card, by the step's line: the options' values."""
    posted = [m for m in harness.standin.messages("C0GENERAL") if "R-" in m.get("text", "")][-1]
    return {b["text"]["text"]: [o["value"] for o in b["accessory"]["options"]]
            for b in posted["blocks"] if b.get("accessory", {}).get("type") == "overflow"}  # fmt: skip


def card_menu(value: str) -> dict:
    return {"type": "overflow", "action_id": RunIds.STEP_MENU.value, "block_id": "x",
            "selected_option": {"value": value, "text": {"type": "plain_text", "text": "x"}}}  # fmt: skip


async def test_a_step_awaiting_approval_can_be_approved_from_the_cards_menu_by_its_approver(harness, runs) -> None:
    # A newcomer trial: the approver's DM was held for the day's round-up, and the card offered no way to approve.
    await start_run(harness, await make_playbook(harness, [GOALS, READ]),
                    people_for={"manager": "U0ALEX", "manager's lead": "U0PRIYA"})  # fmt: skip
    await runs.run()
    await press(harness, harness.actor("U0ALEX"), RunIds.DONE, "R-1:1")
    await runs.deliver()

    [awaiting] = [options for line, options in card_menu_options(harness).items() if "awaiting" in line]
    assert awaiting == ["approve:R-1:1", "sendback:R-1:1"]

    await harness.slack.block_action(harness.actor("U0BOB"), card_menu("approve:R-1:1"), message={"ts": "1"})
    assert private_answers(harness)[-1].startswith("Only <@U0PRIYA>, <@U0LOCAL> (")
    assert (await step_row(harness, 1)).status is StepStatus.AWAITING

    await harness.slack.block_action(harness.actor("U0PRIYA"), card_menu("approve:R-1:1"), message={"ts": "1"})
    assert "Approved: step 1 of R-1 is done." in private_answers(harness)[-1]
    assert (await step_row(harness, 1)).status is StepStatus.DONE


async def test_send_back_from_the_cards_menu_asks_what_is_missing(harness, runs) -> None:
    await start_run(harness, await make_playbook(harness, [GOALS, READ]),
                    people_for={"manager": "U0ALEX", "manager's lead": "U0PRIYA"})  # fmt: skip
    await runs.run()
    await press(harness, harness.actor("U0ALEX"), RunIds.DONE, "R-1:1")
    opened = len(harness.standin.calls_to("views.open"))

    await harness.slack.block_action(harness.actor("U0PRIYA"), card_menu("sendback:R-1:1"), message={"ts": "1"})

    assert len(harness.standin.calls_to("views.open")) == opened + 1
    assert (await step_row(harness, 1)).status is StepStatus.AWAITING  # until the reason is sent
