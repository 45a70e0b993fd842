"""Make it async, end to end against the stand-in: the button opens the deadline form; sending it turns M-1 into a
thread in its channel (the desired outcome, the pre-read, one reply per agenda item, nobody @-mentioned), each
attendee is asked by direct message with a link to the thread, replies naming an item are stored as written input
(once, people only), the deadline's summary names who answered, and a decide item becomes a D-n. Every press is
checked again; another workspace's M-1 does not exist here."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from handlers.meetings.blocks.going_async import AsyncIds
from handlers.meetings.blocks.ids import MeetingIds
from handlers.meetings.messages import ASYNC_KIND
from models import Decision, DecisionStatus, Delivery, MeetingStatus, Person
from tests.support.checkins import invites, setup_values
from tests.support.meetings import (
    NOW,
    STARTS,
    buttons_of,
    history,
    install_clock,
    meetings,
    press,
    private_answers,
    schedule,
    show,
)
from tests.support.meetings_async import (
    CHANNEL,
    Async,
    buttons_in,
    decision_button,
    inputs,
    open_async_form,
    reply,
    resend,
    submit_async,
    thread,
)
from tests.support.outcomes import all_text, opened_view

pytest_plugins = ["tests.support.outbox_fixtures"]
# What the feature sends and when, apart from the attention policy that may hold it (tests/attention).
pytestmark = pytest.mark.usefixtures("around_the_clock")
ALEX = "U0ALEX"  # the organiser, in Berlin
AGENDA = "Pricing options — Priya Raman — 15 decide\nLaunch date — @alex — 20 discuss"


@pytest.fixture
async def work(harness, clock, clients, sender) -> Async:
    clock.set(NOW)
    install_clock(harness, clock)
    harness.standin.add_user("U0NICK", name="nick", real_name="Nick Ross", tz="America/New_York")
    return Async(harness, clock, clients, sender)


async def scheduled(harness, **fields) -> None:
    """Alex invites Priya and Nick to M-1 in #general."""
    fields = {"attendees": ["U0PRIYA", "U0NICK"], "agenda": AGENDA, **fields}
    body = await schedule(harness, harness.actor(ALEX), **fields)
    assert body["response_action"] == "update", body


async def made_async(harness, work: Async, deadline=STARTS) -> dict:
    """Alex presses Make it async and sends the form; then the thread goes out and the attendees are asked."""
    alex = harness.actor(ALEX)
    answer = await submit_async(harness, alex, await open_async_form(harness, alex), deadline)
    await work.deliver()
    await work.at()
    return answer


async def test_the_form_suggests_the_start_as_deadline_and_makes_the_meeting_async(harness, work) -> None:
    await scheduled(harness)
    alex = harness.actor(ALEX)
    view = await open_async_form(harness, alex)
    assert view["callback_id"] == MeetingIds.ASYNC_VIEW
    picker = view["blocks"][1]["element"]
    assert picker["initial_date_time"] == int(STARTS.timestamp())  # the meeting's own start is suggested
    assert "each attendee gets a direct message asking for theirs" in all_text(view["blocks"]).lower()

    answer = await submit_async(harness, alex, view, STARTS)
    assert answer["response_action"] == "update" and "is async" in all_text(answer["view"]["blocks"])
    [meeting] = await meetings(harness)
    assert (meeting.status, meeting.async_deadline) == (MeetingStatus.ASYNC, STARTS)
    assert await history(harness) == ["created", "made_async"]
    assert "written input due" in all_text((await show(harness, actor=alex))["blocks"])
    for scope in ("list", "list channel"):  # still listed while input is due, with its deadline instead of a slot
        listed = all_text((await harness.slack.command(alex, "/meeting", scope)).json()["blocks"])
        assert "🧵 *M-1* Pricing review · written input due" in listed


async def test_the_thread_has_one_reply_per_item_and_pings_nobody_in_the_channel(harness, work) -> None:
    await scheduled(harness)
    await made_async(harness, work)
    parent, replies = thread(harness)
    [top] = harness.standin.messages(CHANNEL)  # one message in the channel; the rest is in its thread
    assert top["ts"] == parent["ts"]
    text = all_text(parent["blocks"])
    assert "We have chosen one pricing option" in text and "Pricing options, two pages" in text
    assert f"<!date^{int(STARTS.timestamp())}^" in text and "Organised by Alex Meyer" in text
    assert [r["text"].split("\n")[0] for r in replies] == [
        "*1. Pricing options* · Priya Raman · ⚖️ decide",
        "*2. Launch date* · Alex Meyer · 💬 discuss",
    ]
    assert "Priya Raman will decide" in replies[0]["text"]
    assert all("<@" not in m["text"] and "<@" not in str(m.get("blocks")) for m in [parent, *replies])
    [meeting] = await meetings(harness)
    assert (meeting.thread_channel, meeting.thread_ts) == (CHANNEL, parent["ts"])
    assert [i.async_ts for i in meeting.items] == [r["ts"] for r in replies]


async def test_each_attendee_is_asked_once_with_a_link_to_the_thread(harness, work) -> None:
    await scheduled(harness)
    alex = harness.actor(ALEX)
    await submit_async(harness, alex, await open_async_form(harness, alex), STARTS)
    assert await work.at() == 0  # the thread is not in Slack yet: nobody is asked to reply to nothing
    await work.deliver()
    assert await work.at() == 2  # Priya and Nick; not Alex, who made it async
    assert await work.at() == 0  # run again: nothing more
    link = harness.standin.calls_to("chat.getPermalink")[0].response["permalink"]
    for user in ("U0PRIYA", "U0NICK"):
        [ask] = [m for m in harness.standin.messages(user) if "async" in m["text"]]
        assert f"<{link}|in its thread>" in ask["text"] and "<@U0ALEX> made *M-1*" in ask["text"]
    assert [m for m in harness.standin.messages(ALEX) if "async" in m["text"]] == []


async def test_replies_naming_an_item_are_its_input_once_and_only_from_people(harness, work) -> None:
    await scheduled(harness)
    await made_async(harness, work)

    first = await reply(harness, "U0PRIYA", "1: the tiered option &amp; a discount", event_id="EvPRIYA1")
    await resend(harness, "U0PRIYA", first, event_id="EvPRIYA1", retry_num=1)  # Slack retries: stored once
    await reply(harness, "U0NICK", "#2 March, not February")
    await reply(harness, ALEX, "2) agreed with Nick")  # the organiser isn't an attendee; his input counts too
    await reply(harness, "U0PRIYA", "Looks fine to me")  # names no item: not filed, and she is told how
    await reply(harness, "U0BOT2", "1: a bot's reply", bot_id="B0OTHER", subtype="bot_message")
    await reply(harness, "U0PRIYA", "1: edited", subtype="message_changed")
    assert await inputs(harness) == [
        ("U0PRIYA", 1, "the tiered option & a discount"),
        ("U0NICK", 2, "March, not February"),
        (ALEX, 2, "agreed with Nick"),
    ]
    await work.deliver()
    [hint] = harness.standin.calls_to("chat.postEphemeral")
    assert hint.args["user"] == "U0PRIYA" and "starting with the item's number" in hint.args["text"]
    assert hint.args["thread_ts"] == thread(harness)[0]["ts"]


async def test_the_deadline_posts_one_summary_naming_who_answered_and_who_did_not(harness, work) -> None:
    await scheduled(harness)
    await made_async(harness, work)
    await reply(harness, "U0PRIYA", "1: tiered")
    await reply(harness, "U0PRIYA", "1: with a discount for yearly plans")
    await reply(harness, ALEX, "2: March")

    assert await work.at(STARTS - timedelta(minutes=1)) == 0  # not yet
    assert await work.at(STARTS) == 1
    assert await work.at(STARTS + timedelta(minutes=1)) == 0  # a second run sends nothing
    _, replies = thread(harness)
    [summary] = [r for r in replies if "Time's up" in r["text"]]
    text = all_text(summary["blocks"])
    assert "*1. Pricing options* (⚖️ decide, Priya Raman): 2 replies from Priya Raman" in text
    assert "*2. Launch date* (💬 discuss, Alex Meyer): 1 reply from Alex Meyer" in text
    assert "No input from Nick Ross." in text
    assert "<@" not in summary["text"] and "<@" not in str(summary["blocks"])
    assert buttons_in(summary) == ["M-1:1"]  # the one decide item
    assert await history(harness) == ["created", "made_async", "summarised"]

    await reply(harness, "U0NICK", "2: too late?")  # after the summary: not input
    assert len(await inputs(harness)) == 3


async def test_a_decide_item_becomes_one_decision_with_its_owner_deciding(harness, work) -> None:
    await scheduled(harness)
    await made_async(harness, work)
    await reply(harness, "U0NICK", "1: tiered")
    await work.at(STARTS)
    [summary] = [r for r in thread(harness)[1] if "Time's up" in r["text"]]
    button = decision_button(summary, "M-1:1")

    nick = harness.actor("U0NICK")  # an attendee, neither the item's owner nor the organiser
    await harness.slack.block_action(nick, button, message=summary)
    assert "Only <@U0PRIYA>, <@U0ALEX> (its owner or the organiser)" in private_answers(harness)[-1]
    assert await harness.rows(Decision) == []

    await harness.slack.block_action(harness.actor(ALEX), button, message=summary)  # the organiser
    assert "*D-1* is open: <@U0PRIYA> decides by" in private_answers(harness)[-1]
    await harness.slack.block_action(harness.actor("U0PRIYA"), button, message=summary)  # a second press
    assert "Item 1 is *D-1* already" in private_answers(harness)[-1]

    [decision] = await harness.rows(Decision)
    async with harness.db.sessions() as session:
        decider = await session.scalar(select(Person.slack_user_id).where(Person.id == decision.decider_id))
    assert decider == "U0PRIYA"
    assert (decision.question, decision.status, decision.channel_id) == ("Pricing options", DecisionStatus.OPEN,
                                                                       CHANNEL)  # fmt: skip
    assert decision.deadline > STARTS and "Written input in its thread from Nick Ross" in decision.context
    assert (await meetings(harness))[0].items[0].decision_ref == "D-1"

    await work.deliver()
    notes = [r["text"] for r in thread(harness)[1] if "is now *D-1*" in r["text"]]
    assert len(notes) == 1 and "Priya Raman decides by" in notes[0] and "<@" not in notes[0]
    [told] = [m["text"] for m in harness.standin.messages("U0PRIYA") if "D-1" in m["text"]]
    assert "<@U0ALEX> made *Pricing options* from *M-1*" in told
    [redrawn] = [r for r in thread(harness)[1] if "Time's up" in r["text"]]
    assert buttons_in(redrawn) == [] and "→ *D-1*" in all_text(redrawn["blocks"])


async def test_only_the_organiser_or_facilitator_makes_it_async_and_a_forged_form_changes_nothing(
    harness, work
) -> None:
    await scheduled(harness)
    priya = harness.actor("U0PRIYA")
    assert MeetingIds.MAKE_ASYNC not in buttons_of(await show(harness, actor=priya))
    opened = len(harness.standin.calls_to("views.open"))
    await press(harness, priya, MeetingIds.MAKE_ASYNC, "M-1")
    assert "Only <@U0ALEX> (its organiser or facilitator)" in private_answers(harness)[-1]
    assert len(harness.standin.calls_to("views.open")) == opened

    view = await open_async_form(harness, harness.actor(ALEX))
    answer = await submit_async(harness, priya, view, STARTS)  # she sends the organiser's form
    assert "Only Alex Meyer (its organiser or facilitator)" in answer["errors"][AsyncIds.DEADLINE]
    assert (await meetings(harness))[0].status is MeetingStatus.SCHEDULED
    assert await history(harness) == ["created"]
    assert not [d for d in await harness.rows(Delivery) if d.kind == ASYNC_KIND]


async def test_a_deadline_in_the_past_or_weeks_away_is_refused_beside_the_field(harness, work) -> None:
    await scheduled(harness)
    alex = harness.actor(ALEX)
    view = await open_async_form(harness, alex)
    for deadline, said in ((NOW - timedelta(hours=1), "at least an hour"), (NOW + timedelta(days=15), "two weeks"),
                           (None, "Choose when")):  # fmt: skip
        answer = await submit_async(harness, alex, view, deadline)
        assert said in answer["errors"][AsyncIds.DEADLINE], answer
    assert (await meetings(harness))[0].status is MeetingStatus.SCHEDULED
    assert not [d for d in await harness.rows(Delivery) if d.kind == ASYNC_KIND]

    await submit_async(harness, alex, view, STARTS)
    second = await submit_async(harness, alex, view, STARTS + timedelta(hours=1))  # a second form, sent later
    assert "is async, so there is nothing to make async" in second["errors"][AsyncIds.DEADLINE]
    assert await history(harness) == ["created", "made_async"]


async def test_a_meeting_without_an_agenda_asks_for_input_on_its_desired_outcome(harness, work) -> None:
    await scheduled(harness, agenda="", kind="status")
    await made_async(harness, work)
    parent, replies = thread(harness)
    assert replies == []  # the first message asks; there are no items to reply to
    assert "with your input on the desired outcome" in all_text(parent["blocks"])
    await reply(harness, "U0NICK", "We are on track")
    assert await inputs(harness) == [("U0NICK", 1, "We are on track")]
    await work.at(STARTS)
    [summary] = [r for r in thread(harness)[1] if "Time's up" in r["text"]]
    said = all_text(summary["blocks"])
    assert "*1. The desired outcome* (💬 discuss, Alex Meyer): 1 reply from Nick Ross" in said
    assert "No input from Priya Raman." in said


async def test_status_meetings_are_offered_async_first(harness, work) -> None:
    body = await schedule(harness, harness.actor(ALEX), attendees=["U0PRIYA"], kind="status",
                          agenda="What support heard — Priya Raman — 10 inform")  # fmt: skip
    assert "*Make it async* on its card" in all_text(body["view"]["blocks"])
    assert buttons_of(await show(harness, actor=harness.actor(ALEX)))[0] == MeetingIds.MAKE_ASYNC
    await scheduled(harness, title="Pricing review")  # a decision meeting: no such offer
    assert buttons_of(await show(harness, "M-2", actor=harness.actor(ALEX)))[0] == MeetingIds.ADD_TOPIC


async def test_another_workspaces_m1_is_invisible(harness, work) -> None:
    await scheduled(harness)
    stranger = harness.actor("U0OTHER", team_id="T0OTHER")
    await press(harness, stranger, MeetingIds.MAKE_ASYNC, "M-1")
    assert "can't find M-1" in private_answers(harness)[-1]
    view = await open_async_form(harness, harness.actor(ALEX))
    answer = await harness.slack.view_submission(
        stranger, {**view, "team_id": "T0OTHER", "app_installed_team_id": "T0OTHER"}, {}
    )
    assert "can't find M-1" in answer.json()["errors"][AsyncIds.DEADLINE]
    assert (await meetings(harness))[0].status is MeetingStatus.SCHEDULED

    await submit_async(harness, harness.actor(ALEX), view, STARTS)
    await work.deliver()
    await reply(harness, "U0OTHER", "1: from elsewhere", team_id="T0OTHER")  # same channel id, another Slack
    await harness.slack.block_action(stranger, {"type": "button", "action_id": AsyncIds.MAKE_DECISION.value,
                                                "block_id": "b", "value": "M-1:1"})  # fmt: skip
    assert "can't find M-1" in private_answers(harness)[-1]
    assert await inputs(harness) == [] and await harness.rows(Decision) == []


async def test_check_in_thread_replies_still_count_beside_meeting_threads(harness, work) -> None:
    """Both features read message events (one listener, a route each): a reply reaches the thread's owner."""
    await harness.slack.command(harness.me, "/checkin", "")
    submitted = await harness.slack.view_submission(harness.me, opened_view(harness), setup_values(audience="chosen",
                                                    members=["U0PRIYA"]))  # fmt: skip
    assert submitted.json()["response_action"] == "update", submitted.text
    assert (await harness.slack.command(harness.me, "/checkin", "now")).json()["text"].startswith("Started")
    await work.deliver()
    await scheduled(harness)
    await made_async(harness, work)

    [round_thread] = [m for m in harness.standin.messages(CHANNEL) if m["text"].startswith("Check-in")]
    answer = harness.standin.add_message(CHANNEL, "U0PRIYA", "Shipped the pricing page", thread_ts=round_thread["ts"])
    event = {"type": "message", "channel": CHANNEL, "channel_type": "channel", "user": "U0PRIYA",
             "text": answer["text"], "ts": answer["ts"], "thread_ts": round_thread["ts"]}  # fmt: skip
    assert (await harness.slack.event(harness.actor("U0PRIYA"), event)).status_code == 200
    await reply(harness, "U0PRIYA", "1: tiered")

    priya = (await invites(harness.db))["U0PRIYA"]
    assert (priya.reply, priya.answered) == ("Shipped the pricing page", True)
    assert await inputs(harness) == [("U0PRIYA", 1, "tiered")]
