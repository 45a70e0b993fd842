"""Scheduling through the form: /meeting opens it at once (the start suggested in the organiser's zone), the
meeting belongs to the channel it was typed in, every refusal lands on its own field and explains itself, the
people fields refuse apps and those who left Slack, and a form sent twice schedules once."""

from __future__ import annotations

from datetime import timedelta

import pytest

from handlers.meetings.blocks.ids import MeetingIds
from models import AttendeeRole, ItemKind
from tests.support.meetings import (
    AGENDA,
    GOOD_LINK,
    NOW,
    STARTS,
    at_now,
    history,
    meeting_values,
    meetings,
    open_form,
    schedule,
    submit,
)
from tests.support.outcomes import all_text


async def test_the_form_opens_at_once_with_the_start_suggested_in_the_organisers_zone(harness) -> None:
    at_now(harness)
    view = await open_form(harness)
    start = next(b for b in view["blocks"] if b.get("block_id") == MeetingIds.START)
    # Dana is in New York: 10:00 there on Tuesday is 15:00 UTC.
    assert start["element"]["initial_date_time"] == int((STARTS + timedelta(hours=5)).timestamp())
    assert "America/New_York" in start["hint"]["text"]
    assert len(harness.standin.calls_to("views.open")) == 1


async def test_a_complete_form_schedules_m1_in_the_channel_it_was_typed_in(harness) -> None:
    at_now(harness)
    body = await schedule(harness, optional=["U0LOCAL"])
    assert body["response_action"] == "update", body
    assert "M-1" in all_text(body["view"]["blocks"])
    [meeting] = await meetings(harness)
    assert (meeting.ref, meeting.channel_id, meeting.starts_at, meeting.minutes) == ("M-1", "C0GENERAL", STARTS, 45)
    assert [(i.position, i.topic, i.minutes, i.kind) for i in meeting.items] == [
        (1, "Pricing options", 15, ItemKind.DECIDE), (2, "Launch date", 20, ItemKind.DISCUSS),
        (3, "What support heard", 5, ItemKind.INFORM),
    ]  # fmt: skip
    roles = sorted(a.role for a in meeting.attendees)
    assert roles == [AttendeeRole.OPTIONAL, AttendeeRole.REQUIRED, AttendeeRole.REQUIRED]
    [pre_read] = meeting.pre_reads
    assert pre_read.link == GOOD_LINK and len(pre_read.readers) == 2  # the required attendees must read it
    assert await history(harness) == ["created"]


async def test_a_form_sent_twice_schedules_once(harness) -> None:
    at_now(harness)
    view = await open_form(harness)
    first = await submit(harness, view)
    again = await harness.slack.view_submission(harness.me, view, meeting_values())
    assert first["response_action"] == "update" and again.status_code == 200
    assert len(await meetings(harness)) == 1


@pytest.mark.parametrize(
    ("fields", "block", "said"),
    [
        ({"agenda": AGENDA, "minutes": 30}, MeetingIds.AGENDA, "add up to 40 minutes, 10 more than the meeting's 30"),
        (
            {"agenda": "Pricing options — 15 decide"},
            MeetingIds.AGENDA,
            "Line 1 (“Pricing options — 15 decide”) has no owner",
        ),
        ({"outcome": "   "}, MeetingIds.OUTCOME, "what will be true when everyone leaves"),
        ({"start": NOW - timedelta(minutes=5)}, MeetingIds.START, "already passed"),
        ({"agenda": "Pricing options — @bob — 15 decide"}, MeetingIds.AGENDA, "I don't know anyone called “bob”"),
        ({"pre_reads": "Notes — https://ok.example/a>x|<!channel>"}, MeetingIds.PRE_READS, "would break the link"),
        (
            {"pre_reads": f"Notes — {GOOD_LINK}\nFiles — ftp://files.example/x"},
            MeetingIds.PRE_READS,
            "Line 2: that link doesn't look right. Give a link starting with https://",
        ),
        (
            {"pre_reads": "Pricing options, two pages"},
            MeetingIds.PRE_READS,
            "Line 1 (“Pricing options, two pages”) needs a link after its title",
        ),
        (
            {"pre_reads": "\n".join(f"Part {n} — https://docs.example.com/{n}" for n in range(6))},
            MeetingIds.PRE_READS,
            "Keep it to 5 pre-reads (this has 6)",
        ),
        ({"attendees": [], "agenda": ""}, MeetingIds.ATTENDEES, "Invite at least one person"),
    ],
)
async def test_each_problem_is_refused_on_its_own_field_and_nothing_is_stored(harness, fields, block, said) -> None:
    at_now(harness)
    body = await schedule(harness, **fields)
    assert body["response_action"] == "errors", body
    assert list(body["errors"]) == [block.value] and said in body["errors"][block.value], body
    assert await meetings(harness) == []


async def test_several_problems_land_on_their_fields_at_once(harness) -> None:
    at_now(harness)
    body = await schedule(harness, outcome="", start=NOW - timedelta(days=1), pre_reads="Notes — not a link")
    assert set(body["errors"]) == {MeetingIds.OUTCOME, MeetingIds.START, MeetingIds.PRE_READS}


async def test_apps_and_people_who_left_are_refused_as_attendees_and_as_owners(harness) -> None:
    at_now(harness)
    harness.standin.add_user("U0JIRA", name="jira", real_name="Jira", is_bot=True)
    harness.standin.add_user("U0GONE", name="gone", real_name="Gone Person", deleted=True)
    body = await schedule(harness, attendees=["U0ALEX", "U0JIRA"], optional=["U0GONE"])
    assert "Jira is an app, not a person" in body["errors"][MeetingIds.ATTENDEES]
    assert "Gone Person has left this Slack workspace" in body["errors"][MeetingIds.OPTIONAL]
    body = await schedule(harness, agenda="Triage — <@U0JIRA> — 10\nHandover — Gone Person — 10")
    said = body["errors"][MeetingIds.AGENDA]
    assert "Line 1: Jira is an app" in said and "Line 2: I don't know anyone called “Gone Person”" in said
    assert await meetings(harness) == []


async def test_an_agenda_owner_may_be_anyone_known_here_by_name(harness) -> None:
    at_now(harness)
    assert (await schedule(harness, attendees=["U0PRIYA"], agenda="Intro — @priya — 5"))["response_action"] == "update"
    body = await schedule(harness, attendees=["U0ALEX"], agenda="Dates — Priya Raman — 10 decide")
    assert body["response_action"] == "update", body
    second = (await meetings(harness))[1]
    assert [i.topic for i in second.items] == ["Dates"]
