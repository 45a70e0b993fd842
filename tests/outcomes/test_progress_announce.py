"""A turn for the worse, the way back from it, the finish and a reopening are announced in the outcome's channel; a
failed announcement loses nothing."""

from __future__ import annotations

import time

from models import Outcome, OutcomeStatus, ProgressUpdate
from tests.support.outcomes import define, opened_view, progress_values, reply_text


async def test_at_risk_is_announced_in_the_channel_the_outcome_was_defined_in(harness) -> None:
    await define(harness, owner="U0ALEX")

    text = reply_text(
        await harness.slack.command(harness.actor("U0PRIYA"), "/progress", "O-1 at-risk legal review slipped")
    )

    [post] = harness.standin.calls_to("chat.postMessage")
    assert post.args["channel"] == "C0GENERAL"
    [message] = harness.standin.messages("C0GENERAL")
    assert "O-1 · Cut time to first value to under a day" in message["text"]
    assert "*at risk* (was on track)" in message["text"]
    assert "<@U0PRIYA>" in message["text"] and "legal review slipped" in message["text"]
    assert "Owner: <@U0ALEX>" in message["text"]
    assert "I told <#C0GENERAL> about the status change." in text


async def test_off_track_from_the_form_is_announced_too(harness) -> None:
    await define(harness)
    await harness.slack.command(harness.me, "/progress", "")

    values = progress_values("O-1", status="off_track", note="lost the pilot customer")
    body = (await harness.slack.view_submission(harness.me, opened_view(harness), values)).json()

    assert "*off track*" in harness.standin.messages("C0GENERAL")[0]["text"]
    assert "I told <#C0GENERAL>" in str(body["view"]["blocks"])


async def test_steady_news_and_repeats_are_not_announced_but_the_way_back_is(harness) -> None:
    await define(harness)

    await harness.slack.command(harness.me, "/progress", "O-1 25 steady")
    await harness.slack.command(harness.me, "/progress", "O-1 on-track")
    await harness.slack.command(harness.me, "/progress", "O-1 at-risk")
    await harness.slack.command(harness.me, "/progress", "O-1 at-risk still stuck")
    await harness.slack.command(harness.me, "/progress", "O-1 on-track unblocked")

    posted = [c.args["text"] for c in harness.standin.calls_to("chat.postMessage")]
    assert len(posted) == 2  # the first move to at risk, and the way back from it
    assert "is now *at risk* (was on track)" in posted[0] and "is now *on track* (was at risk)" in posted[1]


async def test_reopening_a_done_outcome_is_announced_so_the_channel_does_not_think_it_finished(harness) -> None:
    await define(harness)
    await harness.slack.command(harness.me, "/progress", "O-1 done")

    text = reply_text(await harness.slack.command(harness.me, "/progress", "O-1 on-track one partner fell through"))

    done, reopened = (m["text"] for m in harness.standin.messages("C0GENERAL"))
    assert "is now *done*" in done
    assert "is now *on track* (was done)" in reopened and "one partner fell through" in reopened
    assert "I told <#C0GENERAL> about the status change." in text


async def test_when_the_bot_is_not_in_the_channel_the_update_is_kept_and_the_person_told(harness) -> None:
    harness.standin.add_channel("C0PRIVATE", name="launch", members=["U0LOCAL"], is_private=True, bot_is_member=False)
    await define(harness, channel="C0PRIVATE")

    text = reply_text(await harness.slack.command(harness.me, "/progress", "O-1 off-track vendor pulled out"))

    failed = [c for c in harness.standin.calls if c.method == "chat.postMessage"]
    assert [c.error for c in failed] == ["not_in_channel"]
    assert "I couldn't tell <#C0PRIVATE> about the status change (not_in_channel)" in text
    assert "/invite @Followthrough" in text
    assert "On track → Off track" in text
    [update] = await harness.rows(ProgressUpdate)
    assert update.status_after is OutcomeStatus.OFF_TRACK and update.note == "vendor pulled out"
    [outcome] = await harness.rows(Outcome)
    assert outcome.status is OutcomeStatus.OFF_TRACK


async def test_an_archived_channel_loses_nothing(harness) -> None:
    await define(harness)
    harness.standin.fail("chat.postMessage", error="is_archived", status=200)

    text = reply_text(await harness.slack.command(harness.me, "/progress", "O-1 at-risk"))

    assert "I couldn't tell <#C0GENERAL> about the status change (is_archived)" in text
    [outcome] = await harness.rows(Outcome)
    assert outcome.status is OutcomeStatus.AT_RISK


async def test_a_rate_limited_announcement_gives_up_in_time_for_the_reply(harness) -> None:
    await define(harness)
    # Slack asks to wait 5 s; the reply must not wait that long (Slack drops answers after 3 s).
    harness.standin.fail("chat.postMessage", status=429, retry_after=5)

    started = time.monotonic()
    text = reply_text(await harness.slack.command(harness.me, "/progress", "O-1 off-track"))

    assert time.monotonic() - started < 2.5
    assert "did not answer in time" in text
    [update] = await harness.rows(ProgressUpdate)
    assert update.status_after is OutcomeStatus.OFF_TRACK
