"""The check-in's channel as Slack sees it: checked before a set-up is saved (it exists, and the app is in it),
and Slack's refusals about it said in words, for a reply (mrkdwn) or a form's field (plain text)."""

from __future__ import annotations

import logging

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from handlers.kit.replies import SLACK_FAILURES

log = logging.getLogger(__name__)

INVITE = "/invite @Followthrough"
TOO_SLOW = "Slack didn't answer in time. Please try again in a moment."

# {where}: "<#C…>" in a reply, "this channel" in a form's field (plain text shows no channel names).
REFUSALS = {
    "channel_not_found": "I can't see {where}: it was deleted, or it is private and I'm not in it. "
    f"Type `{INVITE}` in the channel, then try again.",
    "not_in_channel": f"I'm not in {{where}} yet. Type `{INVITE}` in the channel, then try again.",
    "is_archived": "{where} is archived, so no check-in can run there.",
    "channel_is_archived": "{where} is archived, so no check-in can run there.",
    "missing_scope": "I'm not allowed to read who is in {where}: a workspace admin can reinstall the app "
    "to give me that permission.",
    "team_access_not_granted": "This workspace hasn't given me access to {where}.",
    "ratelimited": "Slack asked me to slow down. Please try again in a minute.",
}


def refusal_words(error: str, where: str, *, plain: bool = False) -> str:
    """Slack's refusal about the channel in a sentence; `plain` for a form's field (no markup there)."""
    text = REFUSALS.get(error, "Slack refused to tell me about {where} (it said " + f"`{error}`). Please try again.")
    text = text.format(where=where)
    text = text[0].upper() + text[1:]
    return text.replace("`", "") if plain else text


def slack_error(exc: Exception, where: str) -> str:
    """What to tell someone whose request a Slack call failed (a refusal, or no answer in time)."""
    if isinstance(exc, SlackApiError):
        return refusal_words(str(exc.response.get("error")), where)
    return TOO_SLOW


async def setup_problem(client: AsyncWebClient, channel_id: str) -> str | None:
    """Why a check-in can't run in this channel, as a form field's error, or None: it must exist, be open,
    and have the app as a member (to post the thread and read who is in it)."""
    try:
        reply = await client.conversations_info(channel=channel_id)
    except SlackApiError as exc:
        log.info("conversations.info %s: %s", channel_id, exc.response.get("error"))
        return refusal_words(str(exc.response.get("error")), "this channel", plain=True)
    except SLACK_FAILURES as exc:
        log.warning("conversations.info %s did not complete: %r", channel_id, exc)
        return "Slack didn't answer in time while I checked this channel, so nothing was saved. Please save again."
    channel = reply.get("channel") or {}
    if channel.get("is_archived"):
        return refusal_words("is_archived", "this channel", plain=True)
    if not channel.get("is_member"):
        return f"I'm not in this channel yet, so I couldn't post its rounds. Type {INVITE} in it, then save again."
    return None
