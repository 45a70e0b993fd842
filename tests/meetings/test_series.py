"""Series: once a meeting of a series starts (or is cancelled), the next one is made, once, a period later at the
same wall-clock time in the organiser's zone (across daylight saving), with the same people and purpose and no
pre-read; carried and unfinished items open its agenda (or are appended, when it exists already), and its
organiser can stop the series. `/meeting list series` lists someone's series."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from handlers.meetings.blocks.ids import MeetingIds
from models import MeetingSeries, MeetingStatus
from scheduler import meetings_series
from scheduler.service import build_runner
from tests.support.meeting_outcomes import (
    Jobs,
    add_topic,
    command_text,
    meetings_now,
    record,
    said,
    schedule_series,
)
from tests.support.meetings import NOW, STARTS, history, install_clock, press

pytest_plugins = ["tests.support.outbox_fixtures"]
ALEX, PRIYA = "U0ALEX", "U0PRIYA"
# New York leaves daylight saving on Sunday 1 November 2026: 10:00 is 14:00 UTC before, 15:00 UTC after.
THURSDAY_EDT = datetime(2026, 10, 29, 14, 0, tzinfo=UTC)
THURSDAY_EST = datetime(2026, 11, 5, 15, 0, tzinfo=UTC)
AGENDA = (
    "Pricing options — @alex — 15 decide\nLaunch date | Priya Raman | 20 discuss\nWhat support heard - @alex - 5 inform"
)


@pytest.fixture
async def jobs(harness, clock, clients, sender) -> Jobs:
    clock.set(NOW)
    install_clock(harness, clock)
    return Jobs(harness, clock, clients, sender)


async def weekly_by_alex(harness, **fields) -> None:
    await schedule_series(harness, harness.actor(ALEX), **{"attendees": [PRIYA], "agenda": AGENDA, **fields})


async def test_the_next_meeting_is_made_once_at_the_same_local_time_across_the_end_of_daylight_saving(
    harness, clock, jobs
) -> None:
    clock.set(datetime(2026, 10, 26, 12, 0, tzinfo=UTC))
    await schedule_series(harness, harness.me, start=THURSDAY_EDT, attendees=[ALEX, PRIYA], agenda=AGENDA)  # New York
    clock.set(THURSDAY_EDT - timedelta(minutes=1))
    assert await jobs.series() == 0  # not started yet
    clock.set(THURSDAY_EDT)
    assert await jobs.series() == 1
    assert await jobs.series() == 0  # a second run (or a second scheduler) makes nothing
    first, second = await meetings_now(harness)
    assert (second.ref, second.starts_at, second.series_id) == ("M-2", THURSDAY_EST, first.series_id)
    same = ("title", "kind", "desired_outcome", "minutes", "channel_id", "organiser_id", "facilitator_id")
    assert [getattr(second, f) for f in same] == [getattr(first, f) for f in same]
    assert sorted((a.person_id, a.role) for a in second.attendees) == sorted(
        (a.person_id, a.role) for a in first.attendees
    )
    assert second.pre_reads == [] and second.items == []  # M-1 is under way: its items wait for its outcome
    assert second.status is MeetingStatus.SCHEDULED and second.gate_at is not None
    assert await history(harness) == ["created", "created"]
    clock.set(THURSDAY_EST)
    assert await jobs.series() == 1  # and M-3 a week after M-2, still 10:00 in New York
    assert (await meetings_now(harness))[2].starts_at == datetime(2026, 11, 12, 15, 0, tzinfo=UTC)


async def test_carried_and_unfinished_items_open_the_next_meetings_agenda(harness, clock, jobs) -> None:
    await weekly_by_alex(harness)
    clock.set(STARTS + timedelta(minutes=50))
    await record(harness, harness.actor(ALEX), {1: {"outcome": "carried"}, 3: {"outcome": "done"}})  # 2: not reached
    assert await jobs.series() == 0  # recording made M-2 already
    first, second = await meetings_now(harness)
    assert second.starts_at == STARTS + timedelta(weeks=1)
    assert [(i.position, i.topic, i.minutes, i.kind.value, i.carried_from) for i in second.items] == [
        (1, "Pricing options", 15, "decide", "M-1"),
        (2, "Launch date", 20, "discuss", "M-1"),
    ]
    assert [i.owner_id for i in second.items] == [i.owner_id for i in first.items[:2]]
    await jobs.deliver()
    [summary] = harness.standin.messages("C0GENERAL")
    text = said(summary)
    assert "*Next time: M-2, <!date^" in text
    assert "➡️ Pricing options (carried forward)" in text and "➡️ Launch date (not reached)" in text


async def test_carried_items_are_appended_when_the_next_meeting_exists_and_an_overrun_is_noted(
    harness, clock, jobs
) -> None:
    await weekly_by_alex(harness)
    clock.set(STARTS)
    assert await jobs.series() == 1  # at the start: M-2, for topics ahead
    clock.set(STARTS + timedelta(minutes=30))
    body = await add_topic(harness, harness.actor(PRIYA), "Churn numbers — 40 discuss", ref="M-2")
    assert body["response_action"] == "update", body
    await record(harness, harness.actor(ALEX), {1: {"outcome": "carried"}, 2: {"outcome": "done"},
                                                 3: {"outcome": "dropped"}})  # fmt: skip
    second = (await meetings_now(harness))[1]
    assert [(i.position, i.topic, i.carried_from) for i in second.items] == [
        (1, "Churn numbers", None),
        (2, "Pricing options", "M-1"),
    ]
    await jobs.deliver()
    text = said(harness.standin.messages("C0GENERAL")[-1])
    assert "M-2's time-boxes now add up to 10 min more than its 45" in text


async def test_a_cancelled_meeting_hands_its_whole_agenda_to_the_next(harness, clock, jobs) -> None:
    await weekly_by_alex(harness)
    await press(harness, harness.actor(ALEX), MeetingIds.CANCEL)
    assert await jobs.series() == 1
    second = (await meetings_now(harness))[1]
    assert [i.topic for i in second.items] == ["Pricing options", "Launch date", "What support heard"]
    assert all(i.carried_from == "M-1" for i in second.items)


async def test_the_organiser_stops_a_series_and_no_next_meeting_is_made(harness, clock, jobs) -> None:
    await weekly_by_alex(harness)
    assert "Only <@U0ALEX> (its organiser)" in await command_text(harness, harness.actor(PRIYA), "series M-1 stop")
    said_ = await command_text(harness, harness.actor(ALEX), "series M-1 stop")
    assert "The series of *M-1* (every week) is stopped" in said_
    assert "is stopped already" in await command_text(harness, harness.actor(ALEX), "series M-1 stop")
    [series] = await harness.rows(MeetingSeries)
    assert series.active is False
    clock.set(STARTS)
    assert await jobs.series() == 0
    assert len(await meetings_now(harness)) == 1


async def test_list_series_shows_mine_with_the_next_meeting_and_nothing_of_another_workspace(
    harness, clock, jobs
) -> None:
    await weekly_by_alex(harness)
    await schedule_series(harness, harness.actor(ALEX), weeks=2, title="Hiring sync", attendees=[ALEX], agenda="")
    mine = await command_text(harness, harness.actor(PRIYA), "list series")
    assert "*Your series* (1)" in mine and "*Pricing review* · every week · next: *M-1* <!date^" in mine
    assert "`/meeting series M-1` shows how that series is going" in mine  # her own meeting, as the example
    alex = await command_text(harness, harness.actor(ALEX), "list series")
    assert "*Your series* (2)" in alex and "*Hiring sync* · every 2 weeks" in alex
    stranger = harness.actor("U0OTHER", team_id="T0OTHER")
    assert "None yet" in await command_text(harness, stranger, "list series")
    assert "can't find M-1" in await command_text(harness, stranger, "series M-1")
    assert "can't find M-1" in await command_text(harness, stranger, "series M-1 stop")
    assert (await harness.rows(MeetingSeries))[0].active is True


async def test_the_running_app_runs_the_series_job(harness) -> None:
    runner = build_runner(harness.db, harness.app.state.bolt, harness.app.state.metrics)
    try:
        assert runner.jobs[meetings_series.JOB_NAME] == (meetings_series.advance_due, meetings_series.JOB_SECONDS)
    finally:
        await runner.clients.close()


async def test_items_recorded_late_go_to_the_next_meeting_still_to_come(harness, clock, jobs) -> None:
    await weekly_by_alex(harness)
    clock.set(STARTS)
    assert await jobs.series() == 1  # M-2
    await press(harness, harness.actor(ALEX), MeetingIds.CANCEL, "M-2")
    assert await jobs.series() == 1  # M-3, after the cancelled M-2
    stopped = await command_text(harness, harness.actor(ALEX), "series M-1 stop")
    assert "*M-3* is still scheduled; cancel it from its card if it shouldn't happen" in stopped
    clock.set(STARTS + timedelta(minutes=50))
    await record(harness, harness.actor(ALEX), {1: {"outcome": "carried"}, 2: {"outcome": "done"},
                                                 3: {"outcome": "done"}})  # fmt: skip
    first, second, third = await meetings_now(harness)
    assert second.items == [] and [(i.topic, i.carried_from) for i in third.items] == [("Pricing options", "M-1")]
    assert third.starts_at == STARTS + timedelta(weeks=2)
