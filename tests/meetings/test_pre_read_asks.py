"""Pre-reads: each required attendee is asked once, by DM, when the meeting is scheduled with one (the link and an
"I've read it" button that counts on the card); a few hours before the start, one reminder goes only to those who
haven't read, listing what they haven't; nobody who was only just asked is reminded; running the jobs twice, or
scheduling again, sends nothing twice."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from handlers.meetings import messages
from handlers.meetings.blocks.ids import MeetingIds
from services import meetings as service
from tests.support.meeting_jobs import MeetingJobs, buttons, meeting_row, texts
from tests.support.meetings import STARTS, history, install_clock, press, private_answers, schedule, show
from tests.support.outcomes import all_text

pytest_plugins = ["tests.support.outbox_fixtures"]

NOW = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
REMIND = STARTS - timedelta(hours=3)


@pytest.fixture
async def jobs(harness, clock, clients, sender) -> MeetingJobs:
    clock.set(NOW)
    install_clock(harness, clock)
    return MeetingJobs(harness, clock, clients, sender)


def asks(harness, user: str) -> list[dict]:
    return [m for m in harness.standin.messages(user) if "Please read" in m["text"]]


def reminders(harness, user: str) -> list[dict]:
    return [m for m in harness.standin.messages(user) if "is coming up" in m["text"]]


async def test_each_required_attendee_is_asked_once_with_the_link_and_a_button_that_counts(harness, jobs) -> None:
    body = await schedule(harness, optional=["U0LOCAL"])
    assert body["response_action"] == "update", body
    await jobs.deliver()
    for user in ("U0ALEX", "U0PRIYA"):
        [ask] = asks(harness, user)
        said = all_text(ask["blocks"])
        assert "<@U0LOCAL> asks you to read this before *M-1* Pricing review (<!date^" in said
        assert "*Pricing options, two pages* (<https://docs.example.com/pricing?v=2&amp;draft=no|open it>)" in said
        assert "We have chosen one pricing option" in said
        assert buttons(ask) == [(MeetingIds.READ, "M-1:1")]
    assert texts(harness, "U0LOCAL") == []  # the organiser (optional here) is not asked to read

    await press(harness, harness.actor("U0PRIYA"), MeetingIds.READ, "M-1:1")  # from her DM
    assert "1 of 2 have read it" in private_answers(harness)[-1]
    assert "1 of 2 have read it" in all_text((await show(harness))["blocks"])

    async with harness.db.sessions.begin() as session:  # the Edit form calls it again after each change
        meeting = await service.find_meeting(session, workspace_id=(await meeting_row(harness)).workspace_id,
                                             ref="M-1")  # fmt: skip
        assert await messages.queue_pre_read_asks(session, meeting=meeting, now=NOW) == 0
    await jobs.at(NOW + timedelta(minutes=5), twice=True)
    assert len(asks(harness, "U0ALEX")) == 1 and len(asks(harness, "U0PRIYA")) == 1


async def test_several_pre_reads_come_in_one_message_each_with_its_own_button(harness, jobs) -> None:
    pre_reads = "\n".join(f"Part {n} — https://docs.example.com/part-{n}" for n in (1, 2, 3))
    assert (await schedule(harness, pre_reads=pre_reads))["response_action"] == "update"
    await jobs.deliver()
    for user in ("U0ALEX", "U0PRIYA"):
        [ask] = asks(harness, user)  # one message, not three
        assert "asks you to read these 3 before *M-1*" in all_text(ask["blocks"])
        assert buttons(ask) == [(MeetingIds.READ, f"M-1:{n}") for n in (1, 2, 3)]


async def test_one_reminder_goes_only_to_those_who_havent_read(harness, jobs) -> None:
    await schedule(harness, start=STARTS)
    await jobs.deliver()
    await press(harness, harness.actor("U0PRIYA"), MeetingIds.READ, "M-1:1")
    await jobs.at(REMIND - timedelta(minutes=1))
    assert reminders(harness, "U0ALEX") == []
    await jobs.at(REMIND, twice=True)
    await jobs.at(REMIND + timedelta(hours=1))
    [reminder] = reminders(harness, "U0ALEX")
    said = all_text(reminder["blocks"])
    assert "you haven't said you've read its pre-read" in said and "Pricing options, two pages" in said
    assert buttons(reminder) == [(MeetingIds.READ, "M-1:1")]
    assert reminders(harness, "U0PRIYA") == [] and reminders(harness, "U0LOCAL") == []
    assert (await meeting_row(harness)).reminded_at == REMIND
    assert await history(harness) == ["created", "read"]


async def test_nobody_just_asked_is_reminded_straight_away(harness, jobs) -> None:
    soon = NOW + timedelta(hours=2)  # inside the reminder's three hours: the ask is reminder enough
    await schedule(harness, start=soon)
    await jobs.at(NOW + timedelta(minutes=1))
    await jobs.at(NOW + timedelta(hours=1))
    assert len(asks(harness, "U0ALEX")) == 1 and reminders(harness, "U0ALEX") == []
    assert (await meeting_row(harness)).reminded_at is not None


async def test_a_meeting_that_was_cancelled_reminds_nobody(harness, jobs) -> None:
    await schedule(harness, start=STARTS)
    await press(harness, harness.me, MeetingIds.CANCEL, "M-1")
    await jobs.at(REMIND)
    assert reminders(harness, "U0ALEX") == [] and reminders(harness, "U0PRIYA") == []
