"""How an action item reads in one line, on its card and in direct messages."""

from __future__ import annotations

from datetime import date

from slack_sdk.models.blocks import ButtonElement

from handlers.actions.blocks.ids import ActionIds
from handlers.kit.text import clip, due_phrase, esc, link, mention, short_due
from models import Action, ActionStatus, SourceKind

STATUS_MARK = {ActionStatus.OPEN: "◻️", ActionStatus.DONE: "✅", ActionStatus.DROPPED: "⚪"}


def what(action: Action, limit: int = 300) -> str:
    return esc(clip(action.what, limit))


def line(action: Action, today: date, *, owner: bool = True) -> str:
    """`*A-7* send the pricing deck · @alex · overdue 2d`"""
    parts = [f"*{action.ref}* {what(action, 150)}"]
    if owner:
        parts.append(mention(action.owner.slack_user_id))
    if action.is_open:
        parts.append(short_due(action.due_on, today))
    else:
        parts.append(action.status.value)
    return " · ".join(parts)


def due_text(action: Action, today: date) -> str:
    text = due_phrase(action.due_on, today)
    return f"{text}, {action.due_time:%H:%M}" if action.due_time else text


def source_text(action: Action) -> str | None:
    if action.source_link:
        return link(action.source_link, "a message")
    if action.source_kind is SourceKind.CHECKIN and action.source_ref:
        where = f" in <#{action.channel_id}>" if action.channel_id else ""
        return f"the check-in of {esc(action.source_ref)}{where}"
    if action.source_ref:
        return f"{action.source_kind.value} {esc(action.source_ref)}"
    return None


def button(label: str, action_id: ActionIds, action: Action, style: str | None = None) -> ButtonElement:
    return ButtonElement(text=label, action_id=action_id.value, value=action.ref, style=style)
