"""The calendar invitation: with PUBLIC_URL set the card links `/meetings/<token>.ics`, a standard iCalendar file
(it parses with `icalendar`) that carries the start in UTC, the desired outcome, the agenda and the pre-reads.
The random token is the only key: an unknown one is a 404, another workspace's meeting is reached only by its
own token, and a cancelled meeting's file says so (METHOD:CANCEL, STATUS:CANCELLED). Without PUBLIC_URL the card
has no link."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest
from icalendar import Calendar

from bot.web import create_app
from handlers.meetings.blocks.ids import MeetingIds
from tests.conftest import Harness, make_settings
from tests.support.meetings import (
    GOOD_LINK,
    at_now,
    meetings,
    open_edit,
    press,
    schedule,
    show,
    start_state,
    submit_edit,
)
from tests.support.outcomes import all_text

PUBLIC = "https://ft.example.org"
KOLKATA = ZoneInfo("Asia/Kolkata")
AGENDA = "Pricing options — @alex — 15 decide"
LINKED = re.compile(r"<(https://ft\.example\.org/meetings/[0-9a-f]+\.ics)\|Add to calendar>")


@pytest.fixture
async def linked(db, standin, standin_server, harness_sender_for) -> AsyncIterator[Harness]:
    """The app with a public address, as a deployment has."""
    _, base_url = standin_server
    settings = make_settings(db.engine.url.render_as_string(hide_password=False), f"{base_url}/api", public_url=PUBLIC)
    app = create_app(settings, database=db)
    async with harness_sender_for(app) as (sender, me):
        yield Harness(app=app, db=db, standin=standin, slack=sender, me=me)


async def fetch(harness, path: str) -> httpx.Response:
    transport = httpx.ASGITransport(app=harness.app)
    async with httpx.AsyncClient(transport=transport, base_url="http://followthrough.test") as client:
        return await client.get(path)


async def card_link(harness, actor=None, ref: str = "M-1") -> str:
    found = LINKED.search(all_text((await show(harness, ref, actor))["blocks"]))
    assert found, "the card has no calendar link"
    return found[1]


async def event_of(harness, url: str) -> tuple[Calendar, dict]:
    response = await fetch(harness, url.removeprefix(PUBLIC))
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/calendar")
    assert response.headers["cache-control"] == "no-store"
    calendar = Calendar.from_ical(response.content)
    [event] = calendar.walk("VEVENT")
    return calendar, event


async def test_a_meeting_entered_in_kolkata_reaches_any_calendar_at_the_right_utc_start(linked) -> None:
    at_now(linked)
    priya = linked.actor("U0PRIYA")
    entered = datetime(2026, 12, 1, 15, 30, tzinfo=KOLKATA)  # what Priya picked, in her zone
    agenda = AGENDA
    pre_reads = f"Pricing options, two pages — {GOOD_LINK}"
    body = await schedule(linked, priya, start=entered, agenda=agenda, pre_reads=pre_reads, attendees=["U0ALEX"])
    assert body["response_action"] == "update", body
    url = await card_link(linked, priya)
    [meeting] = await meetings(linked)
    assert url == f"{PUBLIC}/meetings/{meeting.token}.ics"

    calendar, event = await event_of(linked, url)
    assert (str(calendar["method"]), str(calendar["version"])) == ("PUBLISH", "2.0")
    assert event.decoded("dtstart") == datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
    assert event["dtstart"].to_ical() == b"20261201T100000Z"
    assert event.decoded("dtend") == datetime(2026, 12, 1, 10, 45, tzinfo=UTC)
    assert (str(event["summary"]), str(event["status"]), str(event["url"])) == (
        "Pricing review (M-1)",
        "CONFIRMED",
        url,
    )
    description = str(event["description"])
    assert "Desired outcome: We have chosen one pricing option" in description
    assert "1. Pricing options (Alex Meyer, 15 min, decide)" in description
    assert f"- Pricing options, two pages: {GOOD_LINK}" in description
    assert event["organizer"].params["CN"] == "Priya Raman" and "attendee" not in event
    assert meeting.token not in str(event["uid"])  # stable, but the key is not handed on with it


async def test_an_unknown_token_is_a_404_and_another_workspaces_meeting_only_answers_its_own(linked) -> None:
    at_now(linked)
    assert (await schedule(linked, linked.actor("U0ALEX"), agenda=AGENDA))["response_action"] == "update"
    stranger = linked.actor("U0OTHER", team_id="T0OTHER")
    body = await schedule(linked, stranger, title="Other team's plan", attendees=["U0OTHER"], agenda="")
    assert body["response_action"] == "update", body
    ours, theirs = await meetings(linked)
    assert (ours.number, theirs.number) == (1, 1)  # each workspace has its M-1
    for path in ("/meetings/0123456789abcdef0123456789abcdef.ics", "/meetings/x.ics", f"/meetings/{'a' * 300}.ics",
                 f"/meetings/{ours.token}", f"/meetings/{ours.token[:-1]}.ics", "/meetings/%2e%2e.ics"):  # fmt: skip
        response = await fetch(linked, path)
        assert response.status_code == 404 and "Pricing" not in response.text, path
    _, mine = await event_of(linked, f"/meetings/{ours.token}.ics")
    _, other = await event_of(linked, f"/meetings/{theirs.token}.ics")
    assert str(mine["summary"]) == "Pricing review (M-1)" and str(other["summary"]) == "Other team's plan (M-1)"
    assert "Other team" not in str(mine.to_ical())
    assert "Pricing review" not in str(other.to_ical()) and "Alex" not in str(other.to_ical())


async def test_an_edit_makes_a_newer_copy_and_a_cancelled_meeting_is_marked_cancelled(linked) -> None:
    at_now(linked)
    alex = linked.actor("U0ALEX")
    await schedule(linked, alex, attendees=["U0PRIYA"], agenda=AGENDA)
    url = await card_link(linked, alex)
    _, first = await event_of(linked, url)
    later = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
    await submit_edit(linked, await open_edit(linked, alex), alex, **{MeetingIds.START: start_state(later)})
    _, edited = await event_of(linked, url)
    assert (first["sequence"], edited["sequence"]) == (0, 1) and edited.decoded("dtstart") == later
    assert edited["uid"] == first["uid"]
    await press(linked, alex, MeetingIds.CANCEL, "M-1")
    calendar, cancelled = await event_of(linked, url)
    assert (str(calendar["method"]), str(cancelled["status"]), cancelled["sequence"]) == ("CANCEL", "CANCELLED", 2)
    assert "It was cancelled." in str(cancelled["description"])
    assert edited.decoded("dtend") - edited.decoded("dtstart") == timedelta(minutes=45)


async def test_without_a_public_address_the_card_has_no_calendar_link(harness) -> None:
    at_now(harness)
    await schedule(harness)
    assert "Add to calendar" not in all_text((await show(harness))["blocks"])
    [meeting] = await meetings(harness)
    _, event = await event_of(harness, f"/meetings/{meeting.token}.ics")  # the file is still served
    assert "url" not in event
