"""The card (`/meeting M-1`): the desired outcome first, then the running order with each item's clock time in
Slack's date markup (so an attendee in Kolkata and one in New York read the same instant, each in their zone),
the pre-read with how many have read it, and only the buttons the reader may press, each press checked again.
Another workspace's M-1 does not exist here."""

from __future__ import annotations

from datetime import timedelta

from handlers.meetings.blocks.ids import MeetingIds
from handlers.meetings.messages import TELL_KIND
from models import Delivery, MeetingStatus
from tests.support.meetings import (
    STARTS,
    at_now,
    buttons_of,
    history,
    meetings,
    press,
    private_answers,
    schedule,
    show,
)
from tests.support.outcomes import all_text

ORGANISER_ALEX = "U0ALEX"


async def scheduled_by_alex(harness, **fields) -> None:
    """Alex (Berlin) invites Priya (Kolkata) and Nick (New York) to M-1."""
    harness.standin.add_user("U0NICK", name="nick", real_name="Nick Ross", tz="America/New_York")
    fields = {"attendees": ["U0PRIYA", "U0NICK"], "agenda": "Pricing options — @alex — 15 decide\n"
              "Launch date | Priya Raman | 20 discuss", **fields}  # fmt: skip
    body = await schedule(harness, harness.actor(ORGANISER_ALEX), **fields)
    assert body["response_action"] == "update", body


async def test_kolkata_and_new_york_see_the_same_instant_each_in_their_own_zone(harness) -> None:
    at_now(harness)
    await scheduled_by_alex(harness)
    stamp, second = int(STARTS.timestamp()), int((STARTS + timedelta(minutes=15)).timestamp())
    priya = all_text((await show(harness, actor=harness.actor("U0PRIYA")))["blocks"])
    nick = all_text((await show(harness, actor=harness.actor("U0NICK")))["blocks"])
    assert f"<!date^{stamp}^{{date_short_pretty}} at {{time}}|Tue 1 Dec 15:30 IST>" in priya
    assert f"<!date^{stamp}^{{date_short_pretty}} at {{time}}|Tue 1 Dec 05:00 EST>" in nick
    assert f"<!date^{stamp}^{{time}}|15:30> *Pricing options*" in priya
    assert f"<!date^{second}^{{time}}|15:45> *Launch date* · <@U0PRIYA> · 20 min" in priya
    assert f"<!date^{second}^{{time}}|05:15> *Launch date*" in nick
    assert "10 min to spare" in nick


async def test_the_card_puts_the_desired_outcome_first_and_counts_who_has_read(harness) -> None:
    at_now(harness)
    await scheduled_by_alex(harness)
    card = await show(harness, actor=harness.actor(ORGANISER_ALEX))
    text = all_text(card["blocks"])
    assert text.index("Desired outcome") < text.index("Running order") < text.index("Pre-read")
    assert "We have chosen one pricing option" in text and "0 of 2 have read it" in text
    # Alex organises it; he is not asked to read
    assert buttons_of(card) == [MeetingIds.ADD_TOPIC, MeetingIds.EDIT, MeetingIds.MAKE_ASYNC, MeetingIds.CANCEL]
    assert buttons_of(await show(harness, actor=harness.actor("U0PRIYA"))) == [MeetingIds.READ, MeetingIds.ADD_TOPIC]


async def test_ive_read_it_is_counted_once_and_only_for_those_asked_to_read(harness) -> None:
    at_now(harness)
    await scheduled_by_alex(harness)
    priya = harness.actor("U0PRIYA")
    await press(harness, priya, MeetingIds.READ, "M-1:1")
    await press(harness, priya, MeetingIds.READ, "M-1:1")
    await press(harness, harness.actor(ORGANISER_ALEX), MeetingIds.READ, "M-1:1")
    said = private_answers(harness)
    assert "Thanks, noted" in said[0] and "1 of 2 have read it" in said[0]
    assert "You had told me already" in said[1]
    assert "you aren't one of them" in said[2]
    assert await history(harness) == ["created", "read"]
    [meeting] = await meetings(harness)
    assert sorted(r.read_at is not None for r in meeting.pre_reads[0].readers) == [False, True]
    assert "1 of 2 have read it" in all_text((await show(harness, actor=harness.actor("U0NICK")))["blocks"])
    assert buttons_of(await show(harness, actor=priya)) == [MeetingIds.ADD_TOPIC]  # read: only a topic left to add


async def test_only_the_organiser_or_an_admin_cancels_and_a_forged_press_changes_nothing(harness) -> None:
    at_now(harness)
    await scheduled_by_alex(harness)
    priya = harness.actor("U0PRIYA")
    assert MeetingIds.CANCEL not in buttons_of(await show(harness, actor=priya))
    await press(harness, priya, MeetingIds.CANCEL, "M-1")  # forged: she never had the button
    assert "Only <@U0ALEX> (its organiser)" in private_answers(harness)[-1]
    assert (await meetings(harness))[0].status is MeetingStatus.SCHEDULED
    told = Delivery.kind == TELL_KIND  # (the pre-read's asks went when it was scheduled)
    assert await history(harness) == ["created"] and await harness.rows(Delivery, told) == []

    await press(harness, harness.actor(ORGANISER_ALEX), MeetingIds.CANCEL, "M-1")
    assert "*M-1* Pricing review is cancelled. I'm telling 2 attendees." in private_answers(harness)[-1]
    assert (await meetings(harness))[0].status is MeetingStatus.CANCELLED
    keys = sorted(d.key for d in await harness.rows(Delivery, told))
    assert keys == ["meeting:M-1:cancelled:U0NICK", "meeting:M-1:cancelled:U0PRIYA"]
    await press(harness, harness.actor(ORGANISER_ALEX), MeetingIds.CANCEL, "M-1")
    assert "is cancelled, so there is nothing to cancel" in private_answers(harness)[-1]
    assert buttons_of(await show(harness, actor=harness.actor(ORGANISER_ALEX))) == []

    await scheduled_by_alex(harness, title="Second try")
    await press(harness, harness.me, MeetingIds.CANCEL, "M-2")  # Dana is an admin
    assert (await meetings(harness))[1].status is MeetingStatus.CANCELLED
    assert await history(harness) == ["created", "cancelled", "created", "cancelled"]


async def test_another_workspaces_m1_is_invisible(harness) -> None:
    at_now(harness)
    await scheduled_by_alex(harness)
    stranger = harness.actor("U0OTHER", team_id="T0OTHER")
    assert (await show(harness, actor=stranger))["text"].startswith("I can't find M-1")
    for action, value in ((MeetingIds.READ, "M-1:1"), (MeetingIds.CANCEL, "M-1")):
        await press(harness, stranger, action, value)
        assert "can't find M-1" in private_answers(harness)[-1]
    listed = await harness.slack.command(stranger, "/meeting", "list")
    assert "Pricing review" not in all_text(listed.json()["blocks"])
    assert (await meetings(harness))[0].status is MeetingStatus.SCHEDULED
    assert await history(harness) == ["created"]


async def test_the_lists_show_coming_meetings_of_mine_and_of_the_channel(harness) -> None:
    clock = at_now(harness)
    await scheduled_by_alex(harness)
    await scheduled_by_alex(harness, title="Hiring sync", attendees=["U0NICK"], agenda="")
    mine = all_text((await harness.slack.command(harness.actor("U0PRIYA"), "/meeting", "list")).json()["blocks"])
    assert "*M-1* Pricing review" in mine and "Hiring sync" not in mine
    here = harness.actor("U0PRIYA", channel_id="C0GENERAL")
    channel = all_text((await harness.slack.command(here, "/meeting", "list channel")).json()["blocks"])
    assert "*M-1* Pricing review" in channel and "*M-2* Hiring sync" in channel
    await press(harness, harness.actor(ORGANISER_ALEX), MeetingIds.CANCEL, "M-2")
    channel = all_text((await harness.slack.command(here, "/meeting", "list channel")).json()["blocks"])
    assert "Hiring sync" not in channel and "Pricing review" in channel
    clock.set(STARTS + timedelta(minutes=45))  # M-1 has ended
    mine = all_text((await harness.slack.command(harness.actor("U0PRIYA"), "/meeting", "list")).json()["blocks"])
    assert "Pricing review" not in mine and "Nothing scheduled" in mine


async def test_help_gives_the_agenda_grammar_and_the_overview_lists_the_command(harness) -> None:
    text = all_text((await harness.slack.command(harness.me, "/meeting", "help")).json()["blocks"])
    assert "Pricing options — @alex — 15 decide" in text and "/meeting list channel" in text
    overview = await harness.slack.command(harness.me, "/followthrough", "help")
    assert "/meeting" in all_text(overview.json()["blocks"])
