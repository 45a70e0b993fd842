"""An outcome's owner is a person: bots, this app and people who left Slack are refused on the field, in the
form and in Change owner (issue 10 item 5)."""

from __future__ import annotations

import pytest

from handlers.outcomes.blocks.ids import OutcomeIds
from models import Outcome, Person
from tests.support.outcomes import define, opened_view, outcome_values

APP = "Followthrough is an app, not a person: choose someone from your team."
BOT = "Jira is an app, not a person: choose someone from your team."
GONE = "Gone Person has left this Slack workspace: choose someone who is still here."


@pytest.fixture(autouse=True)
def a_bot_and_someone_gone(standin) -> None:
    standin.add_user("U0JIRA", name="jira", real_name="Jira", is_bot=True)
    standin.add_user("U0GONE", name="gone", real_name="Gone Person", deleted=True)


@pytest.mark.parametrize(("owner", "says"), [("U0BOT", APP), ("U0JIRA", BOT), ("U0GONE", GONE)])
async def test_the_form_refuses_a_bot_or_someone_gone_as_owner(harness, owner, says) -> None:
    await harness.slack.command(harness.me, "/outcome", "")

    response = await harness.slack.view_submission(harness.me, opened_view(harness), outcome_values(owner=owner))

    assert response.json() == {"response_action": "errors", "errors": {OutcomeIds.OWNER: says}}
    assert await harness.rows(Outcome) == []


@pytest.mark.parametrize(("owner", "says"), [("U0BOT", APP), ("U0GONE", GONE)])
async def test_change_owner_refuses_a_bot_or_someone_gone_and_keeps_the_owner(harness, owner, says) -> None:
    await define(harness, owner="U0ALEX")
    alex = harness.actor("U0ALEX")
    card = (await harness.slack.command(alex, "/outcome", "O-1")).json()
    actions = next(b for b in card["blocks"] if b.get("block_id") == OutcomeIds.CARD_ACTIONS)
    change = next(e for e in actions["elements"] if e["action_id"] == OutcomeIds.CHANGE_OWNER)
    await harness.slack.block_action(alex, {**change, "block_id": OutcomeIds.CARD_ACTIONS}, message=card)

    values = {OutcomeIds.NEW_OWNER: {OutcomeIds.NEW_OWNER: {"type": "users_select", "selected_user": owner}}}
    response = await harness.slack.view_submission(alex, opened_view(harness), values)

    assert response.json() == {"response_action": "errors", "errors": {OutcomeIds.NEW_OWNER: says}}
    [outcome] = await harness.rows(Outcome)
    [kept] = await harness.rows(Person, Person.id == outcome.owner_id)
    assert kept.slack_user_id == "U0ALEX"
