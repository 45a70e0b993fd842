"""When rounds open and people are asked, through the scheduler's job at a movable clock: exact UTC instants
across the Berlin and New York daylight-saving changes, every two weeks, a +05:30 participant at their own
09:30, away dates, pause, resume and skip, and a job that runs late or twice."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from handlers.checkins import messages
from models import Person
from services import checkins, people
from tests.support.checkins import cadence_row, deliver, deliveries, invites, rounds, run_job, set_up

pytest_plugins = ["tests.support.outbox_fixtures"]
# What the feature sends and when, apart from the attention policy that may hold it (tests/attention).
pytestmark = pytest.mark.usefixtures("around_the_clock")


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


async def follow(db, clock, clients, count: int) -> list[datetime]:
    """Let `count` rounds open, each exactly when the cadence says; returns when each opened."""
    opened: list[datetime] = []
    before = len(await rounds(db))
    for _ in range(count):
        cadence = await cadence_row(db)
        assert cadence.next_at is not None
        clock.set(cadence.next_at - timedelta(seconds=1))
        await run_job(db, clock, clients)
        assert len(await rounds(db)) == before + len(opened), "a round opened early"
        clock.set(cadence.next_at)
        await run_job(db, clock, clients)
        opened.append(clock.now())
    assert [r.opened_at for r in await rounds(db)][before:] == opened
    return opened


async def asks(db) -> list[datetime]:
    return [d.due_at for d in await deliveries(db, "checkin.ask")]


async def test_a_berlin_team_time_cadence_stays_at_nine_across_the_october_change(db, clock, clients) -> None:
    clock.set(utc(2026, 10, 10))
    await set_up(db, clock, members=("U0ALEX",), zone="Europe/Berlin", team_time=True, at="09:00")

    opened = await follow(db, clock, clients, 3)

    assert opened == [utc(2026, 10, 12, 7), utc(2026, 10, 19, 7), utc(2026, 10, 26, 8)]
    assert await asks(db) == opened
    assert [r.occurs_on for r in await rounds(db)] == [date(2026, 10, 12), date(2026, 10, 19), date(2026, 10, 26)]


async def test_a_berlin_cadence_across_the_march_change(db, clock, clients) -> None:
    clock.set(utc(2027, 3, 20))
    await set_up(db, clock, members=("U0ALEX",), zone="Europe/Berlin", team_time=True, at="09:00")

    assert await follow(db, clock, clients, 2) == [utc(2027, 3, 22, 8), utc(2027, 3, 29, 7)]


async def test_a_new_york_cadence_across_the_november_and_march_changes(db, clock, clients) -> None:
    clock.set(utc(2026, 10, 24))
    await set_up(db, clock, members=("U0LOCAL",), zone="America/New_York", team_time=True, at="09:30")
    assert await follow(db, clock, clients, 2) == [utc(2026, 10, 26, 13, 30), utc(2026, 11, 2, 14, 30)]

    async with db.sessions.begin() as session:  # jump to March: resume from there
        cadence = await checkins.get_cadence(
            session, workspace_id=(await cadence_row(db)).workspace_id, channel_id="C0GENERAL"
        )
        await checkins.schedule_next(session, cadence=cadence, now=utc(2027, 3, 6))
    assert await follow(db, clock, clients, 2) == [utc(2027, 3, 8, 14, 30), utc(2027, 3, 15, 13, 30)]


async def test_every_two_weeks_across_the_berlin_and_new_york_changes(db, clock, clients) -> None:
    clock.set(utc(2026, 10, 14, 12))  # a Wednesday: the first round is Monday the 19th
    await set_up(db, clock, members=("U0ALEX",), zone="Europe/Berlin", team_time=True, at="09:00", every=2)
    assert await follow(db, clock, clients, 3) == [utc(2026, 10, 19, 7), utc(2026, 11, 2, 8), utc(2026, 11, 16, 8)]


async def test_every_two_weeks_in_new_york(db, clock, clients) -> None:
    clock.set(utc(2026, 10, 19, 14))  # Monday the 19th, 10:00 in New York: the first round is Nov 2
    await set_up(db, clock, members=("U0LOCAL",), zone="America/New_York", team_time=True, at="09:30", every=2)
    assert await follow(db, clock, clients, 2) == [utc(2026, 11, 2, 14, 30), utc(2026, 11, 16, 14, 30)]


async def test_each_person_is_asked_at_their_own_half_past_nine(db, clock, clients, sender, standin) -> None:
    clock.set(utc(2026, 11, 25, 12))
    # Everyone has talked to the app before, so their zones are known when the next round is planned.
    async with db.sessions.begin() as session:
        workspace = await people.ensure_workspace(session, team_id="T0LOCAL")
        for user, zone in (("U0LOCAL", "America/New_York"), ("U0ALEX", "Europe/Berlin"), ("U0PRIYA", "Asia/Kolkata")):
            person = await people.ensure_person(session, workspace=workspace, slack_user_id=user)
            person.timezone = zone
    await set_up(db, clock, members=("U0LOCAL", "U0ALEX", "U0PRIYA"), zone="America/New_York")

    cadence = await cadence_row(db)
    assert cadence.next_at == utc(2026, 11, 30, 4, 0)  # Priya's 09:30 (+05:30) starts the round
    clock.set(cadence.next_at)
    await run_job(db, clock, clients)

    asked = {user: invite.ask_at for user, invite in (await invites(db)).items()}
    assert asked == {
        "U0PRIYA": utc(2026, 11, 30, 4, 0),
        "U0ALEX": utc(2026, 11, 30, 8, 30),
        "U0LOCAL": utc(2026, 11, 30, 14, 30),
    }
    # The thread and Priya's ask go now; the others at their own mornings.
    await deliver(sender)
    assert len(standin.messages("C0GENERAL")) == 1 and len(standin.messages("U0PRIYA")) == 1
    assert standin.messages("U0ALEX") == [] and standin.messages("U0LOCAL") == []
    clock.set(utc(2026, 11, 30, 8, 30))
    await deliver(sender)
    assert len(standin.messages("U0ALEX")) == 1 and standin.messages("U0LOCAL") == []
    clock.set(utc(2026, 11, 30, 14, 30))
    await deliver(sender)
    assert len(standin.messages("U0LOCAL")) == 1
    # The digest is six hours after the first ask, reminders four hours after each person's own.
    [round_] = await rounds(db)
    assert round_.digest_at == utc(2026, 11, 30, 10, 0)
    assert {u: i.remind_at for u, i in (await invites(db)).items()}["U0ALEX"] == utc(2026, 11, 30, 12, 30)


async def test_zones_come_from_slack_when_the_round_opens(db, clock, clients) -> None:
    clock.set(utc(2026, 11, 25, 12))
    await set_up(db, clock, zone="America/New_York")  # the whole channel; nobody's zone known yet

    cadence = await cadence_row(db)
    assert cadence.next_at == utc(2026, 11, 30, 14, 30)  # only the cadence's own zone is known so far
    clock.set(cadence.next_at)
    await run_job(db, clock, clients)

    found = await invites(db)
    assert set(found) == {"U0LOCAL", "U0ALEX", "U0PRIYA"}  # the channel's members, the bot left out
    # Alex's and Priya's mornings have passed: they are asked at once rather than a week late.
    assert {u: i.ask_at for u, i in found.items()} == {u: utc(2026, 11, 30, 14, 30) for u in found}
    async with db.sessions() as session:
        zones = {p.slack_user_id: p.timezone for p in (await session.scalars(select(Person))).all()}
    assert zones["U0PRIYA"] == "Asia/Kolkata"
    # Now their zones are known, the next round starts at Priya's morning.
    assert (await cadence_row(db)).next_at == utc(2026, 12, 7, 4, 0)


async def test_a_person_away_is_not_asked_until_the_day_after(db, clock, clients) -> None:
    clock.set(utc(2026, 11, 25, 12))
    await set_up(db, clock, members=("U0ALEX", "U0PRIYA"), zone="Europe/Berlin", team_time=True)
    async with db.sessions.begin() as session:
        workspace = await people.ensure_workspace(session, team_id="T0LOCAL")
        alex = await people.ensure_person(session, workspace=workspace, slack_user_id="U0ALEX")
        await checkins.set_away(session, person=alex, until=date(2026, 11, 30), today=date(2026, 11, 25))

    await follow(db, clock, clients, 2)

    first, second = await rounds(db)
    first_invites = await invites(db, first.id)
    assert first_invites["U0ALEX"].away and not first_invites["U0PRIYA"].away
    assert first_invites["U0ALEX"].remind_at is None
    assert not (await invites(db, second.id))["U0ALEX"].away
    asked = [d.key for d in await deliveries(db, "checkin.ask")]
    assert asked == [
        checkins.delivery_key(first.token, "ask", "U0PRIYA"),
        checkins.delivery_key(second.token, "ask", "U0ALEX"),
        checkins.delivery_key(second.token, "ask", "U0PRIYA"),
    ]


async def test_away_counts_the_day_in_the_persons_own_zone(db, clock, clients) -> None:
    # Sunday 21:00 in New York is already Monday in Berlin: away until Sunday, Alex is asked.
    clock.set(utc(2026, 11, 25, 12))
    await set_up(db, clock, members=("U0ALEX",), zone="America/New_York", team_time=True, days=(6,), at="21:00")
    async with db.sessions.begin() as session:
        workspace = await people.ensure_workspace(session, team_id="T0LOCAL")
        alex = await people.ensure_person(session, workspace=workspace, slack_user_id="U0ALEX")
        alex.timezone = "Europe/Berlin"
        await checkins.set_away(session, person=alex, until=date(2026, 11, 29), today=date(2026, 11, 25))

    await follow(db, clock, clients, 1)

    [round_] = await rounds(db)
    assert round_.occurs_on == date(2026, 11, 29) and round_.opened_at == utc(2026, 11, 30, 2)
    assert not (await invites(db))["U0ALEX"].away


async def test_pause_stops_rounds_and_resume_does_not_make_up_the_missed_ones(db, clock, clients) -> None:
    clock.set(utc(2026, 11, 25, 12))
    cadence = await set_up(db, clock, members=("U0ALEX",), zone="Europe/Berlin", team_time=True)
    async with db.sessions.begin() as session:
        cadence = await checkins.get_cadence(session, workspace_id=cadence.workspace_id, channel_id="C0GENERAL")
        owner = cadence.owner
        assert await checkins.pause(session, cadence=cadence, actor=owner)
        assert not await checkins.pause(session, cadence=cadence, actor=owner)

    clock.set(utc(2026, 12, 15))
    await run_job(db, clock, clients)
    assert await rounds(db) == []

    async with db.sessions.begin() as session:
        cadence = await checkins.get_cadence(session, workspace_id=cadence.workspace_id, channel_id="C0GENERAL")
        assert await checkins.resume(session, cadence=cadence, actor=cadence.owner, now=clock.now())
    assert (await cadence_row(db)).next_at == utc(2026, 12, 21, 8, 30)
    await run_job(db, clock, clients)
    assert await rounds(db) == []


async def test_skip_moves_the_next_round_a_period_on(db, clock, clients) -> None:
    clock.set(utc(2026, 11, 25, 12))
    cadence = await set_up(db, clock, members=("U0ALEX",), zone="Europe/Berlin", team_time=True, every=2)
    assert cadence.next_on == date(2026, 11, 30)
    async with db.sessions.begin() as session:
        cadence = await checkins.get_cadence(session, workspace_id=cadence.workspace_id, channel_id="C0GENERAL")
        assert await checkins.skip(session, cadence=cadence, actor=cadence.owner, now=clock.now()) == date(2026, 11, 30)

    assert await follow(db, clock, clients, 1) == [utc(2026, 12, 14, 8, 30)]


async def test_a_late_job_catches_up_and_a_repeated_one_finds_nothing(db, clock, clients) -> None:
    clock.set(utc(2026, 11, 25, 12))
    await set_up(db, clock, members=("U0ALEX",), zone="Europe/Berlin", team_time=True)

    clock.set(utc(2026, 11, 30, 8, 47))  # the 08:30 run was missed
    await run_job(db, clock, clients)
    await run_job(db, clock, clients)

    [round_] = await rounds(db)
    assert round_.opened_at == clock.now()
    assert len(await deliveries(db, "checkin.thread")) == 1 and len(await deliveries(db, "checkin.ask")) == 1


async def test_after_a_long_outage_only_the_latest_round_opens(db, clock, clients) -> None:
    clock.set(utc(2026, 11, 25, 12))
    await set_up(db, clock, members=("U0ALEX",), zone="Europe/Berlin", team_time=True)

    clock.set(utc(2026, 12, 16))  # Nov 30, Dec 7 and Dec 14 have all passed
    await run_job(db, clock, clients)

    assert [r.occurs_on for r in await rounds(db)] == [date(2026, 12, 14)]
    assert (await cadence_row(db)).next_on == date(2026, 12, 21)


async def test_bots_and_deactivated_members_of_the_channel_are_not_asked(db, clock, clients, standin) -> None:
    standin.add_user("U0HELPER", name="helper", is_bot=True)
    standin.add_user("U0GONE", name="gone", deleted=True)
    standin.ws.channels["C0GENERAL"]["members"] += ["U0HELPER", "U0GONE"]
    clock.set(utc(2026, 11, 25, 12))
    await set_up(db, clock, zone="Europe/Berlin", team_time=True)

    await follow(db, clock, clients, 1)

    assert set(await invites(db)) == {"U0LOCAL", "U0ALEX", "U0PRIYA"}


async def test_a_channel_slack_will_not_list_skips_the_round_and_tells_the_owner_once(
    db,
    clock,
    clients,
    sender,
    standin,
) -> None:
    clock.set(utc(2026, 11, 25, 12))
    await set_up(db, clock, zone="Europe/Berlin", team_time=True)
    standin.fail("conversations.members", error="channel_not_found", times=None)

    await follow(db, clock, clients, 0)
    for _ in range(2):
        clock.set((await cadence_row(db)).next_at)
        await run_job(db, clock, clients)
        await deliver(sender)

    assert await rounds(db) == []
    assert (await cadence_row(db)).next_on == date(2026, 12, 14)  # two occurrences skipped, the cadence goes on
    [notice] = standin.messages("U0LOCAL")
    assert "<#C0GENERAL>" in notice["text"] and "deleted, or it is private" in notice["text"]


async def test_a_round_started_by_hand_takes_the_place_of_that_days_scheduled_one(db, clock, clients) -> None:
    clock.set(utc(2026, 11, 30, 7))  # Monday, 08:00 in Berlin; the round is due at 09:30
    cadence = await set_up(db, clock, members=("U0ALEX",), zone="Europe/Berlin", team_time=True)
    assert cadence.next_on == date(2026, 11, 30)
    async with db.sessions.begin() as session:
        workspace = await people.ensure_workspace(session, team_id="T0LOCAL")
        cadence = await checkins.get_cadence(session, workspace_id=workspace.id, channel_id="C0GENERAL")
        members = [checkins.Member("U0ALEX", None)]
        day = checkins.round_day(cadence, clock.now())
        round_ = await checkins.start_round(
            session, cadence=cadence, workspace=workspace, members=members, occurs_on=day, now=clock.now(),
            started_by=cadence.owner,
        )  # fmt: skip
        await messages.queue_round(session, round_)

    clock.set(utc(2026, 11, 30, 8, 30))
    await run_job(db, clock, clients)

    [round_] = await rounds(db)
    assert (round_.occurs_on, round_.opened_at) == (date(2026, 11, 30), utc(2026, 11, 30, 7))
    assert (await cadence_row(db)).next_at == utc(2026, 12, 7, 8, 30)
