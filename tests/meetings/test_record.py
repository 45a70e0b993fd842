"""Record outcome, after the start: each agenda item decided (an already-decided D-n: option, rationale, decider),
turned into action items (A-n with owners, due dates and the meeting as their source), done, carried or dropped;
which ran over; whether the desired outcome was reached. One summary in the meeting's thread, one message to each
owner listing theirs; a second recording is refused, and a restart sends nothing twice."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import update

from handlers.meetings.blocks.ids import MeetingIds
from handlers.meetings.blocks.record import block
from models import ActionStatus, DecisionStatus, ItemOutcome, Meeting, MeetingStatus, OutcomeReached, SourceKind
from services.attention import stored
from services.meetings.follow_up import input_deadline
from tests.support.meeting_outcomes import (
    Jobs,
    actions_now,
    decisions_now,
    delivery_keys,
    meetings_now,
    open_record,
    record,
    said,
    submit_record,
)
from tests.support.meetings import (
    NOW,
    STARTS,
    buttons_of,
    history,
    install_clock,
    press,
    private_answers,
    schedule,
    show,
)
from tests.support.outbox import make_sender

pytest_plugins = ["tests.support.outbox_fixtures"]
ALEX, PRIYA, NICK = "U0ALEX", "U0PRIYA", "U0NICK"
AFTER = STARTS + timedelta(minutes=50)
FRIDAY = date(2026, 12, 4)
AGENDA = "\n".join(
    (
        "Pricing options — @alex — 15 decide",
        "Launch date | Priya Raman | 20 discuss",
        "What support heard - @nick - 5 inform",
    )
)
GOOD = {
    1: {"outcome": "decided", "decision": "Tiered pricing — simplest to explain, and Globex agreed"},
    2: {
        "outcome": "actions",
        "actions": "@priya draft the launch email by friday\n@alex update the pricing deck by 2026-12-04",
    },
    3: {"outcome": "dropped"},
}


@pytest.fixture
async def jobs(harness, clock, clients, sender) -> Jobs:
    clock.set(NOW)
    install_clock(harness, clock)
    return Jobs(harness, clock, clients, sender)


async def held_by_alex(harness, clock, **fields) -> None:
    """Alex (Berlin) organises M-1 for Priya (Kolkata) and Nick (New York); it has started and ended."""
    harness.standin.add_user(NICK, name="nick", real_name="Nick Ross", tz="America/New_York")
    fields = {"attendees": [PRIYA, NICK], "agenda": AGENDA, **fields}
    body = await schedule(harness, harness.actor(ALEX), **fields)
    assert body["response_action"] == "update", body
    clock.set(AFTER)


async def test_recording_creates_the_decision_and_action_items_and_tells_each_owner_once(harness, clock, jobs) -> None:
    await held_by_alex(harness, clock)
    alex = harness.actor(ALEX)
    assert buttons_of(await show(harness, actor=alex)) == [MeetingIds.RECORD]
    answer = await record(harness, alex, GOOD, over=[2], reached="partly")
    assert answer["response_action"] == "update", answer
    assert "1 decision (D-1) and 2 action items (A-1, A-2)" in said(answer["view"])
    assert "The summary goes to <#C0GENERAL>; 2 people hear of their action items." in said(answer["view"])

    [decision] = await decisions_now(harness)
    [meeting] = await meetings_now(harness)
    alex_id = next(i.owner_id for i in meeting.items if i.position == 1)
    assert (decision.ref, decision.status, decision.chosen_option) == ("D-1", DecisionStatus.DECIDED, "Tiered pricing")
    assert decision.rationale == "simplest to explain, and Globex agreed"
    assert (decision.decider_id, decision.decided_by_id, decision.next_ping_at) == (alex_id, alex_id, None)
    assert decision.channel_id == "C0GENERAL" and decision.question == "Pricing options"
    made = await actions_now(harness)
    assert [(a.ref, a.what, a.due_on, a.source_kind, a.source_ref, a.status) for a in made] == [
        ("A-1", "draft the launch email", FRIDAY, SourceKind.MEETING, "M-1", ActionStatus.OPEN),
        ("A-2", "update the pricing deck", FRIDAY, SourceKind.MEETING, "M-1", ActionStatus.OPEN),
    ]
    owners = {i.position: i.owner_id for i in meeting.items}
    assert made[1].owner_id == owners[1] and made[0].owner_id == owners[2]  # Priya leads item 2, Alex item 1
    assert (meeting.status, meeting.outcome_reached) == (MeetingStatus.HELD, OutcomeReached.PARTLY)
    assert meeting.outcome_recorded_at == AFTER
    assert [(i.outcome, i.over_time, i.decision_ref) for i in meeting.items] == [
        (ItemOutcome.DECIDED, False, "D-1"),
        (ItemOutcome.ACTIONS, True, None),
        (ItemOutcome.DROPPED, False, None),
    ]
    assert (await history(harness))[-1] == "recorded"

    await jobs.deliver()
    [summary] = harness.standin.messages("C0GENERAL")  # no thread yet: the channel
    text = said(summary)
    assert "Outcome of M-1" in text and "Desired outcome reached: *partly" in text
    assert "*D-1* Pricing options: *Tiered pricing* — simplest to explain" in text and "(decided by Alex Meyer)" in text
    assert "*A-1* draft the launch email · Priya Raman · due Fri 4 Dec" in text
    assert "Dropped" in text and "Over its time-box: 1 of 3 items (Launch date)" in text
    assert "<@" not in text  # named, never pinged, in the channel
    [to_priya] = [m["text"] for m in harness.standin.messages(PRIYA) if "yours" in m["text"]]
    assert "A-1" in to_priya and "A-2" not in to_priya and "this one is yours" in to_priya
    alex_dms = [m["text"] for m in harness.standin.messages(ALEX) if "yours" in m["text"]]
    assert len(alex_dms) == 1 and "A-2" in alex_dms[0] and "A-1" not in alex_dms[0]
    assert not [m for m in harness.standin.messages(NICK) if "yours" in m["text"]]

    posted = len(harness.standin.calls_to("chat.postMessage"))
    assert await jobs.deliver(make_sender(harness.db, jobs.context.clients, clock, name="after-restart")) == 0
    assert len(harness.standin.calls_to("chat.postMessage")) == posted
    token = meeting.token
    assert [k for k in await delivery_keys(harness) if k.startswith("meeting:") and ":read:" not in k] == [
        f"meeting:{token}:actions:{ALEX}",
        f"meeting:{token}:actions:{PRIYA}",
        f"meeting:{token}:summary",
    ]


async def test_a_one_off_meetings_carried_topics_go_to_a_written_thread(harness, clock, jobs) -> None:
    await held_by_alex(harness, clock)
    carried = {**GOOD, 3: {"outcome": "carried"}}
    answer = await record(harness, harness.actor(ALEX), carried, reached="yes")
    assert "1 item goes to M-2, a written thread: input is due" in said(answer["view"])

    first, follow = await meetings_now(harness)
    assert (follow.ref, follow.status, follow.title) == ("M-2", MeetingStatus.ASYNC, "Pricing review (follow-up)")
    assert [(i.topic, i.carried_from) for i in follow.items] == [("What support heard", "M-1")]
    assert follow.async_deadline.isoformat() == "2026-12-03T16:00:00+00:00"  # 17:00 Berlin, two working days on
    assert {a.person_id for a in follow.attendees} == {a.person_id for a in first.attendees}
    await jobs.deliver()
    posted = [said(c.args) for c in harness.standin.calls_to("chat.postMessage")]
    assert any("*M-2* Pricing review (follow-up) is async" in text for text in posted)
    assert any("*1. What support heard*" in text for text in posted)  # its item, a reply in the thread
    assert any("In writing: M-2, input due" in text for text in posted)  # the summary of M-1 says where it went
    await jobs.deliver()
    assert len(harness.standin.calls_to("chat.postMessage")) == len(posted)  # nothing is posted twice


async def test_the_summary_goes_in_the_meetings_thread_once_it_has_one(harness, clock, jobs) -> None:
    await held_by_alex(harness, clock)
    async with harness.db.sessions.begin() as session:  # what the start posts (another part of the lifecycle)
        await session.execute(update(Meeting).values(thread_channel="C0GENERAL", thread_ts="1764583200.000100"))
    await record(harness, harness.actor(ALEX), {1: {"outcome": "done"}, 2: {"outcome": "done"}, 3: {"outcome": "done"}})
    await jobs.deliver()
    assert harness.standin.messages("C0GENERAL") == []
    [summary] = harness.standin.messages("C0GENERAL", "1764583200.000100")
    assert "Outcome of M-1" in summary["text"] and "0 decisions, 0 action items" in summary["text"]


async def test_problems_are_shown_beside_their_fields_and_nothing_is_stored(harness, clock, jobs) -> None:
    await held_by_alex(harness, clock)
    alex = harness.actor(ALEX)
    view = await open_record(harness, alex)
    assert len(view["blocks"]) <= 100
    bad = {
        1: {"outcome": "decided", "decision": "Tiered pricing"},  # no why
        2: {"outcome": "actions", "actions": "draft the launch email by friday\n@priya send it by 2026-11-30"},
        3: {"outcome": "done", "actions": "@alex tidy up by friday"},
    }
    answer = await submit_record(harness, alex, view, bad, reached=None)
    errors = answer["errors"]
    assert set(errors) == {block("decision:1"), block("actions:2"), block("actions:3"), block("reached")}
    assert "Add why after a dash" in errors[block("decision:1")]
    assert "Line 1" in errors[block("actions:2")] and "Who owns it?" in errors[block("actions:2")]
    assert "Line 2" in errors[block("actions:2")] and "Mon 30 Nov 2026 has passed" in errors[block("actions:2")]
    assert "Choose “action items”" in errors[block("actions:3")]
    assert "yes, partly or no" in errors[block("reached")]
    answer = await submit_record(harness, alex, view, {2: {"outcome": "actions"}}, reached="yes")
    assert set(answer["errors"]) == {block("actions:2")}
    assert await decisions_now(harness) == [] and await actions_now(harness) == []
    [meeting] = await meetings_now(harness)
    assert meeting.status is MeetingStatus.SCHEDULED and meeting.outcome_recorded_at is None
    assert (
        all(i.outcome is None for i in meeting.items)
        and [k for k in await delivery_keys(harness) if ":read:" not in k] == []
    )  # pre-read asks aside
    assert await history(harness) == ["created"]


async def test_only_the_facilitator_organiser_or_an_admin_records_and_only_once(harness, clock, jobs) -> None:
    await held_by_alex(harness, clock)
    stranger, nick, alex = harness.actor("U0OTHER", team_id="T0OTHER"), harness.actor(NICK), harness.actor(ALEX)
    await press(harness, nick, MeetingIds.RECORD)  # forged: he never had the button
    assert "Only <@U0ALEX> (its organiser or facilitator)" in private_answers(harness)[-1]
    await press(harness, stranger, MeetingIds.RECORD)
    assert "can't find M-1" in private_answers(harness)[-1]

    first = await open_record(harness, harness.me)  # Dana, an admin, opens it too
    await record(harness, alex, GOOD)
    await press(harness, harness.me, MeetingIds.RECORD)
    assert "Alex Meyer recorded *M-1*'s outcome already" in private_answers(harness)[-1]
    again = await submit_record(harness, harness.me, first, {1: {"outcome": "done"}}, reached="no")
    assert "Alex Meyer recorded M-1's outcome already, on Tue 1 Dec at" in again["errors"][block("reached")]
    assert len(await decisions_now(harness)) == 1 and len(await actions_now(harness)) == 2
    assert (await history(harness)).count("recorded") == 1
    assert buttons_of(await show(harness, actor=alex)) == []


async def test_the_outcome_waits_for_the_start(harness, clock, jobs) -> None:
    await held_by_alex(harness, clock)
    clock.set(STARTS - timedelta(minutes=1))
    await press(harness, harness.actor(ALEX), MeetingIds.RECORD)
    assert "hasn't started yet" in private_answers(harness)[-1]
    assert MeetingIds.RECORD not in buttons_of(await show(harness, actor=harness.actor(ALEX)))


@pytest.mark.parametrize(
    ("hours", "due"),
    [
        (None, "2026-12-04T16:00:00+00:00"),  # Friday 17:00 in Berlin, the default's last working hour
        ("07:00-15:00 mon-thu", "2026-12-07T13:00:00+00:00"),  # no Friday for them: Monday 14:00
    ],
)
def test_a_follow_ups_input_is_due_in_the_organisers_own_working_hours(hours, due) -> None:
    wednesday = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)
    own = stored(hours)
    assert input_deadline(wednesday, ZoneInfo("Europe/Berlin"), own).isoformat() == due
