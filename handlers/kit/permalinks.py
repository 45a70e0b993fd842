"""A message's permalink, for anything made from a message (an action item, an insight)."""

from __future__ import annotations

import logging

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from handlers.kit.replies import SLACK_FAILURES

log = logging.getLogger(__name__)


async def permalink(client: AsyncWebClient, channel: str, ts: str) -> str | None:
    """The message's link, or None when Slack won't say; the request client commits before calling, so no
    transaction waits on Slack."""
    try:
        answer = await client.chat_getPermalink(channel=channel, message_ts=ts)
    except (SlackApiError, *SLACK_FAILURES) as exc:
        log.warning("chat.getPermalink for %s/%s failed: %r", channel, ts, exc)
        return None
    return answer.get("permalink")
