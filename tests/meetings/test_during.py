"""During the meeting, on a movable clock: at the start its thread opens in the channel (title and desired
outcome, nobody pinged) with the agenda as the first reply (clock times in each reader's zone, owners by name),
and the facilitator hears who has read the pre-read. As each item's time-box ends, one short note in the thread
names what comes next; none when the workspace turned them off; after a pause, only the latest, never a burst.
Running every job twice sends nothing twice."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import update

from handlers.meetings.blocks.ids import MeetingIds
from models import Meeting
from tests.support.meeting_jobs import CHANNEL, MeetingJobs, meeting_row, texts
from tests.support.meetings import NOW, STARTS, history, install_clock, press, schedule

pytest_plugins = ["tests.support.outbox_fixtures"]
# What the feature sends and when, apart from the attention policy that may hold it (tests/attention).
pytestmark = pytest.mark.usefixtures("around_the_clock")

FIRST_UP = "Time for *Pricing options* is up; next: *Launch date* (Priya Raman, 20 min)."
SECOND_UP = "Time for *Launch date* is up; next: *What support heard* (Dana Scully, 5 min)."
LAST_UP = "Time for *What support heard* is up; that was the last item."


@pytest.fixture
async def jobs(harness, clock, clients, sender) -> MeetingJobs:
    clock.set(NOW)
    install_clock(harness, clock)
    return MeetingJobs(harness, clock, clients, sender)


async def held(harness, jobs: MeetingJobs, **fields) -> None:
    """M-1 (Dana organises and facilitates) with the usual three items: 15, 20 and 5 minutes of 45."""
    assert (await schedule(harness, **fields))["response_action"] == "update"
    await jobs.deliver()
    await press(harness, harness.actor("U0PRIYA"), MeetingIds.READ, "M-1:1")


def thread(harness) -> tuple[dict, list[str]]:
    [opening] = harness.standin.messages(CHANNEL)
    return opening, texts(harness, CHANNEL, opening["ts"])


def notes(harness) -> list[str]:
    return [t for t in thread(harness)[1] if t.startswith("⏱")]


async def test_the_start_opens_the_thread_with_the_agenda_and_tells_the_facilitator_who_read(harness, jobs) -> None:
    await held(harness, jobs)
    await jobs.at(STARTS - timedelta(seconds=1))
    assert harness.standin.messages(CHANNEL) == []
    await jobs.at(STARTS, twice=True)
    await jobs.at(STARTS + timedelta(minutes=1), twice=True)

    opening, replies = thread(harness)
    said = texts(harness, CHANNEL)[0]
    assert "▶️ *M-1* Pricing review is starting (45 min)" in said
    assert "🎯 *Desired outcome:* We have chosen one pricing option for the launch." in said
    assert "Facilitator: Dana Scully · the agenda is in the thread" in said
    [agenda] = [r for r in replies if "Running order" in r]
    stamp = int(STARTS.timestamp())
    # the fallback is in the facilitator's zone (New York); every reader sees their own
    assert f"<!date^{stamp}^{{time}}|05:00> *Pricing options* · Alex Meyer · 15 min · ⚖️ decide" in agenda
    assert "*Launch date* · Priya Raman · 20 min" in agenda and "_5 min to spare_" in agenda
    assert not any("<@" in t for t in [said, *replies])  # nobody is pinged in the channel

    [readers] = [t for t in texts(harness, "U0LOCAL") if "Who has read ahead" in t]
    assert "Pricing options, two pages" in readers and "read by <@U0PRIYA>; not yet by <@U0ALEX>" in readers
    assert await history(harness) == ["created", "read", "started"]
    meeting = await meeting_row(harness)
    assert (meeting.started_at, meeting.thread_channel, meeting.thread_ts) == (STARTS, CHANNEL, opening["ts"])


async def test_each_time_box_ends_with_one_note_naming_the_next_item(harness, jobs) -> None:
    await held(harness, jobs)
    await jobs.sweep(STARTS, STARTS + timedelta(minutes=50))
    assert [n.split("\n")[0] for n in notes(harness)] == [f"⏱ {FIRST_UP}", f"⏱ {SECOND_UP}",
                                                          f"⏱ {LAST_UP} Did we reach the desired outcome? The "
                                                          "facilitator records it from `/meeting M-1`."]  # fmt: skip
    meeting = await meeting_row(harness)
    assert (meeting.timebox_position, meeting.next_timebox_at) == (3, None)


async def test_a_pause_brings_only_the_latest_note_and_a_second_run_nothing(harness, jobs) -> None:
    await held(harness, jobs)
    await jobs.at(STARTS)
    await jobs.at(STARTS + timedelta(minutes=37), twice=True)  # both first items have ended meanwhile
    assert [n.split("\n")[0] for n in notes(harness)] == [f"⏱ {SECOND_UP}"]
    await jobs.at(STARTS + timedelta(minutes=40), twice=True)
    assert len(notes(harness)) == 2 and LAST_UP in notes(harness)[-1]


async def test_no_notes_when_the_workspace_turned_them_off(harness, jobs) -> None:
    await harness.slack.command(harness.me, "/meeting", "settings timeboxes off")
    await held(harness, jobs)
    await jobs.sweep(STARTS, STARTS + timedelta(minutes=50), step=timedelta(minutes=5))
    _, replies = thread(harness)
    assert [r for r in replies if "Running order" in r] and notes(harness) == []


async def test_a_scheduler_back_after_the_meeting_ended_posts_nothing_for_it(harness, jobs) -> None:
    await held(harness, jobs)
    await jobs.at(STARTS + timedelta(hours=2))
    assert harness.standin.messages(CHANNEL) == []
    assert not [t for t in texts(harness, "U0LOCAL") if "Who has read ahead" in t]
    assert await history(harness) == ["created", "read", "started"]


async def test_a_meeting_without_a_channel_opens_its_thread_in_the_facilitators_dm(harness, jobs) -> None:
    await held(harness, jobs)
    async with harness.db.sessions.begin() as session:  # as if scheduled from the app's Home tab
        await session.execute(update(Meeting).values(channel_id=None))
    await jobs.at(STARTS + timedelta(minutes=15))
    [opening] = [m for m in harness.standin.messages("U0LOCAL") if "is starting (45 min)" in m["text"]]
    replies = texts(harness, "U0LOCAL", opening["ts"])
    assert any("Running order" in r for r in replies) and any(FIRST_UP in r for r in replies)
