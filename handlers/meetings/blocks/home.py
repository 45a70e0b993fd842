"""The Home tab's "My meetings this week": each meeting with its time in the reader's zone, "not ready" on the
ones they organise (what the gate would find missing) and how many pre-reads they still have to read."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from slack_sdk.models.blocks import ContextBlock, HeaderBlock, MarkdownTextObject, SectionBlock

from handlers.kit.text import plural
from handlers.meetings.blocks.words import title, when
from services.meetings import WeekMeeting

HOME_SHOWN = 8  # of Slack's 100 blocks in a Home tab, this section takes at most 11


def week_line(found: WeekMeeting, zone: ZoneInfo) -> str:
    meeting = found.meeting
    parts = [f"📅 *{meeting.ref}* {title(meeting, 100)}", when(meeting.starts_at, zone), f"{meeting.minutes} min"]
    if found.organises:
        parts.append("you organise it")
    text = " · ".join(parts)
    if found.missing:
        text += f"\n🚧 *Not ready:* {'; '.join(found.missing)}."
    if found.unread:
        text += f"\n📄 {plural(found.unread, 'pre-read')} unread: `/meeting {meeting.ref}` has them."
    return text


def week_blocks(week: list[WeekMeeting], zone: ZoneInfo) -> list[dict]:
    blocks: list = [HeaderBlock(text="My meetings this week")]
    for found in week[:HOME_SHOWN]:
        blocks.append(SectionBlock(text=MarkdownTextObject(text=week_line(found, zone))))
    if not week:
        blocks.append(SectionBlock(text=MarkdownTextObject(text="No meetings for you in the next seven days. "
                                                                "`/meeting` schedules one.")))  # fmt: skip
    if len(week) > HOME_SHOWN:
        more = len(week) - HOME_SHOWN
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=f"…and {more} more: `/meeting list`")]))
    return [b.to_dict() for b in blocks]
