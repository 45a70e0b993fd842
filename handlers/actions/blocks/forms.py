"""The action item forms: create (from /action, the Home tab or a message), snooze, reassign, drop."""

from __future__ import annotations

from datetime import date

from slack_sdk.models.blocks import (
    DatePickerElement,
    ExternalDataSelectElement,
    MarkdownTextObject,
    Option,
    SectionBlock,
    UserSelectElement,
)
from slack_sdk.models.views import View

from handlers.actions.blocks.ids import ActionIds
from handlers.actions.blocks.words import due_text, what
from handlers.kit.forms import labelled, modal, text_input
from handlers.kit.text import clip, mention
from models import Action
from services.actions import MAX_REASON, MAX_WHAT


def create_view(*, metadata: str, owner: str, due: date, what_text: str = "", note: str | None = None,
                outcome: Option | None = None) -> dict:  # fmt: skip
    """`owner` is a Slack user id (the caller, or a message's author); `note` says where it comes from."""
    blocks: list = []
    if note:
        blocks.append(SectionBlock(text=MarkdownTextObject(text=note)))
    blocks += [
        text_input(ActionIds.WHAT, "What needs doing", initial=what_text, max_length=MAX_WHAT),
        labelled(
            ActionIds.OWNER,
            "Owner",
            UserSelectElement(action_id=ActionIds.OWNER, initial_user=owner),
            hint="One person: the one who will do it, or make sure it gets done.",
        ),  # fmt: skip
        labelled(
            ActionIds.DUE,
            "Due",
            DatePickerElement(action_id=ActionIds.DUE, initial_date=due.isoformat()),
            hint="The owner hears about it that morning, once more if it slips, then weekly at most.",
        ),
        labelled(
            ActionIds.OUTCOME,
            "Outcome it serves",
            ExternalDataSelectElement(
                action_id=ActionIds.OUTCOME, placeholder="Pick an outcome", min_query_length=0, initial_option=outcome
            ),  # fmt: skip
            optional=True,
        ),
    ]
    return modal(ActionIds.CREATE_VIEW, "New action item", blocks, submit="Create", metadata=metadata)


def _about(action: Action, today: date) -> SectionBlock:
    return SectionBlock(text=MarkdownTextObject(text=f"*{action.ref}* {what(action)}\nDue {due_text(action, today)}"))


def snooze_view(action: Action, *, metadata: str, today: date, until: date) -> dict:
    picker = DatePickerElement(action_id=ActionIds.UNTIL, initial_date=until.isoformat())
    blocks = [_about(action, today), labelled(ActionIds.UNTIL, "New due date", picker)]
    return modal(ActionIds.SNOOZE_VIEW, f"Snooze {action.ref}", blocks, submit="Snooze", metadata=metadata)


def reassign_view(action: Action, *, metadata: str, today: date) -> dict:
    picker = UserSelectElement(action_id=ActionIds.NEW_OWNER, initial_user=action.owner.slack_user_id)
    blocks = [_about(action, today), labelled(ActionIds.NEW_OWNER, "New owner", picker)]
    return modal(ActionIds.REASSIGN_VIEW, f"Reassign {action.ref}", blocks, submit="Reassign", metadata=metadata)


def drop_view(action: Action, *, metadata: str, today: date) -> dict:
    reason = text_input(ActionIds.REASON, "Why drop it?", max_length=MAX_REASON)
    blocks = [_about(action, today), reason]
    return modal(ActionIds.DROP_VIEW, f"Drop {action.ref}", blocks, submit="Drop", metadata=metadata)


def done_view(title: str, text: str) -> dict:
    blocks = [SectionBlock(text=MarkdownTextObject(text=text))]
    return View(type="modal", title=clip(title, 24), close="Done", blocks=blocks).to_dict()


def created_text(action: Action, today: date, *, note: str | None = None) -> str:
    lines = [
        f"*{action.ref}* {what(action)}",
        f"Owner {mention(action.owner.slack_user_id)}, due {due_text(action, today)}.",
        "They hear about it on the morning it is due, once more if it slips, and then only in a weekly round-up.",
    ]
    if note:
        lines.append(note)
    return "\n".join(lines)
