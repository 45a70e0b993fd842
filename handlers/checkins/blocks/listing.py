"""`/checkin list`: every check-in of the workspace, its schedule, who is asked and who set it up."""

from __future__ import annotations

from datetime import tzinfo

from slack_sdk.models.blocks import HeaderBlock, MarkdownTextObject, SectionBlock

from handlers.checkins.blocks.text import audience_text, channel_ref, next_round_text, schedule_text
from handlers.kit.text import clip, mention
from models import Cadence


def list_blocks(cadences: list[Cadence], zone: tzinfo) -> list[dict]:
    """`zone`: the reader's, for times Slack can't show in it."""
    if not cadences:
        text = "No check-ins yet. Run `/checkin` in a channel to set one up."
        return [SectionBlock(text=MarkdownTextObject(text=text)).to_dict()]
    blocks: list = [HeaderBlock(text="Check-ins")]
    for cadence in cadences:
        state = "paused" if cadence.paused else (f"next {next_round_text(cadence, zone)}" if cadence.next_at else "")
        text = (
            f"*{channel_ref(cadence.channel_id)}* {schedule_text(cadence)}; {state}\n"
            f"Who: {audience_text(cadence)} · set up by {mention(cadence.owner.slack_user_id)}"
        )
        blocks.append(SectionBlock(text=MarkdownTextObject(text=clip(text, 3000))))
    return [b.to_dict() for b in blocks[:50]]
