"""Who may do what to a decision, checked on every press and every submission, whatever payload is forged; and
the Decide form's own errors."""

from __future__ import annotations

from datetime import timedelta

import pytest

from handlers.decisions.blocks.ids import DecisionIds
from models import Decision, DecisionEvent, DecisionStatus
from tests.support.decisions import (
    DEADLINE,
    FAST_PATH,
    START,
    Scheduler,
    ask,
    decide,
    define_path,
    install_clock,
    one,
    press,
    private_answers,
    submit_opened,
    text_state,
)
from tests.support.outcomes import opened_view

pytest_plugins = ["tests.support.outbox_fixtures"]
OTHER_TEAM = "T0OTHER"
EVERY_BUTTON = [
    DecisionIds.DECIDE,
    DecisionIds.ASK_INPUT,
    DecisionIds.ACKNOWLEDGE,
    DecisionIds.SNOOZE,
    DecisionIds.MOVE_DEADLINE,
    DecisionIds.WITHDRAW,
    DecisionIds.REOPEN,
]


@pytest.fixture(autouse=True)
def at_start(harness, clock) -> None:
    clock.set(START)
    install_clock(harness, clock)
    harness.standin.add_user("U0SAM", name="sam", real_name="Sam Doe", tz="Europe/London")


async def unchanged(harness) -> None:
    [decision] = await harness.rows(Decision)
    assert decision.status is DecisionStatus.OPEN and decision.deadline == DEADLINE
    assert decision.chosen_option is None and decision.round == 1
    assert [e.kind.value for e in await harness.rows(DecisionEvent)] == ["created"]


def views_opened(harness) -> int:
    return len(harness.standin.calls_to("views.open"))


async def test_only_the_decider_or_an_admin_may_decide(harness) -> None:
    await ask(harness, harness.actor("U0ALEX"))
    opened = views_opened(harness)

    await press(harness, harness.actor("U0SAM"), DecisionIds.DECIDE)

    assert views_opened(harness) == opened
    assert private_answers(harness) == [
        "Only <@U0PRIYA> (the decider), or a workspace admin, can decide D-1. Nothing was changed."
    ]
    await unchanged(harness)


async def test_a_forged_decide_form_from_a_non_decider_changes_nothing(harness) -> None:
    await ask(harness)
    await press(harness, harness.actor("U0PRIYA"), DecisionIds.DECIDE)  # the decider opens the form ...
    values = one(DecisionIds.RATIONALE, text_state("Mine now")) | one(
        DecisionIds.CHOICE,
        {"type": "radio_buttons", "selected_option": {"value": "1", "text": {"type": "plain_text", "text": "x"}}},
    )

    answer = await submit_opened(harness, harness.actor("U0SAM"), values)  # ... and someone else submits it

    assert answer["response_action"] == "errors"
    assert (
        "Only Priya Raman (the decider), or a workspace admin, can decide D-1"
        in answer["errors"][DecisionIds.RATIONALE]
    )
    await unchanged(harness)


async def test_an_admin_may_decide_for_the_decider(harness) -> None:
    await ask(harness, harness.actor("U0ALEX"))
    answer = await decide(harness, harness.me, option_index=1, rationale="Priya is away; agreed with her by phone.")

    assert answer["response_action"] == "update"
    [decision] = await harness.rows(Decision)
    assert (decision.status, decision.chosen_option) == (DecisionStatus.DECIDED, "Globex Care")


@pytest.mark.parametrize("action", EVERY_BUTTON)
async def test_another_workspace_cannot_act_on_d1_even_with_a_forged_button(harness, action) -> None:
    await ask(harness)
    olga = harness.actor("U0OTHER", team_id=OTHER_TEAM)
    opened = views_opened(harness)

    response = await press(harness, olga, action)

    assert response.status_code == 200
    assert views_opened(harness) == opened
    assert private_answers(harness) == ["I can't find D-1 in this workspace."]
    await unchanged(harness)


async def test_another_workspace_cannot_see_search_or_submit_into_d1(harness) -> None:
    await ask(harness)
    await decide(harness, harness.actor("U0PRIYA"))
    await press(harness, harness.actor("U0PRIYA"), DecisionIds.REOPEN)  # a real form, for D-1
    olga = harness.actor("U0OTHER", team_id=OTHER_TEAM)

    shown = (await harness.slack.command(olga, "/decision", "D-1")).json()
    logged = (await harness.slack.command(olga, "/decision", "log vendor")).json()
    listed = (await harness.slack.command(olga, "/decision", "list decided")).json()
    values = one(DecisionIds.REASON, text_state("gotcha")) | one(
        DecisionIds.DEADLINE, {"type": "datetimepicker", "selected_date_time": int(DEADLINE.timestamp())}
    )
    submitted = await harness.slack.view_submission(olga, opened_view(harness, actor=olga), values)

    assert "can't find D-1" in shown["text"]
    assert "Nothing decided matches" in str(logged["blocks"])
    assert "Which vendor" not in str(listed) and "Nothing decided yet" in str(listed)
    assert submitted.json()["errors"] == {DecisionIds.REASON: "This decision no longer exists here."}
    [decision] = await harness.rows(Decision)
    assert decision.status is DecisionStatus.DECIDED and decision.round == 1


async def test_only_who_asked_or_an_admin_may_withdraw(harness) -> None:
    await ask(harness, harness.actor("U0ALEX"))
    await press(harness, harness.actor("U0PRIYA"), DecisionIds.WITHDRAW)
    assert "Only Alex Meyer" not in private_answers(harness)[-1]
    assert private_answers(harness)[-1].startswith("Only <@U0ALEX> (who asked for it), or a workspace admin,")

    await press(harness, harness.actor("U0ALEX"), DecisionIds.WITHDRAW)
    answer = await submit_opened(harness, harness.actor("U0ALEX"), one(DecisionIds.REASON, text_state("")))
    assert answer["errors"] == {DecisionIds.REASON: "Say why it is withdrawn, so the people involved know."}
    answer = await submit_opened(
        harness, harness.actor("U0ALEX"), one(DecisionIds.REASON, text_state("Merged into D-2"))
    )
    assert answer["response_action"] == "update"
    [decision] = await harness.rows(Decision)
    assert decision.status is DecisionStatus.WITHDRAWN


async def test_the_rationale_is_required_and_at_most_slacks_limit(harness) -> None:
    await ask(harness)
    priya = harness.actor("U0PRIYA")

    empty = await decide(harness, priya, rationale="  ")
    too_long = await decide(harness, priya, rationale="x" * 3001)
    no_choice = await decide(harness, priya, option_index=None)

    assert empty["errors"] == {DecisionIds.RATIONALE: "Write why: the rationale is what people will look for later."}
    assert too_long["errors"] == {
        DecisionIds.RATIONALE: "Slack takes at most 3,000 characters here (this has 3,001); link to a document for "
        "the rest."
    }
    assert no_choice["errors"][DecisionIds.CHOICE] == "Choose one of the options."
    await unchanged(harness)
    assert (await decide(harness, priya, rationale="x" * 3000))["response_action"] == "update"


async def test_a_decision_is_decided_once(harness) -> None:
    await ask(harness)
    priya = harness.actor("U0PRIYA")
    await decide(harness, priya)
    opened = views_opened(harness)

    await press(harness, priya, DecisionIds.DECIDE)

    assert views_opened(harness) == opened
    assert private_answers(harness)[-1] == "D-1 is decided already: Acme Support. Reopen it to decide it again."


# acknowledging and snoozing ------------------------------------------------------------------------------------


@pytest.fixture
async def overdue(harness, clock, clients, sender) -> Scheduler:
    await define_path(harness, "Fast", FAST_PATH, default=True)
    await ask(harness)
    scheduler = Scheduler(harness, clock, clients, sender)
    await scheduler.at(DEADLINE)  # level 1 reaches Alex
    return scheduler


async def test_nothing_to_acknowledge_before_the_deadline(harness) -> None:
    await ask(harness)
    await press(harness, harness.actor("U0PRIYA"), DecisionIds.ACKNOWLEDGE)
    assert private_answers(harness) == [
        "D-1 is not due yet, and escalation only starts at its deadline: nothing to acknowledge yet."
    ]
    await unchanged(harness)


async def test_only_those_the_walk_reached_may_acknowledge(harness, overdue) -> None:
    await press(harness, harness.actor("U0SAM"), DecisionIds.ACKNOWLEDGE)
    assert (
        "Only the decider or someone the escalation has reached, or a workspace admin, can acknowledge D-1"
        in private_answers(harness)[-1]
    )

    await press(harness, harness.actor("U0ALEX"), DecisionIds.ACKNOWLEDGE)  # level 1 reached Alex
    assert "paused until" in private_answers(harness)[-1]

    await overdue.at(DEADLINE + timedelta(hours=5))  # level 2 posts in the channel: now anyone may
    await press(harness, harness.actor("U0SAM"), DecisionIds.ACKNOWLEDGE)
    assert "paused until" in private_answers(harness)[-1]


async def test_snoozing_stays_within_the_paths_limits(harness, overdue) -> None:
    alex = harness.actor("U0ALEX")
    await press(harness, alex, DecisionIds.SNOOZE)
    choices = [o["value"] for o in opened_view(harness)["blocks"][1]["element"]["options"]]
    assert choices == ["60", "240", "1440"]

    def snooze_for(minutes: str) -> dict:
        option = {"value": minutes, "text": {"type": "plain_text", "text": "x"}}
        return one(DecisionIds.SNOOZE_FOR, {"type": "static_select", "selected_option": option})

    too_long = await submit_opened(harness, alex, snooze_for("2000"))
    assert too_long["errors"] == {
        DecisionIds.SNOOZE_FOR: "This path allows no snooze that long: pick one of the times offered."
    }
    for _ in range(3):  # each snooze is its own press of the button, and its own form
        await press(harness, alex, DecisionIds.SNOOZE)
        assert (await submit_opened(harness, alex, snooze_for("60")))["response_action"] == "update"
    await press(harness, alex, DecisionIds.SNOOZE)
    fourth = await submit_opened(harness, alex, snooze_for("60"))
    assert "snoozed 3 times already" in fourth["errors"][DecisionIds.SNOOZE_FOR]
    snoozes = [e for e in await harness.rows(DecisionEvent) if e.kind.value == "snoozed"]
    assert len(snoozes) == 3
