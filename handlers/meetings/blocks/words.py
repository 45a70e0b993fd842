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
# What an edit changed, as the history and the answers say it (keys: services.meetings.Field values).
CHANGED_WORDS = {
    "title": "the name", "kind": "the kind", "outcome": "the desired outcome", "start": "the start",
    "duration": "the length", "facilitator": "the facilitator", "attendees": "the attendees",
    "optional": "the optional attendees", "agenda": "the agenda", "pre_reads": "the pre-reads",
}  # fmt: skip
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
    if meeting.status is MeetingStatus.ASYNC and meeting.async_deadline:  # a thread, not a slot in the diary
        timing = [f"written input due {when(meeting.async_deadline, zone)}"]
    else:
        timing = [when(meeting.starts_at, zone), f"{meeting.minutes} min"]
    parts = [f"{STATUS_MARK[meeting.status]} *{meeting.ref}* {title(meeting, 100)}", *timing]
    if meeting.channel_id:
        parts.append(f"<#{meeting.channel_id}>")
    return " · ".join(parts)


def changed_words(changed: list[str]) -> str:
    """`the start, the agenda and the pre-reads`; `it` when nothing is named (older history)."""
    words = [CHANGED_WORDS.get(name, name) for name in changed]
    if not words:
        return "it"
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]
