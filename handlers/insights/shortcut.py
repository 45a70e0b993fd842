"""The message shortcut "Add as insight": the form, filled in with the message's words and its author's name; the
message's permalink is fetched when the form is submitted (handlers.insights.forms), never inside a transaction."""

from __future__ import annotations

import re
from datetime import datetime

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.insights.blocks.forms import insight_view
from handlers.kit.forms import encode_meta
from handlers.kit.profiles import refresh_named
from handlers.kit.replies import SLACK_FAILURES, open_view
from handlers.kit.text import from_message, readable
from models import Workspace
from services import people

_MENTIONED = re.compile(r"<@([UW][A-Z0-9]+)>")


async def author_name(client: AsyncWebClient, db: AsyncSession, workspace: Workspace, message: dict,
                      now: datetime) -> str:  # fmt: skip
    """The name of the person who wrote the message, as Slack shows it; blank for an app's message. A profile
    older than a day is read again first, cut off after a second so the form still opens in time."""
    author = message.get("user") or ""
    if message.get("bot_id") or not author.startswith(("U", "W")):
        return ""
    [found] = await refresh_named(client, db, workspace, [author], now)
    return "" if found.is_bot else found.display_name or ""


async def message_shortcut(ack: AsyncAck, shortcut: dict, respond: AsyncRespond, client: AsyncWebClient,
                           db: AsyncSession, workspace: Workspace, now: datetime) -> None:  # fmt: skip
    await ack()
    message = shortcut.get("message") or {}
    channel = (shortcut.get("channel") or {}).get("id")
    raw = message.get("text") or ""
    names = await people.names_of(db, workspace_id=workspace.id, slack_user_ids=_MENTIONED.findall(raw))
    # Read as names before unescaping, while Slack markup and typed brackets still differ: never a ping.
    quote = from_message(readable(raw, names)).strip()
    view = insight_view(
        metadata=encode_meta(channel=channel, ts=message.get("ts")),
        quote=quote,
        source=await author_name(client, db, workspace, message, now),
        note=f"From a message in <#{channel}>; the insight keeps its link." if channel else None,
    )
    error = await open_view(client, shortcut["trigger_id"], view)
    if error:
        try:
            await respond(text=f"I couldn't open the form ({error}); please try again.", response_type="ephemeral")
        except SLACK_FAILURES:
            pass
