"""A round through the Web API stand-in, as people see it: the thread, the asks by direct message, the answer
form (opened with the button's trigger id) that also logs progress, a plain thread reply counted as an answer,
one reminder only to who has not answered, the digest in the thread, and a late answer that updates it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from handlers.checkins.blocks.ids import CheckinIds
from models import Invite, MetricReading, OutcomeStatus, ProgressSource, ProgressUpdate, Round
from tests.support.checkins import deliver, deliveries, invites, rounds, run_job, setup_values
from tests.support.outcomes import all_text, define, opened_view

pytest_plugins = ["tests.support.outbox_fixtures"]
# What the feature sends and when, apart from the attention policy that may hold it (tests/attention).
pytestmark = pytest.mark.usefixtures("around_the_clock")
CHANNEL = "C0GENERAL"


def now_utc() -> datetime:
    return datetime.now(UTC)


async def deliver_now(clock, sender) -> None:
    """What people did went out at the real time: bring the movable clock up to it, then send what is due."""
    clock.set(max(clock.now(), now_utc()))
    await deliver(sender)


async def set_up_here(harness, **values: Any) -> None:
    """The check-in of #general, through /checkin and its form."""
    await harness.slack.command(harness.me, "/checkin", "")
    response = await harness.slack.view_submission(harness.me, opened_view(harness), setup_values(**values))
    assert response.json()["response_action"] == "update", response.text


async def start(harness, clock, sender) -> Round:
    reply = await harness.slack.command(harness.me, "/checkin", "now")
    assert reply.json()["text"].startswith("Started"), reply.text
    await deliver_now(clock, sender)
    [round_] = await rounds(harness.db)
    return round_


def thread_ts(harness) -> str:
    [parent] = harness.standin.messages(CHANNEL)
    return parent["ts"]


def in_thread(harness) -> list[dict]:
    return harness.standin.messages(CHANNEL, thread_ts(harness))


def button(message: dict) -> dict:
    for block in message.get("blocks") or []:
        for element in block.get("elements") or []:
            if element.get("action_id") == CheckinIds.ANSWER:
                return {**element, "block_id": block["block_id"]}
    raise AssertionError(f"no answer button in {message.get('text')!r}")


def answer_values(view: dict, *, answers: tuple[str, ...] = (), blocker: str = "", **outcomes: tuple) -> dict:
    """State for the answer form: answers per question, a blocker, and per outcome ref (status, values)."""
    values: dict[str, dict] = {}
    for block in view["blocks"]:
        block_id = block.get("block_id", "")
        if block_id.startswith(f"{CheckinIds.QUESTION}:"):
            n = int(block_id.rsplit(":", 1)[1])
            text = answers[n] if n < len(answers) else None
            values[block_id] = {block_id: {"type": "plain_text_input", "value": text}}
        elif block_id == CheckinIds.BLOCKER:
            values[block_id] = {block_id: {"type": "plain_text_input", "value": blocker or None}}
        elif block_id.startswith(f"{CheckinIds.OUTCOME_STATUS}:"):
            ref = block_id.rsplit(":", 1)[1]
            status = outcomes.get(ref.replace("-", "_"), (block["element"]["initial_option"]["value"], ""))[0]
            values[block_id] = {block_id: {"type": "static_select", "selected_option": {"value": status}}}
        elif block_id.startswith(f"{CheckinIds.OUTCOME_VALUES}:"):
            ref = block_id.rsplit(":", 1)[1]
            typed = outcomes.get(ref.replace("-", "_"), ("", ""))[1]
            values[block_id] = {block_id: {"type": "plain_text_input", "value": typed or None}}
    return values


async def answer(harness, user: str, **values: Any) -> dict:
    """`user` presses Answer in their DM and sends the form; returns the submission's ack."""
    actor = harness.actor(user, channel_id=f"D{user}", channel_name="directmessage")
    [ask] = harness.standin.messages(user)[:1]
    opened = len(harness.standin.calls_to("views.open"))
    await harness.slack.block_action(actor, button(ask), message=ask)
    assert len(harness.standin.calls_to("views.open")) == opened + 1
    view = opened_view(harness)
    response = await harness.slack.view_submission(actor, view, answer_values(view, **values))
    return response.json()


async def reply_in_thread(harness, user: str, text: str, **extra: Any) -> None:
    ts = thread_ts(harness)
    message = harness.standin.add_message(CHANNEL, user, text, thread_ts=ts)
    event = {"type": "message", "channel": CHANNEL, "channel_type": "channel", "user": user, "text": text}
    event.update(ts=message["ts"], thread_ts=ts, **extra)
    response = await harness.slack.event(harness.actor(user), event)
    assert response.status_code == 200


async def test_a_round_from_start_to_digest(harness, clock, clients, sender) -> None:
    standin = harness.standin
    await define(harness, harness.actor("U0ALEX"), title="Faster onboarding")  # O-1: activation 20% -> 40%
    await set_up_here(harness)

    round_ = await start(harness, clock, sender)

    # The thread: one message in the channel, nobody @-mentioned; each member asked by DM with a button.
    [parent] = standin.messages(CHANNEL)
    assert "Check-in" in parent["text"] and "<@" not in str(parent["blocks"])
    assert {u: len(standin.messages(u)) for u in ("U0LOCAL", "U0ALEX", "U0PRIYA")} == {
        "U0LOCAL": 1,
        "U0ALEX": 1,
        "U0PRIYA": 1,
    }
    assert button(standin.messages("U0ALEX")[0])["value"] == round_.token
    assert [c.args["channel"] for c in standin.calls_to("conversations.members")] == [CHANNEL]

    # Alex answers in the form, which lists O-1: the views.open uses the button press's trigger id.
    actor = harness.actor("U0ALEX", channel_id="DU0ALEX")
    ask = standin.messages("U0ALEX")[0]
    await harness.slack.block_action(actor, button(ask), message=ask)
    assert standin.calls_to("views.open")[-1].args["trigger_id"] == harness.slack.sent[-1]["trigger_id"]
    view = opened_view(harness)
    form_text = all_text(view["blocks"])
    assert "O-1 Faster onboarding" in form_text and "What moved?" in form_text
    ack = await harness.slack.view_submission(
        actor,
        view,
        answer_values(
            view, answers=("Shipped the new signup", "Pricing page"), blocker="Waiting on legal", O_1=("at_risk", "25%")
        ),
    )
    assert ack.json()["response_action"] == "update"

    [update] = await harness.rows(ProgressUpdate)
    assert (update.source, update.status_before, update.status_after) == (
        ProgressSource.CHECKIN,
        OutcomeStatus.ON_TRACK,
        OutcomeStatus.AT_RISK,
    )
    assert [r.value for r in await harness.rows(MetricReading)] == [25.0]
    await deliver_now(clock, sender)
    [posted] = in_thread(harness)
    text = all_text(posted["blocks"])
    assert text.startswith("*Alex Meyer*") and "Shipped the new signup" in text and "Waiting on legal" in text
    assert "O-1 Faster onboarding: 🟢 → 🟡 At risk · Activation 20% → 25%" in text
    assert "Thanks" in standin.messages("U0ALEX")[0]["text"]  # the ask, updated in place

    # Priya simply replies in the thread: that is her answer, and it is not posted again.
    await reply_in_thread(harness, "U0PRIYA", "All good here, demo on Friday")
    priya = (await invites(harness.db))["U0PRIYA"]
    assert (priya.source, priya.reply, priya.answered) == ("thread", "All good here, demo on Friday", True)
    await deliver_now(clock, sender)
    assert [m["user"] for m in in_thread(harness)] == ["U0BOT", "U0PRIYA"]

    # Four hours on: one reminder, to Dana only, by DM; the job running again sends nothing more.
    clock.set(round_.opened_at + timedelta(hours=4, minutes=1))
    await run_job(harness.db, clock, clients)
    await run_job(harness.db, clock, clients)
    await deliver_now(clock, sender)
    assert [d.target for d in await deliveries(harness.db, "checkin.remind")] == ["U0LOCAL"]
    assert [len(standin.messages(u)) for u in ("U0LOCAL", "U0ALEX", "U0PRIYA")] == [2, 1, 1]
    assert "only reminder" in standin.messages("U0LOCAL")[-1]["text"]

    # Six hours on: the digest, in the thread, naming who is missing without pinging them.
    clock.set(round_.opened_at + timedelta(hours=6))
    await run_job(harness.db, clock, clients)
    await deliver_now(clock, sender)
    digest = in_thread(harness)[-1]
    text = all_text(digest["blocks"])
    assert "Answered (2 of 3): Alex Meyer, Priya Raman" in text
    assert "Not yet: Dana Scully" in text and "<@" not in text
    assert "🟡 1 at risk" in text
    assert "O-1 Faster onboarding: 🟢 → 🟡 At risk; Activation 20% → 25%" in text
    assert "Waiting on legal (Alex Meyer)" in text
    assert standin.messages(CHANNEL) == [standin.messages(CHANNEL)[0]]  # nothing outside the thread

    # Dana answers late: the answer counts, goes in the thread, and the digest is edited, not posted again.
    ack = await answer(harness, "U0LOCAL", answers=("Hiring plan done",))
    assert ack["response_action"] == "update"
    await deliver_now(clock, sender)
    assert (await invites(harness.db))["U0LOCAL"].late
    late = in_thread(harness)[-1]
    assert all_text(late["blocks"]).startswith("*Dana Scully* (late)")
    digests = [m for m in in_thread(harness) if "Digest" in m["text"] or "digest" in m["text"]]
    assert len(digests) == 1 and digests[0]["ts"] == digest["ts"]
    assert "Answered (3 of 3): Alex Meyer, Priya Raman, Dana Scully" in all_text(digests[0]["blocks"])
    assert [c.args["ts"] for c in standin.calls_to("chat.update") if c.args.get("ts") == digest["ts"]] == [digest["ts"]]
    assert len([c for c in standin.calls_to("chat.postMessage") if "digest" in c.args.get("text", "")]) == 1


async def test_the_digest_comes_early_once_everyone_has_answered(harness, clock, clients, sender) -> None:
    await set_up_here(harness, audience="chosen", members=["U0ALEX"])
    round_ = await start(harness, clock, sender)

    await answer(harness, "U0ALEX", answers=("Done with the import",))
    await deliver_now(clock, sender)

    posted = in_thread(harness)
    assert [all_text(m["blocks"]).split("\n")[0] for m in posted] == [
        "*Alex Meyer*",
        f"*Digest · check-in of {round_.occurs_on:%a %-d %b}*",
    ]
    clock.set(round_.digest_at)  # digest time comes: nothing more is posted
    await run_job(harness.db, clock, clients)
    await deliver_now(clock, sender)
    assert len(in_thread(harness)) == 2


async def test_only_participants_replies_count_and_each_person_once(harness, clock, clients, sender) -> None:
    harness.standin.add_user("U0SAM", name="sam", real_name="Sam Outside", tz="UTC")
    await set_up_here(harness, audience="chosen", members=["U0ALEX", "U0PRIYA"])
    await start(harness, clock, sender)

    await reply_in_thread(harness, "U0SAM", "Not asked, just curious")
    await reply_in_thread(harness, "U0LOCAL", "I set it up but I'm not asked")
    await reply_in_thread(harness, "U0ALEX", "Broadcast to the channel too", subtype="thread_broadcast")
    await reply_in_thread(harness, "U0ALEX", "A second reply is just a reply")
    await reply_in_thread(harness, "U0PRIYA", "An edit is not an answer", subtype="message_changed")

    found = await invites(harness.db)
    assert set(found) == {"U0ALEX", "U0PRIYA"}
    assert (found["U0ALEX"].reply, found["U0ALEX"].revision) == ("Broadcast to the channel too", 1)
    assert not found["U0PRIYA"].answered
    # A reply in some other thread of the channel is none of the check-in's business.
    other = harness.standin.add_message(CHANNEL, "U0LOCAL", "unrelated")
    event = {
        "type": "message",
        "channel": CHANNEL,
        "user": "U0PRIYA",
        "text": "hi",
        "ts": "9.1",
        "thread_ts": other["ts"],
    }
    assert (await harness.slack.event(harness.actor("U0PRIYA"), event)).status_code == 200
    assert not (await invites(harness.db))["U0PRIYA"].answered


async def test_someone_not_asked_gets_told_and_a_bad_value_stores_nothing(harness, clock, clients, sender) -> None:
    await define(harness, harness.actor("U0ALEX"))
    await set_up_here(harness, audience="chosen", members=["U0ALEX"])
    await start(harness, clock, sender)
    parent = harness.standin.messages(CHANNEL)[0]

    await harness.slack.block_action(harness.actor("U0PRIYA"), button(parent), message=parent)
    assert len(harness.standin.calls_to("views.open")) == 2  # the /outcome and /checkin forms only
    [told] = [c for c in harness.standin.calls if c.method == "response_url"][-1:]
    assert "aren't one of the people asked" in told.args["text"]

    await harness.slack.block_action(harness.actor("U0ALEX"), button(parent), message=parent)
    view = opened_view(harness)
    ack = (
        await harness.slack.view_submission(
            harness.actor("U0ALEX"), view, answer_values(view, answers=("x",), O_1=("on_track", "lots"))
        )
    ).json()
    assert ack["response_action"] == "errors"
    assert list(ack["errors"]) == [f"{CheckinIds.OUTCOME_VALUES}:O-1"]
    assert not (await invites(harness.db))["U0ALEX"].answered
    assert await harness.rows(ProgressUpdate) == []


async def test_changing_an_answer_edits_the_post_in_the_thread(harness, clock, clients, sender) -> None:
    await set_up_here(harness, audience="chosen", members=["U0ALEX", "U0PRIYA"])
    await start(harness, clock, sender)
    await answer(harness, "U0ALEX", answers=("First take",))
    await deliver_now(clock, sender)

    await answer(harness, "U0ALEX", answers=("Second take",))
    await deliver_now(clock, sender)

    [posted] = in_thread(harness)
    assert "Second take" in all_text(posted["blocks"]) and "(edited)" in all_text(posted["blocks"])
    invite = (await invites(harness.db))["U0ALEX"]
    assert (invite.answers, invite.revision, invite.late) == (["Second take", ""], 2, False)


async def test_a_second_round_by_hand_on_the_same_day_is_refused(harness, clock, clients, sender) -> None:
    await set_up_here(harness, audience="chosen", members=["U0ALEX"])
    round_ = await start(harness, clock, sender)

    again = await harness.slack.command(harness.me, "/checkin", "now")

    assert "has started already" in again.json()["text"]
    assert [r.id for r in await rounds(harness.db)] == [round_.id] and round_.started_by_id is not None
    async with harness.db.sessions() as session:
        assert len((await session.scalars(select(Invite))).all()) == 1
    assert len(harness.standin.messages("U0ALEX")) == 1


async def test_an_empty_answer_is_refused_at_the_first_field(harness, clock, clients, sender) -> None:
    await set_up_here(harness, audience="chosen", members=["U0ALEX"])
    await start(harness, clock, sender)

    ack = await answer(harness, "U0ALEX")

    assert ack == {"response_action": "errors", "errors": {f"{CheckinIds.QUESTION}:0": "Answer at least one question."}}
    assert not (await invites(harness.db))["U0ALEX"].answered
