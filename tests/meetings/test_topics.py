"""Add topic: anyone invited (or an admin) adds one agenda line before the start; whoever adds it leads it unless
the line names someone; it must fit in the time the agenda leaves, and a refusal says how much is left."""

from __future__ import annotations

from datetime import timedelta

from handlers.meetings.blocks.ids import MeetingIds
from handlers.meetings.blocks.topic import TOPIC_BLOCK
from tests.support.meeting_outcomes import add_topic, meetings_now, open_topic
from tests.support.meetings import STARTS, at_now, buttons_of, history, press, private_answers, schedule, show
from tests.support.outcomes import all_text

ALEX, PRIYA, NICK = "U0ALEX", "U0PRIYA", "U0NICK"
AGENDA = "Pricing options — @alex — 15 decide\nLaunch date | Priya Raman | 20 discuss"  # 35 of 45 minutes


async def scheduled(harness) -> None:
    harness.standin.add_user(NICK, name="nick", real_name="Nick Ross", tz="America/New_York")
    body = await schedule(harness, harness.actor(ALEX), attendees=[PRIYA], agenda=AGENDA)
    assert body["response_action"] == "update", body


async def test_an_attendee_adds_a_topic_she_leads_and_it_joins_the_running_order(harness) -> None:
    at_now(harness)
    await scheduled(harness)
    priya = harness.actor(PRIYA)
    assert MeetingIds.ADD_TOPIC in buttons_of(await show(harness, actor=priya))
    view = await open_topic(harness, priya)
    assert "the agenda leaves 10 minutes of 45" in all_text(view["blocks"])
    body = await add_topic(harness, priya, "Churn numbers — 5 discuss")
    assert body["response_action"] == "update", body
    assert "is item 3 of *M-1*" in all_text(body["view"]["blocks"]) and "leaves 5 minutes" in all_text(
        body["view"]["blocks"]
    )
    body = await add_topic(harness, priya, "Support backlog — @alex — 5 inform")
    assert body["response_action"] == "update", body
    [meeting] = await meetings_now(harness)
    priya_id = meeting.items[1].owner_id
    alex_id = meeting.items[0].owner_id
    assert [(i.position, i.topic, i.minutes, i.kind.value, i.owner_id, i.added_by_id) for i in meeting.items[2:]] == [
        (3, "Churn numbers", 5, "discuss", priya_id, priya_id),
        (4, "Support backlog", 5, "inform", alex_id, priya_id),
    ]
    assert await history(harness) == ["created", "topic_added", "topic_added"]
    assert "*Churn numbers* · <@U0PRIYA> · 5 min" in all_text((await show(harness, actor=priya))["blocks"])


async def test_a_topic_that_does_not_fit_is_refused_on_its_field_saying_how_much_is_left(harness) -> None:
    at_now(harness)
    await scheduled(harness)
    priya = harness.actor(PRIYA)
    body = await add_topic(harness, priya, "Roadmap review — 30 discuss")
    assert "That needs 30 minutes and only 10 are left in M-1" in body["errors"][TOPIC_BLOCK]
    body = await add_topic(harness, priya, "Roadmap review")
    assert "Give the topic and its minutes" in body["errors"][TOPIC_BLOCK]
    body = await add_topic(harness, priya, "Roadmap review — @zed — 5")
    assert "I don't know anyone called “zed” here" in body["errors"][TOPIC_BLOCK]
    assert (await add_topic(harness, priya, "Roadmap review — 10 discuss"))["response_action"] == "update"
    assert MeetingIds.ADD_TOPIC not in buttons_of(await show(harness, actor=priya))  # full: no button offered
    await press(harness, priya, MeetingIds.ADD_TOPIC)  # an old card's button is still answered
    assert "already fills all its 45 minutes" in private_answers(harness)[-1]
    [meeting] = await meetings_now(harness)
    assert [i.topic for i in meeting.items] == ["Pricing options", "Launch date", "Roadmap review"]


async def test_only_those_invited_add_topics_and_only_before_the_start(harness) -> None:
    clock = at_now(harness)
    await scheduled(harness)
    nick, stranger = harness.actor(NICK), harness.actor("U0OTHER", team_id="T0OTHER")
    await press(harness, nick, MeetingIds.ADD_TOPIC)  # forged: not invited
    assert "Only the people invited to it, or a workspace admin, can add a topic to M-1" in private_answers(harness)[-1]
    await press(harness, stranger, MeetingIds.ADD_TOPIC)
    assert "can't find M-1" in private_answers(harness)[-1]
    view = await open_topic(harness, harness.me)  # Dana, an admin
    clock.set(STARTS + timedelta(minutes=1))
    late = {TOPIC_BLOCK: {TOPIC_BLOCK: {"type": "plain_text_input", "value": "Late — 5"}}}
    body = await harness.slack.view_submission(harness.me, view, late)
    assert "has started already" in body.json()["errors"][TOPIC_BLOCK]
    await press(harness, harness.actor(PRIYA), MeetingIds.ADD_TOPIC)
    assert "has started already" in private_answers(harness)[-1]
    [meeting] = await meetings_now(harness)
    assert len(meeting.items) == 2 and await history(harness) == ["created"]
