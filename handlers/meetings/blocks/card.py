"""A meeting's card (desired outcome first, then the running order with clock times, the pre-reads and who has
read them), its history, and the lists."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    ContextBlock,
    HeaderBlock,
    MarkdownTextObject,
    SectionBlock,
)

from handlers.kit.text import clip, esc, link, mention, slack_date
from handlers.meetings.blocks.ids import MeetingIds
from handlers.meetings.blocks.words import (
    ITEM_MARK,
    KIND_LABELS,
    STATUS_MARK,
    changed_words,
    clock,
    line,
    title,
    when,
)
from models import AttendeeRole, Meeting, MeetingEvent, MeetingEventKind, MeetingStatus, Person, PreRead
from services import meetings
from services.meetings import Listing

PRE_READ_LABEL = "open it"


def _section(text: str) -> SectionBlock:
    return SectionBlock(text=MarkdownTextObject(text=text))


def facts(meeting: Meeting, zone: ZoneInfo) -> str:
    organiser = mention(meeting.organiser.slack_user_id)
    parts = [f"{STATUS_MARK[meeting.status]} {meeting.status.value}", when(meeting.starts_at, zone),
             f"{meeting.minutes} min", KIND_LABELS[meeting.kind], f"organiser {organiser}"]  # fmt: skip
    if meeting.facilitator_id != meeting.organiser_id:
        parts.append(f"facilitator {mention(meeting.facilitator.slack_user_id)}")
    if meeting.status is MeetingStatus.ASYNC and meeting.async_deadline:
        parts.append(f"written input due {when(meeting.async_deadline, zone)}")
    if meeting.series_id:
        parts.append("🔁 part of a series")
    if meeting.channel_id:
        parts.append(f"<#{meeting.channel_id}>")
    return " · ".join(parts)


def who_comes(meeting: Meeting) -> str:
    required = [mention(a.person.slack_user_id) for a in meeting.attendees if a.role is AttendeeRole.REQUIRED]
    optional = [mention(a.person.slack_user_id) for a in meeting.attendees if a.role is AttendeeRole.OPTIONAL]
    text = "*Attendees* " + (", ".join(required) or "nobody yet")
    return text + (f" · optional: {', '.join(optional)}" if optional else "")


def running_order(meeting: Meeting, zone: ZoneInfo) -> str:
    if not meeting.items:
        return "*Running order*\nNo agenda yet. A meeting without one rarely reaches its outcome."
    lines, offset = [], 0
    for item in meeting.items:
        starts = meeting.starts_at + timedelta(minutes=offset)
        lines.append(f"{clock(starts, zone)} *{esc(clip(item.topic, 150))}* · {mention(item.owner.slack_user_id)} · "
                     f"{item.minutes} min · {ITEM_MARK[item.kind]}")  # fmt: skip
        offset += item.minutes
    spare = meeting.minutes - offset
    if spare > 0:
        lines.append(f"{clock(meeting.starts_at + timedelta(minutes=offset), zone)} _{spare} min to spare_")
    return "*Running order*\n" + "\n".join(lines)


def _read_button(meeting: Meeting, pre_read: PreRead) -> ButtonElement:
    value = f"{meeting.ref}:{pre_read.position}"
    return ButtonElement(text="I've read it", action_id=MeetingIds.READ.value, value=value, style="primary")


def pre_read_blocks(meeting: Meeting, viewer: Person, now: datetime) -> list[SectionBlock]:
    """Each pre-read on its own line with how many of those who must read it have, and "I've read it" beside
    the ones the viewer still has to read (until the start)."""
    if not meeting.pre_reads:
        return [_section("*Pre-reads*\nNone yet.")]
    open_to_read = meeting.is_scheduled and not meetings.has_started(meeting, now)
    blocks = [_section("*Pre-reads*")]
    for pre_read in meeting.pre_reads:
        read, must = meetings.readers_count(pre_read)
        text = (f"📄 *{esc(clip(pre_read.title, 150))}* ({link(pre_read.link, PRE_READ_LABEL)}) · "
                f"{read} of {must} have read it")  # fmt: skip
        receipt = meetings.receipt_of(pre_read, viewer)
        unread = open_to_read and receipt is not None and receipt.read_at is None
        blocks.append(SectionBlock(text=MarkdownTextObject(text=text),
                                   accessory=_read_button(meeting, pre_read) if unread else None))  # fmt: skip
    return blocks


def calendar_line(url: str | None) -> list[ContextBlock]:
    """The meeting's invitation for any calendar; nothing when the app has no public address to link to."""
    if not url:
        return []
    return [ContextBlock(elements=[MarkdownTextObject(text=f"📆 {link(url, 'Add to calendar')} (an .ics file)")])]


def _button(label: str, action: MeetingIds, meeting: Meeting, style: str | None = None) -> ButtonElement:
    return ButtonElement(text=label, action_id=action.value, value=meeting.ref, style=style)


def card_buttons(meeting: Meeting, viewer: Person, now: datetime) -> list[ActionsBlock]:
    """Only what the viewer may press now: before the start, Add topic for those invited, Edit, Make it async and
    Cancel for the organiser (and facilitator, admins); after it, Record outcome for the facilitator ("I've read
    it" sits beside each pre-read). Each press is checked again all the same."""
    if not meeting.is_scheduled:
        return []
    if meetings.has_started(meeting, now):
        record = [_button("Record outcome", MeetingIds.RECORD, meeting, "primary")]
        return [ActionsBlock(block_id=MeetingIds.CARD_ACTIONS.value, elements=record)] if meetings.can_record(
            viewer, meeting) else []  # fmt: skip
    elements = []
    spare = meeting.minutes - sum(item.minutes for item in meeting.items)
    if meetings.can_add_topic(viewer, meeting) and spare > 0:  # a full agenda takes no topic: Edit makes room
        elements.append(_button("Add topic", MeetingIds.ADD_TOPIC, meeting))
    if meetings.can_edit(viewer, meeting):
        elements.append(_button("Edit", MeetingIds.EDIT, meeting))
    if meetings.can_make_async(viewer, meeting):
        if meetings.better_async(meeting):  # a status meeting or an all-inform agenda: the thread is offered first
            elements.insert(0, _button("Make it async", MeetingIds.MAKE_ASYNC, meeting, "primary"))
        else:
            elements.append(_button("Make it async", MeetingIds.MAKE_ASYNC, meeting))
    if meetings.can_cancel(viewer, meeting):
        elements.append(_button("Cancel meeting", MeetingIds.CANCEL, meeting, "danger"))
    return [ActionsBlock(block_id=MeetingIds.CARD_ACTIONS.value, elements=elements)] if elements else []


def readiness(meeting: Meeting) -> list[SectionBlock]:
    """ "Not ready" and what is missing, while it is still to come; nothing once it is ready."""
    gaps = meetings.missing(meeting) if meeting.is_scheduled else []
    if not gaps:
        return []
    return [_section(f"🚧 *Not ready:* {'; '.join(gaps)}.")]


def card_blocks(meeting: Meeting, viewer: Person, zone: ZoneInfo, now: datetime, *,
                calendar: str | None = None) -> list[dict]:  # fmt: skip
    """`zone` is the viewer's: only the fallback of each time is written in it; `calendar` the `.ics` link."""
    blocks: list = [
        HeaderBlock(text=clip(f"{meeting.ref} {meeting.title}", 150)),
        _section(f"🎯 *Desired outcome*\n{esc(meeting.desired_outcome)}"),
        *readiness(meeting),
        _section(facts(meeting, zone)),
        *calendar_line(calendar),
        _section(running_order(meeting, zone)),
        *pre_read_blocks(meeting, viewer, now),
        _section(who_comes(meeting)),
        *card_buttons(meeting, viewer, now),
    ]
    return [b.to_dict() for b in blocks]


def card_text(meeting: Meeting) -> str:
    return f"{meeting.ref}: {title(meeting, 200)}"


def event_line(event: MeetingEvent) -> str:
    who = mention(event.actor.slack_user_id) if event.actor else "Followthrough"
    said = {
        MeetingEventKind.CREATED: f"{who} scheduled it",
        MeetingEventKind.READ: f"{who} read the pre-read",
        MeetingEventKind.CANCELLED: f"{who} cancelled it",
        MeetingEventKind.EDITED: f"{who} changed {changed_words(list(event.data.get('changed') or []))}",
        MeetingEventKind.TOPIC_ADDED: f"{who} added a topic",
        MeetingEventKind.FLAGGED: "the gate found it not ready",
        MeetingEventKind.BLOCKED: "the gate cancelled it: it was still not ready",
        MeetingEventKind.STARTED: "it started",
        MeetingEventKind.MADE_ASYNC: f"{who} made it async",
        MeetingEventKind.SUMMARISED: "its written input was summed up",
        MeetingEventKind.RECORDED: f"{who} recorded the outcome",
    }[event.kind]
    return f"{slack_date(event.at)} {said}"


def timeline_blocks(events: list[MeetingEvent]) -> list[dict]:
    if not events:
        return []
    text = "\n".join(event_line(e) for e in events[-12:])
    return [ContextBlock(elements=[MarkdownTextObject(text=f"*History*\n{text}")]).to_dict()]


def list_blocks(listing: Listing, zone: ZoneInfo) -> list[dict]:
    head = f"*{esc(listing.title)}* ({len(listing.meetings)})"
    if not listing.meetings:
        return [_section(f"{head}\nNothing scheduled. `/meeting` schedules one.").to_dict()]
    lines = [f"• {line(m, zone)}" for m in listing.meetings]
    return [_section(head + "\n" + "\n".join(lines)).to_dict()]
