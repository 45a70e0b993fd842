"""The outbox sender against the Slack stand-in, with a movable clock: what reaches Slack, when, and how often."""

from __future__ import annotations

from datetime import timedelta

from slack_sdk.oauth.installation_store import Installation
from sqlalchemy import select

from bot.installation_store import EncryptedInstallationStore
from bot.slack_clients import SlackClients
from bot.token_cipher import TokenCipher, new_key
from models import FailureNotice
from services import delivery as states
from services import outbox, people
from services.delivery import NOTICE_KIND
from tests.support.outbox import TOKEN, delivery, dm, make_sender, texts

pytest_plugins = ["tests.support.outbox_fixtures"]


async def test_a_due_delivery_is_posted_once_with_its_arguments(db, workspace, clock, sender, standin) -> None:
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "*Check-in* time"}}]
    async with db.sessions.begin() as session:
        await outbox.enqueue(
            session,
            workspace_id=workspace.id,
            key="checkin:1:ask:U0ALEX",
            kind="checkin.ask",
            method="chat.postMessage",
            args={"channel": "U0ALEX", "text": "Check-in time", "blocks": blocks},
            not_before=clock.now(),
        )

    first = await sender.run_once()
    again = await sender.run_once()

    assert (first.claimed, first["sent"], again.claimed) == (1, 1, 0)
    [call] = standin.calls_to("chat.postMessage")
    # Every post names its delivery in message metadata, so a retry can find it (test_outbox_late_answers.py).
    metadata = {
        "event_type": "followthrough_delivery",
        "event_payload": {"key": "checkin:1:ask:U0ALEX", "workspace": "T0LOCAL"},
    }
    assert call.args == {"channel": "U0ALEX", "text": "Check-in time", "blocks": blocks, "metadata": metadata}
    assert call.token == TOKEN
    [message] = standin.messages("U0ALEX")
    stored = await delivery(db, "checkin:1:ask:U0ALEX")
    assert (stored.state, stored.attempts, stored.sent_at) == ("sent", 1, clock.now())
    assert (stored.slack_channel, stored.slack_ts) == ("DU0ALEX", message["ts"])
    assert stored.claimed_by is None and stored.claimed_until is None


async def test_nothing_goes_before_its_time_and_a_sent_key_is_not_sent_again(
    db, workspace, clock, sender, standin
) -> None:
    await dm(db, workspace, clock, "reminder:U0PRIYA", "U0PRIYA", after=3600)

    assert (await sender.run_once()).claimed == 0
    clock.advance(3599)
    assert (await sender.run_once()).claimed == 0
    clock.advance(1)
    assert (await sender.run_once())["sent"] == 1

    await dm(db, workspace, clock, "reminder:U0PRIYA", "U0PRIYA")  # a job running twice enqueues again
    assert (await sender.run_once()).claimed == 0
    assert len(standin.calls_to("chat.postMessage")) == 1


async def test_429_with_retry_after_delays_that_workspace_method_and_loses_nothing(
    db,
    workspace,
    clock,
    clients,
    standin,
) -> None:
    sender = make_sender(db, clients, clock, concurrency=1)  # one call at a time: the 429 comes first
    await dm(db, workspace, clock, "ask:U0ALEX", "U0ALEX")
    await dm(db, workspace, clock, "ask:U0PRIYA", "U0PRIYA")
    standin.fail("chat.postMessage", status=429, retry_after=2, times=1)

    first = await sender.run_once()
    # The 429 puts that delivery back until Retry-After; the other one is held back without calling Slack.
    assert (first["ratelimited"], first["held"], first["sent"]) == (1, 1, 0)
    assert [(c.method, c.status) for c in standin.calls] == [("chat.postMessage", 429)]
    assert (await delivery(db, "ask:U0ALEX")).next_attempt_at == clock.now() + timedelta(seconds=2)
    assert (await delivery(db, "ask:U0ALEX")).attempts == 0  # a 429 is no failed attempt

    clock.advance(1)
    assert (await sender.run_once()).claimed == 0
    assert len(standin.calls) == 1

    clock.advance(1)
    assert (await sender.run_once())["sent"] == 2
    assert texts(standin, "U0ALEX") == texts(standin, "U0PRIYA") == ["How is it going?"]
    assert sender.metrics.slack_errors[("chat.postMessage", "ratelimited")] == 1


async def test_a_429_in_one_workspace_does_not_hold_back_another(db, workspace, clock, sender, standin) -> None:
    async with db.sessions.begin() as session:
        other = await people.ensure_workspace(session, team_id="T0SECOND")
    await dm(db, workspace, clock, "mine", "U0ALEX")
    await dm(db, other, clock, "theirs", "U0PRIYA")
    standin.fail("chat.postMessage", status=429, retry_after=30, when=lambda args: args["channel"] == "U0ALEX")

    done = await sender.run_once()

    assert (done["ratelimited"], done["sent"]) == (1, 1)
    assert texts(standin, "U0PRIYA") == ["How is it going?"] and texts(standin, "U0ALEX") == []


async def test_a_big_round_in_one_workspace_does_not_hold_up_another(db, workspace, clock, clients, standin) -> None:
    sender = make_sender(db, clients, clock, per_workspace=2, batch=4)
    async with db.sessions.begin() as session:
        small = await people.ensure_workspace(session, team_id="T0SMALL")
    for n in range(20):  # enqueued first, so oldest
        await dm(db, workspace, clock, f"big:{n}", "U0ALEX", f"big {n}")
    await dm(db, small, clock, "small:reminder", "U0PRIYA", "small reminder")

    done = await sender.run_once()

    assert (done.claimed, done["sent"]) == (3, 3)  # per pass: up to 2 from each workspace waiting
    assert texts(standin, "U0PRIYA") == ["small reminder"]
    assert texts(standin, "U0ALEX") == ["big 0", "big 1"]


async def test_one_unknown_user_does_not_stop_the_rest_and_the_owner_is_told_once(
    db,
    workspace,
    clock,
    sender,
    standin,
) -> None:
    standin.fail("chat.postMessage", error="user_not_found", times=None, when=lambda a: a["channel"] == "U0PRIYA")
    for round_no in (1, 2):
        for user in ("U0LOCAL", "U0ALEX", "U0PRIYA"):
            await dm(
                db, workspace, clock, f"checkin:{round_no}:ask:{user}", user, f"Round {round_no}?", owner="U0LOCAL"
            )
        while (await sender.run_once()).claimed:
            pass
        clock.advance(timedelta(days=7))

    assert texts(standin, "U0ALEX") == ["Round 1?", "Round 2?"]
    failed = await delivery(db, "checkin:2:ask:U0PRIYA")
    assert (failed.state, failed.last_error, failed.attempts) == ("failed", "user_not_found", 1)
    notice = (
        "I couldn't deliver a scheduled message to <@U0PRIYA>: Slack no longer knows that person in this workspace."
    )
    assert texts(standin, "U0LOCAL") == ["Round 1?", notice, "Round 2?"]
    async with db.sessions() as session:
        [notice] = (await session.scalars(select(FailureNotice))).all()
    assert (notice.owner, notice.target, notice.error) == ("U0LOCAL", "U0PRIYA", "user_not_found")
    assert (await delivery(db, "failure-notice:U0LOCAL:U0PRIYA:user_not_found")).kind == NOTICE_KIND


async def test_transient_failures_are_retried_with_growing_backoff(db, workspace, clock, sender, standin) -> None:
    standin.fail("chat.postMessage", status=500, times=2)
    await dm(db, workspace, clock, "ask", "U0ALEX")
    start = clock.now()

    assert (await sender.run_once())["retried"] == 1
    first = await delivery(db, "ask")
    assert (first.state, first.attempts, first.last_error) == ("pending", 1, "internal_error")
    assert start + timedelta(seconds=5) <= first.next_attempt_at <= start + timedelta(seconds=10)

    clock.set(first.next_attempt_at - timedelta(milliseconds=1))
    assert (await sender.run_once()).claimed == 0
    clock.set(first.next_attempt_at)
    assert (await sender.run_once())["retried"] == 1
    second = await delivery(db, "ask")
    assert clock.now() + timedelta(seconds=10) <= second.next_attempt_at <= clock.now() + timedelta(seconds=20)

    clock.set(second.next_attempt_at)
    assert (await sender.run_once())["sent"] == 1
    assert (await delivery(db, "ask")).attempts == 3
    # A 500 may come after Slack posted the message: before each retry the sender looks for it in the DM.
    look = [("conversations.open", 200), ("conversations.history", 200)]
    posts = [("chat.postMessage", 500), *look, ("chat.postMessage", 500), *look, ("chat.postMessage", 200)]
    assert [(c.method, c.status) for c in standin.calls] == posts
    assert texts(standin, "U0ALEX") == ["How is it going?"]


async def test_transient_failures_give_up_after_max_attempts_without_a_notice(
    db,
    workspace,
    clock,
    clients,
    standin,
) -> None:
    sender = make_sender(db, clients, clock, retry=states.RetryPolicy(max_attempts=3))
    standin.fail("chat.postMessage", status=500, times=None)
    await dm(db, workspace, clock, "ask", "U0ALEX", owner="U0LOCAL")

    for _ in range(3):
        await sender.run_once()
        clock.advance(timedelta(hours=1))

    failed = await delivery(db, "ask")
    assert (failed.state, failed.attempts, failed.last_error) == ("failed", 3, "internal_error")
    assert (await sender.run_once()).claimed == 0  # an outage is not the owner's to fix: nobody is told
    assert [c.method for c in standin.calls].count("chat.postMessage") == 3


async def test_connection_errors_are_transient(db, workspace, clock) -> None:
    unreachable = SlackClients(base_url="http://127.0.0.1:9/api/", token=TOKEN)
    try:
        sender = make_sender(db, unreachable, clock)
        await dm(db, workspace, clock, "ask", "U0ALEX")
        assert (await sender.run_once())["retried"] == 1
    finally:
        await unreachable.close()
    stored = await delivery(db, "ask")
    assert stored.state == "pending" and stored.last_error.startswith("connection_error")


async def test_thread_replies_wait_for_their_parent_and_land_in_its_thread(
    db, workspace, clock, sender, standin
) -> None:
    async with db.sessions.begin() as session:
        common = {"workspace_id": workspace.id, "kind": "checkin", "not_before": clock.now()}
        await outbox.enqueue(
            session, key="round", method="chat.postMessage", args={"channel": "C0GENERAL", "text": "Round 1"}, **common
        )
        await outbox.enqueue(
            session,
            key="answer:U0ALEX",
            method="chat.postMessage",
            args={"text": "Alex: shipped"},
            thread_of="round",
            **common,
        )
        await outbox.enqueue(
            session,
            key="round:edit",
            method="chat.update",
            args={"text": "Round 1 (closed)"},
            thread_of="round",
            **common,
        )

    assert (await sender.run_once())["sent"] == 1  # the replies are not claimable before the parent is sent
    assert (await sender.run_once())["sent"] == 2

    [top] = standin.messages("C0GENERAL")
    assert top["text"] == "Round 1 (closed)"
    assert [m["text"] for m in standin.messages("C0GENERAL", thread_ts=top["ts"])] == ["Alex: shipped"]
    [update] = standin.calls_to("chat.update")
    assert update.args["ts"] == top["ts"] and update.args["channel"] == "C0GENERAL"


async def test_a_failed_parent_fails_its_replies_without_calling_slack(db, workspace, clock, sender, standin) -> None:
    async with db.sessions.begin() as session:
        common = {"workspace_id": workspace.id, "kind": "checkin", "not_before": clock.now()}
        await outbox.enqueue(
            session, key="round", method="chat.postMessage", args={"channel": "C0GONE", "text": "Round"}, **common
        )
        await outbox.enqueue(
            session, key="reply", method="chat.postMessage", args={"text": "r"}, thread_of="round", **common
        )

    await sender.run_once()
    await sender.run_once()

    assert (await delivery(db, "round")).last_error == "channel_not_found"
    reply = await delivery(db, "reply")
    assert (reply.state, reply.last_error) == ("failed", "parent_failed")
    assert len(standin.calls) == 1


async def test_any_web_api_method_can_go_through_the_outbox(db, workspace, clock, sender, standin) -> None:
    view = {"type": "home", "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "Due today: 2"}}]}
    async with db.sessions.begin() as session:
        await outbox.enqueue(
            session,
            workspace_id=workspace.id,
            key="home:U0ALEX:2026-11-25",
            kind="home.refresh",
            method="views.publish",
            args={"user_id": "U0ALEX", "view": view},
            not_before=clock.now(),
        )

    assert (await sender.run_once())["sent"] == 1
    assert standin.home("U0ALEX")["blocks"] == view["blocks"]


async def test_oauth_workspaces_are_reached_with_their_own_bot_token(
    db, workspace, clock, standin, standin_server
) -> None:
    _, base_url = standin_server
    store = EncryptedInstallationStore("1111.2222", db.engine, TokenCipher([new_key()]))
    await store.async_save(
        Installation(
            app_id="A0LOCAL",
            team_id="T0LOCAL",
            user_id="U0LOCAL",
            bot_token="xoxb-T0LOCAL-7",
            bot_id="B0BOT",
            bot_user_id="U0BOT",
        )
    )
    async with db.sessions.begin() as session:
        uninstalled = await people.ensure_workspace(session, team_id="T0GONE")
    oauth = SlackClients(base_url=f"{base_url}/api/", installation_store=store)
    try:
        sender = make_sender(db, oauth, clock)
        await dm(db, workspace, clock, "installed", "U0ALEX")
        await dm(db, uninstalled, clock, "uninstalled", "U0ALEX")
        done = await sender.run_once()
    finally:
        await oauth.close()

    assert (done["sent"], done["failed"]) == (1, 1)
    [call] = standin.calls_to("chat.postMessage")
    assert call.token == "xoxb-T0LOCAL-7"
    assert (await delivery(db, "uninstalled")).last_error == "not_installed"
