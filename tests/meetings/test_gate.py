"""The gate on a movable clock: a day before the start, moved into the organiser's working hours, a meeting that
isn't ready is flagged to its organiser once (fix it, make it async, cancel), and its card says "not ready"
until it is fixed; a ready meeting, or one fixed in time, hears nothing. When the workspace's gate blocks, a
meeting still not ready at its start is cancelled with one message to each person invited; when it only warns,
the meeting goes ahead. Every job run twice sends nothing twice; another workspace's meetings follow its own
settings."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from handlers.meetings.blocks.ids import MeetingIds
from models import Meeting, MeetingStatus, PreRead, PreReadReader
from tests.support.attention import set_work_hours
from tests.support.meeting_jobs import CHANNEL, MeetingJobs, buttons, meeting_row, texts
from tests.support.meetings import history, install_clock, meetings, press, private_answers, schedule, show
from tests.support.outcomes import all_text

pytest_plugins = ["tests.support.outbox_fixtures"]

NOW = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)  # Monday 03:00 in New York, where Dana organises
MORNING = datetime(2026, 11, 30, 14, 0, tzinfo=UTC)  # 09:00 there: her DMs of the night reach her
NO_PRE_READ = {"pre_reads": ""}


@pytest.fixture
async def jobs(harness, clock, clients, sender) -> MeetingJobs:
    clock.set(NOW)
    install_clock(harness, clock)
    return MeetingJobs(harness, clock, clients, sender)


async def scheduled(harness, actor=None, **fields) -> None:
    body = await schedule(harness, actor, **fields)
    assert body["response_action"] == "update", body


def gate_dms(harness, user: str = "U0LOCAL") -> list[dict]:
    return [m for m in harness.standin.messages(user) if "isn't ready yet" in m["text"]]


@pytest.mark.parametrize(
    ("starts", "flagged"),
    [
        # Monday 10:00 in New York: a day before is Sunday, so the last working hour of Friday, 17:00 there.
        (datetime(2026, 12, 7, 15, 0, tzinfo=UTC), datetime(2026, 12, 4, 22, 0, tzinfo=UTC)),
        # Wednesday 15:00 in New York: a day before is Tuesday 15:00, inside working hours.
        (datetime(2026, 12, 2, 20, 0, tzinfo=UTC), datetime(2026, 12, 1, 20, 0, tzinfo=UTC)),
    ],
    ids=["monday-10-flagged-friday-17", "wednesday-15-flagged-tuesday-15"],
)
async def test_a_meeting_without_a_pre_read_is_flagged_a_day_before_inside_working_hours(
    harness, jobs, starts, flagged
) -> None:
    await scheduled(harness, start=starts, **NO_PRE_READ)
    await jobs.at(flagged - timedelta(minutes=1))
    assert gate_dms(harness) == []
    await jobs.at(flagged, twice=True)
    await jobs.at(flagged + timedelta(hours=1))
    [dm] = gate_dms(harness)
    said = all_text(dm["blocks"])
    assert "*M-1* Pricing review (<!date^" in said and "isn't ready yet: no pre-read." in said
    assert buttons(dm) == [(MeetingIds.EDIT, "M-1"), (MeetingIds.MAKE_ASYNC, "M-1"), (MeetingIds.CANCEL, "M-1")]
    assert "written thread" not in said  # a decision meeting: nothing suggests async
    assert "Not ready:* no pre-read" in all_text((await show(harness))["blocks"])
    assert await history(harness) == ["created", "flagged"]
    assert harness.standin.messages("U0ALEX") == [] and harness.standin.messages("U0PRIYA") == []


async def test_the_gate_looks_in_the_organisers_own_working_hours(harness, jobs) -> None:
    await set_work_hours(harness, "U0LOCAL", "07:00-15:00 mon-thu")
    # Monday 10:00 in New York: a day before is Sunday; Dana works 07:00-15:00 Monday to Thursday, so the gate
    # looks in her last working hour, Thursday 14:00 there, rather than the default's Friday 17:00.
    await scheduled(harness, start=datetime(2026, 12, 7, 15, 0, tzinfo=UTC), **NO_PRE_READ)
    thursday = datetime(2026, 12, 3, 19, 0, tzinfo=UTC)
    assert (await meeting_row(harness)).gate_at == thursday
    await jobs.at(thursday - timedelta(minutes=1))
    assert gate_dms(harness) == []
    await jobs.at(thursday)
    assert len(gate_dms(harness)) == 1


async def test_a_status_meeting_is_offered_a_written_thread_and_cancel_from_the_dm_works(harness, jobs) -> None:
    agenda = "Team updates — @alex — 20 inform\nSupport queue — Priya Raman — 10 inform"
    await scheduled(harness, kind="status", agenda=agenda)
    await jobs.at(NOW + timedelta(minutes=30))  # made inside the window: looked at half an hour later
    assert gate_dms(harness) == []  # 03:30 for Dana: it waits for her working morning
    await jobs.at(MORNING)
    [dm] = gate_dms(harness)
    said = all_text(dm["blocks"])
    assert "only `inform` items on the agenda" in said and "written thread may serve everyone better" in said
    assert "I'll cancel it" not in said  # the gate only warns here

    await press(harness, harness.me, MeetingIds.CANCEL, "M-1")  # the DM's Cancel meeting
    assert "is cancelled" in private_answers(harness)[-1]
    assert (await meeting_row(harness)).status is MeetingStatus.CANCELLED


async def test_a_ready_meeting_hears_nothing_and_is_not_looked_at_again(harness, jobs) -> None:
    await scheduled(harness)
    await jobs.at(NOW + timedelta(minutes=30), twice=True)
    assert gate_dms(harness) == []
    meeting = await meeting_row(harness)
    assert meeting.gate_at is None and meeting.gate_flagged_at is None
    assert await history(harness) == ["created"]
    assert "Not ready" not in all_text((await show(harness))["blocks"])


async def add_pre_read(harness) -> None:
    """Stands in for the Edit form (another part of issue 12): the organiser adds the pre-read."""
    async with harness.db.sessions.begin() as session:
        meeting = await session.scalar(select(Meeting).where(Meeting.number == 1))
        pre_read = PreRead(meeting_id=meeting.id, position=1, title="Pricing, two pages", link="https://x.example/p")
        session.add(pre_read)
        await session.flush()
        session.add(PreReadReader(pre_read_id=pre_read.id, person_id=meeting.organiser_id))


async def test_a_meeting_fixed_before_the_gate_looks_hears_nothing_and_is_no_longer_not_ready(harness, jobs) -> None:
    starts = datetime(2026, 12, 2, 20, 0, tzinfo=UTC)
    await scheduled(harness, start=starts, **NO_PRE_READ)
    assert "Not ready:* no pre-read" in all_text((await show(harness))["blocks"])
    await add_pre_read(harness)
    await jobs.at(datetime(2026, 12, 1, 20, 0, tzinfo=UTC))
    assert gate_dms(harness) == []
    assert "Not ready" not in all_text((await show(harness))["blocks"])
    assert await history(harness) == ["created"]


async def test_a_flagged_meeting_fixed_later_is_no_longer_not_ready_and_is_not_flagged_again(harness, jobs) -> None:
    await scheduled(harness, **NO_PRE_READ)
    await jobs.at(NOW + timedelta(minutes=30))
    await jobs.at(MORNING)
    assert len(gate_dms(harness)) == 1
    await add_pre_read(harness)
    assert "Not ready" not in all_text((await show(harness))["blocks"])
    await jobs.at(MORNING + timedelta(hours=2))
    assert len(gate_dms(harness)) == 1


async def set_gate(harness, mode: str, actor=None) -> str:
    response = await harness.slack.command(actor or harness.me, "/meeting", f"settings gate {mode}")
    return response.json()["text"]


async def test_a_blocking_gate_cancels_a_meeting_still_not_ready_with_one_message_each(harness, jobs) -> None:
    starts = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
    assert "*blocks*" in await set_gate(harness, "block")
    await scheduled(harness, harness.actor("U0ALEX"), start=starts, attendees=["U0PRIYA", "U0LOCAL"], **NO_PRE_READ)
    await jobs.at(starts - timedelta(hours=24))  # 11:00 on Monday in Berlin, where Alex organises
    [flag] = gate_dms(harness, "U0ALEX")
    assert "I'll cancel it and tell everyone invited" in all_text(flag["blocks"])

    await jobs.at(starts - timedelta(minutes=1))
    assert (await meeting_row(harness)).status is MeetingStatus.SCHEDULED
    await jobs.at(starts, twice=True)
    await jobs.at(starts + timedelta(minutes=5))
    assert (await meeting_row(harness)).status is MeetingStatus.CANCELLED
    assert await history(harness) == ["created", "flagged", "blocked"]
    for user in ("U0PRIYA", "U0LOCAL"):
        [told] = [t for t in texts(harness, user) if "is cancelled" in t]
        assert "still had no pre-read" in told and "The slot is yours again" in told
    [organiser] = [t for t in texts(harness, "U0ALEX") if "I cancelled" in t]
    assert "I told 2 people" in organiser
    assert harness.standin.messages(CHANNEL) == []  # no thread for a meeting that never happened


async def test_a_warning_gate_lets_the_meeting_go_ahead(harness, jobs) -> None:
    starts = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
    await scheduled(harness, start=starts, **NO_PRE_READ)
    await jobs.at(NOW + timedelta(minutes=30))
    await jobs.at(starts, twice=True)
    meeting = await meeting_row(harness)
    assert meeting.status is MeetingStatus.SCHEDULED and meeting.started_at == starts
    assert await history(harness) == ["created", "flagged", "started"]
    assert len(harness.standin.messages(CHANNEL)) == 1  # its thread opens
    assert not [t for t in texts(harness, "U0ALEX") if "cancelled" in t]


async def test_a_blocking_gate_lets_a_ready_meeting_start(harness, jobs) -> None:
    await set_gate(harness, "block")
    await scheduled(harness)
    await jobs.at(datetime(2026, 12, 1, 10, 0, tzinfo=UTC))
    assert (await meeting_row(harness)).started_at is not None
    assert await history(harness) == ["created", "started"]


@pytest.mark.usefixtures("around_the_clock")  # what the gate says, whatever the hour
async def test_another_workspaces_gate_follows_its_own_settings(harness, jobs) -> None:
    starts = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
    stranger = harness.actor("U0OTHER", team_id="T0OTHER")
    await set_gate(harness, "block")
    await scheduled(harness, start=starts, **NO_PRE_READ)
    await scheduled(harness, stranger, start=starts, attendees=["U0OTHER"], agenda="", **NO_PRE_READ)
    await jobs.at(starts - timedelta(hours=24))  # Olga works in UTC: 10:00 on Monday
    assert len(gate_dms(harness)) == 1 and len(gate_dms(harness, "U0OTHER")) == 1
    assert "I'll cancel it" not in all_text(gate_dms(harness, "U0OTHER")[0]["blocks"])
    await jobs.at(starts)
    ours, theirs = await meetings(harness)
    assert ours.status is MeetingStatus.CANCELLED
    assert theirs.status is MeetingStatus.SCHEDULED and theirs.started_at == starts


async def test_a_blocking_gate_back_only_after_the_end_cancels_nothing_and_says_nothing(harness, jobs) -> None:
    starts = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
    await set_gate(harness, "block")
    await scheduled(harness, start=starts, **NO_PRE_READ)
    await jobs.at(starts + timedelta(hours=1))  # the scheduler was away: the meeting may well have been held
    assert (await meeting_row(harness)).status is MeetingStatus.SCHEDULED
    assert await history(harness) == ["created", "started"]
    assert not [t for t in texts(harness, "U0ALEX") if "cancelled" in t]
    assert harness.standin.messages(CHANNEL) == []
