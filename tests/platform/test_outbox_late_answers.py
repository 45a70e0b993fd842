"""Slack accepts a post but answers after the sender's timeout: the retry finds the post instead of repeating it.

The stand-in carries such a call out at once and answers it only after the client has given up
(`answer_late`). The sender's clock starts at the real time, since Slack (the stand-in) stamps messages with it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest

from bot.clock import MovableClock
from bot.slack_clients import SlackClients
from scheduler.sender import Sender
from services import outbox
from tests.support.outbox import TOKEN, delivery, dm, make_sender, texts

pytest_plugins = ["tests.support.outbox_fixtures"]

TIMEOUT = 1  # the client's, in seconds
LATE = 1.3  # how late the stand-in answers
PEOPLE = [f"U0P{n:03d}" for n in range(12)]


@pytest.fixture
def clock() -> MovableClock:
    return MovableClock(datetime.now(UTC))


@pytest.fixture
async def impatient(standin, standin_server) -> AsyncIterator[SlackClients]:
    _, base_url = standin_server
    made = SlackClients(base_url=f"{base_url}/api/", token=TOKEN, timeout=TIMEOUT)
    yield made
    await made.close()


@pytest.fixture
def sender(db, impatient, clock) -> Sender:
    return make_sender(db, impatient, clock, per_workspace=32)


async def post(db, workspace, clock, key: str, text: str, *, channel: str = "C0GENERAL", **kw) -> None:
    async with db.sessions.begin() as session:
        args = {"text": text} if kw.get("thread_of") else {"channel": channel, "text": text}
        await outbox.enqueue(
            session,
            workspace_id=workspace.id,
            key=key,
            kind="test.post",
            method="chat.postMessage",
            args=args,
            not_before=clock.now(),
            **kw,
        )


async def retry_due(sender: Sender, clock: MovableClock) -> None:
    clock.advance(timedelta(minutes=1))  # past the first backoff (5 to 10 s)
    assert (await sender.run_once()).claimed


async def test_posts_answered_after_the_timeout_leave_one_message_per_delivery(
    db, workspace, clock, sender, standin
) -> None:
    for user in PEOPLE:
        standin.add_user(user, name=user.lower())
        await dm(db, workspace, clock, f"checkin:1:ask:{user}", user, "Time for the check-in")
    for n in range(10):
        await post(db, workspace, clock, f"digest:{n}", f"Digest {n}")
    standin.answer_late("chat.postMessage", LATE, times=22)

    first = await sender.run_once()
    assert (first.claimed, first["retried"]) == (22, 22)  # every answer came too late: outcome unknown
    await retry_due(sender, clock)
    for _ in range(5):  # a look that itself timed out on a busy machine is tried again, never posted meanwhile
        clock.advance(timedelta(minutes=5))
        if not (await sender.run_once()).claimed:
            break

    # Each digest once, none lost; the sender posts a channel's deliveries side by side, so in any order.
    assert sorted(m["text"] for m in standin.messages("C0GENERAL")) == [f"Digest {n}" for n in range(10)]
    assert all(texts(standin, user) == ["Time for the check-in"] for user in PEOPLE)
    assert len(standin.calls_to("chat.postMessage")) == 22
    assert sender.metrics.readbacks["found"] == 22
    for message in standin.messages("C0GENERAL"):
        recorded = await delivery(db, f"digest:{message['text'].split()[-1]}")
        assert (recorded.state, recorded.slack_channel, recorded.slack_ts) == ("sent", "C0GENERAL", message["ts"])
        assert recorded.outcome_unknown_since is None
    clock.advance(timedelta(hours=1))
    assert (await sender.run_once()).claimed == 0


async def test_a_threaded_reply_answered_late_is_found_in_its_thread(db, workspace, clock, sender, standin) -> None:
    await post(db, workspace, clock, "checkin:1:thread", "Check-in, round 1")
    await post(db, workspace, clock, "checkin:1:reminder", "Closes at 17:00", thread_of="checkin:1:thread")
    standin.answer_late("chat.postMessage", LATE, when=lambda args: bool(args.get("thread_ts")))

    assert (await sender.run_once())["sent"] == 1  # the parent; its reply waits for it
    assert (await sender.run_once())["retried"] == 1
    await retry_due(sender, clock)

    [parent] = standin.messages("C0GENERAL")
    [reply] = standin.messages("C0GENERAL", thread_ts=parent["ts"])
    assert reply["text"] == "Closes at 17:00"
    recorded = await delivery(db, "checkin:1:reminder")
    assert (recorded.state, recorded.slack_ts) == ("sent", reply["ts"])
    [look] = [c for c in standin.calls if c.method.startswith("conversations.")]
    assert (look.method, look.args["ts"], look.args["include_all_metadata"]) == (
        "conversations.replies",
        parent["ts"],
        "1",
    )


async def test_a_direct_message_answered_late_is_found_in_the_dm(db, workspace, clock, sender, standin) -> None:
    await dm(db, workspace, clock, "reminder:U0ALEX", "U0ALEX", "Your update is due")
    standin.answer_late("chat.postMessage", LATE)

    assert (await sender.run_once())["retried"] == 1
    await retry_due(sender, clock)

    assert texts(standin, "U0ALEX") == ["Your update is due"]
    # Addressed by user id, so the DM's id comes from conversations.open: no answer came back to give it.
    looks = [
        (c.method, c.args.get("users") or c.args.get("channel"))
        for c in standin.calls
        if c.method != "chat.postMessage"
    ]
    assert looks == [("conversations.open", "U0ALEX"), ("conversations.history", "DU0ALEX")]
    recorded = await delivery(db, "reminder:U0ALEX")
    assert (recorded.state, recorded.slack_channel, recorded.attempts) == ("sent", "DU0ALEX", 2)


async def test_when_slack_refuses_the_look_the_post_is_sent_again_once_and_counted(
    db, workspace, clock, sender, standin
) -> None:
    """The fallback, and the duplicate left: a workspace that has not granted im:history yet."""
    await dm(db, workspace, clock, "reminder:U0ALEX", "U0ALEX", "Your update is due")
    standin.answer_late("chat.postMessage", LATE)
    standin.fail("conversations.history", error="missing_scope", times=None)

    assert (await sender.run_once())["retried"] == 1
    await retry_due(sender, clock)
    clock.advance(timedelta(hours=1))
    assert (await sender.run_once()).claimed == 0

    assert texts(standin, "U0ALEX") == ["Your update is due", "Your update is due"]
    assert len(standin.calls_to("chat.postMessage")) == 2
    assert sender.metrics.readbacks["unavailable"] == 1
    assert sender.metrics.slack_errors[("conversations.history", "missing_scope")] == 1
    assert (await delivery(db, "reminder:U0ALEX")).state == "sent"


async def test_a_rate_limited_look_waits_for_retry_after_and_posts_nothing_meanwhile(
    db, workspace, clock, sender, standin
) -> None:
    await post(db, workspace, clock, "digest", "Digest")
    standin.answer_late("chat.postMessage", LATE)
    standin.fail("conversations.history", status=429, retry_after=30)

    assert (await sender.run_once())["retried"] == 1
    clock.advance(timedelta(minutes=1))
    assert (await sender.run_once())["ratelimited"] == 1
    waiting = await delivery(db, "digest")
    assert (waiting.state, waiting.attempts, waiting.next_attempt_at) == (
        "pending",
        1,
        clock.now() + timedelta(seconds=30),
    )
    clock.advance(30)
    assert (await sender.run_once())["found"] == 1

    assert [m["text"] for m in standin.messages("C0GENERAL")] == ["Digest"]
    assert len(standin.calls_to("chat.postMessage")) == 1


async def test_a_look_that_fails_for_now_is_tried_again_later_without_posting(
    db, workspace, clock, sender, standin
) -> None:
    await post(db, workspace, clock, "digest", "Digest")
    standin.answer_late("chat.postMessage", LATE)
    standin.fail("conversations.history", status=500)

    assert (await sender.run_once())["retried"] == 1
    await retry_due(sender, clock)  # the look fails with a 500: retried later, nothing posted
    assert (await delivery(db, "digest")).last_error == "readback:internal_error"
    clock.advance(timedelta(minutes=1))
    assert (await sender.run_once())["found"] == 1

    assert [m["text"] for m in standin.messages("C0GENERAL")] == ["Digest"]
    assert sender.metrics.readbacks["retried"] == 1
