"""/action: capture one on one line or in the form, list them, show one as a card; help."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.ext.asyncio import AsyncSession

from bot.context import refresh_profile
from bot.surface import ACTION
from handlers.actions import messages
from handlers.actions.blocks.card import card_blocks, card_text, list_blocks, timeline_blocks
from handlers.actions.blocks.forms import create_view, created_text
from handlers.kit.forms import encode_meta
from handlers.kit.help import command_help_blocks, command_help_text
from handlers.kit.replies import open_view, reply
from handlers.kit.text import esc, from_command, mention, readable
from handlers.kit.told import told_note
from models import Person, Workspace
from services import actions, people
from services.actions import ListScope
from services.errors import Invalid
from services.refs import looks_like_ref

_MENTION = re.compile(r"^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$")
_OUTCOME = re.compile(r"^[Oo]-?\d{1,9}$")

HELP_DETAILS = [
    "*One line* `/action @alex send the pricing deck by friday`: the owner first (pick them from Slack's list so "
    "the name turns blue, or `@me`), then what, then when. Dates are read in your time zone.",
    "*When* `by today`, `by tomorrow`, `by friday` (the coming one), `by next tue`, `by 2026-12-04`, `in 3 days`, "
    "`in 2 weeks`, `in 5 working days`. *Outcome* end with `O-12` to say which outcome it serves.",
    "*Form* `/action` alone opens a form; on any message, *More actions → Create action item* opens it filled in "
    "from the message, and the item's thread hears when it is done. A decided decision's card has *Add follow-up*, "
    "and the check-in answer form an *I will…* field: each line is an action item of yours.",
    "*Follow-through* the owner gets one message on the morning it is due and one more the working day after it "
    "slips; after that, only a Monday round-up of everything overdue. Everything due the same morning comes in "
    "one message.",
    "*Find* `/action list` shows yours (also `list channel`, `list overdue`, `list @alex`, `list O-12`); "
    "`/action A-7` shows one with Done, Snooze, Reassign and Drop. The owner, who created it and admins can "
    "change it; everyone can read it.",
]


def first_working_day_after(day: date) -> date:
    day += timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


async def action_command(
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
    channel = command.get("channel_id")
    if key in ("", "new"):
        error = await open_form(client, workspace, person, now, command["trigger_id"], channel, what=rest)
        await ack(**reply(f"I couldn't open the form ({error}); please try again.") if error else {})
    elif key == "list":
        await list_command(ack, db, workspace, person, now, rest, channel)
    elif key in ("help", "?"):
        await ack(text=command_help_text(ACTION), blocks=command_help_blocks(ACTION, HELP_DETAILS))
    elif looks_like_ref(word) and not rest and not word.upper().startswith(("O", "D", "P")):
        await show(ack, db, workspace, person, word, now)
    else:
        # Mentions after the owner are read as names, before unescaping, where Slack markup (`<@U1|priya>`)
        # and text typed with brackets (`&lt;b&gt;`) still differ: the item's text never pings anyone.
        owner, _, what = (command.get("text") or "").strip().partition(" ")
        await capture_line(ack, client, db, workspace, person, now, from_command(f"{owner} {readable(what)}"), channel)


async def open_form(client: AsyncWebClient, workspace: Workspace, person: Person, now: datetime, trigger_id: str,
                    channel: str | None, *, what: str = "", origin: str | None = None) -> str | None:  # fmt: skip
    today = people.today_for(person, workspace, now)
    view = create_view(
        metadata=encode_meta(channel=channel, origin=origin),
        owner=person.slack_user_id,
        due=first_working_day_after(today),
        what_text=what,
    )
    return await open_view(client, trigger_id, view)


async def owner_finder(client: AsyncWebClient, db: AsyncSession, workspace: Workspace, now: datetime):
    """Finds (or adds) the person a Slack id names, with a fresh profile: their zone times the reminders."""

    async def ensure(slack_user_id: str) -> Person:
        found = await people.ensure_person(db, workspace=workspace, slack_user_id=slack_user_id)
        await refresh_profile(client, found, now)
        return found

    return ensure


async def capture_line(ack: AsyncAck, client: AsyncWebClient, db: AsyncSession, workspace: Workspace,
                       person: Person, now: datetime, text: str, channel: str | None) -> None:  # fmt: skip
    today = people.today_for(person, workspace, now)
    try:
        line = actions.parse_line(text, today)
        ensure = await owner_finder(client, db, workspace, now)
        owner = await actions.owner_of_line(db, workspace=workspace, caller=person, line=line, ensure=ensure)
        action = await actions.create(
            db, workspace=workspace, creator=person, owner=owner, what=line.what, due_on=line.due, now=now,
            outcome_ref=line.outcome, channel_id=channel,
        )  # fmt: skip
    except Invalid as exc:
        said = esc(" ".join(exc.errors.values()))
        await ack(**reply(f"Nothing was saved. {said}\nExample: {actions.HOW}. `/action help` has more."))
        return
    owner_today = now.astimezone(people.person_zone(action.owner, workspace)).date()
    told = await messages.tell_assigned(db, action=action, by=person, today=owner_today, now=now)
    note = await told_note(db, person=action.owner, now=now) if told else None
    await ack(**reply(created_text(action, today, note=note)))


async def list_command(ack: AsyncAck, db: AsyncSession, workspace: Workspace, person: Person, now: datetime,
                       rest: str, channel: str | None) -> None:  # fmt: skip
    scope: ListScope | Person | str
    mention_match = _MENTION.match(rest)
    if rest.lower() in ("", *ListScope):
        scope = ListScope(rest.lower() or ListScope.MINE)
    elif mention_match:
        scope = await people.ensure_person(db, workspace=workspace, slack_user_id=mention_match[1])
    elif _OUTCOME.match(rest):
        scope = rest.upper() if "-" in rest else f"O-{rest[1:]}"
    else:
        await ack(**reply(f"I don't know `list {esc(rest[:50])}`. Try `list`, `list channel`, `list overdue`, "
                          "`list @alex` or `list O-12`."))  # fmt: skip
        return
    today = people.today_for(person, workspace, now)
    listing = await actions.list_actions(
        db, workspace_id=workspace.id, scope=scope, person=person, channel_id=channel, today=today
    )
    hint = "`/action @someone what by friday` captures one."
    await ack(**reply(f"{listing.title}: {listing.total}", blocks=list_blocks(listing, today, hint=hint)))


async def show(ack: AsyncAck, db: AsyncSession, workspace: Workspace, person: Person, ref: str,
               now: datetime) -> None:  # fmt: skip
    action = await actions.get_action(db, workspace_id=workspace.id, ref=ref)
    if action is None:
        await ack(**reply(f"I can't find {esc(ref.upper()[:20])} in this workspace. `/action list` shows yours."))
        return
    events = await actions.timeline(db, action=action)
    ids = [e.data["owner"] for e in events if isinstance(e.data.get("owner"), int)]
    named = await actions.people_by_id(db, workspace_id=workspace.id, ids=ids)
    found = {i: mention(p.slack_user_id) for i, p in named.items()}
    today = people.today_for(person, workspace, now)
    blocks = card_blocks(action, today) + timeline_blocks(events, found)
    await ack(**reply(card_text(action), blocks=blocks))
