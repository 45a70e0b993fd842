"""Only the owner or an admin manages an outcome, whatever buttons or forms are forged; and another workspace
cannot see or touch this one's outcomes, even with the same ref."""

from __future__ import annotations

import pytest

from handlers.kit.forms import encode_meta
from handlers.outcomes.blocks.ids import OutcomeIds
from handlers.outcomes.blocks.progress import ProgressIds
from models import Metric, MetricReading, Outcome, OutcomeStatus, Person, ProgressUpdate
from tests.support.outcomes import define, opened_view, outcome_values, progress_values, reply_text

OTHER_TEAM = "T0OTHER"


def forged(action_id: str, ref: str = "O-1") -> dict:
    # The button as the owner's card has it; someone else's client can send it too.
    return {"type": "button", "action_id": action_id, "block_id": OutcomeIds.CARD_ACTIONS, "value": ref,
            "text": {"type": "plain_text", "text": "x"}}  # fmt: skip


def private_answers(harness) -> list[str]:
    return [c.args.get("text", "") for c in harness.standin.calls if c.method == "response_url"]


async def unchanged(harness, owner: str = "U0PRIYA") -> None:
    [outcome] = await harness.rows(Outcome)
    assert outcome.status is OutcomeStatus.ON_TRACK
    assert outcome.title == "Cut time to first value to under a day"
    [person] = await harness.rows(Person, Person.id == outcome.owner_id)
    assert person.slack_user_id == owner
    assert await harness.rows(ProgressUpdate) == []


@pytest.mark.parametrize(
    ("action_id", "says"),
    [
        (OutcomeIds.EDIT, "can edit O-1"),
        (OutcomeIds.CHANGE_OWNER, "can change the owner of O-1"),
        (OutcomeIds.MARK_DONE, "can mark done O-1"),
        (OutcomeIds.DROP, "can drop O-1"),
    ],
)
async def test_a_non_owner_pressing_a_forged_button_is_told_who_can_and_nothing_changes(
    harness, action_id, says
) -> None:
    await define(harness, owner="U0PRIYA")
    alex = harness.actor("U0ALEX")

    response = await harness.slack.block_action(
        alex, forged(action_id), message={"ts": "1.000001", "is_ephemeral": True}
    )

    assert response.status_code == 200
    assert harness.standin.calls_to("views.open")[1:] == []  # only the definition form was ever opened
    [answer] = private_answers(harness)
    assert "Only <@U0PRIYA> (the owner), or a workspace admin," in answer and says in answer
    await unchanged(harness)


async def test_forged_form_submissions_by_a_non_owner_change_nothing(harness) -> None:
    await define(harness, owner="U0PRIYA")
    priya, alex = harness.actor("U0PRIYA"), harness.actor("U0ALEX")
    card = (await harness.slack.command(priya, "/outcome", "O-1")).json()
    for action_id in (OutcomeIds.EDIT, OutcomeIds.CHANGE_OWNER, OutcomeIds.DROP):
        await harness.slack.block_action(priya, forged(action_id), message=card)
    edit, owner, drop = (opened_view(harness, i) for i in (1, 2, 3))

    edited = (await harness.slack.view_submission(alex, edit, outcome_values(title="Hijacked"))).json()
    new_owner = {OutcomeIds.NEW_OWNER: {OutcomeIds.NEW_OWNER: {"type": "users_select", "selected_user": "U0ALEX"}}}
    reowned = (await harness.slack.view_submission(alex, owner, new_owner)).json()
    reason = {OutcomeIds.DROP_REASON: {OutcomeIds.DROP_REASON: {"type": "plain_text_input", "value": "mine now"}}}
    dropped = (await harness.slack.view_submission(alex, drop, reason)).json()

    # Field errors are plain text, so the owner is named rather than mentioned.
    assert "Only Priya Raman (the owner)" in edited["errors"][OutcomeIds.TITLE]
    assert "Only Priya Raman (the owner)" in reowned["errors"][OutcomeIds.NEW_OWNER]
    assert "Only Priya Raman (the owner)" in dropped["errors"][OutcomeIds.DROP_REASON]
    await unchanged(harness)


async def test_an_admin_may_manage_someone_elses_outcome(harness) -> None:
    await define(harness, harness.actor("U0PRIYA"))
    card = (await harness.slack.command(harness.me, "/outcome", "O-1")).json()  # U0LOCAL is an admin

    await harness.slack.block_action(harness.me, forged(OutcomeIds.MARK_DONE), message=card)

    [outcome] = await harness.rows(Outcome)
    assert outcome.status is OutcomeStatus.DONE


async def test_admin_rights_come_from_slack(harness) -> None:
    await define(harness, harness.actor("U0PRIYA"))
    harness.standin.add_user("U0LOCAL", name="you", real_name="Dana Scully", tz="America/New_York", is_admin=False)

    answer = reply_text(await harness.slack.command(harness.me, "/progress", "O-1 done"))

    assert "Only <@U0PRIYA> (the owner), or a workspace admin, can mark O-1 done" in answer
    await unchanged(harness)


# another workspace ------------------------------------------------------------------------------------------


async def test_another_workspace_cannot_see_or_touch_this_workspaces_o1(harness) -> None:
    await define(harness, owner="U0PRIYA")
    olga = harness.actor("U0OTHER", team_id=OTHER_TEAM)

    card = reply_text(await harness.slack.command(olga, "/outcome", "O-1"))
    logged = reply_text(await harness.slack.command(olga, "/progress", "O-1 99 gotcha"))
    risky = reply_text(await harness.slack.command(olga, "/progress", "O-1 off-track"))
    listing = (await harness.slack.command(olga, "/outcome", "list all")).json()
    options = (await harness.slack.options(olga, ProgressIds.OUTCOME, ProgressIds.OUTCOME, "")).json()
    for action_id in (OutcomeIds.MARK_DONE, OutcomeIds.EDIT, OutcomeIds.DROP, OutcomeIds.LOG_PROGRESS):
        await harness.slack.block_action(olga, forged(action_id), message={"ts": "1.000001"})

    assert "can't find O-1" in card and "can't find O-1" in logged and "can't find O-1" in risky
    assert "Cut time" not in str(listing)
    assert options == {"options": []}
    assert all("can't find O-1" in text for text in private_answers(harness))
    assert len(private_answers(harness)) == 4
    assert len(harness.standin.calls_to("views.open")) == 1  # the owner's own definition form
    await unchanged(harness)
    assert await harness.rows(MetricReading) == []


async def test_a_forged_progress_form_from_another_workspace_finds_nothing(harness) -> None:
    await define(harness)
    olga = harness.actor("U0OTHER", team_id=OTHER_TEAM)
    await harness.slack.command(olga, "/progress", "")
    view = opened_view(harness, actor=olga)

    body = (await harness.slack.view_submission(olga, view, progress_values("O-1", "99"))).json()

    assert "Pick an outcome of this workspace" in body["errors"][ProgressIds.OUTCOME]
    assert await harness.rows(ProgressUpdate) == []


async def test_a_forged_edit_form_from_another_workspace_finds_nothing(harness) -> None:
    await define(harness)
    olga = harness.actor("U0OTHER", team_id=OTHER_TEAM)
    await harness.slack.command(olga, "/outcome", "")
    view = {
        **opened_view(harness, actor=olga),
        "callback_id": OutcomeIds.EDIT_VIEW,
        "private_metadata": encode_meta(ref="O-1"),
    }

    body = (await harness.slack.view_submission(olga, view, outcome_values(title="Hijacked"))).json()

    assert body["response_action"] == "errors"
    [outcome] = await harness.rows(Outcome)
    assert outcome.title != "Hijacked"


async def test_the_same_ref_in_two_workspaces_names_two_outcomes(harness) -> None:
    ours = await define(harness, title="Ours")
    olga = harness.actor("U0OTHER", team_id=OTHER_TEAM)
    theirs = await define(harness, olga, title="Theirs")
    assert ours.ref == theirs.ref == "O-1"

    their_reply = reply_text(await harness.slack.command(olga, "/progress", "O-1 33 their news"))
    our_card = (await harness.slack.command(harness.me, "/outcome", "O-1")).json()
    their_card = (await harness.slack.command(olga, "/outcome", "O-1")).json()

    assert "Theirs" in their_reply and "Activation 20% → 33%" in their_reply
    assert "Ours" in str(our_card["blocks"]) and "their news" not in str(our_card["blocks"])
    assert "Theirs" in str(their_card["blocks"]) and "their news" in str(their_card["blocks"])
    [reading] = await harness.rows(MetricReading)
    [metric] = await harness.rows(Metric, Metric.id == reading.metric_id)
    assert metric.outcome_id == theirs.id
