"""Action items on other features' cards: a decided decision offers "Add follow-up" (the action item form,
prefilled, with the decision as its source), and an outcome's card lists its open action items."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import update

from handlers.actions.blocks.ids import ActionIds
from handlers.kit.shared_ids import SharedIds
from models import Action, Decision, DecisionStatus, SourceKind
from tests.support.actions import ALEX, START, capture_text, form_values, install_clock, only_action, press
from tests.support.decisions import ask, decide, private_answers
from tests.support.outcomes import all_text, define, opened_view

pytest_plugins = ["tests.support.outbox_fixtures"]


@pytest.fixture(autouse=True)
def at_start(harness, clock) -> None:
    clock.set(START)
    install_clock(harness, clock)


def buttons(blocks: list[dict[str, Any]]) -> list[tuple[str, str, str]]:
    return [(e["text"]["text"], e["action_id"], e.get("value", "")) for b in blocks for e in b.get("elements") or []
            if e.get("type") == "button"]  # fmt: skip


async def decision_card(harness) -> list[dict[str, Any]]:
    response = await harness.slack.command(harness.me, "/decision", "D-1")
    return response.json()["blocks"]


def follow_up(ref: str = "D-1") -> dict[str, Any]:
    return {"type": "button", "action_id": SharedIds.FOLLOW_UP.value, "block_id": "decision_card_actions",
            "value": ref, "text": {"type": "plain_text", "text": "Add follow-up"}}  # fmt: skip


def field(view: dict[str, Any], block: ActionIds) -> dict[str, Any]:
    return next(b for b in view["blocks"] if b.get("block_id") == block.value)["element"]


async def test_a_decided_decision_offers_a_follow_up_prefilled_with_the_decision_as_its_source(harness) -> None:
    outcome = await define(harness)
    await ask(harness, outcome=outcome.ref)
    assert SharedIds.FOLLOW_UP.value not in [b[1] for b in buttons(await decision_card(harness))]
    alex, opened = harness.actor("U0ALEX"), len(harness.standin.calls_to("views.open"))
    await harness.slack.block_action(alex, follow_up(), message={"ts": "1.000001"})  # forged on an open one
    assert private_answers(harness)[-1] == "D-1 is open, so there is no decision to follow up yet."
    assert len(harness.standin.calls_to("views.open")) == opened  # no form

    await decide(harness, harness.actor("U0PRIYA"), 0, "Cheaper, same quality.")
    shown = buttons(await decision_card(harness))
    assert shown == [("Add follow-up", SharedIds.FOLLOW_UP.value, "D-1"), ("Reopen", "decision_reopen_button", "D-1")]

    await harness.slack.block_action(alex, follow_up(), message={"ts": "1.000001"})
    view = opened_view(harness)
    assert view["callback_id"] == ActionIds.CREATE_VIEW.value
    assert field(view, ActionIds.WHAT)["initial_value"] == "Follow up on D-1: Acme Support"
    assert field(view, ActionIds.OWNER)["initial_user"] == "U0ALEX"
    assert field(view, ActionIds.OUTCOME)["initial_option"]["value"] == outcome.ref
    note = all_text(view["blocks"][:1])
    assert note == "A follow-up to *D-1* Which vendor do we sign the support contract with?\n*Decided* Acme Support"

    values = form_values(what="Sign the Acme contract", owner="U0ALEX", outcome=outcome.ref)
    response = await harness.slack.view_submission(alex, view, values)
    assert "It follows up *D-1*." in all_text(response.json()["view"]["blocks"])
    action = await only_action(harness)
    assert (action.source_kind, action.source_ref, action.channel_id) == (SourceKind.DECISION, "D-1", "C0GENERAL")
    card = await harness.slack.command(harness.me, "/action", "A-1")
    assert "from decision D-1" in all_text(card.json()["blocks"]) and f"serves *{outcome.ref}*" in all_text(
        card.json()["blocks"]
    )


async def test_a_follow_up_of_a_decision_reopened_meanwhile_is_refused_on_the_form(harness) -> None:
    await ask(harness)
    await decide(harness, harness.actor("U0PRIYA"))
    await harness.slack.block_action(harness.me, follow_up(), message={"ts": "1.000001"})
    view = opened_view(harness)
    await harness.slack.block_action(harness.me, follow_up("D-9"), message={"ts": "1.000001"})
    assert private_answers(harness)[-1] == "I can't find D-9 in this workspace."
    async with harness.db.sessions.begin() as session:  # reopened by someone else while the form was open
        await session.execute(update(Decision).values(status=DecisionStatus.OPEN))
    response = await harness.slack.view_submission(harness.me, view, form_values())
    body = response.json()
    assert body["response_action"] == "errors" and "D-1 is open" in body["errors"][ActionIds.WHAT.value]
    assert await harness.rows(Action) == []


async def test_the_outcome_card_lists_its_open_action_items_overdue_first_at_most_five(harness, clock) -> None:
    outcome = await define(harness)
    ref = outcome.ref
    await capture_text(harness, f"{ALEX} write the launch post in 10 days {ref}")
    await capture_text(harness, f"{ALEX} book the venue by tomorrow {ref}")  # overdue below
    await capture_text(harness, f"@me done before long by tomorrow {ref}")  # done below
    for n in range(4, 8):  # A-4 … A-7
        await capture_text(harness, f"@me step {n} in {n} days {ref}")
    await capture_text(harness, "@me serves nothing by tomorrow")
    await press(harness, harness.me, ActionIds.DONE, "A-3")
    clock.set(START + timedelta(days=3))

    response = await harness.slack.command(harness.me, "/outcome", ref)
    text = all_text(response.json()["blocks"])
    section = text.split("*Open action items* (6)\n", 1)[1].splitlines()
    assert section[0] == "• *A-2* book the venue · <@U0ALEX> · overdue 2d"
    assert [line.split("*")[1] for line in section[:5]] == ["A-2", "A-4", "A-5", "A-6", "A-7"]
    assert section[5] == f"…and 1 more: `/action list {ref}`"
    assert "done before long" not in text and "serves nothing" not in text
