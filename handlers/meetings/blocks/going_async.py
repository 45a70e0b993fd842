"""A meeting made async, in Block Kit: the form that asks for the deadline, the thread's first message (the
desired outcome, the pre-reads, the deadline), one reply per agenda item, each attendee's ask, and the summary
with its "Make it a decision" buttons. Pure.

Channel posts name people in plain words, never as mentions (nobody is pinged in a channel); direct messages
may mention.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    ContextBlock,
    DateTimePickerElement,
    MarkdownTextObject,
    SectionBlock,
)

from handlers.kit.forms import encode_meta, labelled, modal
from handlers.kit.text import clip, esc, link, mention, plural
from handlers.meetings.blocks.card import PRE_READ_LABEL
from handlers.meetings.blocks.ids import MeetingIds
from handlers.meetings.blocks.words import ITEM_MARK, title, when
from models import AgendaItem, ItemKind, Meeting, Person
from services.meetings import Summary

SECTION_LIMIT = 2900  # Slack's 3,000 characters per section, with room for the markup around names


class AsyncIds(StrEnum):
    DEADLINE = "meeting_async_deadline"  # the form's one field
    MAKE_DECISION = "meeting_make_decision"  # value: `M-4:2`, the meeting and the item's position
    SUMMARY_ACTIONS = "meeting_summary_actions"


def _section(text: str) -> SectionBlock:
    return SectionBlock(text=MarkdownTextObject(text=clip(text, SECTION_LIMIT)))


def name(person: Person) -> str:
    """A person's name as others read it in a channel; never a mention (that would ping them)."""
    return esc(clip(person.display_name or "someone without a name in Slack", 80))


def where(channel: str | None) -> str:
    return f"<#{channel}>" if channel and channel.startswith(("C", "G")) else "your direct messages with me"


def async_view(meeting: Meeting, *, deadline: datetime, zone_name: str, thread_in: str | None, asking: int) -> dict:
    """The form: the deadline (suggested), and what will happen when it is sent (`asking`: how many are asked)."""
    picker = DateTimePickerElement(action_id=AsyncIds.DEADLINE.value, initial_date_time=int(deadline.timestamp()))
    items = plural(len(meeting.items), "agenda item") if meeting.items else "its desired outcome"
    asked = (("Each attendee gets" if asking > 1 else "The attendee gets") + " a direct message asking for theirs "
             "by the deadline."
             if asking else "Nobody else is invited, so nobody is asked by direct message.")  # fmt: skip
    what = (
        f"*{meeting.ref}* {title(meeting)} will not be held. Instead I start a thread in {where(thread_in)} with "
        f"the desired outcome and the pre-read, and ask for written input on {items} there. {asked} At the "
        "deadline I post a summary of who answered in the thread; a `decide` item can then become a decision."
    )
    blocks = [
        _section(what),
        labelled(
            AsyncIds.DEADLINE,
            "Written input is due by",
            picker,
            hint=f"In your time zone ({zone_name}); at least an hour from now, at most two weeks.",
        ),  # fmt: skip
    ]
    return modal(MeetingIds.ASYNC_VIEW, "Make it async", blocks, submit="Make it async",
                 metadata=encode_meta(ref=meeting.ref))  # fmt: skip


def how_to_reply(meeting: Meeting, on_outcome_only: bool) -> str:
    if on_outcome_only:
        return "Reply in this thread with your input on the desired outcome."
    if len(meeting.items) == 1:
        return "Reply in this thread with your input on the item below."
    return "Reply in this thread, starting each reply with the item's number (`2: …`), so I can file it."


def _pre_reads(meeting: Meeting) -> str:
    # A fixed label: a title people typed stays text, outside the link (as on the card).
    lines = [f"📄 *{esc(clip(p.title, 150))}* ({link(p.link, PRE_READ_LABEL)})" for p in meeting.pre_reads]
    return "*Pre-read*\n" + "\n".join(lines) if lines else "*Pre-read*\nNone."


def thread_message(meeting: Meeting, *, on_outcome_only: bool, zone: ZoneInfo) -> dict[str, Any]:
    """The thread's first message, in the channel: no mentions. `zone` writes the deadline's fallback."""
    due = when(meeting.async_deadline or meeting.starts_at, zone)
    head = f"🧵 *{meeting.ref}* {title(meeting)} is async: written input instead of a meeting."
    blocks = [
        _section(f"{head}\nOrganised by {name(meeting.organiser)}. Input is due by {due}."),
        _section(f"🎯 *Desired outcome*\n{esc(meeting.desired_outcome)}"),
        _section(_pre_reads(meeting)),
        ContextBlock(elements=[MarkdownTextObject(text=how_to_reply(meeting, on_outcome_only))]),
    ]
    text = f"{meeting.ref} {clip(meeting.title, 150)} is async: reply in the thread with your input."
    return {"text": esc(text), "blocks": [b.to_dict() for b in blocks]}


ITEM_ASK = {
    ItemKind.DECIDE: "{owner} will decide; your input shapes the decision.",
    ItemKind.DISCUSS: "{owner} leads it; say what you think.",
    ItemKind.INFORM: "{owner} shares an update here; ask what you need to know.",
}


def item_message(meeting: Meeting, item: AgendaItem) -> dict[str, Any]:
    """One agenda item's reply in the thread: its topic, owner (by name), kind, and how to answer."""
    head = f"*{item.position}. {esc(clip(item.topic, 200))}* · {name(item.owner)} · {ITEM_MARK[item.kind]}"
    ask = ITEM_ASK[item.kind].format(owner=name(item.owner))
    start = "" if len(meeting.items) == 1 else f" Start your reply with `{item.position}:`."
    text = f"{head}\n{ask}{start}"
    return {"text": clip(text, SECTION_LIMIT), "blocks": [_section(text).to_dict()]}


def ask_dm(meeting: Meeting, *, by: Person | None, permalink: str | None, zone: ZoneInfo) -> dict[str, Any]:
    """An attendee's ask: their written input by the deadline, in the thread. `zone` is theirs."""
    due = when(meeting.async_deadline or meeting.starts_at, zone)
    who = mention(by.slack_user_id) if by else "Its organiser"
    thread = link(permalink, "in its thread") if permalink else f"in its thread in {where(meeting.thread_channel)}"
    items = "\n".join(f"{i.position}. {esc(clip(i.topic, 150))} ({ITEM_MARK[i.kind]})" for i in meeting.items)
    text = (
        f"✍️ {who} made *{meeting.ref}* {title(meeting)} async: no meeting, written input instead. Please give "
        f"yours {thread} by {due}.\n{items}"
    )
    return {"text": clip(text, SECTION_LIMIT), "blocks": [_section(text).to_dict()]}


def _answers(summary_item) -> str:
    if not summary_item.answers:
        return "no input"
    if len(summary_item.answers) == 1:  # one person: their count is the total
        return f"{plural(summary_item.replies, 'reply', 'replies')} from {name(summary_item.answers[0][0])}"
    names = ", ".join(f"{name(p)} ({n})" for p, n in summary_item.answers)
    return f"{plural(summary_item.replies, 'reply', 'replies')} from {names}"


def _decision_button(meeting: Meeting, item: AgendaItem) -> ButtonElement:
    return ButtonElement(text=clip(f"Make “{item.topic}” a decision", 75), action_id=AsyncIds.MAKE_DECISION.value,
                         value=f"{meeting.ref}:{item.position}")  # fmt: skip


def summary_message(meeting: Meeting, summary: Summary) -> dict[str, Any]:
    """The deadline's summary in the thread: per item who answered and how often, who gave nothing, and a button
    per `decide` item not yet a decision."""
    lines = []
    for each in summary.items:
        item = each.item
        became = f" → *{esc(item.decision_ref)}*" if item.decision_ref else ""
        lines.append(f"*{item.position}. {esc(clip(item.topic, 150))}* ({ITEM_MARK[item.kind]}, {name(item.owner)}): "
                     f"{_answers(each)}{became}")  # fmt: skip
    silent = ", ".join(name(p) for p in summary.silent)
    missing = f"No input from {silent}." if silent else "Every attendee gave input."
    blocks: list = [
        _section(f"⏰ *Time's up for written input on {meeting.ref}* {title(meeting)}"),
        _section("\n".join(lines) or "No agenda items."),
        _section(missing),
    ]
    open_decisions = [i.item for i in summary.items if i.item.kind is ItemKind.DECIDE and not i.item.decision_ref]
    if open_decisions:
        buttons = [_decision_button(meeting, item) for item in open_decisions[:25]]
        blocks.append(ActionsBlock(block_id=AsyncIds.SUMMARY_ACTIONS.value, elements=buttons))
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=DECISION_HINT)]))
    total = sum(i.replies for i in summary.items)
    text = f"Time's up for written input on {meeting.ref}: {plural(total, 'reply', 'replies')}. {missing}"
    return {"text": clip(text, SECTION_LIMIT), "blocks": [b.to_dict() for b in blocks]}


def decision_note(meeting: Meeting, item: AgendaItem, decision_ref: str, deadline: datetime, zone: ZoneInfo) -> str:
    """In the thread: the item is a decision now, whose and by when (no mentions)."""
    return (f"⚖️ Item {item.position}, *{esc(clip(item.topic, 150))}*, is now *{esc(decision_ref)}*: {name(item.owner)} "
            f"decides by {when(deadline, zone)}. `/decision {esc(decision_ref)}` shows it.")  # fmt: skip


def decision_dm(meeting: Meeting, item: AgendaItem, *, by: Person, decision_ref: str, deadline: datetime,
                zone: ZoneInfo) -> str:  # fmt: skip
    """The item's owner hears it is theirs to decide (when someone else pressed)."""
    return (f"⚖️ {mention(by.slack_user_id)} made *{esc(clip(item.topic, 150))}* from *{meeting.ref}* "
            f"{title(meeting)} a decision, and you decide: *{esc(decision_ref)}*, by {when(deadline, zone)}. "
            f"`/decision {esc(decision_ref)}` shows it.")  # fmt: skip


DECISION_HINT = "Each item's owner (or the organiser) can make it a decision with its owner as the decider."
WHICH_ITEM = (
    "I couldn't tell which agenda item that reply is for, so it isn't counted yet. Post it again starting with "
    "the item's number, e.g. `2: …`."
)
