"""Answers to people: private replies, button feedback, modals, and redrawing where a form came from.

Slack failures here are reported to the caller or logged, never raised: what the person did stays done.
"""

from __future__ import annotations

import logging

import aiohttp
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from handlers.kit.text import esc, mention
from services.errors import Forbidden

log = logging.getLogger(__name__)
SLACK_FAILURES = (SlackClientError, aiohttp.ClientError, TimeoutError)


def reply(text: str, **extra: object) -> dict:
    """An answer only the person who typed the command sees."""
    return {"text": text, "response_type": "ephemeral", **extra}


async def tell(body: dict, respond: AsyncRespond | None, client: AsyncWebClient, text: str) -> None:
    """A private answer to a button press: in place when Slack gave a response_url, else in the app's DM.
    Best effort: whatever the press changed stays changed if Slack cannot be reached."""
    try:
        if respond is not None and body.get("response_url"):
            await respond(text=text, response_type="ephemeral", replace_original=False)
        else:
            await client.chat_postMessage(channel=body["user"]["id"], text=text)
    except SLACK_FAILURES as exc:
        log.warning("could not answer %s: %r", body["user"]["id"], exc)


async def open_view(client: AsyncWebClient, trigger_id: str, view: dict) -> str | None:
    """Opens a modal; returns Slack's error instead of raising, so the person can be told."""
    try:
        await client.views_open(trigger_id=trigger_id, view=view)
    except SlackApiError as exc:
        log.warning("views.open failed: %s", exc.response.get("error"))
        return str(exc.response.get("error"))
    except SLACK_FAILURES as exc:  # a hanging or rate-limited Slack, cut off at the request's deadline
        log.warning("views.open did not complete: %r", exc)
        return "Slack took too long to answer"
    return None


async def send_to_response_url(url: str | None, *, text: str, blocks: list[dict]) -> None:
    """Redraws the message a form was opened from; failing to is not worth failing the form for."""
    if not url:
        return
    try:
        await AsyncWebhookClient(url).send(text=text, blocks=blocks, replace_original=True)
    except SLACK_FAILURES as exc:
        log.warning("could not redraw the message at its response_url: %s", exc)


def opened_from_home(body: dict) -> bool:
    return (body.get("view") or {}).get("type") == "home"


def forbidden_text(exc: Forbidden, *, plain: bool = False) -> str:
    """Who may do it instead; `plain` for a form's field error, where Slack shows no mentions."""
    if plain:
        return exc.describe(lambda p: esc(p.display_name or p.slack_user_id))
    return exc.describe(lambda p: mention(p.slack_user_id))


def refusal_text(exc: Exception) -> str:
    """A service's refusal in a message (mrkdwn). Its message may repeat what was typed (a ref, a value, a
    chosen option), so it is escaped here, once; a Forbidden mentions who may instead."""
    if isinstance(exc, Forbidden):
        return forbidden_text(exc)
    return esc(str(exc))


def ending(text: str, sentence: str) -> str:
    """`text` followed by `sentence` ("Nothing was stored."), unless the text already says nothing was done:
    a refusal that ends in "Nothing was changed." must not be followed by "Nothing was stored." too."""
    if "nothing was " in text.lower():
        return text
    return f"{text} {sentence}"


def error_text(exc: Exception) -> str:
    """A service's refusal as a form's field error. Slack shows field errors as plain text (no markup, no
    mentions), so the message stays as written; a Forbidden names who may instead."""
    if isinstance(exc, Forbidden):
        return forbidden_text(exc, plain=True)
    return str(exc)
