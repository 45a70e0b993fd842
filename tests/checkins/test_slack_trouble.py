"""When Slack says no (issue 10 items 2 and 3): every Slack error inside a check-in listener becomes a
sentence, never an HTTP 500; set-up checks the channel (it exists, the app is in it) before saving; and an
answer is never announced as posted when its thread could not be."""

from __future__ import annotations

from datetime import UTC, datetime

from handlers.checkins.blocks.ids import CheckinIds
from models import Cadence, Delivery, Invite, Round
from tests.support.checkins import deliver, rounds, setup_values
from tests.support.outcomes import all_text, opened_view

pytest_plugins = ["tests.support.outbox_fixtures"]
CHANNEL = "C0GENERAL"
CANT_SEE = (
    "I can't see <#C0GENERAL>: it was deleted, or it is private and I'm not in it. "
    "Type `/invite @Followthrough` in the channel, then try again."
)


async def set_up(harness, actor=None, **values) -> dict:
    actor = actor or harness.me
    await harness.slack.command(actor, "/checkin", "")
    response = await harness.slack.view_submission(actor, opened_view(harness), setup_values(**values))
    assert response.status_code == 200, response.text
    return response.json()


async def now(harness) -> str:
    response = await harness.slack.command(harness.me, "/checkin", "now")
    assert response.status_code == 200, response.text
    return response.json()["text"]


async def test_checkin_now_in_a_channel_whose_members_slack_wont_give_says_why(harness) -> None:
    await set_up(harness)  # everyone in the channel: read from Slack at every round
    harness.standin.fail("conversations.members", "channel_not_found")

    said = await now(harness)

    assert said == f"Nothing was started. {CANT_SEE}"
    assert await harness.rows(Round) == [] and await harness.rows(Delivery) == []
    assert (await now(harness)).startswith("Started")  # once Slack answers, it works


async def test_checkin_now_when_slack_does_not_answer_in_time_says_so(harness) -> None:
    await set_up(harness)
    harness.standin.answer_late("conversations.members", seconds=4)

    said = await now(harness)

    assert said == "Nothing was started. Slack didn't answer in time. Please try again in a moment."
    assert await harness.rows(Round) == []


async def test_set_up_refuses_a_channel_slack_does_not_show_us(harness) -> None:
    actor = harness.actor("U0LOCAL", channel_id="C0PICK", channel_name="pick")  # private, or deleted since

    body = await set_up(harness, actor)

    assert body["response_action"] == "errors"
    assert body["errors"] == {
        CheckinIds.AUDIENCE: "I can't see this channel: it was deleted, or it is private and I'm not in it. "
        "Type /invite @Followthrough in the channel, then try again."
    }
    assert await harness.rows(Cadence) == []


async def test_set_up_asks_for_an_invitation_first_then_saves(harness) -> None:
    harness.standin.add_channel("C0QUIET", name="quiet", members=["U0LOCAL", "U0ALEX"], bot_is_member=False)
    actor = harness.actor("U0LOCAL", channel_id="C0QUIET", channel_name="quiet")
    await harness.slack.command(actor, "/checkin", "")
    view = opened_view(harness)

    refused = (await harness.slack.view_submission(actor, view, setup_values())).json()

    assert refused["errors"] == {
        CheckinIds.AUDIENCE: "I'm not in this channel yet, so I couldn't post its rounds. "
        "Type /invite @Followthrough in it, then save again."
    }
    assert await harness.rows(Cadence) == []

    harness.standin.add_channel("C0QUIET", name="quiet", members=["U0LOCAL", "U0ALEX"])  # /invite @Followthrough
    saved = (await harness.slack.view_submission(actor, view, setup_values())).json()
    assert saved["response_action"] == "update" and "is set up" in all_text(saved["view"]["blocks"])
    [cadence] = await harness.rows(Cadence)
    assert cadence.channel_id == "C0QUIET"


async def test_the_fields_are_checked_before_slack_is_asked(harness) -> None:
    actor = harness.actor("U0LOCAL", channel_id="C0PICK", channel_name="pick")
    await harness.slack.command(actor, "/checkin", "")
    asked = len(harness.standin.calls_to("conversations.info"))

    body = (await harness.slack.view_submission(actor, opened_view(harness), setup_values(days=[]))).json()

    assert set(body["errors"]) == {CheckinIds.DAYS}
    assert len(harness.standin.calls_to("conversations.info")) == asked


async def answer_by_button(harness, user: str, token: str) -> dict:
    """`user` presses an Answer button of the round with `token` and sends the form with its first question."""
    actor = harness.actor(user, channel_id=f"D{user}", channel_name="directmessage")
    button = {"type": "button", "action_id": CheckinIds.ANSWER, "value": token, "block_id": CheckinIds.ASK_ACTIONS}
    await harness.slack.block_action(actor, button, message={"ts": "1.000001"})
    view = opened_view(harness)
    question = f"{CheckinIds.QUESTION}:0"
    values = {question: {question: {"type": "plain_text_input", "value": "Shipped the checklist"}}}
    return (await harness.slack.view_submission(actor, view, values)).json()


async def test_an_answer_whose_thread_failed_is_told_the_truth_and_kept(harness, clock, sender) -> None:
    await set_up(harness, audience="chosen", members=["U0ALEX"])
    harness.standin.fail("chat.postMessage", "not_in_channel", times=None, when=lambda a: a.get("channel") == CHANNEL)
    assert (await now(harness)).startswith("Started")
    clock.set(max(clock.now(), datetime.now(UTC)))
    await deliver(sender)  # the thread fails; the ask by DM goes
    [round_] = await rounds(harness.db)

    body = await answer_by_button(harness, "U0ALEX", round_.token)

    said = all_text(body["view"]["blocks"])
    assert "Thanks" not in said and "on its way" not in said
    assert said == (
        "Your answer is saved and counts for this round, but it won't show in <#C0GENERAL>: I couldn't post this "
        "round's thread there. I'm not a member of <#C0GENERAL>. Whoever set up the check-in can type "
        "`/invite @Followthrough` there; the next rounds will then post."
    )
    [invite] = await harness.rows(Invite)
    assert invite.answered_at is not None and invite.answers == ["Shipped the checklist", ""]


async def test_an_answer_before_its_thread_is_posted_says_it_follows_the_thread(harness) -> None:
    await set_up(harness, audience="chosen", members=["U0ALEX"])
    assert (await now(harness)).startswith("Started")  # queued; the sender has not run yet
    [round_] = await rounds(harness.db)

    body = await answer_by_button(harness, "U0ALEX", round_.token)

    assert all_text(body["view"]["blocks"]) == (
        "Thanks! Your answer is saved. This round's thread in <#C0GENERAL> isn't posted yet; your answer goes "
        "there right after it. Everyone has answered, so the digest follows in the thread."
    )
