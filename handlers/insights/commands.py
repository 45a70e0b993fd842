"""/insight: add someone's words to an outcome on one line or in the form, list an outcome's latest, and help."""

from __future__ import annotations

from datetime import datetime

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.ext.asyncio import AsyncSession

from bot.surface import INSIGHT
from handlers.insights.blocks.forms import LISTED, added_text, insight_view, listing_blocks
from handlers.kit.forms import encode_meta
from handlers.kit.help import command_help_blocks, command_help_text
from handlers.kit.replies import open_view, reply
from handlers.kit.text import esc, from_command, readable
from models import Outcome, Person, Workspace
from services import outcomes
from services.errors import Invalid
from services.health import insights

HELP_DETAILS = [
    '*One line* `/insight O-12 "We would pay for the export today" — Dana, Acme call`: the outcome, the words '
    "in quotes, then a dash and who said them (and where). Straight or curly quotes both work.",
    "*From a message* on any message, *More actions → Add as insight* opens the form with the message's words and "
    "its author filled in; the insight keeps a link to the message.",
    "*Where they show* an outcome's card shows its latest three beside the numbers, and the weekly health post "
    "in the outcome's channel lists the week's. `/insight O-12` lists an outcome's latest; anyone in the "
    "workspace may add one.",
]
ORDER = f"Example: `{insights.EXAMPLE}`. `/insight help` has more."


async def insight_command(ack: AsyncAck, command: dict, client: AsyncWebClient, db: AsyncSession,
                          workspace: Workspace, person: Person, now: datetime) -> None:  # fmt: skip
    raw = command.get("text") or ""
    text = from_command(raw).strip()
    word, _, rest = text.partition(" ")
    if word.lower() in ("", "new"):
        view = insight_view(metadata=encode_meta(channel=command.get("channel_id")))
        error = await open_view(client, command["trigger_id"], view)
        await ack(**reply(f"I couldn't open the form ({error}); please try again.") if error else {})
    elif word.lower() in ("help", "?"):
        await ack(text=command_help_text(INSIGHT), blocks=command_help_blocks(INSIGHT, HELP_DETAILS))
    elif not rest.strip():
        await show(ack, db, workspace, word)
    else:
        # Slack markup in the words (`<!here>`, `<@U1|alex>`) is read as text before unescaping, where it still
        # differs from brackets someone typed: quoting a customer never pings anyone.
        await add_line(ack, db, workspace, person, now, from_command(readable(raw.strip())))


async def add_line(ack: AsyncAck, db: AsyncSession, workspace: Workspace, person: Person, now: datetime,
                   text: str) -> None:  # fmt: skip
    try:
        typed = insights.parse(text)
        insight = await insights.add(db, workspace=workspace, author=person, ref=typed.ref, quote=typed.quote,
                                     source=typed.source, now=now)  # fmt: skip
    except Invalid as exc:
        said = esc(" ".join(exc.errors.values()))
        example = "`/insight help` has more." if insights.EXAMPLE in said else ORDER
        await ack(**reply(f"Nothing was saved. {said}\n{example}"))
        return
    outcome = await db.get(Outcome, insight.outcome_id)
    assert outcome is not None
    await ack(**reply(added_text(insight, outcome)))


async def show(ack: AsyncAck, db: AsyncSession, workspace: Workspace, ref: str) -> None:
    outcome = await outcomes.get_outcome(db, workspace_id=workspace.id, ref=ref)
    if outcome is None:
        await ack(**reply(f"I can't find {esc(ref.upper()[:20])} in this workspace. `/outcome list` shows yours. "
                          f"{ORDER}"))  # fmt: skip
        return
    found = await insights.latest(db, workspace_id=workspace.id, outcome_ids=[outcome.id], per_outcome=LISTED)
    await ack(**reply(f"Insights on {outcome.ref}: {len(found[outcome.id])}",
                      blocks=listing_blocks(outcome, found[outcome.id])))  # fmt: skip
