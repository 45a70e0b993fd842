"""/checkin: the set-up form (defaults, field errors, editing), list, pause, resume, skip, delete, away, help,
and who may change a check-in (the person who set it up, or an admin)."""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from handlers.checkins.blocks.ids import CheckinIds
from models import Cadence, Delivery, DeliveryState, Person, Round
from services.recurrence import WEEKDAY_NAMES
from tests.support.checkins import press_in_reply, setup_values
from tests.support.outcomes import all_text, opened_view

pytest_plugins = ["tests.support.outbox_fixtures"]


def block(view: dict, block_id: str) -> dict:
    return next(b for b in view["blocks"] if b.get("block_id") == block_id)


def initial(view: dict, block_id: str) -> object:
    element = block(view, block_id)["element"]
    for key in ("initial_option", "initial_options", "initial_value", "initial_time", "initial_date", "initial_users"):
        if key in element:
            value = element[key]
            if key == "initial_option":
                return value["value"]
            if key == "initial_options":
                return [o["value"] for o in value]
            return value
    return None


def text_of(response) -> str:
    assert response.status_code == 200, response.text
    return response.json()["text"]


async def set_up(harness, actor=None, **values) -> dict:
    actor = actor or harness.me
    await harness.slack.command(actor, "/checkin", "")
    response = await harness.slack.view_submission(actor, opened_view(harness), setup_values(**values))
    return response.json()


async def test_the_form_opens_with_sensible_defaults(harness) -> None:
    response = await harness.slack.command(harness.me, "/checkin", "")

    assert response.status_code == 200 and response.text == ""
    view = opened_view(harness)
    assert view["callback_id"] == CheckinIds.SETUP_VIEW
    assert initial(view, CheckinIds.AUDIENCE) == "channel"
    assert initial(view, CheckinIds.FREQUENCY) == "1"
    assert initial(view, CheckinIds.DAYS) == ["0"]
    assert initial(view, CheckinIds.TIME) == "09:30"
    assert initial(view, CheckinIds.ZONE_MODE) == "personal"
    assert initial(view, CheckinIds.ZONE) == "America/New_York"  # the zone of the person setting it up
    assert initial(view, CheckinIds.EXTRAS) == ["blocker", "confidence"]
    assert initial(view, CheckinIds.REMIND) == "240" and initial(view, CheckinIds.DIGEST) == "360"
    questions = initial(view, CheckinIds.QUESTIONS)
    assert isinstance(questions, str) and len(questions.splitlines()) == 2
    labels = [o["text"]["text"] for o in block(view, CheckinIds.DAYS)["element"]["options"]]
    assert labels == list(WEEKDAY_NAMES)


async def test_saving_stores_the_cadence_and_says_when_the_first_round_is(harness) -> None:
    body = await set_up(harness, days=["0", "3"], time="10:00", questions="Wins?\nNext?\nHelp needed?")

    assert body["response_action"] == "update"
    said = all_text(body["view"]["blocks"])
    assert "every Monday and Thursday at 10:00, each person in their own time zone" in said
    assert "Next round:" in said and "`/checkin now`" in said
    [cadence] = await harness.rows(Cadence)
    assert (cadence.channel_id, cadence.weekdays, f"{cadence.local_time:%H:%M}") == ("C0GENERAL", [0, 3], "10:00")
    assert cadence.questions == ["Wins?", "Next?", "Help needed?"]
    assert (cadence.remind_after_minutes, cadence.digest_after_minutes, cadence.timezone) == (
        240,
        360,
        "America/New_York",
    )
    assert cadence.next_at is not None and cadence.next_on.weekday() in (0, 3)


async def test_field_errors_point_at_their_fields_and_store_nothing(harness) -> None:
    body = await set_up(
        harness,
        audience="chosen",
        members=[],
        days=[],
        zone="Mars/Olympus",
        questions="\n".join(f"Question {n}?" for n in range(8)),
    )

    assert body["response_action"] == "errors"
    assert set(body["errors"]) == {
        CheckinIds.MEMBERS,
        CheckinIds.DAYS,
        CheckinIds.ZONE,
        CheckinIds.QUESTIONS,
    }
    assert "Mars/Olympus is not a time zone name" in body["errors"][CheckinIds.ZONE]
    assert await harness.rows(Cadence) == []


async def test_the_owner_edits_it_in_the_same_form_and_others_only_read_it(harness) -> None:
    alex = harness.actor("U0ALEX")
    await set_up(harness, alex, audience="chosen", members=["U0ALEX", "U0PRIYA"], days=["1"], zone="Europe/Berlin")

    await harness.slack.command(alex, "/checkin", "")
    view = opened_view(harness)
    assert initial(view, CheckinIds.DAYS) == ["1"] and initial(view, CheckinIds.ZONE) == "Europe/Berlin"
    assert initial(view, CheckinIds.MEMBERS) == ["U0ALEX", "U0PRIYA"]
    body = await harness.slack.view_submission(
        alex, view, setup_values(audience="chosen", members=["U0PRIYA"], days=["2"], zone="Europe/Berlin")
    )
    assert "is updated" in all_text(body.json()["view"]["blocks"])
    [cadence] = await harness.rows(Cadence)
    assert cadence.weekdays == [2]

    opened = len(harness.standin.calls_to("views.open"))
    said = text_of(await harness.slack.command(harness.actor("U0PRIYA"), "/checkin", ""))
    assert len(harness.standin.calls_to("views.open")) == opened
    assert "every Wednesday at 09:30" in said and "Only Alex Meyer (who set up this check-in)" in said


async def test_checkin_wants_a_channel(harness) -> None:
    said = text_of(await harness.slack.command(harness.actor("U0ALEX", channel_id="DU0ALEX"), "/checkin", ""))
    assert "in the channel" in said
    assert harness.standin.calls_to("views.open") == []


async def test_list_pause_resume_skip(harness) -> None:
    await set_up(harness, audience="chosen", members=["U0ALEX"])
    [cadence] = await harness.rows(Cadence)
    first = cadence.next_on

    listed = await harness.slack.command(harness.me, "/checkin", "list")
    listing = all_text(listed.json()["blocks"])
    assert "<#C0GENERAL>" in listing and "Who: <@U0ALEX> · set up by <@U0LOCAL>" in listing

    assert "Paused" in text_of(await harness.slack.command(harness.me, "/checkin", "pause"))
    assert "paused already" in text_of(await harness.slack.command(harness.me, "/checkin", "pause"))
    [cadence] = await harness.rows(Cadence)
    assert cadence.paused and cadence.next_at is None
    assert "Resumed" in text_of(await harness.slack.command(harness.me, "/checkin", "resume"))
    said = text_of(await harness.slack.command(harness.me, "/checkin", "skip"))
    assert f"The round of {first:%a %-d %b} is skipped" in said
    [cadence] = await harness.rows(Cadence)
    assert cadence.next_on == first + timedelta(weeks=1)


async def test_only_the_owner_or_an_admin_changes_it(harness) -> None:
    await set_up(harness, harness.actor("U0ALEX"), audience="chosen", members=["U0ALEX", "U0PRIYA"])
    priya = harness.actor("U0PRIYA")

    for word in ("pause", "skip", "now", "delete"):
        said = text_of(await harness.slack.command(priya, "/checkin", word))
        assert "Only Alex Meyer (who set up this check-in), or a workspace admin" in said, word
        assert "Nothing was changed" in said
    assert await harness.rows(Round) == []
    [cadence] = await harness.rows(Cadence)
    assert not cadence.paused

    assert "Paused" in text_of(await harness.slack.command(harness.me, "/checkin", "pause"))  # an admin


async def test_delete_asks_first_and_deletes_on_the_confirming_press_only(harness) -> None:
    await set_up(harness, audience="chosen", members=["U0ALEX", "U0PRIYA"])
    assert text_of(await harness.slack.command(harness.me, "/checkin", "now")).startswith("Started")
    assert {d.state for d in await harness.rows(Delivery)} == {DeliveryState.PENDING}

    asked = (await harness.slack.command(harness.me, "/checkin", "delete")).json()

    assert asked["text"].startswith("Delete the check-in of <#C0GENERAL>?") and "can't be undone" in asked["text"]
    assert [b["text"]["text"] for b in asked["blocks"][1]["elements"]] == ["Delete", "Keep it"]
    assert len(await harness.rows(Cadence)) == 1  # nothing happens until a press
    assert {d.state for d in await harness.rows(Delivery)} == {DeliveryState.PENDING}

    kept = await press_in_reply(harness, harness.me, asked, CheckinIds.KEEP)
    assert kept == "Kept: the check-in of <#C0GENERAL> stays as it is. Nothing was deleted."
    assert len(await harness.rows(Cadence)) == 1

    asked = (await harness.slack.command(harness.me, "/checkin", "delete")).json()
    said = await press_in_reply(harness, harness.me, asked, CheckinIds.DELETE)

    assert said == "The check-in of <#C0GENERAL> is deleted. Its threads stay in the channel."
    assert await harness.rows(Cadence) == [] and await harness.rows(Round) == []
    assert {d.state for d in await harness.rows(Delivery)} == {DeliveryState.CANCELLED}
    assert "no check-in in this channel" in text_of(await harness.slack.command(harness.me, "/checkin", "pause"))

    # A second press (the old question, still on screen) deletes nothing more and says so.
    again = await press_in_reply(harness, harness.me, asked, CheckinIds.DELETE)
    assert again == "That check-in is deleted already; there is nothing more to do."


async def test_an_old_delete_button_never_deletes_the_check_in_set_up_after_it(harness) -> None:
    await set_up(harness)
    old_question = (await harness.slack.command(harness.me, "/checkin", "delete")).json()
    await press_in_reply(harness, harness.me, old_question, CheckinIds.DELETE)
    await set_up(harness, days=["2"])  # a new check-in in the same channel (SQLite gives it the same id)

    said = await press_in_reply(harness, harness.me, old_question, CheckinIds.DELETE)

    assert said == "That check-in is deleted already; there is nothing more to do."
    [cadence] = await harness.rows(Cadence)
    assert cadence.weekdays == [2]


async def test_only_the_owner_or_an_admin_is_asked_to_delete_or_may_press_delete(harness) -> None:
    await set_up(harness, harness.actor("U0ALEX"), audience="chosen", members=["U0ALEX", "U0PRIYA"])
    priya = harness.actor("U0PRIYA")
    said = (await harness.slack.command(priya, "/checkin", "delete")).json()
    assert "Only Alex Meyer" in said["text"] and "blocks" not in said

    question = (await harness.slack.command(harness.actor("U0ALEX"), "/checkin", "delete")).json()
    refused = await press_in_reply(harness, priya, question, CheckinIds.DELETE)  # a forwarded question, say
    assert "Only <@U0ALEX>" in refused and refused.endswith("Nothing was deleted.")
    assert len(await harness.rows(Cadence)) == 1


async def test_away_until_a_date_and_back(harness) -> None:
    alex = harness.actor("U0ALEX")
    later = date.today() + timedelta(days=7)

    assert "aren't marked away" in text_of(await harness.slack.command(alex, "/checkin", "away"))
    said = text_of(await harness.slack.command(alex, "/checkin", f"away {later.isoformat()}"))
    assert f"away until {later:%a %-d %b %Y}" in said
    [person] = await harness.rows(Person, Person.slack_user_id == "U0ALEX")
    assert person.away_until == later
    assert "You're away until" in text_of(await harness.slack.command(alex, "/checkin", "away"))

    assert "has passed" in text_of(await harness.slack.command(alex, "/checkin", "away 2020-01-01"))
    assert "YYYY-MM-DD" in text_of(await harness.slack.command(alex, "/checkin", "away next-week"))
    assert "Welcome back" in text_of(await harness.slack.command(alex, "/checkin", "away off"))
    [person] = await harness.rows(Person, Person.slack_user_id == "U0ALEX")
    assert person.away_until is None


async def test_help_and_unknown_words(harness) -> None:
    helped = await harness.slack.command(harness.me, "/checkin", "help")
    text = all_text(helped.json()["blocks"])
    assert "/checkin" in text and "away 2026-12-02" in text and "one reminder" in text

    unknown = await harness.slack.command(harness.me, "/checkin", "dance")
    assert "I don't know `dance`" in unknown.json()["text"]

    nothing = text_of(await harness.slack.command(harness.me, "/checkin", "now"))
    assert "no check-in in this channel" in nothing


async def test_a_skipped_round_stays_skipped_through_pause_resume_and_an_edit(harness) -> None:
    await set_up(harness, audience="chosen", members=["U0ALEX"])
    [cadence] = await harness.rows(Cadence)
    first, second = cadence.next_on, cadence.next_on + timedelta(weeks=1)

    said = text_of(await harness.slack.command(harness.me, "/checkin", "skip"))
    assert f"The round of {first:%a %-d %b} is skipped." in said
    assert f"Next round {second:%a %-d %b} at 09:30 in each person's own time zone." in said

    assert "Paused" in text_of(await harness.slack.command(harness.me, "/checkin", "pause"))
    said = text_of(await harness.slack.command(harness.me, "/checkin", "resume"))
    assert said.startswith("Resumed.") and f"Next round {second:%a %-d %b} at 09:30" in said
    [cadence] = await harness.rows(Cadence)
    assert cadence.next_on == second

    await harness.slack.command(harness.me, "/checkin", "")  # the owner saves the form again, unchanged
    view = opened_view(harness)
    await harness.slack.view_submission(harness.me, view, setup_values(audience="chosen", members=["U0ALEX"]))
    [cadence] = await harness.rows(Cadence)
    assert cadence.next_on == second

    said = text_of(await harness.slack.command(harness.me, "/checkin", "skip"))  # skipping again skips the next
    assert f"The round of {second:%a %-d %b} is skipped." in said
    [cadence] = await harness.rows(Cadence)
    assert cadence.next_on == second + timedelta(weeks=1)


async def test_the_next_round_reads_as_each_persons_own_time_or_in_the_readers_zone(harness) -> None:
    body = await set_up(harness, audience="chosen", members=["U0ALEX"], zone="Asia/Kolkata")
    [cadence] = await harness.rows(Cadence)
    personal = f"{cadence.next_on:%a %-d %b} at 09:30 in each person's own time zone"

    assert f"*Next round:* {personal}" in all_text(body["view"]["blocks"])
    assert f"Next round {personal}." in text_of(await harness.slack.command(harness.me, "/checkin", "resume"))
    listing = all_text((await harness.slack.command(harness.me, "/checkin", "list")).json()["blocks"])
    assert f"next {personal}" in listing and "UTC" not in listing

    await harness.slack.command(harness.me, "/checkin", "")
    view = opened_view(harness)
    values = setup_values(audience="chosen", members=["U0ALEX"], zone="Europe/Berlin", zone_mode="team")
    body = (await harness.slack.view_submission(harness.me, view, values)).json()
    [cadence] = await harness.rows(Cadence)
    seen = cadence.next_at.astimezone(ZoneInfo("America/New_York"))  # the reader's zone (U0LOCAL, New York)
    shown = f"<!date^{int(cadence.next_at.timestamp())}^{{date_short_pretty}} at {{time}}|{seen:%a %-d %b %H:%M %Z}>"
    assert f"*Next round:* {shown}" in all_text(body["view"]["blocks"])
    assert f"Next round {shown}." in text_of(await harness.slack.command(harness.me, "/checkin", "resume"))
