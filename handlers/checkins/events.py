"""Replies in a round's thread: a participant's reply counts as their answer."""

from __future__ import annotations

from datetime import datetime

from handlers.checkins import messages
from handlers.kit.text import from_message
from handlers.kit.threads import is_thread_reply
from services import checkins


async def message_posted(event: dict, context: dict, now: datetime) -> bool:
    """A message event (handlers.kit.threads routes them): thread replies in a round's thread are answers;
    True when the thread is a round's, so no other feature looks further."""
    # `context`, not a `person` parameter: a message from someone we don't know (a bot) comes without one.
    if not is_thread_reply(event) or "person" not in context:
        return False
    db, workspace, person = context["db"], context["workspace"], context["person"]
    round_ = await checkins.round_for_thread(
        db, workspace_id=workspace.id, channel_id=str(event.get("channel") or ""), thread_ts=str(event["thread_ts"])
    )
    if round_ is None:
        return False
    # Slack escapes &, < and > in a message's text; the answer is stored as typed, like every other.
    text = from_message(event["text"])
    answered = await checkins.record_thread_reply(db, round_=round_, person=person, text=text, now=now)
    if answered is not None:
        await messages.after_answer(db, round_, answered.invite, first=answered.first, logged=[], now=now)
    return True
