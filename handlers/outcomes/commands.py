"""/outcome: open the definition form, list outcomes, or show one as a card."""

from __future__ import annotations

from datetime import datetime

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.ext.asyncio import AsyncSession

from bot.surface import OUTCOME
from handlers.kit.forms import encode_meta
from handlers.kit.help import command_help_blocks, command_help_text
from handlers.kit.replies import open_view, reply
from handlers.kit.text import from_command, plural
from handlers.outcomes.blocks.form import outcome_form_view
from handlers.outcomes.blocks.lists import list_blocks
from handlers.outcomes.cards import card_reply
from models import Person, Workspace
from services import outcomes
from services.outcomes import ListScope
from services.people import today_for
from services.refs import looks_like_ref

HELP_DETAILS = [
    "*Define* `/outcome` opens a form: title, definition of done, owner (you unless you pick someone), due date, "
    "the priority or outcome it serves, one lagging metric (the result: baseline, target, unit) and one to three "
    "leading indicators, one per line as `name: baseline -> target`.",
    "*Show* `/outcome O-12` (or `o-12`, or `12`) shows the card: owner, due date, status, each metric from baseline "
    "to target with its recent trend, and the latest updates. The owner and admins get buttons to edit, change "
    "the owner, mark it done or drop it.",
    "*List* `/outcome list` (yours), `list channel`, `list all`, `list at-risk`.",
    "*Log progress* with `/progress O-12 42 what moved`; see `/progress help`.",
]


async def outcome_command(
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
    key = word.lower()
    if key in ("", "new", "create"):
        view = outcome_form_view(
            metadata=encode_meta(channel=command.get("channel_id")),
            owner_user_id=command["user_id"],
            title=rest.strip(),
        )
        error = await open_view(client, command["trigger_id"], view)
        await ack(**reply(f"I couldn't open the form ({error}); please try again.") if error else {})
        return
    if key == "list" and rest.strip().lower() in ("", *ListScope):
        scope = ListScope(rest.strip().lower() or ListScope.MINE)
        found, total = await outcomes.list_outcomes(
            db, workspace_id=workspace.id, scope=scope, person=person, channel_id=command.get("channel_id"), limit=20
        )
        blocks = list_blocks(found, total, scope=scope.value, today=today_for(person, workspace, now))
        await ack(text=plural(total, "outcome"), blocks=blocks)
        return
    if looks_like_ref(word) and not rest.strip():
        outcome = await outcomes.get_outcome(db, workspace_id=workspace.id, ref=word)
        if outcome is None:
            await ack(
                **reply(f"I can't find {word.upper()} in this workspace. `/outcome list all` shows what there is.")
            )
            return
        await ack(**await card_reply(db, outcome, person, workspace, now))
        return
    unknown = None if key in ("help", "?") else text
    await ack(
        text=command_help_text(OUTCOME, unknown=unknown),
        blocks=command_help_blocks(OUTCOME, HELP_DETAILS, unknown=unknown),
    )
