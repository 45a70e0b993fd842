"""The meeting's thread while it runs: the message that opens it at the start (title and desired outcome), the
agenda as the first reply, and the short "time is up" note as each time-box ends. Pure.

These go to the meeting's channel, where nobody is pinged: people are named, never mentioned. No `channel` is
given for the replies: the outbox puts them in the thread of the opening message, wherever that went.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from slack_sdk.models.blocks import ContextBlock, MarkdownTextObject, SectionBlock

from handlers.kit.text import clip, esc
from handlers.meetings.blocks.words import ITEM_MARK, clock, title
from models import AgendaItem, Meeting, Person

SHOWN_ITEMS = 40  # lines in the agenda reply; the meeting's limit is lower, this only guards the block


def plain_name(person: Person) -> str:
    """A person's name as the channel sees it; never a mention, which would ping them."""
    return esc(clip(person.display_name or "someone without a name in Slack", 80))


def _section(text: str) -> dict:
    return SectionBlock(text=MarkdownTextObject(text=clip(text, 3000))).to_dict()


def opening(meeting: Meeting, channel: str) -> dict[str, Any]:
    """The thread's first message: what the meeting is for, who runs it, and that the agenda follows."""
    head = f"▶️ *{meeting.ref}* {title(meeting)} is starting ({meeting.minutes} min)"
    lines = [
        head,
        f"🎯 *Desired outcome:* {esc(clip(meeting.desired_outcome, 500))}",
        f"Facilitator: {plain_name(meeting.facilitator)}"
        + (" · the agenda is in the thread" if meeting.items else " · there is no agenda"),
    ]
    note = ContextBlock(elements=[MarkdownTextObject(text="Time-box notes and the outcome follow in the thread.")])
    return {"channel": channel, "text": clip(head, 3000), "blocks": [_section("\n".join(lines)), note.to_dict()]}


def agenda_reply(meeting: Meeting, zone: ZoneInfo) -> dict[str, Any]:
    """The running order with each item's clock time (every reader sees their own zone; the fallback is in
    `zone`), its owner by name, its minutes and what it is for."""
    lines, offset = [], 0
    for item in meeting.items[:SHOWN_ITEMS]:
        starts = meeting.starts_at + timedelta(minutes=offset)
        lines.append(f"{clock(starts, zone)} *{esc(clip(item.topic, 150))}* · {plain_name(item.owner)} · "
                     f"{item.minutes} min · {ITEM_MARK[item.kind]}")  # fmt: skip
        offset += item.minutes
    spare = meeting.minutes - offset
    if spare > 0:
        lines.append(f"{clock(meeting.starts_at + timedelta(minutes=offset), zone)} _{spare} min to spare_")
    text = "*Running order*\n" + "\n".join(lines)
    return {"text": f"Running order of {meeting.ref}", "blocks": [_section(text)]}


def time_up(meeting: Meeting, item: AgendaItem, following: AgendaItem | None) -> dict[str, Any]:
    """One short note when an item's time-box ends, naming what comes next."""
    done = f"⏱ Time for *{esc(clip(item.topic, 150))}* is up"
    if following is None:
        text = (f"{done}; that was the last item. Did we reach the desired outcome? The facilitator records it from "
                f"`/meeting {meeting.ref}`.")  # fmt: skip
    else:
        text = (f"{done}; next: *{esc(clip(following.topic, 150))}* ({plain_name(following.owner)}, "
                f"{following.minutes} min).")  # fmt: skip
    return {"text": clip(text, 3000)}
