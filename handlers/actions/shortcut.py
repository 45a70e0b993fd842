"""The message shortcut "Create action item": the form at once, filled in from the message; the message's
permalink is fetched when the form is submitted (handlers.actions.forms), never inside a transaction."""

from __future__ import annotations

import re
from datetime import datetime

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.actions.blocks.forms import create_view
from handlers.actions.commands import first_working_day_after
from handlers.kit.forms import encode_meta
from handlers.kit.replies import SLACK_FAILURES, open_view
from handlers.kit.text import clip, from_message, readable
from models import Person, Workspace
from services import actions, people

_MENTIONED = re.compile(r"<@([UW][A-Z0-9]+)>")


def suggested_owner(message: dict, person: Person) -> str:
    """The message's author, when a person wrote it; else whoever used the shortcut."""
    author = message.get("user") or ""
    if message.get("bot_id") or not author.startswith(("U", "W")):
        return person.slack_user_id
    return author


async def message_shortcut(
    ack: AsyncAck,
    shortcut: dict,
    respond: AsyncRespond,
    client: AsyncWebClient,
    db: AsyncSession,
    workspace: Workspace,
    person: Person,
    now: datetime,
) -> None:
    await ack()
    message = shortcut.get("message") or {}
    channel = (shortcut.get("channel") or {}).get("id")
    ts = message.get("ts")
    meta = encode_meta(channel=channel, ts=ts, thread=message.get("thread_ts") or ts)
    raw = message.get("text") or ""
    names = await people.names_of(db, workspace_id=workspace.id, slack_user_ids=_MENTIONED.findall(raw))
    # Read as names before unescaping, while Slack markup and typed brackets still differ: never a ping.
    text = " ".join(from_message(readable(raw, names)).split())
    view = create_view(
        metadata=meta,
        owner=suggested_owner(message, person),
        due=first_working_day_after(people.today_for(person, workspace, now)),
        what_text=clip(text, actions.MAX_WHAT),
        note=f"From a message in <#{channel}>; its thread hears when this is done." if channel else None,
    )
    error = await open_view(client, shortcut["trigger_id"], view)
    if error:
        try:
            await respond(text=f"I couldn't open the form ({error}); please try again.", response_type="ephemeral")
        except SLACK_FAILURES:
            pass
