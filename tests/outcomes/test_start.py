"""Issue 10 items 17 and 9 (Home): a person with nothing set up sees "Start small" (one priority, one outcome
with its indicators, a first check-in); each step opens its form or says what to type, ticks itself when done,
and the start is gone once every step is; the help under it is two lines, not the whole help."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.clock import MovableClock
from bot.surface import OUTCOME, PROGRESS
from handlers.outcomes.blocks.ids import OutcomeIds
from models import Priority
from tests.support.checkins import set_up
from tests.support.outcomes import all_text, define, opened_view, sent_view

HOME = {"type": "app_home_opened", "tab": "home"}
STEPS = ("Choose one priority", "Define one outcome with its leading indicators", "Run a first check-in")


async def open_home(harness, actor=None) -> dict:
    actor = actor or harness.me
    await harness.slack.event(actor, {**HOME, "user": actor.user_id})
    return last_home(harness, actor.user_id)


def last_home(harness, user_id: str) -> dict:
    calls = [c for c in harness.standin.calls_to("views.publish") if c.args["user_id"] == user_id]
    return sent_view(calls[-1])


def ticked(view: dict) -> dict[str, bool]:
    text = all_text(view["blocks"])
    return {step: f"✅ ~{step}~" in text for step in STEPS if step in text}


def accessories(view: dict) -> list[str]:
    return [b["accessory"]["action_id"] for b in view["blocks"] if "accessory" in b]


async def test_a_new_admin_sees_three_steps_and_two_lines_of_help(harness) -> None:
    view = await open_home(harness)

    text = all_text(view["blocks"])
    assert "Start small" in text
    assert ticked(view) == dict.fromkeys(STEPS, False)
    assert accessories(view)[:2] == [OutcomeIds.ADD_PRIORITY, OutcomeIds.CREATE]
    assert "Type `/checkin` in your team's channel" in text
    # The help is a pointer, not the whole help text.
    assert text.count("/followthrough help") == 1
    assert OUTCOME.description not in text and PROGRESS.examples[0][0] not in text


async def test_each_step_ticks_itself_and_the_start_is_gone_once_all_are_done(harness) -> None:
    await open_home(harness)
    # Step 1: the button opens the priority form; saving it adds the priority and redraws the Home tab.
    home = {"type": "home", "id": "V0HOME"}
    button = {"action_id": OutcomeIds.ADD_PRIORITY, "block_id": "start", "type": "button", "value": ""}
    await harness.slack.block_action(harness.me, button, view=home)
    form = opened_view(harness)
    assert form["callback_id"] == OutcomeIds.PRIORITY_VIEW
    values = {OutcomeIds.PRIORITY_TITLE: {OutcomeIds.PRIORITY_TITLE: {"type": "plain_text_input", "value": "Grow"}}}
    assert (await harness.slack.view_submission(harness.me, form, values)).text == ""
    [priority] = await harness.rows(Priority)
    assert priority.title == "Grow"
    assert ticked(last_home(harness, "U0LOCAL")) == {STEPS[0]: True, STEPS[1]: False, STEPS[2]: False}

    await define(harness, parent="P-1")
    assert ticked(await open_home(harness)) == {STEPS[0]: True, STEPS[1]: True, STEPS[2]: False}

    await set_up(harness.db, MovableClock(datetime.now(UTC)))
    view = await open_home(harness)
    assert "Start small" not in all_text(view["blocks"]) and ticked(view) == {}
    assert "Your outcomes" in all_text(view["blocks"])


async def test_someone_who_is_not_an_admin_is_not_held_by_the_priority_step(harness) -> None:
    alex = harness.actor("U0ALEX")
    view = await open_home(harness, alex)
    assert OutcomeIds.ADD_PRIORITY not in accessories(view)
    assert "A workspace admin adds it" in all_text(view["blocks"])

    await define(harness, alex)
    await set_up(harness.db, MovableClock(datetime.now(UTC)), owner="U0ALEX")

    assert "Start small" not in all_text((await open_home(harness, alex))["blocks"])


async def test_a_workspace_already_set_up_shows_a_newcomer_only_their_own_step(harness) -> None:
    await harness.slack.command(harness.me, "/priority", "add Grow")
    await define(harness)
    await set_up(harness.db, MovableClock(datetime.now(UTC)))

    view = await open_home(harness, harness.actor("U0PRIYA"))

    assert ticked(view) == {STEPS[0]: True, STEPS[1]: False, STEPS[2]: True}
    assert "Start small" not in all_text((await open_home(harness))["blocks"])


async def test_the_priority_form_refuses_a_non_admin_on_the_field(harness) -> None:
    alex = harness.actor("U0ALEX")
    await open_home(harness)
    button = {"action_id": OutcomeIds.ADD_PRIORITY, "block_id": "start", "type": "button", "value": ""}
    await harness.slack.block_action(harness.me, button, view={"type": "home", "id": "V0HOME"})
    values = {OutcomeIds.PRIORITY_TITLE: {OutcomeIds.PRIORITY_TITLE: {"type": "plain_text_input", "value": "Mine"}}}

    body = (await harness.slack.view_submission(alex, opened_view(harness, actor=alex), values)).json()

    assert "Only workspace admins can manage priorities" in body["errors"][OutcomeIds.PRIORITY_TITLE]
    assert await harness.rows(Priority) == []
