"""Issue 10 item 8: the person made owner of an outcome, the owner it was taken from and the owner of a dropped
outcome hear of it once, by direct message through the outbox; the person who made the change never does."""

from __future__ import annotations

from handlers.outcomes.blocks.ids import OutcomeIds
from handlers.outcomes.messages import TELL_KIND
from models import Delivery
from tests.support.outcomes import define, opened_view


async def told(harness) -> dict[str, list[str]]:
    """Each recipient's queued outcome messages, oldest first."""
    rows = sorted(await harness.rows(Delivery, Delivery.kind == TELL_KIND), key=lambda d: d.id)
    found: dict[str, list[str]] = {}
    for row in rows:
        assert row.method == "chat.postMessage" and row.args["channel"] == row.target
        found.setdefault(row.target, []).append(row.args["text"])
    return found


async def press(harness, actor, action: OutcomeIds) -> dict:
    card = (await harness.slack.command(actor, "/outcome", "O-1")).json()
    actions = next(b for b in card["blocks"] if b.get("block_id") == OutcomeIds.CARD_ACTIONS)
    element = next(e for e in actions["elements"] if e["action_id"] == action)
    await harness.slack.block_action(actor, {**element, "block_id": OutcomeIds.CARD_ACTIONS}, message=card)
    return opened_view(harness)


async def hand_to(harness, actor, user_id: str) -> None:
    view = await press(harness, actor, OutcomeIds.CHANGE_OWNER)
    values = {OutcomeIds.NEW_OWNER: {OutcomeIds.NEW_OWNER: {"type": "users_select", "selected_user": user_id}}}
    assert (await harness.slack.view_submission(actor, view, values)).text == ""


async def drop(harness, actor, reason: str) -> None:
    view = await press(harness, actor, OutcomeIds.DROP)
    values = {OutcomeIds.DROP_REASON: {OutcomeIds.DROP_REASON: {"type": "plain_text_input", "value": reason}}}
    assert (await harness.slack.view_submission(actor, view, values)).text == ""


async def test_defining_an_outcome_for_someone_else_tells_them_once(harness) -> None:
    await define(harness, owner="U0ALEX", title="Ship the <b>pricing</b> page")

    [text] = (await told(harness))["U0ALEX"]
    assert text.startswith("<@U0LOCAL> made you the owner of *O-1* Ship the &lt;b&gt;pricing&lt;/b&gt; page, due ")
    assert "`/outcome O-1` shows its card" in text
    assert list(await told(harness)) == ["U0ALEX"]


async def test_defining_your_own_outcome_tells_nobody(harness) -> None:
    await define(harness)
    assert await told(harness) == {}


async def test_the_owner_handing_it_on_tells_the_new_owner_only(harness) -> None:
    await define(harness, owner="U0ALEX", actor=harness.actor("U0ALEX"))

    await hand_to(harness, harness.actor("U0ALEX"), "U0PRIYA")

    messages = await told(harness)
    assert list(messages) == ["U0PRIYA"]
    assert messages["U0PRIYA"][0].startswith("<@U0ALEX> made you the owner of *O-1*")


async def test_an_admin_handing_it_on_tells_the_new_owner_and_the_previous_one(harness) -> None:
    await define(harness, owner="U0ALEX", actor=harness.actor("U0ALEX"))

    await hand_to(harness, harness.me, "U0PRIYA")

    messages = await told(harness)
    assert messages["U0PRIYA"] == [messages["U0PRIYA"][0]] and "made you the owner" in messages["U0PRIYA"][0]
    assert messages["U0ALEX"] == [
        "<@U0LOCAL> handed your outcome *O-1* Cut time to first value to under a day to <@U0PRIYA>, so it is no "
        "longer on you."
    ]
    assert "U0LOCAL" not in messages


async def test_handing_it_back_and_forth_tells_each_time_under_keys_never_reused(harness) -> None:
    await define(harness, owner="U0ALEX", actor=harness.actor("U0ALEX"))
    for user in ("U0PRIYA", "U0ALEX", "U0PRIYA"):
        await hand_to(harness, harness.me, user)

    messages = await told(harness)
    assert ["made you" in t for t in messages["U0PRIYA"]] == [True, False, True]  # made owner, handed on, made owner
    assert ["made you" in t for t in messages["U0ALEX"]] == [False, True, False]
    keys = [d.key for d in await harness.rows(Delivery, Delivery.kind == TELL_KIND)]
    assert len(keys) == len(set(keys)) == 6


async def test_someone_else_dropping_your_outcome_tells_you_why(harness) -> None:
    await define(harness, owner="U0ALEX", actor=harness.actor("U0ALEX"))

    await drop(harness, harness.me, "Merged into <O-2>")

    assert (await told(harness))["U0ALEX"] == [
        "<@U0LOCAL> dropped your outcome *O-1* Cut time to first value to under a day. Why: Merged into &lt;O-2&gt; "
        "You or an admin can reopen it with `/progress O-1 on-track`."
    ]


async def test_dropping_your_own_outcome_tells_nobody(harness) -> None:
    await define(harness, owner="U0ALEX", actor=harness.actor("U0ALEX"))
    await drop(harness, harness.actor("U0ALEX"), "No longer needed")
    assert await told(harness) == {}
