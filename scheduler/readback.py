"""Looking in Slack for a post whose outcome is unknown, before the sender posts it again.

Every chat.postMessage the sender makes carries message metadata naming its delivery (`stamp`). When a call's
outcome is unknown (it timed out, the connection dropped, Slack answered 5xx, or a sender died mid-call), the
delivery records since when; before the next try the sender reads the conversation back (`look_for`):
conversations.history, or conversations.replies for a post in a thread, from MARGIN before that time to SPAN
after it, with include_all_metadata (without it Slack leaves the metadata out). A message that carries this
delivery's key and workspace is the earlier post: the sender records its ts and does not post again.

A direct message addressed by user id (U…, W…) has no conversation id until Slack answers, and after a timeout
there is no answer: conversations.open (scope im:write) gives it, the same DM every time. Reading a DM back needs
im:history, channels channels:history or groups:history; a workspace installed before im:history was added
answers missing_scope until it is reinstalled, and the sender then posts again (see Sender._look_back).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.slack_clients import retry_after
from services.delivery import TRANSIENT_ERRORS

EVENT_TYPE = "followthrough_delivery"
MARGIN = timedelta(seconds=60)  # this host's clock against Slack's, which stamps the ts
SPAN = timedelta(minutes=3)  # a call is carried out within its lease (60 s) of its start, or not at all
PAGE_SIZE = 200
PAGES = 3  # 600 messages in those few minutes is a flood; past that the search gives up and says so
POSTS = "chat.postMessage"


class Result(StrEnum):
    FOUND = "found"  # the earlier post is there: recorded as sent, not posted again
    ABSENT = "absent"  # not there: post
    UNAVAILABLE = "unavailable"  # the read-back cannot be done (missing scope, not in channel, ...): post anyway
    RETRIED = "retried"  # the read-back failed in a way that may pass: try again later, not posting meanwhile
    RATELIMITED = "ratelimited"  # the read-back was rate limited: try again after Retry-After
    HELD = "held"  # the claim's lease ran too short to go on: handed back


RESULTS = tuple(Result)


@dataclass(frozen=True)
class Look:
    result: Result
    channel: str | None = None
    ts: str | None = None
    method: str | None = None  # the call that failed
    error: str | None = None
    answered: bool = False  # the error is Slack's answer (not a timeout, nor the search giving up)
    retry_after: float = 0.0


def stamp(args: dict[str, Any], *, key: str, team_id: str) -> dict[str, Any]:
    """chat.postMessage arguments with metadata naming the delivery (a feature's own metadata is kept)."""
    if "metadata" in args:
        return args
    return {**args, "metadata": {"event_type": EVENT_TYPE, "event_payload": {"key": key, "workspace": team_id}}}


def is_stamped(message: dict, *, key: str, team_id: str) -> bool:
    metadata = message.get("metadata")
    if not isinstance(metadata, dict) or metadata.get("event_type") != EVENT_TYPE:
        return False
    payload = metadata.get("event_payload")
    return isinstance(payload, dict) and payload.get("key") == key and payload.get("workspace") == team_id


async def look_for(
    client: AsyncWebClient,
    *,
    args: dict[str, Any],
    key: str,
    team_id: str,
    since: datetime,
    in_time: Callable[[], bool],
) -> Look:
    """Find the post of delivery `key` made by a call that started at `since` or later. `in_time()` says whether
    another call may still start within the claim's lease."""
    method = "conversations.open"
    try:
        channel = str(args.get("channel") or "")
        if channel[:1] in ("U", "W"):
            if not in_time():
                return Look(Result.HELD)
            opened = await client.conversations_open(users=channel)
            channel = str((opened.get("channel") or {}).get("id") or "")
        method = "conversations.replies" if args.get("thread_ts") else "conversations.history"
        return await _search(client, method, channel, args.get("thread_ts"), key, team_id, since, in_time)
    except SlackApiError as exc:
        return _refused(method, exc)
    except Exception as exc:  # a timeout or a dropped connection: Slack may be struggling; try again later
        error = "timeout" if isinstance(exc, TimeoutError) else f"connection_error:{type(exc).__name__}"
        return Look(Result.RETRIED, method=method, error=error)


async def _search(
    client: AsyncWebClient,
    method: str,
    channel: str,
    thread_ts: str | None,
    key: str,
    team_id: str,
    since: datetime,
    in_time: Callable[[], bool],
) -> Look:
    window = {
        "channel": channel,
        "oldest": _slack_ts(since - MARGIN),
        "latest": _slack_ts(since + SPAN),
        "include_all_metadata": True,
        "limit": PAGE_SIZE,
    }
    if thread_ts:
        window["ts"] = thread_ts
    cursor = None
    for _ in range(PAGES):
        if not in_time():
            return Look(Result.HELD)
        page = await client.api_call(method, http_verb="GET", params={**window, "cursor": cursor})
        for message in page.get("messages") or []:
            if is_stamped(message, key=key, team_id=team_id):
                return Look(Result.FOUND, channel=channel, ts=str(message["ts"]))
        cursor = (page.get("response_metadata") or {}).get("next_cursor")
        if not cursor:
            return Look(Result.ABSENT)
    return Look(Result.UNAVAILABLE, method=method, error="too_many_messages")


def _refused(method: str, exc: SlackApiError) -> Look:
    data = exc.response.data if isinstance(exc.response.data, dict) else {}
    status = exc.response.status_code
    error = str(data.get("error") or f"http_{status}")
    if status == 429 or error == "ratelimited":
        wait = retry_after(exc.response.headers)
        return Look(Result.RATELIMITED, method=method, error="ratelimited", answered=True, retry_after=wait)
    if status >= 500 or error in TRANSIENT_ERRORS:
        return Look(Result.RETRIED, method=method, error=error, answered=True)
    return Look(Result.UNAVAILABLE, method=method, error=error, answered=True)


def _slack_ts(when: datetime) -> str:
    return f"{when.timestamp():.6f}"
