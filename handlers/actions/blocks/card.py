"""An action item's card (`/action A-7`), its history, and lists."""

from __future__ import annotations

from datetime import date

from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    ContextBlock,
    HeaderBlock,
    MarkdownTextObject,
    SectionBlock,
)

from handlers.actions.blocks.ids import ActionIds
from handlers.actions.blocks.words import STATUS_MARK, button, due_text, line, source_text, what
from handlers.kit.text import esc, mention, slack_date
from models import Action, ActionEvent, ActionEventKind
from services.actions import Listing


def card_blocks(action: Action, today: date) -> list[dict]:
    facts = [f"Owner {mention(action.owner.slack_user_id)}"]
    if action.is_open:
        facts.append(f"due {due_text(action, today)}")
    else:
        facts.append(f"{STATUS_MARK[action.status]} {action.status.value}")
    if action.created_by and action.created_by_id != action.owner_id:
        facts.append(f"asked by {mention(action.created_by.slack_user_id)}")
    source = source_text(action)
    if source:
        facts.append(f"from {source}")
    if action.outcome:
        facts.append(f"serves *{action.outcome.ref}* {esc(action.outcome.title)}")
    blocks: list = [
        SectionBlock(text=MarkdownTextObject(text=f"{STATUS_MARK[action.status]} *{action.ref}* {what(action)}")),
        SectionBlock(text=MarkdownTextObject(text=" · ".join(facts))),
    ]
    if action.drop_reason:
        blocks.append(SectionBlock(text=MarkdownTextObject(text=f"Dropped because: {esc(action.drop_reason)}")))
    if action.is_open:
        blocks.append(card_buttons(action))
    return [b.to_dict() for b in blocks]


def card_buttons(action: Action, *, block_id: str = ActionIds.CARD_ACTIONS.value) -> ActionsBlock:
    return ActionsBlock(
        block_id=block_id,
        elements=[
            button("Done", ActionIds.DONE, action, "primary"),
            button("Snooze", ActionIds.SNOOZE, action),
            button("Reassign", ActionIds.REASSIGN, action),
            button("Drop", ActionIds.DROP, action),
        ],
    )


def card_text(action: Action) -> str:
    return f"{action.ref}: {what(action, 200)}"


def event_line(event: ActionEvent, names: dict[int, str]) -> str:
    who = mention(event.actor.slack_user_id) if event.actor else "Followthrough"
    data = event.data
    said = {
        ActionEventKind.CREATED: f"{who} created it",
        ActionEventKind.NUDGED: f"reminded the owner ({data.get('stage', '')})",
        ActionEventKind.DONE: f"{who} marked it done",
        ActionEventKind.DROPPED: f"{who} dropped it: {esc(str(data.get('reason', '')))}",
        ActionEventKind.SNOOZED: f"{who} moved it from {data.get('was')} to {data.get('due')}",
        ActionEventKind.REASSIGNED: f"{who} handed it to {names.get(data.get('owner', 0), 'someone')}",
    }[event.kind]
    return f"{slack_date(event.at)} {said}"


def timeline_blocks(events: list[ActionEvent], names: dict[int, str]) -> list[dict]:
    if not events:
        return []
    text = "\n".join(event_line(e, names) for e in events[-12:])
    return [ContextBlock(elements=[MarkdownTextObject(text=f"*History*\n{text}")]).to_dict()]


def list_blocks(listing: Listing, today: date, *, hint: str) -> list[dict]:
    head = f"*{esc(listing.title)}* ({listing.total})"
    if not listing.actions:
        return [SectionBlock(text=MarkdownTextObject(text=f"{head}\nNothing open here. {hint}")).to_dict()]
    lines = [f"• {line(a, today)}" for a in listing.actions]
    if listing.total > len(listing.actions):
        lines.append(f"…and {listing.total - len(listing.actions)} more")
    return [SectionBlock(text=MarkdownTextObject(text=head + "\n" + "\n".join(lines))).to_dict()]


def home_blocks(actions: list[Action], total: int, today: date) -> list[dict]:
    blocks: list = [HeaderBlock(text="My action items")]
    for action in actions:
        done = button("Done", ActionIds.DONE, action, "primary")
        blocks.append(SectionBlock(text=MarkdownTextObject(text=line(action, today, owner=False)), accessory=done))
    if not actions:
        blocks.append(SectionBlock(text=MarkdownTextObject(text="Nothing on you. `/action @alex what by friday` "
                                                                "captures one.")))  # fmt: skip
    if total > len(actions):
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=f"…and {total - len(actions)} more: "
                                                                     "`/action list`")]))  # fmt: skip
    blocks.append(ActionsBlock(elements=[ButtonElement(text="New action item", action_id=ActionIds.CREATE.value)]))
    return [b.to_dict() for b in blocks]
