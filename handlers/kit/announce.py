"""The channel hears when an outcome takes a turn for the worse (to at risk or off track), when it comes back from
one, when it is done, and when it is reopened, whoever changed it: /progress, the Log progress form, the card's
Mark done, or a health finding's "Mark at risk"."""

from __future__ import annotations

import asyncio
import logging

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.ext.asyncio import AsyncSession

from bot.surface import INVITE
from handlers.kit.outcome_status import STATUS_MARK
from handlers.kit.replies import SLACK_FAILURES
from handlers.kit.text import clip, esc, mention
from models import Person
from services.outcomes.progress import Logged

log = logging.getLogger(__name__)
# Slack wants its answer within 3 s; an announcement stuck in rate-limit retries must not take the reply with it.
ANNOUNCE_TIMEOUT = 1.2  # with the rest of a request, well inside 3 s on a busy 2-core machine


def announcement_text(logged: Logged, *, author_user_id: str) -> str:
    outcome = logged.outcome
    assert logged.status_after is not None and logged.status_before is not None
    line = (
        f"{STATUS_MARK[logged.status_after]} *{outcome.ref} · {esc(outcome.title)}* is now "
        f"*{logged.status_after.label.lower()}* (was {logged.status_before.label.lower()}), "
        f"says {mention(author_user_id)}."
    )
    if logged.update.note:
        line += "\n> " + esc(clip(" ".join(logged.update.note.split()), 500))
    if logged.update.blocker:
        line += "\nBlocker: " + esc(clip(" ".join(logged.update.blocker.split()), 500))
    return line + f"\nOwner: {mention(outcome.owner.slack_user_id)} · `/outcome {outcome.ref}` shows the card."


def announced_note(channel_id: str, error: str | None) -> str:
    if error is None:
        return f"I told <#{channel_id}> about the status change."
    return (
        f"I couldn't tell <#{channel_id}> about the status change ({error}); "
        f"invite me there with `{INVITE}` so the next one reaches it."
    )


async def announce(session: AsyncSession, client: AsyncWebClient, logged: Logged, author: Person) -> str | None:
    """Tells the outcome's channel about a change worth announcing; returns the line that says how that went."""
    if not logged.worth_announcing:
        return None
    channel = logged.outcome.channel_id or ""
    # The update is stored before Slack hears of it, so a failed post (or a slow one) never loses it.
    await session.commit()
    try:
        await asyncio.wait_for(
            client.chat_postMessage(
                channel=channel, text=announcement_text(logged, author_user_id=author.slack_user_id)
            ),
            ANNOUNCE_TIMEOUT,
        )
    except SlackApiError as exc:
        error = str(exc.response.get("error"))
        log.warning("announcing %s in %s failed: %s", logged.outcome.ref, channel, error)
        return announced_note(channel, error)
    except SLACK_FAILURES as exc:
        log.warning("announcing %s in %s failed: %r", logged.outcome.ref, channel, exc)
        return announced_note(channel, "Slack did not answer in time")
    return announced_note(channel, None)
