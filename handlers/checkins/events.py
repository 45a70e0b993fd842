"""Replies in a round's thread: a participant's reply counts as their answer."""

from __future__ import annotations

from datetime import datetime

from handlers.checkins import messages
from handlers.kit.text import from_message
from services import checkins


def is_thread_reply(event: dict) -> bool:
    """A person's reply in a thread (a reply also sent to the channel included; it arrives once, as a
    thread_broadcast). Edits, deletions, bots and Slack's hidden bookkeeping messages are not replies."""
    if event.get("subtype") not in (None, "thread_broadcast") or event.get("hidden") or event.get("bot_id"):
        return False
    thread_ts, ts = event.get("thread_ts"), event.get("ts")
    return bool(thread_ts and ts and thread_ts != ts and event.get("user") and event.get("text"))


async def message_posted(event: dict, context: dict, now: datetime) -> None:
    """Every message event the app receives (it must answer each, or Slack retries): thread replies in a
    round's thread are answers; everything else is none of our business."""
    # `context`, not a `person` parameter: a message from someone we don't know (a bot) comes without one.
    if not is_thread_reply(event) or "person" not in context:
        return
    db, workspace, person = context["db"], context["workspace"], context["person"]
    round_ = await checkins.round_for_thread(
        db, workspace_id=workspace.id, channel_id=str(event.get("channel") or ""), thread_ts=str(event["thread_ts"])
    )
    if round_ is None:
        return
    # Slack escapes &, < and > in a message's text; the answer is stored as typed, like every other.
    text = from_message(event["text"])
    answered = await checkins.record_thread_reply(db, round_=round_, person=person, text=text, now=now)
    if answered is not None:
        await messages.after_answer(db, round_, answered.invite, first=answered.first, logged=[], now=now)
