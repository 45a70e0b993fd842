"""How a meeting's times and names read: Slack's date markup, which every reader sees in their own zone, with a
fallback written in the zone of the person it is shown to."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from handlers.kit.text import clip, esc
from models import ItemKind, Meeting, MeetingKind, MeetingStatus

KIND_LABELS = {
    MeetingKind.DECISION: "Decision",
    MeetingKind.PROBLEM_SOLVING: "Problem-solving",
    MeetingKind.PLANNING: "Planning",
    MeetingKind.ONE_TO_ONE: "One-to-one",
    MeetingKind.STATUS: "Status update",
}
ITEM_MARK = {ItemKind.DECIDE: "⚖️ decide", ItemKind.DISCUSS: "💬 discuss", ItemKind.INFORM: "📣 inform"}
STATUS_MARK = {MeetingStatus.SCHEDULED: "📅", MeetingStatus.CANCELLED: "⚪", MeetingStatus.HELD: "✅",
               MeetingStatus.ASYNC: "🧵"}  # fmt: skip


def when(moment: datetime, zone: ZoneInfo) -> str:
    """Day and time in each reader's zone; the fallback in `zone` (the reader's), named."""
    local = moment.astimezone(zone)
    return f"<!date^{int(moment.timestamp())}^{{date_short_pretty}} at {{time}}|{local:%a %-d %b %H:%M} {local:%Z}>"


def clock(moment: datetime, zone: ZoneInfo) -> str:
    """Just the time, in each reader's zone; the fallback in `zone`."""
    return f"<!date^{int(moment.timestamp())}^{{time}}|{moment.astimezone(zone):%H:%M}>"


def title(meeting: Meeting, limit: int = 150) -> str:
    return esc(clip(meeting.title, limit))


def line(meeting: Meeting, zone: ZoneInfo) -> str:
    """`📅 *M-4* Pricing review · Tue 1 Dec at 15:00 · 45 min · #general`"""
    parts = [f"{STATUS_MARK[meeting.status]} *{meeting.ref}* {title(meeting, 100)}", when(meeting.starts_at, zone),
             f"{meeting.minutes} min"]  # fmt: skip
    if meeting.channel_id:
        parts.append(f"<#{meeting.channel_id}>")
    return " · ".join(parts)
