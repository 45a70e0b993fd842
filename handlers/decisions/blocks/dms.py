"""Direct messages of the walk and to the people named in a decision, and notes in the card's thread."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from slack_sdk.models.blocks import ActionsBlock, ContextBlock, MarkdownTextObject, SectionBlock

from handlers.decisions.blocks.card import summary_blocks
from handlers.decisions.blocks.ids import DecisionIds
from handlers.decisions.blocks.words import (
    ACKNOWLEDGE,
    ASK_INPUT,
    DECIDE,
    MAX_SHOWN_RATIONALE,
    MOVE_DEADLINE,
    SNOOZE,
    button,
    button_row,
    deadline_text,
    local_time,
    relative,
    skipped_words,
    slack_time,
)
from handlers.kit.text import clip, duration, esc, mention
from models import Decision, DecisionRole, DecisionStatus
from services.decisions.walk import DEADLINE_NUDGE, Ping


def _dm(channel: str, text: str, blocks: list) -> dict[str, Any]:
    return {"channel": channel, "text": text, "blocks": [b if isinstance(b, dict) else b.to_dict() for b in blocks]}


def asked_dm(decision: Decision, role: DecisionRole | None, recipient: str, now: datetime) -> dict[str, Any]:
    """Told once, when the decision is asked: the decider (role None), the responsible, consulted and informed."""
    asker = mention(decision.created_by.slack_user_id) if decision.created_by else "Someone"
    due = deadline_text(decision, now)
    decider = mention(decision.decider.slack_user_id)
    if role is None:
        text = f"🗳️ {asker} asks you to decide *{decision.ref}* by {due}."
        buttons = [button("Decide", DecisionIds.DECIDE, decision, "primary")]
    elif role is DecisionRole.CONSULTED:
        text = (
            f"{asker} wants your input on *{decision.ref}* before {decider} decides by {due}. "
            "Share it in the card's thread."
        )
        buttons = []
    elif role is DecisionRole.RESPONSIBLE:
        text = f"You are responsible for carrying out *{decision.ref}* once {decider} decides it, by {due}."
        buttons = []
    else:
        text = f"For your information: {decider} decides *{decision.ref}* by {due}. You'll hear the result."
        buttons = []
    blocks = [SectionBlock(text=MarkdownTextObject(text=text)), *summary_blocks(decision, now)[:1]]
    if buttons:
        blocks.append(ActionsBlock(block_id=DecisionIds.CARD_ACTIONS, elements=buttons))
    return _dm(recipient, text, blocks)


def closed_dm(decision: Decision, recipient: str, reason: str | None = None) -> dict[str, Any]:
    """Told once, when it is decided (or withdrawn): the question, then the answer, then why."""
    question = f"*{decision.ref}* {esc(clip(decision.question, 150))}"
    if decision.status is DecisionStatus.DECIDED:
        text = f"✅ {question} Decided: *{esc(decision.chosen_option or '')}*"
        detail = f"*Why*\n{esc(clip(decision.rationale or '', MAX_SHOWN_RATIONALE))}"
    else:
        text = f"⚪ {question} Withdrawn without a decision."
        detail = f"*Why*\n{esc(clip(reason or '', MAX_SHOWN_RATIONALE))}"
    blocks = [SectionBlock(text=MarkdownTextObject(text=text)), SectionBlock(text=MarkdownTextObject(text=detail))]
    return _dm(recipient, text, blocks)


def rescheduled_dm(
    decision: Decision, actor: str, recipient: str, now: datetime, *, was: datetime | None, reason: str | None
) -> dict[str, Any]:
    """Told once, when the deadline moves (`was` the old one) or the decision is reopened (`reason`)."""
    yours = recipient == decision.decider.slack_user_id
    due = deadline_text(decision, now)
    if reason is not None:
        text = f"🔁 {mention(actor)} reopened *{decision.ref}*: {esc(clip(reason, 300))}"
    else:
        text = f"🗓️ {mention(actor)} moved the deadline of *{decision.ref}* (it was {slack_time(was or now)})."
    text += f" {'You decide' if yours else mention(decision.decider.slack_user_id) + ' decides'} by {due}."
    blocks: list = [SectionBlock(text=MarkdownTextObject(text=text)), *summary_blocks(decision, now)[:1]]
    if yours:
        blocks.append(
            ActionsBlock(
                block_id=DecisionIds.CARD_ACTIONS, elements=[button("Decide", DecisionIds.DECIDE, decision, "primary")]
            )
        )
    return _dm(recipient, text, blocks)


def nudge_dm(decision: Decision, ping: Ping, recipient: str, now: datetime, zone: ZoneInfo) -> dict[str, Any]:
    if ping.number == DEADLINE_NUDGE:
        text = f"⏰ *{decision.ref}* is due now and waits on you: {esc(decision.question)}"
        hint = "Decide now, or move the deadline if it needs longer. If it stays open, the escalation path starts."
    else:
        due = relative(decision.deadline, now)
        text = f"⏳ Reminder: *{decision.ref}* is yours to decide {due}: {esc(decision.question)}"
        hint = f"The deadline is {local_time(decision.deadline, zone)} your time."
    consulted = [ASK_INPUT] if decision.people_in(DecisionRole.CONSULTED) else []
    blocks = [
        SectionBlock(text=MarkdownTextObject(text=text)),
        ContextBlock(elements=[MarkdownTextObject(text=hint)]),
        button_row(decision, DECIDE, *consulted, MOVE_DEADLINE),
    ]
    return _dm(recipient, text, blocks)


def level_dm(
    decision: Decision,
    ping: Ping,
    recipient: str,
    now: datetime,
    *,
    ack_window: timedelta,
    tail: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """`tail`: `level_tail` of the same decision and moment, built once for every recipient of the ping."""
    late = duration(now - decision.deadline, rough=True)
    if recipient == decision.decider.slack_user_id:
        text = f"🚨 *{decision.ref}* is {late} past its deadline and still waits on your decision."
    else:
        text = (
            f"🚨 *{decision.ref}* is {late} past its deadline without a decision, and you are on its escalation "
            f"path (level {ping.number}). {mention(decision.decider.slack_user_id)} decides."
        )
    tail = tail if tail is not None else level_tail(decision, now, ack_window=ack_window)
    return _dm(recipient, text, [SectionBlock(text=MarkdownTextObject(text=text)), *tail])


def level_tail(decision: Decision, now: datetime, *, ack_window: timedelta) -> list[dict[str, Any]]:
    """What every level DM of one decision at one moment shows below its first line: the same for each person."""
    blocks = [
        *summary_blocks(decision, now),
        _pause_hint(ack_window),
        button_row(decision, DECIDE, ACKNOWLEDGE, SNOOZE),
    ]
    return [b if isinstance(b, dict) else b.to_dict() for b in blocks]


def _pause_hint(ack_window: timedelta) -> dict[str, Any]:
    """The same for every decision on a path with this window: built once (each message gets its own copy)."""
    hint = _pause_hint_of(ack_window)
    return {**hint, "elements": [{**e} for e in hint["elements"]]}


@cache
def _pause_hint_of(ack_window: timedelta) -> dict[str, Any]:
    text = (
        f"*Acknowledge* pauses the escalation for {duration(ack_window)}; *Snooze* for a time you choose. If it is "
        "still open then, the next level follows."
    )
    return ContextBlock(elements=[MarkdownTextObject(text=text)]).to_dict()


@dataclass(frozen=True)
class Skipped:
    """Whom a level's ping skipped (Slack user ids): those who left Slack, and those away with their last away
    day; `moves_on`: nobody on the level was reached, so the next level follows at once."""

    left: list[str] = field(default_factory=list)
    away: Mapping[str, date] = field(default_factory=dict)
    moves_on: bool = False


def thread_note(decision: Decision, ping: Ping, reached: list[str], skipped: Skipped | None = None) -> dict[str, Any]:
    """The note under the card for each level (also shown in the channel when the level says so)."""
    skipped = skipped or Skipped()
    again = " again" if ping.repeat else ""
    decider = decision.decider.slack_user_id
    unreachable = decision.decider.is_deleted or decider in skipped.left or decider in skipped.away
    if ping.includes_decider and not unreachable and decider not in reached:
        reached = [decider, *reached]  # reminded by the deadline nudge a moment ago
    targets = ", ".join(mention(u) for u in reached)
    if ping.in_channel:
        targets = f"{targets} and this channel" if targets else "this channel"
    if skipped.moves_on:
        text = f"⏫ *{decision.ref}* reached level {ping.number}{again}, but nobody on it can be reached now."
    else:
        text = f"⏫ *{decision.ref}* escalated{again} to level {ping.number}: {targets or 'nobody new'}."
    for words in skipped_words(skipped.left, skipped.away.items()):
        text += f" Skipped {words}."
    if skipped.moves_on:
        text += f" Level {ping.number + 1} follows now."
    else:
        text += " Decide, acknowledge or snooze it from the card to stop the next level."
    args: dict[str, Any] = {"channel": decision.card_channel or decision.channel_id, "text": text}
    if decision.card_ts:
        args["thread_ts"] = decision.card_ts
        if ping.in_channel:
            args["reply_broadcast"] = True
    return args


def input_request(decision: Decision, consulted: list[str], asker: str, now: datetime) -> dict[str, Any]:
    names = " ".join(mention(u) for u in consulted)
    text = (
        f"{names}: {mention(asker)} asks for your input on *{decision.ref}* before it is decided "
        f"{relative(decision.deadline, now)}. Reply in this thread."
    )
    args: dict[str, Any] = {"channel": decision.card_channel or decision.channel_id, "text": text}
    if decision.card_ts:
        args["thread_ts"] = decision.card_ts
    return args
