"""Block Kit for "Start small" on the Home tab: the first loop of the practice as three steps that tick
themselves, and the one-field priority form its first step opens."""

from __future__ import annotations

from slack_sdk.models.blocks import ButtonElement, ContextBlock, HeaderBlock, MarkdownTextObject, SectionBlock

from handlers.kit.forms import modal, text_input
from handlers.outcomes.blocks.ids import OutcomeIds
from services.outcomes.priorities import MAX_TITLE
from services.outcomes.start import Start

INTRO = (
    "Execution improves one small loop at a time. Start with one of each; every step ticks itself when it is "
    "done, and this list goes away once they all are."
)


def _step(done: bool, title: str, detail: str, button: ButtonElement | None) -> SectionBlock:
    if done:
        return SectionBlock(text=MarkdownTextObject(text=f"✅ ~{title}~"))
    return SectionBlock(text=MarkdownTextObject(text=f"⬜ *{title}*\n{detail}"), accessory=button)


def start_blocks(start: Start, *, is_admin: bool) -> list[dict]:
    if is_admin:
        priority_detail = "The one thing the organisation cares about most right now; outcomes serve it."
        priority_button = ButtonElement(text="Add a priority", action_id=OutcomeIds.ADD_PRIORITY, style="primary")
    else:
        priority_detail = "A workspace admin adds it, with `/priority add` and a title; outcomes then serve it."
        priority_button = None
    steps = [
        _step(start.priority, "Choose one priority", priority_detail, priority_button),
        _step(
            start.outcome,
            "Define one outcome with its leading indicators",
            "A result with one owner and a due date, its lagging metric and one to three numbers you can move "
            "this week.",
            ButtonElement(text="Define an outcome", action_id=OutcomeIds.CREATE),
        ),
        _step(
            start.checkin,
            "Run a first check-in",
            "Type `/checkin` in your team's channel: it opens the set-up form for that channel.",
            None,
        ),
    ]
    blocks = [HeaderBlock(text="Start small"), ContextBlock(elements=[MarkdownTextObject(text=INTRO)]), *steps]
    return [b.to_dict() for b in blocks]


def priority_view(*, metadata: str) -> dict:
    blocks = [
        text_input(
            OutcomeIds.PRIORITY_TITLE,
            "The priority",
            hint="Short and plain, e.g. Grow self-serve revenue. It goes to the bottom of the ranked list.",
            max_length=MAX_TITLE,
        )
    ]
    return modal(OutcomeIds.PRIORITY_VIEW, "Add a priority", blocks, submit="Add", metadata=metadata)
