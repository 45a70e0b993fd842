"""What meetings say to one person in a direct message around the gate and the pre-reads: the organiser's "not
ready" flag with its three ways out, the gate's cancellation, the ask to read a pre-read, the one reminder, and
who has read what (for the facilitator at the start). Pure: each returns chat.postMessage arguments.

Direct messages may mention people; times are Slack's date markup, with the fallback in the reader's zone.
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from slack_sdk.models.blocks import ActionsBlock, ButtonElement, ContextBlock, MarkdownTextObject, SectionBlock

from handlers.kit.text import clip, esc, link, mention, plural
from handlers.meetings.blocks.ids import MeetingIds
from handlers.meetings.blocks.words import title, when
from models import Meeting, Person, PreRead

PRE_READ_LABEL = "open it"
SHOWN_PRE_READS = 10  # pre-reads with a button in one reminder (two blocks each; Slack allows 50)
SHOWN_NAMES = 30  # names in one line of who has read


def _section(text: str) -> SectionBlock:
    return SectionBlock(text=MarkdownTextObject(text=clip(text, 3000)))


def _note(text: str) -> ContextBlock:
    return ContextBlock(elements=[MarkdownTextObject(text=clip(text, 3000))])


def _message(user: str, text: str, blocks: list) -> dict[str, Any]:
    return {"channel": user, "text": clip(text, 3000), "blocks": [b.to_dict() for b in blocks]}


def named(meeting: Meeting, zone: ZoneInfo) -> str:
    """`*M-4* Pricing review (Tue 1 Dec at 10:00)`"""
    return f"*{meeting.ref}* {title(meeting)} ({when(meeting.starts_at, zone)})"


def gaps_text(gaps: list[str]) -> str:
    """`no agenda and no pre-read`, as a sentence says it."""
    return gaps[0] if len(gaps) == 1 else f"{', '.join(gaps[:-1])} and {gaps[-1]}"


def flag_dm(meeting: Meeting, organiser: Person, gaps: list[str], zone: ZoneInfo, *, better_async: bool,
            blocks_at_start: bool) -> dict[str, Any]:  # fmt: skip
    """The gate's DM to the organiser: what is missing, and fix it, make it async, or cancel it."""
    lines = [
        f"🚧 {named(meeting, zone)} isn't ready yet: {gaps_text(gaps)}.",
        "Time together pays off with an agenda, a desired outcome and something to read first. Fix it, make it "
        "async, or cancel it.",
    ]
    if better_async:
        lines.append("💡 It reads like a status update: a written thread may serve everyone better than a meeting.")
    if blocks_at_start:
        lines.append("If it is still not ready when it starts, I'll cancel it and tell everyone invited (this "
                     "workspace's setting).")  # fmt: skip
    buttons = [
        ButtonElement(text="Fix it", action_id=MeetingIds.EDIT.value, value=meeting.ref, style="primary"),
        ButtonElement(text="Make it async", action_id=MeetingIds.MAKE_ASYNC.value, value=meeting.ref),
        ButtonElement(text="Cancel meeting", action_id=MeetingIds.CANCEL.value, value=meeting.ref, style="danger"),
    ]
    actions = ActionsBlock(block_id=f"{MeetingIds.CARD_ACTIONS.value}:gate", elements=buttons)
    summary = f"🚧 {meeting.ref} {title(meeting, 150)} isn't ready yet: {gaps_text(gaps)}."
    return _message(organiser.slack_user_id, summary, [_section("\n".join(lines)), actions])


def blocked_dm(meeting: Meeting, person: Person, gaps: list[str], zone: ZoneInfo, *, told: int) -> dict[str, Any]:
    """The gate cancelled the meeting at its start: the organiser hears what it lacked and how many were told;
    everyone else that the slot is theirs again."""
    if person.id == meeting.organiser_id:
        text = (f"⚪ I cancelled {named(meeting, zone)} as it was starting: it still had {gaps_text(gaps)}, and this "
                f"workspace only holds meetings that are ready. I told {plural(told, 'person', 'people')}. "
                "Schedule it again with `/meeting` once it has what it needs.")  # fmt: skip
    else:
        text = (f"⚪ {named(meeting, zone)} is cancelled: when it was due to start it still had {gaps_text(gaps)}, "
                "and this workspace only holds meetings that are ready. The slot is yours again.")  # fmt: skip
    return {"channel": person.slack_user_id, "text": clip(text, 3000)}


def read_button(meeting: Meeting, pre_read: PreRead) -> ButtonElement:
    value = f"{meeting.ref}:{pre_read.position}"
    return ButtonElement(text="I've read it", action_id=MeetingIds.READ.value, value=value, style="primary")


def pre_read_line(pre_read: PreRead) -> str:
    """As on the card: the title as text and the link under the app's own words, so a title can't dress up one."""
    return f"📄 *{esc(clip(pre_read.title, 150))}* ({link(pre_read.link, PRE_READ_LABEL)})"


def ask_dm(meeting: Meeting, asked: list[PreRead], reader: Person, zone: ZoneInfo) -> dict[str, Any]:
    """A required attendee is asked, once, to read what is waiting for them, each with its "I've read it"."""
    organiser = mention(meeting.organiser.slack_user_id)
    these = "this" if len(asked) == 1 else f"these {len(asked)}"
    head = (f"{organiser} asks you to read {these} before {named(meeting, zone)}:\n"
            f"🎯 {esc(clip(meeting.desired_outcome, 500))}")  # fmt: skip
    blocks: list = [_section(head)]
    for pre_read in asked[:SHOWN_PRE_READS]:
        blocks.append(SectionBlock(text=MarkdownTextObject(text=pre_read_line(pre_read)),
                                   accessory=read_button(meeting, pre_read)))  # fmt: skip
    blocks.append(_note("Reading ahead leaves the time together for deciding. Press the button once you have."))
    first = f"“{clip(asked[0].title, 150)}”" if len(asked) == 1 else f"{len(asked)} pre-reads"
    summary = f"📄 Please read {first} before {meeting.ref} {clip(meeting.title, 150)}"
    return _message(reader.slack_user_id, esc(summary), blocks)


def reminder_dm(meeting: Meeting, reader: Person, unread: list[PreRead], zone: ZoneInfo) -> dict[str, Any]:
    """The one reminder, a few hours before the start, listing only what this person hasn't read yet."""
    head = f"⏰ {named(meeting, zone)} is coming up, and you haven't said you've read " + (
        "its pre-read:" if len(unread) == 1 else f"{len(unread)} of its pre-reads:"
    )
    blocks: list = [_section(head)]
    for pre_read in unread[:SHOWN_PRE_READS]:
        blocks.append(SectionBlock(text=MarkdownTextObject(text=pre_read_line(pre_read)),
                                   accessory=read_button(meeting, pre_read)))  # fmt: skip
    if len(unread) > SHOWN_PRE_READS:
        blocks.append(_note(f"…and {len(unread) - SHOWN_PRE_READS} more on the card: `/meeting {meeting.ref}`."))
    summary = f"⏰ {meeting.ref} {clip(meeting.title, 150)} is coming up: a pre-read is waiting for you"
    return _message(reader.slack_user_id, esc(summary), blocks)


def _who(people: list[Person]) -> str:
    shown = ", ".join(mention(p.slack_user_id) for p in people[:SHOWN_NAMES])
    more = len(people) - SHOWN_NAMES
    return shown + (f" and {more} more" if more > 0 else "")


def _read_line(found) -> str:
    if not found.read and not found.unread:
        return "nobody was asked to read it"
    if not found.unread:
        return f"read by everyone asked ({_who(found.read)})"
    if not found.read:
        return f"not read yet by {_who(found.unread)}"
    return f"read by {_who(found.read)}; not yet by {_who(found.unread)}"


def readers_dm(meeting: Meeting, facilitator: Person, reading: list, zone: ZoneInfo) -> dict[str, Any]:
    """For the facilitator at the start: per pre-read, who has read it and who hasn't."""
    lines = [f"▶️ {named(meeting, zone)} is starting. Who has read ahead:"]
    for found in reading[:SHOWN_PRE_READS]:
        lines.append(f"{pre_read_line(found.pre_read)}: {_read_line(found)}.")
    summary = f"▶️ {meeting.ref} {clip(meeting.title, 150)} is starting: who has read the pre-read"
    return _message(facilitator.slack_user_id, esc(summary), [_section("\n".join(lines))])
