"""The forms of runs, pure: starting one (who fills each role, the lead, the start, the channel) and the reason
asked when a step is skipped or blocked."""

from __future__ import annotations

from slack_sdk.models.blocks import (
    ContextBlock,
    ConversationSelectElement,
    MarkdownTextObject,
    NumberInputElement,
    UserSelectElement,
)

from handlers.kit.forms import labelled, modal, text_input
from handlers.kit.text import clip, esc
from handlers.playbooks.running.ids import RunIds, role_block
from models import Playbook, PlaybookKind, PlaybookVersion
from services.playbooks.runs import DEFAULT_STATUS_MINUTES, MAX_STATUS_MINUTES, MIN_STATUS_MINUTES

ANCHOR_HINT = {
    PlaybookKind.ONBOARDING: "Day 1: `now` or a date such as 2026-12-07, in the lead's time zone.",
    PlaybookKind.LAUNCH: "T, the launch: a date such as 2026-12-07, or a date and time (2026-12-07 14:00).",
    PlaybookKind.INCIDENT: "When the incident started: `now`, or a date and time such as 2026-12-07 14:30.",
}
# The app has no channels:manage scope (it would make every workspace approve it again), so it cannot create one.
INCIDENT_CHANNEL = "Give the incident a channel of its own: create it in Slack, invite the app, then choose it here."


def start_view(playbook: Playbook, pinned: PlaybookVersion, roles: list[str], *, lead: str, channel: str | None,
               metadata: str) -> dict:  # fmt: skip
    intro = f"*{playbook.ref} {pinned.label}* {esc(playbook.name)}: {len(pinned.steps)} steps."
    blocks: list = [
        ContextBlock(elements=[MarkdownTextObject(text=intro)]),
        text_input(RunIds.TITLE, "Name this run", initial=clip(playbook.name, 150), max_length=150),
    ]
    for index, role in enumerate(roles):
        picker = UserSelectElement(action_id=role_block(index), placeholder="Choose a person")
        blocks.append(labelled(role_block(index), clip(f"Who fills “{role}”?", 2000), picker))
    blocks.append(labelled(RunIds.LEAD, "Lead", UserSelectElement(action_id=RunIds.LEAD.value, initial_user=lead)))
    hint = ANCHOR_HINT.get(playbook.kind, "`now`, a date such as 2026-12-07, or a date and time.")
    blocks.append(text_input(RunIds.ANCHOR, "Starts", initial="now", hint=hint.replace("`", ""), max_length=20))
    where = ConversationSelectElement(
        action_id=RunIds.CHANNEL.value, initial_conversation=channel, filter={"include": ["public", "private"]}
    )
    hint = INCIDENT_CHANNEL if playbook.kind is PlaybookKind.INCIDENT else None
    blocks.append(labelled(RunIds.CHANNEL, "Channel for the checklist", where, hint=hint))
    if playbook.kind is PlaybookKind.INCIDENT:
        every = NumberInputElement(
            action_id=RunIds.STATUS_EVERY.value,
            is_decimal_allowed=False,
            initial_value=str(DEFAULT_STATUS_MINUTES),
            min_value=str(MIN_STATUS_MINUTES),
            max_value=str(MAX_STATUS_MINUTES),
        )
        blocks.append(labelled(RunIds.STATUS_EVERY, "Status update every (minutes)", every))
    return modal(RunIds.START_VIEW, f"Run {playbook.ref}"[:24], blocks, submit="Start", metadata=metadata)


def reason_view(ref: str, position: int, skipping: bool, metadata: str) -> dict:
    title = f"Skip step {position}" if skipping else f"Step {position} blocked"
    label = "Why skip it?" if skipping else "What is in the way?"
    block = text_input(RunIds.REASON, label, multiline=True, max_length=300)
    return modal(RunIds.REASON_VIEW, clip(title, 24), [block], submit="Skip" if skipping else "Save", metadata=metadata)


def send_back_view(position: int, metadata: str) -> dict:
    block = text_input(RunIds.REASON, "What is missing?", multiline=True, max_length=300)
    return modal(RunIds.REASON_VIEW, clip(f"Send back step {position}", 24), [block], submit="Send back",
                 metadata=metadata)  # fmt: skip


def done_view(title: str, text: str) -> dict:
    blocks = [ContextBlock(elements=[MarkdownTextObject(text=text)])]
    return modal(RunIds.START_VIEW, clip(title, 24), blocks, submit=None, close="Close")
