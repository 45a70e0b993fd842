"""/decision: ask (opens the form), show one with its history, list, search the log; help."""

from __future__ import annotations

from datetime import datetime

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.ext.asyncio import AsyncSession

from bot.surface import DECISION
from handlers.decisions.blocks.card import NAMED_KEYS, card_blocks, card_text, timeline_blocks
from handlers.decisions.blocks.forms import decision_form_view
from handlers.decisions.blocks.lists import list_blocks, log_blocks
from handlers.kit.forms import encode_meta
from handlers.kit.help import command_help_blocks, command_help_text
from handlers.kit.replies import open_view, reply
from handlers.kit.text import from_command
from models import Person, Workspace
from services import decisions, people
from services.decisions import ListScope, policies
from services.refs import looks_like_ref

HELP_DETAILS = [
    "*Ask* `/decision` (or `/decision Should we extend the trial?`) opens a form: the question, context and a "
    "link, up to 10 options, the decider (exactly one person), who is responsible, consulted and informed, the "
    "deadline, the escalation path and the outcome it affects. A card goes to the channel; everyone named hears of "
    "it once, and once more when it is decided.",
    "*Before the deadline* the decider is reminded a day and two hours ahead (inside their working hours where "
    "that still comes before the deadline) and at the deadline itself.",
    "*After the deadline* the escalation path is walked level by level. Whoever it reaches can *Acknowledge* "
    "(pauses it for the path's window) or *Snooze*; if it is still open afterwards, the walk goes on.",
    "*Decide* (the decider or an admin) records the choice and the rationale; *Withdraw* (who asked, or an admin) "
    "ends it with a reason; *Move deadline* starts the reminders over.",
    "*Find* `/decision D-7` shows one with its history. `/decision list` shows what awaits you; also `list "
    "channel`, `list overdue`, `list decided`. `/decision log` searches what was decided: `/decision log vendor`, "
    "`/decision log @priya`, `/decision log O-12`, `/decision log 2026-11-25`.",
]


async def decision_command(
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
    if key not in KEYWORDS and not looks_like_ref(word) and _a_question(text):
        key, rest = "ask", text  # `/decision Should we extend the trial?`: the form, the question filled in
    if key in ("", "new", "ask"):
        error = await open_form(
            client, db, workspace, person, now, command["trigger_id"], command.get("channel_id"), question=rest
        )
        await ack(**reply(f"I couldn't open the form ({error}); please try again.") if error else {})
    elif key == "list" and rest.lower() in ("", *ListScope):
        scope = ListScope(rest.lower() or ListScope.MINE)
        found, total = await decisions.list_decisions(
            db, workspace_id=workspace.id, scope=scope, person=person, channel_id=command.get("channel_id"), now=now
        )
        blocks = list_blocks(found, total, scope=scope, now=now)
        await ack(text=f"{total} decision{'s' if total != 1 else ''}", blocks=blocks)
    elif key == "log":
        zone = people.person_zone(person, workspace)
        search = await decisions.search_log(db, workspace_id=workspace.id, query=rest, zone=zone)
        await ack(text=f"Decision log: {search.total} found", blocks=log_blocks(search, now))
    elif looks_like_ref(word) and not rest:
        await show(ack, db, workspace, word, now)
    else:
        unknown = None if key in ("help", "?") else text
        await ack(
            text=command_help_text(DECISION, unknown=unknown),
            blocks=command_help_blocks(DECISION, HELP_DETAILS, unknown=unknown),
        )


KEYWORDS = ("", "new", "ask", "list", "log", "help", "?")


def _a_question(text: str) -> bool:
    """Text typed straight after `/decision` that reads as the question itself rather than a mistyped word."""
    return text.endswith("?") or len(text.split()) >= 3


async def open_form(
    client: AsyncWebClient,
    db: AsyncSession,
    workspace: Workspace,
    person: Person,
    now: datetime,
    trigger_id: str,
    channel_id: str | None,
    *,
    question: str = "",
    origin: str | None = None,
) -> str | None:
    """Opens the form to ask for a decision; returns Slack's error, if any."""
    default = await policies.default_for(db, workspace=workspace, channel_id=channel_id)
    zone = people.person_zone(person, workspace)
    view = decision_form_view(
        metadata=encode_meta(channel=channel_id, origin=origin),
        policies=await policies.list_policies(db, workspace_id=workspace.id),
        default_policy=default,
        deadline=decisions.suggested_deadline(now, zone),
        zone=zone.key,
        question=question,
    )
    return await open_view(client, trigger_id, view)


async def show(ack: AsyncAck, db: AsyncSession, workspace: Workspace, ref: str, now: datetime) -> None:
    decision = await decisions.get_decision(db, workspace_id=workspace.id, ref=ref)
    if decision is None:
        await ack(**reply(f"I can't find {ref.upper()[:20]} in this workspace. `/decision list` shows yours."))
        return
    events = await decisions.timeline(db, decision=decision)
    ids = [i for e in events for key in NAMED_KEYS for i in e.data.get(key) or []]
    found = await decisions.people_by_id(db, workspace_id=workspace.id, ids=ids)
    paused = await decisions.paused_until(db, decision, now)
    blocks = card_blocks(decision, now, zone=people.person_zone(decision.decider, workspace), paused_until=paused)
    blocks += timeline_blocks(events, {i: p.slack_user_id for i, p in found.items()})
    await ack(text=card_text(decision), blocks=blocks)
