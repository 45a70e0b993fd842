"""Edit: the card's button opens the meeting's own form filled in (the agenda and pre-reads written back one per
line, so sending it unchanged changes nothing); an edit changes the meeting in place, asks exactly the required
attendees to read, keeps read receipts of pre-reads that stay, moves the gate and the reminder with the start, and
tells the newly invited and (when the start moved) everyone else once. Only the organiser, the facilitator or an
admin may edit, only while it is to come; every press and every submission is checked again."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from handlers.meetings.blocks.ids import MeetingIds
from models import AgendaItem, AttendeeRole, Delivery, MeetingEvent, MeetingStatus, PreReadReader
from tests.support.checkins import deliver
from tests.support.decisions import dm_texts
from tests.support.meetings import (
    GOOD_LINK,
    NOW,
    STARTS,
    as_shown,
    at_now,
    buttons_of,
    history,
    install_clock,
    meetings,
    open_edit,
    press,
    private_answers,
    schedule,
    show,
    start_state,
    submit_edit,
)
from tests.support.outcomes import all_text

pytest_plugins = ["tests.support.outbox_fixtures"]
# What the feature sends and when, apart from the attention policy that may hold it (tests/attention).
pytestmark = pytest.mark.usefixtures("around_the_clock")
ALEX, PRIYA, NICK, DANA = "U0ALEX", "U0PRIYA", "U0NICK", "U0LOCAL"
SLIDES = "https://docs.example.com/slides"
AGENDA = "Pricing options — @alex — 15 decide\nLaunch date | Priya Raman | 20 discuss"
PRE_READS = f"Pricing options, two pages — {GOOD_LINK}\n{SLIDES}"


async def scheduled_by_alex(harness, **fields) -> None:
    """Alex (Berlin) invites Priya (Kolkata) and Nick (New York) to M-1, with two pre-reads."""
    harness.standin.add_user(NICK, name="nick", real_name="Nick Ross", tz="America/New_York")
    fields = {"attendees": [PRIYA, NICK], "agenda": AGENDA, "pre_reads": PRE_READS, **fields}
    body = await schedule(harness, harness.actor(ALEX), **fields)
    assert body["response_action"] == "update", body


def block(view: dict, block_id: str) -> dict:
    return next(b for b in view["blocks"] if b.get("block_id") == block_id)


def told(harness, user: str) -> list[str]:
    """Direct messages to `user`, the pre-read asks aside."""
    return [t for t in dm_texts(harness, user) if not t.startswith("📄 Please read")]


async def keys(harness, asks: bool = False) -> list[str]:
    """The meeting's queued messages, without its token: the edit's, or (asks=True) the pre-read asks."""
    found = sorted(d.key.split(":", 2)[2] for d in await harness.rows(Delivery))
    return [k for k in found if k.startswith("read:") == asks]


async def test_edit_opens_the_form_filled_in_and_sent_unchanged_it_changes_nothing(harness) -> None:
    at_now(harness)
    await scheduled_by_alex(harness)
    view = await open_edit(harness, harness.actor(ALEX))
    assert view["callback_id"] == MeetingIds.EDIT_VIEW and view["title"]["text"] == "Edit M-1"
    assert block(view, MeetingIds.TITLE)["element"]["initial_value"] == "Pricing review"
    assert block(view, MeetingIds.START)["element"]["initial_date_time"] == int(STARTS.timestamp())
    assert block(view, MeetingIds.DURATION)["element"]["initial_option"]["value"] == "45"
    assert block(view, MeetingIds.ATTENDEES)["element"]["initial_users"] == [PRIYA, NICK]
    assert block(view, MeetingIds.FACILITATOR)["element"]["initial_user"] == ALEX
    assert block(view, MeetingIds.AGENDA)["element"]["initial_value"] == (
        "Pricing options — @Alex Meyer — 15 decide\nLaunch date — @Priya Raman — 20 discuss"
    )
    assert block(view, MeetingIds.PRE_READS)["element"]["initial_value"] == (
        f"Pricing options, two pages — {GOOD_LINK}\ndocs.example.com/slides — {SLIDES}"
    )
    assert MeetingIds.REPEATS not in [b.get("block_id") for b in view["blocks"]]
    assert "chosen when it is scheduled" in all_text([block(view, MeetingIds.SERIES_NOTE)])
    [before] = await meetings(harness)
    queued = [d.key for d in await harness.rows(Delivery)]  # the pre-read asks scheduling queued

    body = await submit_edit(harness, view, harness.actor(ALEX))
    assert "nothing changed" in all_text(body["view"]["blocks"])
    [after] = await meetings(harness)
    assert [(i.id, i.topic, i.minutes) for i in after.items] == [(i.id, i.topic, i.minutes) for i in before.items]
    assert [p.id for p in after.pre_reads] == [p.id for p in before.pre_reads]
    assert await history(harness) == ["created"] and [d.key for d in await harness.rows(Delivery)] == queued


async def test_an_edit_changes_the_meeting_in_place_and_tells_whom_it_concerns(harness, clock, sender) -> None:
    clock.set(NOW)
    install_clock(harness, clock)  # the sender's clock too
    await scheduled_by_alex(harness)
    await press(harness, harness.actor(PRIYA), MeetingIds.READ, "M-1:1")  # Priya has read the first one
    view = await open_edit(harness, harness.actor(ALEX))
    later = STARTS + timedelta(days=1)
    changes = {
        MeetingIds.START: start_state(later),
        MeetingIds.ATTENDEES: {"type": "multi_users_select", "selected_users": [PRIYA, DANA]},
        MeetingIds.AGENDA: "Pricing options — @alex — 25 decide",
        MeetingIds.PRE_READS: f"Pricing, renamed — {GOOD_LINK}\nSupport notes — https://docs.example.com/support",
    }
    body = await submit_edit(harness, view, harness.actor(ALEX), **changes)
    said = all_text(body["view"]["blocks"])
    assert "you changed the start, the attendees, the agenda and the pre-reads" in said, said
    assert "I'm letting 2 people know" in said

    [meeting] = await meetings(harness)
    assert meeting.starts_at == later and meeting.remind_at == later - timedelta(hours=3)
    assert meeting.gate_at is not None and meeting.gate_at < later - timedelta(hours=23)
    assert [(i.topic, i.minutes) for i in meeting.items] == [("Pricing options", 25)]
    attendees = {a.person_id: a.role for a in meeting.attendees}
    assert sorted(attendees.values()) == [AttendeeRole.REQUIRED, AttendeeRole.REQUIRED]
    first, second = meeting.pre_reads
    assert (first.title, first.link, second.title) == ("Pricing, renamed", GOOD_LINK, "Support notes")
    async with harness.db.sessions() as session:
        readers = await session.execute(select(PreReadReader.pre_read_id, PreReadReader.read_at.is_not(None)))
        rows = sorted(readers.all())
        events = list(await session.scalars(select(MeetingEvent).where(MeetingEvent.kind == "edited")))
    # Nick no longer has to read; Dana now must; Priya's receipt of the renamed one stayed
    assert rows == sorted([(first.id, True), (first.id, False), (second.id, False), (second.id, False)])
    assert events[0].data["changed"] == ["start", "attendees", "agenda", "pre_reads"]

    assert await keys(harness) == [f"edit1:invited:{DANA}", f"edit1:moved:{int(later.timestamp())}:{PRIYA}"]
    asked = await keys(harness, asks=True)  # Dana, newly required, is asked once for both pre-reads
    [to_dana] = [k for k in asked if k.endswith(DANA)]
    assert to_dana.startswith("read:1,2:") and len(asked) == len(set(asked))
    await deliver(sender)
    [to_priya] = told(harness, PRIYA)
    assert f"<@{ALEX}> moved *M-1* Pricing review: it now starts <!date^{int(later.timestamp())}^" in to_priya
    assert "|Wed 2 Dec 15:30 IST>" in to_priya and "(it was <!date^" in to_priya
    [to_dana] = told(harness, DANA)
    assert f"<@{ALEX}> invited you to *M-1* Pricing review" in to_dana and "We have chosen one pricing" in to_dana
    assert told(harness, NICK) == [] and told(harness, ALEX) == []

    # the same submission again is dropped; a second edit that moves it again tells again
    again = await harness.slack.view_submission(harness.actor(ALEX), view, as_shown(view, **changes))
    assert again.status_code == 200 and not again.content and len(await keys(harness)) == 2
    clock.set(NOW + timedelta(hours=1))
    await submit_edit(harness, await open_edit(harness, harness.actor(ALEX)), harness.actor(ALEX),
                      **{MeetingIds.START: start_state(STARTS)})  # fmt: skip
    await deliver(sender)
    assert len(told(harness, PRIYA)) == 2 and len(told(harness, DANA)) == 2
    assert await history(harness) == ["created", "read", "edited", "edited"]


async def test_a_carried_or_added_topic_keeps_where_it_came_from_when_the_agenda_is_edited(harness) -> None:
    at_now(harness)
    await scheduled_by_alex(harness)
    async with harness.db.sessions.begin() as session:
        await session.execute(update(AgendaItem).where(AgendaItem.position == 2).values(carried_from="M-0"))
    view = await open_edit(harness, harness.actor(ALEX))
    await submit_edit(harness, view, harness.actor(ALEX), **{
        MeetingIds.AGENDA: "Launch date — @priya — 20 discuss\nPricing options — @alex — 10 decide"})  # fmt: skip
    [meeting] = await meetings(harness)
    assert [(i.topic, i.carried_from) for i in meeting.items] == [("Launch date", "M-0"), ("Pricing options", None)]


async def test_only_the_organiser_facilitator_or_an_admin_edit_and_only_before_the_start(harness) -> None:
    clock = at_now(harness)
    await scheduled_by_alex(harness)
    priya, alex = harness.actor(PRIYA), harness.actor(ALEX)
    assert MeetingIds.EDIT not in buttons_of(await show(harness, actor=priya))
    await press(harness, priya, MeetingIds.EDIT, "M-1")  # forged: she never had the button
    assert "Only <@U0ALEX> (its organiser or facilitator)" in private_answers(harness)[-1]
    view = await open_edit(harness, alex)
    refused = await submit_edit(harness, view, priya, **{MeetingIds.TITLE: "Hijacked"})  # a forged submission
    assert "Only Alex Meyer (its organiser or facilitator)" in refused["errors"][MeetingIds.TITLE]
    stranger = harness.actor("U0OTHER", team_id="T0OTHER")
    await press(harness, stranger, MeetingIds.EDIT, "M-1")
    assert "can't find M-1" in private_answers(harness)[-1]

    past = await submit_edit(harness, view, alex, **{MeetingIds.START: start_state(NOW - timedelta(hours=1))})
    assert list(past["errors"]) == [MeetingIds.START] and "already passed" in past["errors"][MeetingIds.START]
    admin = await submit_edit(harness, await open_edit(harness), harness.me, **{MeetingIds.TITLE: "Pricing, final"})
    assert admin["response_action"] == "update"

    clock.set(STARTS + timedelta(minutes=1))
    await press(harness, alex, MeetingIds.EDIT, "M-1")
    assert "has started already, so it is too late to edit it" in private_answers(harness)[-1]
    late = await submit_edit(harness, view, alex, **{MeetingIds.TITLE: "Too late"})
    assert "too late to edit it" in late["errors"][MeetingIds.TITLE]
    clock.set(NOW)
    await press(harness, alex, MeetingIds.CANCEL, "M-1")
    await press(harness, alex, MeetingIds.EDIT, "M-1")
    assert "is cancelled, so there is nothing to edit" in private_answers(harness)[-1]
    [meeting] = await meetings(harness)
    assert (meeting.title, meeting.status, meeting.starts_at) == ("Pricing, final", MeetingStatus.CANCELLED, STARTS)
    assert await history(harness) == ["created", "edited", "cancelled"]


async def test_the_facilitator_may_edit(harness) -> None:
    at_now(harness)
    await scheduled_by_alex(harness)
    view = await open_edit(harness, harness.actor(ALEX))
    await submit_edit(harness, view, harness.actor(ALEX), **{
        MeetingIds.FACILITATOR: {"type": "users_select", "selected_user": PRIYA}})  # fmt: skip
    body = await submit_edit(harness, await open_edit(harness, harness.actor(PRIYA)), harness.actor(PRIYA),
                             **{MeetingIds.DURATION: {"type": "static_select", "selected_option": {
                                 "text": {"type": "plain_text", "text": "60"}, "value": "60"}}})  # fmt: skip
    assert "you changed the length" in all_text(body["view"]["blocks"])
    [meeting] = await meetings(harness)
    assert meeting.minutes == 60
    card = all_text((await show(harness, actor=harness.actor(ALEX)))["blocks"])
    assert "changed the facilitator" in card and "changed the length" in card
