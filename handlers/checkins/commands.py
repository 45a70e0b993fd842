"""/checkin: set up a channel's check-in, run it (list, pause, resume, skip, now, delete), and be away."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date, datetime
from typing import Any

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.ext.asyncio import AsyncSession

from bot.surface import CHECKIN
from handlers.checkins import messages
from handlers.checkins.blocks.confirm import delete_question
from handlers.checkins.blocks.listing import list_blocks
from handlers.checkins.blocks.setup import setup_view
from handlers.checkins.blocks.text import (
    audience_text,
    channel_ref,
    day_text,
    next_round_text,
    schedule_text,
    when_text,
)
from handlers.checkins.channel import slack_error
from handlers.kit.forms import encode_meta
from handlers.kit.help import command_help_blocks, command_help_text
from handlers.kit.replies import SLACK_FAILURES, forbidden_text, open_view, refusal_text, reply
from handlers.kit.text import from_command
from models import Cadence, Person, Workspace
from services import checkins
from services.attention.release import release_waiting
from services.checkins import CheckinError
from services.errors import Forbidden
from services.people import person_zone, today_for

ROSTER_LOOKUP_BUDGET = 1.5  # seconds of profile lookups while Slack waits for /checkin now (its limit is 3 s)

HELP_DETAILS = [
    "*Set up* `/checkin` in a channel opens a form: who is asked (the channel's members, kept in step, or people "
    "you pick), every week or every two weeks, which days, what time (each person's own morning, or one time "
    "zone for all), the questions, when to remind people who haven't answered, and when the digest is posted.",
    "*A round* opens a thread in the channel and asks each person by direct message. The answer form lists "
    "their open outcomes, so one answer also logs the status (and any values) of each. A plain reply in the "
    "thread counts as an answer too. People who haven't answered get one reminder, by direct message. The "
    "digest goes in the thread: who answered and who hasn't, outcomes by status, what moved, what is in the "
    "way, and outcomes with no update for two rounds. Late answers still count and update the digest.",
    "*Run it* `/checkin list` (every check-in), `pause`, `resume`, `skip` (the next round; it stays skipped), "
    "`now` (a round at once), `delete` (asks you first). The person who set it up or a workspace admin can "
    "change it; anyone asked can answer.",
    "*Away* `/checkin away 2026-12-02` (until that day, included), `/checkin away off` (back).",
]


def help_reply(unknown: str | None = None) -> dict[str, Any]:
    return {
        "text": command_help_text(CHECKIN, unknown=unknown),
        "blocks": command_help_blocks(CHECKIN, HELP_DETAILS, unknown=unknown),
        "response_type": "ephemeral",
    }


def summary(cadence: Cadence, person: Person, workspace: Workspace) -> str:
    """What the check-in is and when its next round is, for `person` (times in their zone)."""
    upcoming = next_round_text(cadence, person_zone(person, workspace))
    state = "Paused." if cadence.paused else (f"Next round {upcoming}." if upcoming else "")
    return f"The check-in here runs {schedule_text(cadence)} for {audience_text(cadence)}. {state}".strip()


async def checkin_command(
    ack: AsyncAck,
    command: dict,
    client: AsyncWebClient,
    db: AsyncSession,
    workspace: Workspace,
    person: Person,
    now: datetime,
) -> None:
    text = from_command(command.get("text") or "").strip()
    word, _, rest = text.partition(" ")
    key, rest = word.lower(), rest.strip()
    if key == "" or (key in ("setup", "edit") and not rest):
        await ack(**await setup_command(command, client, db, workspace, person, now))
    elif key == "list" and not rest:
        cadences = await checkins.list_cadences(db, workspace_id=workspace.id)
        blocks = list_blocks(cadences, person_zone(person, workspace))
        await ack(text=f"{len(cadences)} check-in{'s' if len(cadences) != 1 else ''}", blocks=blocks)
    elif key in MANAGE and not rest:
        await ack(**await manage_command(key, command, client, db, workspace, person, now))
    elif key == "away":
        await ack(**reply(await away(db, workspace, person, now, rest)))
    else:
        await ack(**help_reply(None if key in ("help", "?") else text))


def _in_channel(command: dict) -> bool:
    return str(command.get("channel_id") or "").startswith(("C", "G"))


async def setup_command(
    command: dict, client: AsyncWebClient, db: AsyncSession, workspace: Workspace, person: Person, now: datetime
) -> dict:
    """Opens the set-up form; returns what to acknowledge with."""
    channel_id = command.get("channel_id") or ""
    if not _in_channel(command):
        return reply("Run `/checkin` in the channel whose check-in you want to set up.")
    cadence = await checkins.get_cadence(db, workspace_id=workspace.id, channel_id=channel_id)
    if cadence is not None and not checkins.can_manage(person, cadence):
        refused = checkins.refusal(cadence, "change it")
        return reply(summary(cadence, person, workspace) + "\n" + forbidden_text(refused, plain=True))
    zone = cadence.timezone if cadence else person_zone(person, workspace).key
    view = setup_view(
        metadata=encode_meta(channel=channel_id),
        channel_id=channel_id,
        cadence=cadence,
        zone=zone,
        today=today_for(person, workspace, now),
    )
    error = await open_view(client, command["trigger_id"], view)
    return reply(f"I couldn't open the form ({error}); please try again.") if error else {}


# pause, resume, skip, delete, now: one cadence, its manager, one sentence (or a question) back ------------------

Manage = Callable[[AsyncSession, AsyncWebClient, Cadence, Workspace, Person, datetime], Awaitable[str | dict]]


async def _pause(
    db: AsyncSession, client: AsyncWebClient, cadence: Cadence, workspace: Workspace, person: Person, now: datetime
) -> str:
    done = await checkins.pause(db, cadence=cadence, actor=person)
    return "Paused: no new rounds until `/checkin resume`." if done else "It is paused already."


async def _resume(
    db: AsyncSession, client: AsyncWebClient, cadence: Cadence, workspace: Workspace, person: Person, now: datetime
) -> str:
    done = await checkins.resume(db, cadence=cadence, actor=person, now=now)
    said = summary(cadence, person, workspace)
    return f"Resumed. {said}" if done else f"It isn't paused. {said}"


async def _skip(
    db: AsyncSession, client: AsyncWebClient, cadence: Cadence, workspace: Workspace, person: Person, now: datetime
) -> str:
    skipped = await checkins.skip(db, cadence=cadence, actor=person, now=now)
    return f"The round of {day_text(skipped)} is skipped. {summary(cadence, person, workspace)}"


async def _delete(
    db: AsyncSession, client: AsyncWebClient, cadence: Cadence, workspace: Workspace, person: Person, now: datetime
) -> str | dict:
    """Asks first: the Delete button (buttons.delete_pressed) deletes."""
    checkins.require_manager(person, cadence, "delete this check-in")
    return delete_question(cadence)


async def _start_now(
    db: AsyncSession, client: AsyncWebClient, cadence: Cadence, workspace: Workspace, person: Person, now: datetime
) -> str:
    checkins.require_manager(person, cadence, "start a round")
    day = checkins.round_day(cadence, now)
    members = await messages.roster_members(db, client, cadence, now, budget_seconds=ROSTER_LOOKUP_BUDGET)
    if not members:
        return "Nobody to ask: the check-in has no participants. `/checkin` changes who is asked."
    round_ = await checkins.start_round(
        db, cadence=cadence, workspace=workspace, members=members, occurs_on=day, now=now, started_by=person
    )
    if round_ is None:
        return (
            f"Today's round ({day_text(day)}) has started already; its thread is in {channel_ref(cadence.channel_id)}."
        )
    await messages.queue_round(db, round_)
    asked = len([i for i in round_.invites if not i.away])
    away = len(round_.invites) - asked
    tail = f" ({away} away)" if away else ""
    return (
        f"Started: a thread in {channel_ref(cadence.channel_id)} and a direct message to {asked} "
        f"{'person' if asked == 1 else 'people'}{tail}. The digest follows "
        f"{when_text(round_.digest_at, person_zone(person, workspace))}, or once "
        "everyone has answered."
    )


MANAGE: dict[str, Manage] = {"pause": _pause, "resume": _resume, "skip": _skip, "delete": _delete, "now": _start_now}


async def manage_command(
    key: str,
    command: dict,
    client: AsyncWebClient,
    db: AsyncSession,
    workspace: Workspace,
    person: Person,
    now: datetime,
) -> dict:
    """What to acknowledge with: a private reply. Slack's refusals (the channel's members unreadable, say)
    and its silences become sentences too; nothing is written before those calls."""
    cadence = await checkins.get_cadence(db, workspace_id=workspace.id, channel_id=command.get("channel_id") or "")
    if cadence is None:
        return reply("There is no check-in in this channel yet. `/checkin` sets one up.")
    try:
        said = await MANAGE[key](db, client, cadence, workspace, person, now)
    except Forbidden as exc:
        said = forbidden_text(exc, plain=True)
    except CheckinError as exc:
        said = f"{refusal_text(exc)} Nothing was changed."
    except (SlackApiError, *SLACK_FAILURES) as exc:
        said = f"Nothing was started. {slack_error(exc, channel_ref(cadence.channel_id))}"
    return said if isinstance(said, dict) else reply(said)


async def away(db: AsyncSession, workspace: Workspace, person: Person, now: datetime, rest: str) -> str:
    today = today_for(person, workspace, now)
    word = rest.lower()
    if not word:
        if person.away_until and person.away_until >= today:
            return f"You're away until {person.away_until:%a %-d %b %Y}. `/checkin away off` when you're back."
        return "You aren't marked away. `/checkin away 2026-12-02` keeps the bot quiet for you until that day."
    if word in ("off", "back", "none", "clear"):
        await checkins.set_away(db, person=person, until=None, today=today)
        await release_waiting(db, workspace_id=workspace.id, user=person.slack_user_id, now=now, back=True)
        return "Welcome back: the next check-in rounds ask you again, and what waited for you comes now."
    try:
        until = date.fromisoformat(word)
    except ValueError:
        return "Give a date as YYYY-MM-DD, e.g. `/checkin away 2026-12-02`, or `/checkin away off`."
    try:
        await checkins.set_away(db, person=person, until=until, today=today)
    except CheckinError as exc:
        return refusal_text(exc)
    return (
        f"You're away until {until:%a %-d %b %Y}, included: no check-in asks up to then, escalations go past you, "
        "and other messages wait for one round-up on your first working morning back. Enjoy!"
    )
