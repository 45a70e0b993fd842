"""Noticing that someone answered a DM the bot started: a button pressed on it, or a reply in its thread (or,
in the DM itself, to the latest one). A global middleware, so every feature's buttons count without each
listener knowing. It runs in the request's session just before the listener (Bolt's global middleware cannot
wrap one), costs one indexed lookup, and never fails the request."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from services.attention import responses

log = logging.getLogger(__name__)


def pressed_on(body: dict) -> tuple[str, str, str] | None:
    """(user, channel, message ts) of a button pressed on a message; None for anything else."""
    container = body.get("container") or {}
    user = (body.get("user") or {}).get("id")
    if body.get("type") != "block_actions" or container.get("type") != "message" or container.get("is_ephemeral"):
        return None
    channel, ts = container.get("channel_id"), container.get("message_ts")
    return (user, channel, ts) if user and channel and ts else None


def written_in(body: dict) -> tuple[str, str, str | None] | None:
    """(user, channel, thread ts or None for a top-level DM message) of a person's message; None otherwise."""
    event = body.get("event") or {}
    if body.get("type") != "event_callback" or event.get("type") != "message":
        return None
    if event.get("subtype") not in (None, "thread_broadcast", "file_share") or event.get("bot_id"):
        return None  # edits, deletions, joins and bots answer nothing
    user, channel, ts, thread_ts = event.get("user"), event.get("channel"), event.get("ts"), event.get("thread_ts")
    if not user or not channel:
        return None
    if thread_ts and thread_ts != ts:
        return user, channel, thread_ts
    direct = event.get("channel_type") == "im" or channel.startswith("D")
    return (user, channel, None) if direct else None


async def record(session: AsyncSession, workspace_id: int, body: dict, now: datetime) -> bool:
    if found := pressed_on(body):
        user, channel, ts = found
        return await responses.answered_message(session, workspace_id=workspace_id, user=user, channel=channel,
                                                ts=ts, now=now)  # fmt: skip
    if found := written_in(body):
        user, channel, thread_ts = found
        if thread_ts is not None:
            return await responses.answered_message(session, workspace_id=workspace_id, user=user,
                                                    channel=channel, ts=thread_ts, now=now)  # fmt: skip
        return await responses.answered_in_dm(session, workspace_id=workspace_id, user=user, channel=channel, now=now)
    return False


async def record_answers(body: dict, context: dict[str, Any], next: Callable[[], Awaitable[None]]) -> None:
    """In a savepoint, so that a failure here (logged) leaves the request's session as it was for the listener."""
    session, workspace, now = context.get("db"), context.get("workspace"), context.get("now")
    if session is not None and workspace is not None and now is not None and (pressed_on(body) or written_in(body)):
        try:
            async with session.begin_nested():
                await record(session, workspace.id, body, now)
        except Exception:  # an answer not counted is worth a log line, never the person's request
            log.warning("could not record an answer to a DM", exc_info=True)
    await next()
