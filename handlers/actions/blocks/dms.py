"""What action items say in direct messages and threads: the morning nudge (one message per owner, however
many items), being handed one, and one being done."""

from __future__ import annotations

from datetime import date
from typing import Any

from slack_sdk.models.blocks import ActionsBlock, ContextBlock, MarkdownTextObject, SectionBlock

from handlers.actions.blocks.ids import ActionIds
from handlers.actions.blocks.words import button, due_text, line, what
from handlers.kit.text import mention
from models import Action
from services.actions.plan import Stage

NUDGE_SHOWN = 10  # items with buttons in one nudge; the rest are counted (Slack allows 50 blocks)
HEADINGS = {
    Stage.DUE: "Due today",
    Stage.OVERDUE: "Slipped past its date",
    Stage.WEEKLY: "Still open past their dates",
}


def item_buttons(action: Action) -> ActionsBlock:
    return ActionsBlock(
        block_id=f"{ActionIds.CARD_ACTIONS.value}:{action.ref}",
        elements=[button("Done", ActionIds.DONE, action, "primary"), button("Snooze", ActionIds.SNOOZE, action)],
    )


def nudge_dm(user: str, groups: dict[Stage, list[Action]], today: date) -> dict[str, Any]:
    """One morning message: what is due today, what slipped yesterday, and (Mondays) all that is overdue."""
    blocks: list = []
    shown = 0
    total = sum(len(items) for items in groups.values())
    for stage in Stage:
        items = groups.get(stage) or []
        if not items:
            continue
        blocks.append(SectionBlock(text=MarkdownTextObject(text=f"*{HEADINGS[stage]}*")))
        for action in items:
            if shown == NUDGE_SHOWN:
                break
            blocks.append(SectionBlock(text=MarkdownTextObject(text=line(action, today, owner=False))))
            blocks.append(item_buttons(action))
            shown += 1
    if total > shown:
        more = f"…and {total - shown} more: `/action list` shows them all."
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=more)]))
    blocks.append(ContextBlock(elements=[MarkdownTextObject(text="Snooze picks a new date; that's all it takes.")]))
    stage = next(s for s in Stage if groups.get(s))
    first = groups[stage][0]
    summary = f"{first.ref} {what(first, 80)}" + (f" and {total - 1} more" if total > 1 else "")
    return {"channel": user, "text": f"{HEADINGS[stage]}: {summary}", "blocks": [b.to_dict() for b in blocks]}


def assigned_dm(action: Action, user: str, by: str | None, today: date) -> dict[str, Any]:
    who = f"{mention(by)} gave you" if by else "You have"
    text = f"{who} *{action.ref}*: {what(action)}\nDue {due_text(action, today)}."
    blocks = [SectionBlock(text=MarkdownTextObject(text=text)), item_buttons(action)]
    summary = f"{who} *{action.ref}*: {what(action, 150)}"
    return {"channel": user, "text": summary, "blocks": [b.to_dict() for b in blocks]}


def done_dm(action: Action, user: str, by: str) -> dict[str, Any]:
    return {"channel": user, "text": f"✅ {mention(by)} marked *{action.ref}* done: {what(action)}"}


def done_thread(action: Action, by: str) -> dict[str, Any]:
    assert action.source_channel and action.source_ts
    return {"channel": action.source_channel, "thread_ts": action.source_ts,
            "text": f"✅ *{action.ref}* is done ({mention(by)}): {what(action)}"}  # fmt: skip


def captured_thread(action: Action, by: str, today: date) -> dict[str, Any]:
    assert action.source_channel and action.source_ts
    text = (f"📌 {mention(by)} made this *{action.ref}* (owner {mention(action.owner.slack_user_id)}, due "
            f"{due_text(action, today)}): {what(action)}")  # fmt: skip
    return {"channel": action.source_channel, "thread_ts": action.source_ts, "text": text}
