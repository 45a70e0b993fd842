"""Hostile text through meetings, as test_hostile_text.py does for the rest: the name, the desired outcome, an
agenda topic, the pre-reads' names and links, on the card, the lists, the Home tab, the answers to the buttons and
the forms, and the edit's and the cancellation's direct messages; the gate's flag, the pre-read's ask and reminder,
the meeting's thread (names in plain text there), its time-box notes and the facilitator's "who has read"; made
async, its thread, asks, summary and decision; a topic added, a recorded outcome (decision, action item, carried
topic) in the summary, the direct message and the next meeting, and a series' list and health. Nothing shown may
carry markup that came from what was typed."""

from __future__ import annotations

from datetime import timedelta

import pytest

from handlers.meetings.blocks.ids import MeetingIds
from models import Meeting
from tests.support.checkins import deliver
from tests.support.decisions import START, install_clock
from tests.support.hostile import (
    BREAKING_LINK,
    GOOD_LINK,
    MENTIONED,
    NAMES,
    SHORT,
    assert_nothing_foreign,
    command,
    hostile,
    open_home,
    record_acks,
    slack_escaped,
    with_hostile_names,
)
from tests.support.meeting_jobs import MeetingJobs
from tests.support.meeting_outcomes import add_topic as add_meeting_topic
from tests.support.meeting_outcomes import record as record_meeting
from tests.support.meeting_outcomes import schedule_series
from tests.support.meetings import STARTS as MEETING_STARTS
from tests.support.meetings import as_shown as meeting_as_shown
from tests.support.meetings import open_edit as open_meeting_edit
from tests.support.meetings import open_form as open_meeting_form
from tests.support.meetings import press as press_meeting
from tests.support.meetings import start_state
from tests.support.meetings import submit as submit_meeting
from tests.support.meetings import submit_edit as submit_meeting_edit
from tests.support.meetings_async import Async, decision_button, open_async_form, submit_async
from tests.support.meetings_async import inputs as async_inputs
from tests.support.meetings_async import reply as async_reply
from tests.support.meetings_async import thread as async_thread

pytest_plugins = ["tests.support.outbox_fixtures"]


# meetings ------------------------------------------------------------------------------------------------------


async def meeting_with_hostile_fields(harness) -> list[str]:
    """Refused first for a link that would close early (nothing shown may carry it), then scheduled."""
    fields = {"title": hostile("meeting", SHORT), "outcome": hostile("desired outcome")}
    pre_read, topic = hostile("pre-read", SHORT), hostile("topic")
    agenda = f"{topic} — <@U0PRIYA> — 15 decide"
    common = {**fields, "agenda": agenda, "attendees": ["U0PRIYA"], "start": MEETING_STARTS}
    refused = await submit_meeting(harness, await open_meeting_form(harness), pre_reads=f"{pre_read} — {BREAKING_LINK}",
                                   **common)  # fmt: skip
    assert set(refused["errors"]) == {MeetingIds.PRE_READS}, refused
    assert await harness.rows(Meeting) == []
    done = await submit_meeting(harness, await open_meeting_form(harness), pre_reads=f"{pre_read} — {GOOD_LINK}",
                                **common)  # fmt: skip
    assert done["response_action"] == "update", done
    return [*fields.values(), pre_read, topic]


async def edited_with_hostile_text(harness) -> str:
    """Dana moves it an hour and adds a second pre-read: the form comes back filled in (not mrkdwn), Priya hears
    of the move, and the card lists both pre-reads."""
    view = await open_meeting_edit(harness)
    second = hostile("second pre-read", SHORT)
    shown = meeting_as_shown(view)[MeetingIds.PRE_READS][MeetingIds.PRE_READS]["value"]
    pre_reads = f"{shown}\n{second} — {GOOD_LINK}&x"
    moved = start_state(MEETING_STARTS + timedelta(hours=1))
    done = await submit_meeting_edit(harness, view, **{MeetingIds.START: moved, MeetingIds.PRE_READS: pre_reads})
    assert done["response_action"] == "update", done
    return second


@pytest.mark.usefixtures("around_the_clock")  # what is shown, whenever it is sent
async def test_meetings_show_hostile_text_as_text(harness, clock, sender) -> None:
    clock.set(START)
    install_clock(harness, clock)
    with_hostile_names(harness.standin)
    acks = record_acks(harness)
    priya = harness.actor("U0PRIYA")

    typed = await meeting_with_hostile_fields(harness)
    typed.append(await edited_with_hostile_text(harness))
    for actor in (harness.me, priya):
        await command(harness, actor, "/meeting", "M-1")
        await command(harness, actor, "/meeting", "list")
        await open_home(harness, actor)  # "My meetings this week"
    await command(harness, harness.me, "/meeting", hostile("unknown"))
    await command(harness, harness.me, "/meeting", f"list {SHORT}")
    await press_meeting(harness, priya, MeetingIds.READ, "M-1:1")
    await press_meeting(harness, priya, MeetingIds.CANCEL, "M-1")  # refused: she is no organiser
    await press_meeting(harness, harness.me, MeetingIds.CANCEL, "M-1")
    await deliver(sender)  # Priya hears it moved, then that it is cancelled

    [meeting] = await harness.rows(Meeting)
    assert meeting.title == hostile("meeting", SHORT)  # stored as typed
    seen = assert_nothing_foreign(harness, acks, typed=typed, mentioned=MENTIONED)
    assert "|open it>" in seen.joined() and "cancelled *M-1*" in seen.joined() and "moved *M-1*" in seen.joined()


@pytest.mark.usefixtures("around_the_clock")  # what is shown, whenever it is sent
async def test_the_gate_and_the_meetings_thread_show_hostile_text_as_text(harness, clock, clients, sender) -> None:
    clock.set(START)
    install_clock(harness, clock)
    with_hostile_names(harness.standin)
    acks = record_acks(harness)
    jobs = MeetingJobs(harness, clock, clients, sender)

    typed = await meeting_with_hostile_fields(harness)  # M-1: Priya must read its pre-read
    view = await open_meeting_form(harness)
    flagged = await submit_meeting(harness, view, title=hostile("flagged", SHORT), attendees=["U0PRIYA"],
                                   start=MEETING_STARTS, agenda="", pre_reads="")  # fmt: skip
    assert flagged["response_action"] == "update", flagged
    await jobs.at(START + timedelta(minutes=30))  # the gate flags M-2 to Dana
    await jobs.at(MEETING_STARTS - timedelta(hours=3))  # Priya's reminder
    for minutes in (0, 15, 45):  # the thread, its agenda, the time-box's note
        await jobs.at(MEETING_STARTS + timedelta(minutes=minutes))

    seen = assert_nothing_foreign(harness, acks, typed=[*typed, hostile("flagged", SHORT)], mentioned=MENTIONED)
    joined = seen.joined()
    assert "isn't ready yet: no agenda and no pre-read" in joined and "is coming up" in joined
    assert "Who has read ahead" in joined and "that was the last item" in joined
    assert f"Facilitator: {slack_escaped(NAMES['U0LOCAL'])}" in joined  # a name, never a mention, in the channel


async def test_meetings_made_async_show_hostile_text_as_text(harness, clock, clients, sender) -> None:
    """The thread, the items' replies, the asks, the summary, a decision made from an item and its note."""
    clock.set(START)
    install_clock(harness, clock)
    with_hostile_names(harness.standin)
    acks = record_acks(harness)
    typed = await meeting_with_hostile_fields(harness)
    work = Async(harness, clock, clients, sender)
    await submit_async(harness, harness.me, await open_async_form(harness, harness.me), MEETING_STARTS)
    await work.deliver()
    await work.at()
    await async_reply(harness, "U0PRIYA", slack_escaped(f"1: {hostile('input')}"))
    await work.at(MEETING_STARTS)
    [summary] = [r for r in async_thread(harness)[1] if "Time's up" in r["text"]]
    await harness.slack.block_action(harness.me, decision_button(summary, "M-1:1"), message=summary)
    await work.deliver()
    await command(harness, harness.me, "/meeting", "M-1")

    assert [text for *_, text in await async_inputs(harness)] == [hostile("input")]  # stored as typed
    seen = assert_nothing_foreign(harness, acks, typed=typed, mentioned=MENTIONED)
    assert "is now *D-1*" in seen.joined() and "|in its thread>" in seen.joined()


async def recorded_series_with_hostile_text(harness, clock) -> list[str]:
    """A weekly meeting with hostile fields; Priya adds a hostile topic; its outcome is recorded with a hostile
    decision and action item, and the added topic is carried to the next meeting."""
    fields = {
        "title": hostile("series", SHORT),
        "outcome": hostile("series outcome"),
        "attendees": ["U0PRIYA"],
        "agenda": f"{hostile('first topic')} — <@U0PRIYA> — 15 decide\nSecond — <@U0PRIYA> — 10 discuss",
        "pre_reads": f"{hostile('read', SHORT)} — {GOOD_LINK}",
        "start": MEETING_STARTS,
    }
    await schedule_series(harness, harness.me, **fields)
    added = hostile("added topic", SHORT)
    assert (await add_meeting_topic(harness, harness.actor("U0PRIYA"), f"{added} — 5 discuss"))["response_action"]
    clock.set(MEETING_STARTS + timedelta(minutes=40))
    option, why, what = hostile("option", SHORT), hostile("why"), hostile("to do", SHORT)
    items = {
        1: {"outcome": "decided", "decision": f"{option} — {why}"},
        2: {"outcome": "actions", "actions": f"<@U0PRIYA> {what} by friday"},
        3: {"outcome": "carried"},
    }
    answer = await record_meeting(harness, harness.me, items, over=[2], reached="partly")
    assert answer["response_action"] == "update", answer
    return [fields["title"], fields["outcome"], hostile("first topic"), added, option, why, what]


async def test_a_recorded_outcome_a_topic_and_a_series_show_hostile_text_as_text(harness, clock, sender) -> None:
    clock.set(START)
    install_clock(harness, clock)
    with_hostile_names(harness.standin)
    acks = record_acks(harness)
    typed = await recorded_series_with_hostile_text(harness, clock)
    await deliver(sender)  # the summary in the channel, Priya's action item
    for actor in (harness.me, harness.actor("U0PRIYA")):
        await command(harness, actor, "/meeting", "M-2")
        await command(harness, actor, "/meeting", "series M-1")
        await command(harness, actor, "/meeting", "list series")
    await command(harness, harness.me, "/meeting", f"series M-1 {SHORT}")
    await press_meeting(harness, harness.me, MeetingIds.RECORD, "M-1")  # recorded already: by whom, when

    seen = assert_nothing_foreign(harness, acks, typed=typed, mentioned=MENTIONED)
    assert "Outcome of M-1" in seen.joined() and "recorded *M-1*'s outcome already" in seen.joined()
