"""A DM that waited for the "your day" round-up still works from its thread: its buttons do what they did."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from handlers.decisions.blocks.ids import DecisionIds
from models import Decision, DecisionStatus, Delivery, Person
from tests.support.checkins import deliver
from tests.support.decisions import ask, install_clock, one, text_state
from tests.support.outbox import dm
from tests.support.outcomes import opened_view

pytest_plugins = ["tests.support.outbox_fixtures"]

TUESDAY_10_IST = datetime(2026, 12, 1, 4, 30, tzinfo=UTC)
WEDNESDAY_9_IST = datetime(2026, 12, 2, 3, 30, tzinfo=UTC)


def decide_button(message: dict) -> dict:
    for block in message.get("blocks") or []:
        for element in block.get("elements") or []:
            if element.get("action_id") == DecisionIds.DECIDE.value:
                return {**element, "block_id": block["block_id"]}
    raise AssertionError(f"no Decide button in {message.get('text')!r}")


async def test_an_ask_to_decide_that_waited_is_decided_from_the_round_ups_thread(
    harness, clock, sender, workspace
) -> None:

    clock.set(TUESDAY_10_IST)
    install_clock(harness, clock)
    await harness.slack.command(harness.actor("U0PRIYA"), "/followthrough", "budget 1")
    [priya] = [p for p in await harness.rows(Person) if p.slack_user_id == "U0PRIYA"]
    assert priya.nudge_budget == 1
    await dm(harness.db, workspace, clock, "earlier", "U0PRIYA", "Your check-in", urgency=None, kind="checkin.ask")
    await deliver(sender)

    await ask(harness, decider="U0PRIYA", consulted=[], deadline=datetime(2026, 12, 4, 12, 0, tzinfo=UTC))
    await deliver(sender)
    assert [m["text"] for m in harness.standin.messages("U0PRIYA")] == ["Your check-in"]  # the ask waits

    clock.set(WEDNESDAY_9_IST)
    await deliver(sender)
    round_up = harness.standin.messages("U0PRIYA")[-1]
    assert round_up["text"] == "☀️ Your day: 1 message waited for you"
    assert "*Decisions* (1)" in str(round_up["blocks"])
    [waited] = harness.standin.messages("U0PRIYA", thread_ts=round_up["ts"])
    assert "asks you to decide" in waited["text"]

    actor = harness.actor("U0PRIYA", channel_id=harness.standin.ws.dm_for("U0PRIYA"), channel_name="directmessage")
    clock.set(WEDNESDAY_9_IST + timedelta(minutes=5))
    await harness.slack.block_action(actor, decide_button(waited), message=waited)
    option = {"text": {"type": "plain_text", "text": "x"}, "value": "0"}
    values = one(DecisionIds.RATIONALE, text_state("Cheaper, same quality.")) | one(
        DecisionIds.CHOICE, {"type": "radio_buttons", "selected_option": option}
    )
    response = await harness.slack.view_submission(actor, opened_view(harness, actor=actor), values)
    assert response.json().get("response_action") == "update", response.text
    [decision] = await harness.rows(Decision)
    assert decision.status == DecisionStatus.DECIDED
    [row] = [d for d in await harness.rows(Delivery) if d.slack_ts == waited["ts"]]
    assert (row.held_reason, row.responded_at) == ("over today's budget", WEDNESDAY_9_IST + timedelta(minutes=5))


async def test_whoever_assigns_an_action_item_hears_when_it_will_reach_its_owner(harness, clock, sender) -> None:
    clock.set(datetime(2026, 12, 1, 21, 30, tzinfo=UTC))  # 03:00 in Kolkata
    install_clock(harness, clock)
    answer = await harness.slack.command(harness.me, "/action", "<@U0PRIYA> review the onboarding copy by friday")
    said = answer.json()["text"]
    assert "I'll let <@U0PRIYA> know: it's outside their working hours" in said
    assert "<!date^1796182200^" in said  # 09:00 in Kolkata, shown in the reader's zone
    await deliver(sender)
    assert harness.standin.messages("U0PRIYA") == []
