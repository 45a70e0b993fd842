"""/meeting: the form, the card, the lists, and help."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.ext.asyncio import AsyncSession

from bot.surface import MEETING
from handlers.kit.forms import encode_meta
from handlers.kit.help import command_help_blocks, command_help_text
from handlers.kit.replies import open_view, reply
from handlers.kit.text import esc, from_command
from handlers.meetings import series
from handlers.meetings.blocks.card import card_blocks, card_text, list_blocks, timeline_blocks
from handlers.meetings.blocks.form import create_view
from handlers.meetings.settings import settings_command
from models import Person, Workspace
from models.meeting import MEETING_PREFIX
from services import meetings, people
from services.meetings import ListScope
from services.refs import parse_ref

HELP_DETAILS = [
    "*Schedule* `/meeting` opens the form: a name, the kind of meeting, the desired outcome (what will be true "
    "when everyone leaves), the start in your time zone, the length, who comes, the agenda and the pre-reads. The "
    "meeting belongs to the channel you typed it in.",
    "*Agenda* one item per line: topic, owner, minutes and what the item is for (decide, discuss or inform), e.g. "
    "Pricing options — @alex — 15 decide. A dash or | works as a separator too, and the owner is a name as Slack "
    "shows it. The time-boxes must fit in the meeting, and every item needs an owner.",
    "*Pre-reads* one per line, up to five: a title, then its link, e.g. Pricing options — "
    "https://docs.example.com/pricing (a | works too, or a link alone). Each required attendee is asked to read "
    "each one.",
    "*Card* `/meeting M-4` shows the desired outcome first, then the running order with each item's time (in "
    "your own zone), each pre-read with how many have read it (I've read it beside yours), a calendar link when "
    "the app has a public address, and the buttons, such as Edit and Cancel meeting for the organiser.",
    "*Gate* a day before the start by default (inside the organiser's working hours) a meeting without an agenda, "
    "a desired outcome or a pre-read, or with only inform items, is flagged to its organiser: fix it, make it async "
    "or cancel it. Those asked to read get one message with an I've read it button, and one reminder a few hours "
    "before.",
    "*At the start* the agenda is posted in the meeting's thread, the facilitator hears who has read the pre-read, "
    "and a short note marks the end of each item's time-box.",
    "*Settings* `/meeting settings` shows the workspace's; admins change them: `/meeting settings gate block` (or "
    "warn), `/meeting settings gate 24h`, `/meeting settings reminder 3h`, `/meeting settings timeboxes off`.",
    "*Edit* the card's Edit button opens the form filled in as the meeting is, for its organiser, facilitator and "
    "admins, until it starts. Newly invited people hear about it, and everyone hears when the start moves.",
    "*Make it async* on the card turns a meeting into a thread in its channel: each attendee is asked for written "
    "input by a deadline, replies that start with an item's number (2: …) are filed under it, and at the deadline a "
    "summary says who answered. A decide item can then become a decision with its owner as decider.",
    "*Find* `/meeting list` shows the coming meetings you organise or are invited to; `/meeting list channel` "
    "this channel's.",
    "*Outcome* after the start, the facilitator presses Record outcome on the card: per topic decided (a decision, "
    "Option — why), action items (one per line, @alex send the pricing deck by friday), done, carried forward or "
    "dropped, and whether the desired outcome was reached. The summary goes to the meeting's thread, and each "
    "owner hears of their new action items.",
    "*Series* a meeting that repeats gets its next one when it starts; carried and unfinished topics open its "
    "agenda, and those invited can Add topic ahead. `/meeting list series` lists yours, `/meeting series M-4` "
    "shows how the series is going, and its organiser ends it with `/meeting series M-4 stop`.",
]
DEFAULT_HOUR = time(10, 0)


def suggested_start(now: datetime, zone) -> datetime:
    """10:00 on the next working day, in the organiser's zone."""
    day = now.astimezone(zone).date() + timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return datetime.combine(day, DEFAULT_HOUR, tzinfo=zone)


def is_meeting_ref(word: str) -> bool:
    return parse_ref(word, MEETING_PREFIX) is not None and word[:1].upper() in (MEETING_PREFIX, *"0123456789")


async def meeting_command(ack: AsyncAck, command: dict, client: AsyncWebClient, db: AsyncSession,
                          workspace: Workspace, person: Person, now: datetime,
                          public_url: str | None = None) -> None:  # fmt: skip
    text = from_command(command.get("text") or "").strip()
    word, _, rest = text.partition(" ")
    key, rest = word.lower(), rest.strip()
    if key in ("", "new"):
        error = await open_form(client, workspace, person, now, command["trigger_id"], command.get("channel_id"))
        await ack(**reply(f"I couldn't open the form ({error}); please try again.") if error else {})
    elif key == "series" or (key == "list" and rest.lower() == "series"):
        await series.series_command(ack, db, workspace, person, now, rest if key == "series" else "")
    elif key == "list":
        await list_command(ack, db, workspace, person, now, rest, command.get("channel_id"))
    elif key == "settings":
        await settings_command(ack, db, workspace, person, now, rest)
    elif key in ("help", "?"):
        await ack(text=command_help_text(MEETING), blocks=command_help_blocks(MEETING, HELP_DETAILS))
    elif is_meeting_ref(word) and not rest:
        await show(ack, db, workspace, person, word, now, public_url)
    else:
        await ack(text=command_help_text(MEETING, unknown=text),
                  blocks=command_help_blocks(MEETING, HELP_DETAILS, unknown=text))  # fmt: skip


async def open_form(client: AsyncWebClient, workspace: Workspace, person: Person, now: datetime, trigger_id: str,
                    channel: str | None) -> str | None:  # fmt: skip
    zone = people.person_zone(person, workspace)
    view = create_view(metadata=encode_meta(channel=channel), start=suggested_start(now, zone), zone_name=zone.key)
    return await open_view(client, trigger_id, view)


async def list_command(ack: AsyncAck, db: AsyncSession, workspace: Workspace, person: Person, now: datetime,
                       rest: str, channel: str | None) -> None:  # fmt: skip
    if rest.lower() not in ("", *ListScope):
        await ack(**reply(f"I don't know `list {esc(rest[:50])}`. Try `list`, `list channel` or `list series`."))
        return
    scope = ListScope(rest.lower() or ListScope.MINE)
    listing = await meetings.list_meetings(db, workspace_id=workspace.id, scope=scope, person=person,
                                           channel_id=channel, now=now)  # fmt: skip
    zone = people.person_zone(person, workspace)
    await ack(**reply(f"{listing.title}: {len(listing.meetings)}", blocks=list_blocks(listing, zone)))


async def show(ack: AsyncAck, db: AsyncSession, workspace: Workspace, person: Person, ref: str, now: datetime,
               public_url: str | None = None) -> None:  # fmt: skip
    meeting = await meetings.get_meeting(db, workspace_id=workspace.id, ref=ref)
    if meeting is None:
        await ack(**reply(f"I can't find {esc(ref.upper()[:20])} in this workspace. `/meeting list` shows yours."))
        return
    zone = people.person_zone(person, workspace)
    events = await meetings.timeline(db, meeting=meeting)
    calendar = meetings.calendar_url(public_url, meeting.token)
    blocks = card_blocks(meeting, person, zone, now, calendar=calendar) + timeline_blocks(events)
    await ack(**reply(card_text(meeting), blocks=blocks))
