"""`/checkin delete` asks first: what goes, and two buttons (Delete, Keep it)."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import ActionsBlock, ButtonElement, MarkdownTextObject, SectionBlock

from handlers.checkins.blocks.ids import CheckinIds
from handlers.checkins.blocks.text import channel_ref
from models import Cadence


def delete_question(cadence: Cadence) -> dict[str, Any]:
    """The private reply to `/checkin delete`; nothing is deleted until Delete is pressed."""
    text = (
        f"Delete the check-in of {channel_ref(cadence.channel_id)}? Its schedule, rounds and answers go, and "
        "messages still waiting to be sent are called off. Threads already posted stay in the channel. "
        "This can't be undone."
    )
    buttons = [
        ButtonElement(text="Delete", action_id=CheckinIds.DELETE, value=cadence.token, style="danger"),
        ButtonElement(text="Keep it", action_id=CheckinIds.KEEP, value=cadence.token),
    ]
    blocks = [
        SectionBlock(text=MarkdownTextObject(text=text)),
        ActionsBlock(block_id=CheckinIds.DELETE_ACTIONS, elements=buttons),
    ]
    return {"text": text, "blocks": [b.to_dict() for b in blocks], "response_type": "ephemeral"}
