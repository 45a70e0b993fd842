"""When a request fails, the person gets a sentence within Slack's 3 s, and the log gets one line.

Bolt's default is an empty 500 (Slack shows `dispatch_failed`) and a traceback per request: a 20-second
database outage became 26,000 log lines. Here a failure is classified (the database can't be reached, or
something else broke), answered in the way the payload allows, and logged once per kind per few seconds.
Events keep a 5xx so that Slack retries them once the database is back (their effects must not be lost).
"""

from __future__ import annotations

import json
import logging
from typing import Any

from slack_bolt.response import BoltResponse
from sqlalchemy import exc as sa

from bot.edge import QuietLog
from bot.request_client import SlackTooSlow

log = logging.getLogger(__name__)
failures = QuietLog(log)

DATABASE_DOWN = "Followthrough can't reach its database just now, so nothing was changed. Try again in a minute."
SLACK_SLOW = "Slack didn't answer me in time, so I couldn't finish that. Please try again in a moment."
BROKEN = (
    "Something went wrong on Followthrough's side, so nothing was changed. "
    "Try again, and tell your admin if it keeps happening."
)


class TookTooLong(TimeoutError):
    """The request was given up on at Slack's deadline; Slack calls are cut off earlier, so it is the database."""


def is_database_outage(error: BaseException) -> bool:
    """Connection refused, a stalled server, an exhausted pool: the database, not the request, is the problem."""
    if isinstance(error, SlackTooSlow):
        return False
    if isinstance(error, sa.DBAPIError) and error.connection_invalidated:
        return True
    return isinstance(error, (sa.OperationalError, sa.InterfaceError, sa.TimeoutError, OSError, TimeoutError))


def failure_response(error: BaseException, body: dict[str, Any]) -> BoltResponse:
    """The answer Slack shows for a failed request of this kind, and one (rate-limited) log line."""
    outage = is_database_outage(error)
    kind = "database" if outage else type(error).__name__
    failures.warning(kind, f"request failed ({kind}): {type(error).__name__}: {str(error)[:200]}")
    text = DATABASE_DOWN if outage else SLACK_SLOW if isinstance(error, SlackTooSlow) else BROKEN
    payload_type = body.get("type")
    if body.get("command"):
        return _json({"response_type": "ephemeral", "text": text})
    if payload_type == "view_submission":
        block = first_input_block((body.get("view") or {}).get("blocks") or [])
        if block:  # the form stays open with what was typed, and says why it could not be saved
            return _json({"response_action": "errors", "errors": {block: text}})
        return _json({"response_action": "update", "view": notice_view(text)})
    if payload_type == "block_suggestion":
        return _json({"options": []})
    if payload_type == "event_callback":
        return BoltResponse(status=500, body="")
    return BoltResponse(status=200, body="", headers={"x-followthrough-failed": "1"})


async def bolt_error_handler(error: Exception, body: dict[str, Any]) -> BoltResponse:
    """Bolt's global error handler (listeners and middleware)."""
    return failure_response(error, body)


def first_input_block(blocks: list[dict[str, Any]]) -> str | None:
    return next((b.get("block_id") for b in blocks if b.get("type") == "input" and b.get("block_id")), None)


def notice_view(text: str) -> dict[str, Any]:
    return {
        "type": "modal",
        "title": {"type": "plain_text", "text": "Not saved"},
        "close": {"type": "plain_text", "text": "Close"},
        "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": text}}],
    }


def _json(content: dict[str, Any]) -> BoltResponse:
    # The marker header tells dispatch to roll back: a friendly failure is still a failure.
    headers = {"content-type": "application/json", "x-followthrough-failed": "1"}
    return BoltResponse(status=200, body=json.dumps(content), headers=headers)
