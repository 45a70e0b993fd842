"""The card's other buttons: ask for input, move the deadline, withdraw, reopen; the card kept current with
chat.update; and asking from the Home tab."""

from __future__ import annotations

from datetime import timedelta

import pytest

from handlers.decisions.blocks.ids import DecisionIds
from models import Decision, DecisionStatus
from tests.support.decisions import (
    DEADLINE,
    START,
    Scheduler,
    ask,
    decide,
    decision_values,
    dm_texts,
    install_clock,
    kinds,
    one,
    press,
    private_answers,
    submit_opened,
    text_state,
)
from tests.support.outcomes import all_text

pytest_plugins = ["tests.support.outbox_fixtures"]


@pytest.fixture(autouse=True)
def at_start(harness, clock) -> None:
    clock.set(START)
    install_clock(harness, clock)


def deadline_state(moment) -> dict:
    return one(DecisionIds.DEADLINE, {"type": "datetimepicker", "selected_date_time": int(moment.timestamp())})


def card(harness, decision: Decision) -> str:
    [message] = [m for m in harness.standin.messages("C0GENERAL") if m["ts"] == decision.card_ts]
    return all_text(message["blocks"])


async def test_ask_for_input_pings_the_consulted_in_the_thread_at_most_hourly(harness, clock) -> None:
    decision = await ask(harness, consulted=["U0ALEX", "U0LOCAL"])
    priya = harness.actor("U0PRIYA")

    await press(harness, priya, DecisionIds.ASK_INPUT)
    clock.advance(timedelta(minutes=20))
    await press(harness, priya, DecisionIds.ASK_INPUT)
    await press(harness, harness.actor("U0OTHER", team_id="T0OTHER"), DecisionIds.ASK_INPUT)

    [asked] = harness.standin.messages("C0GENERAL", decision.card_ts)
    assert asked["text"].startswith("<@U0ALEX> <@U0LOCAL>: <@U0PRIYA> asks for your input on *D-1*")
    assert private_answers(harness) == [
        "Asked <@U0ALEX>, <@U0LOCAL> for input in the card's thread.",
        "Input was asked 20 minutes ago; give people time to answer.",
        "I can't find D-1 in this workspace.",
    ]
    assert await kinds(harness) == ["created", "consulted"]


async def test_only_the_people_running_it_ask_for_input(harness) -> None:
    await ask(harness)
    harness.standin.add_user("U0SAM", name="sam", real_name="Sam Doe", tz="UTC")

    await press(harness, harness.actor("U0SAM"), DecisionIds.ASK_INPUT)

    assert private_answers(harness) == [
        "Only the decider, who asked or the responsible, or a workspace admin, can ask for input on D-1. "
        "Nothing was changed."
    ]


async def test_moving_the_deadline_into_the_past_is_refused_on_the_field(harness) -> None:
    await ask(harness)
    priya = harness.actor("U0PRIYA")
    await press(harness, priya, DecisionIds.MOVE_DEADLINE)

    past = await submit_opened(harness, priya, deadline_state(START - timedelta(hours=1)))
    same = await submit_opened(harness, priya, deadline_state(DEADLINE))

    assert past["errors"] == {DecisionIds.DEADLINE: "That time has passed: pick a deadline in the future."}
    assert same["errors"] == {DecisionIds.DEADLINE: "That is the deadline it has; pick another time."}
    [decision] = await harness.rows(Decision)
    assert decision.deadline == DEADLINE and decision.round == 1


async def test_the_card_is_redrawn_when_the_decision_changes(harness) -> None:
    decision = await ask(harness)
    priya = harness.actor("U0PRIYA")
    later = DEADLINE + timedelta(days=1)

    await press(harness, priya, DecisionIds.MOVE_DEADLINE)
    await submit_opened(harness, priya, deadline_state(later))
    assert "Thu 3 Dec 19:30 for <@U0PRIYA> (Asia/Kolkata)" in card(harness, decision)

    await decide(harness, priya, option_index=1, rationale="Globex has the better SLA.")
    shown = card(harness, decision)
    assert "✅ Decided: *Globex Care*" in shown and "Globex has the better SLA." in shown
    assert len(harness.standin.calls_to("chat.update")) == 2


async def test_withdrawing_stops_everything_and_tells_the_people_named(harness, clock, clients, sender) -> None:
    scheduler = Scheduler(harness, clock, clients, sender)
    decision = await ask(harness, harness.actor("U0ALEX"), consulted=[], informed=["U0LOCAL"])
    await scheduler.run()

    await press(harness, harness.actor("U0ALEX"), DecisionIds.WITHDRAW)
    answer = await submit_opened(
        harness, harness.actor("U0ALEX"), one(DecisionIds.REASON, text_state("Merged into D-2"))
    )
    for moment in (DEADLINE - timedelta(hours=2), DEADLINE, DEADLINE + timedelta(days=2)):
        await scheduler.at(moment)

    assert answer["response_action"] == "update"
    shown = card(harness, decision)
    assert "⚪ Withdrawn" in shown and "*Why it was withdrawn*\nMerged into D-2" in shown
    assert "Reopen" in shown and "Withdraw\n" not in shown
    assert [t for t in dm_texts(harness, "U0LOCAL") if "Withdrawn" in t] == [
        "⚪ *D-1* Which vendor do we sign the support contract with? Withdrawn without a decision."
    ]
    assert all("Reminder" not in t and "due now" not in t for t in dm_texts(harness, "U0PRIYA"))
    assert await kinds(harness) == ["created", "withdrawn"]


async def test_reopening_starts_a_new_round_with_its_own_reminders(harness, clock, clients, sender) -> None:
    scheduler = Scheduler(harness, clock, clients, sender)
    await ask(harness)
    priya = harness.actor("U0PRIYA")
    await decide(harness, priya)
    assert "D-1" in str((await harness.slack.command(harness.me, "/decision", "log vendor")).json()["blocks"])

    await press(harness, priya, DecisionIds.REOPEN)
    missing = await submit_opened(harness, priya, deadline_state(DEADLINE) | one(DecisionIds.REASON, text_state("")))
    answer = await submit_opened(
        harness, priya, deadline_state(DEADLINE) | one(DecisionIds.REASON, text_state("The Acme offer was withdrawn."))
    )

    assert missing["errors"] == {DecisionIds.REASON: "Say why it is reopened: what changed?"}
    assert answer["response_action"] == "update"
    [decision] = await harness.rows(Decision)
    assert (decision.status, decision.round, decision.chosen_option) == (DecisionStatus.OPEN, 2, None)
    assert "Nothing decided matches" in str((await harness.slack.command(harness.me, "/decision", "log vendor")).json())
    await scheduler.at(DEADLINE)
    assert await kinds(harness) == ["created", "decided", "reopened", "nudged:3", "escalated:1"]
    assert "due now" in dm_texts(harness, "U0PRIYA")[-1]


async def test_asking_from_the_home_tab_puts_the_card_in_the_askers_dm(harness) -> None:
    home = {"id": "VHOME", "type": "home", "blocks": [], "private_metadata": ""}
    await harness.slack.block_action(
        harness.me, {"type": "button", "action_id": DecisionIds.CREATE.value, "block_id": "b"}, view=home
    )
    [opened] = harness.standin.calls_to("views.open")
    view = dict(opened.response["view"])
    answer = (await harness.slack.view_submission(harness.me, view, decision_values())).json()

    assert answer["response_action"] == "update"
    [decision] = await harness.rows(Decision)
    assert decision.channel_id is None and decision.card_channel == "DU0LOCAL"
    assert "*D-1*" in all_text(harness.standin.messages("U0LOCAL")[-1]["blocks"])
    assert harness.standin.calls_to("views.publish")  # the Home tab is redrawn
