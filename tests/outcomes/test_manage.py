"""The card's buttons for the owner (and admins): edit, change owner, mark done, drop."""

from __future__ import annotations

from datetime import timedelta

from handlers.outcomes.blocks.ids import OutcomeIds
from models import Metric, MetricReading, Outcome, OutcomeStatus, Person, ProgressSource, ProgressUpdate
from tests.support.outcomes import all_text, define, my_today, opened_view, outcome_values


async def show_card(harness, actor) -> dict:
    return (await harness.slack.command(actor, "/outcome", "O-1")).json()


def button(card: dict, action_id: str) -> dict:
    actions = next(b for b in card["blocks"] if b.get("block_id") == OutcomeIds.CARD_ACTIONS)
    element = next(e for e in actions["elements"] if e["action_id"] == action_id)
    return {**element, "block_id": OutcomeIds.CARD_ACTIONS}


def redraws(harness) -> list[dict]:
    return [c.args for c in harness.standin.calls if c.method == "response_url" and c.args.get("replace_original")]


async def test_edit_opens_the_filled_form_and_saving_updates_the_outcome_and_the_card(harness) -> None:
    await harness.slack.command(harness.me, "/priority", "add Grow self-serve revenue")
    await define(harness, owner="U0ALEX", parent="P-1", leading="Demos booked: 2 -> 10\nCalls: 1 -> 5")
    alex = harness.actor("U0ALEX")
    await harness.slack.command(alex, "/progress", "O-1 30 demos-booked=4 going well")
    card = await show_card(harness, alex)

    await harness.slack.block_action(alex, button(card, OutcomeIds.EDIT), message=card)

    view = opened_view(harness)
    assert view["callback_id"] == OutcomeIds.EDIT_VIEW and view["title"]["text"] == "Edit O-1"
    filled = {b["block_id"]: b["element"] for b in view["blocks"] if b.get("type") == "input"}
    assert OutcomeIds.OWNER not in filled  # the owner changes through its own button
    assert filled[OutcomeIds.LEADING]["initial_value"] == "Demos booked: 2 -> 10\nCalls: 1 -> 5"
    assert filled[OutcomeIds.TARGET]["initial_value"] == "40"
    assert filled[OutcomeIds.PARENT]["initial_option"]["value"] == "P-1"

    values = outcome_values(
        title="Halve time to first value", target="50", leading="Demos booked: 2 -> 12\nTrials: 0 -> 9"
    )
    response = await harness.slack.view_submission(alex, view, values)

    assert response.status_code == 200 and response.text == ""  # the form closes
    [outcome] = await harness.rows(Outcome)
    assert outcome.title == "Halve time to first value"
    metrics = {m.name: m for m in await harness.rows(Metric)}
    assert set(metrics) == {"Activation", "Demos booked", "Trials"}
    assert metrics["Activation"].target == 50.0 and metrics["Activation"].current_value == 30.0
    assert metrics["Demos booked"].target == 12.0 and metrics["Demos booked"].current_value == 4.0
    assert len(await harness.rows(MetricReading)) == 2  # readings survive the edit
    [redrawn] = redraws(harness)
    assert "Halve time to first value" in all_text(redrawn["blocks"])


async def test_an_indicator_with_readings_cannot_be_removed_by_an_edit(harness) -> None:
    await define(harness, leading="Demos booked: 2 -> 10")
    await harness.slack.command(harness.me, "/progress", "O-1 demos-booked=4")
    card = await show_card(harness, harness.me)
    await harness.slack.block_action(harness.me, button(card, OutcomeIds.EDIT), message=card)

    body = (
        await harness.slack.view_submission(harness.me, opened_view(harness), outcome_values(leading="Calls: 1 -> 3"))
    ).json()

    assert "Demos booked already has readings" in body["errors"][OutcomeIds.LEADING]
    assert {m.name for m in await harness.rows(Metric)} == {"Activation", "Demos booked"}


async def test_an_overdue_outcome_can_be_edited_without_moving_its_date(harness) -> None:
    await define(harness)
    async with harness.db.sessions.begin() as session:
        outcome = await session.get(Outcome, (await harness.rows(Outcome))[0].id)
        outcome.due_date = my_today() - timedelta(days=5)
    card = await show_card(harness, harness.me)
    assert "(overdue by 5 days)" in all_text(card["blocks"])
    await harness.slack.block_action(harness.me, button(card, OutcomeIds.EDIT), message=card)
    view = opened_view(harness)
    due = next(b for b in view["blocks"] if b.get("block_id") == OutcomeIds.DUE)["element"]["initial_date"]

    body = (await harness.slack.view_submission(harness.me, view, outcome_values(due=due, title="Renamed"))).text

    assert body == ""
    [outcome] = await harness.rows(Outcome)
    assert outcome.title == "Renamed"


async def test_change_owner(harness) -> None:
    await define(harness, owner="U0ALEX")
    alex = harness.actor("U0ALEX")
    card = await show_card(harness, alex)
    await harness.slack.block_action(alex, button(card, OutcomeIds.CHANGE_OWNER), message=card)
    view = opened_view(harness)
    assert view["callback_id"] == OutcomeIds.OWNER_VIEW

    values = {OutcomeIds.NEW_OWNER: {OutcomeIds.NEW_OWNER: {"type": "users_select", "selected_user": "U0PRIYA"}}}
    response = await harness.slack.view_submission(alex, view, values)

    assert response.text == ""
    [outcome] = await harness.rows(Outcome)
    [owner] = await harness.rows(Person, Person.id == outcome.owner_id)
    assert owner.slack_user_id == "U0PRIYA"
    assert "*Owner* <@U0PRIYA>" in all_text(redraws(harness)[0]["blocks"])
    # Alex no longer manages it.
    assert "Edit" not in str((await show_card(harness, alex))["blocks"])


async def test_mark_done_records_it_and_redraws_the_card(harness) -> None:
    await define(harness, owner="U0ALEX")
    alex = harness.actor("U0ALEX")
    card = await show_card(harness, alex)

    await harness.slack.block_action(alex, button(card, OutcomeIds.MARK_DONE), message=card)

    [outcome] = await harness.rows(Outcome)
    assert outcome.status is OutcomeStatus.DONE and outcome.closed_at is not None
    [update] = await harness.rows(ProgressUpdate)
    assert (update.status_after, update.source) == (OutcomeStatus.DONE, ProgressSource.CARD)
    [redrawn] = redraws(harness)
    text = all_text(redrawn["blocks"])
    assert "*Status* ✅ Done" in text and "Mark done" not in text


async def test_drop_asks_for_the_reason_and_keeps_it(harness) -> None:
    await define(harness)
    card = await show_card(harness, harness.me)
    await harness.slack.block_action(harness.me, button(card, OutcomeIds.DROP), message=card)
    view = opened_view(harness)
    assert view["callback_id"] == OutcomeIds.DROP_VIEW

    empty = {OutcomeIds.DROP_REASON: {OutcomeIds.DROP_REASON: {"type": "plain_text_input", "value": " "}}}
    refused = (await harness.slack.view_submission(harness.me, view, empty)).json()
    assert "Say why it is dropped" in refused["errors"][OutcomeIds.DROP_REASON]
    assert (await harness.rows(Outcome))[0].status is OutcomeStatus.ON_TRACK

    reason = {
        OutcomeIds.DROP_REASON: {OutcomeIds.DROP_REASON: {"type": "plain_text_input", "value": "Merged into O-2"}}
    }
    await harness.slack.view_submission(harness.me, view, reason)

    [outcome] = await harness.rows(Outcome)
    assert outcome.status is OutcomeStatus.DROPPED
    [update] = await harness.rows(ProgressUpdate)
    assert (update.status_after, update.note) == (OutcomeStatus.DROPPED, "Merged into O-2")
    assert "⚪ Dropped" in all_text(redraws(harness)[0]["blocks"])


async def test_an_outcome_cannot_come_to_serve_its_own_child(harness) -> None:
    await define(harness, title="Parent")
    await define(harness, title="Child", parent="O-1")
    card = await show_card(harness, harness.me)
    await harness.slack.block_action(harness.me, button(card, OutcomeIds.EDIT), message=card)
    view = opened_view(harness)

    options = (await harness.slack.options(harness.me, OutcomeIds.PARENT, OutcomeIds.PARENT, "", view)).json()
    assert [o["value"] for g in options["option_groups"] for o in g["options"]] == ["O-2"]  # not itself
    body = (await harness.slack.view_submission(harness.me, view, outcome_values(title="Parent", parent="O-2"))).json()

    assert "O-2 sits under O-1, so it cannot also be its parent" in body["errors"][OutcomeIds.PARENT]
    [parent] = await harness.rows(Outcome, Outcome.number == 1)
    assert parent.parent_outcome_id is None
