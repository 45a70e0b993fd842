"""The insight form (from `/insight` or a message's "Add as insight"), what it answers, and an outcome's list."""

from __future__ import annotations

from slack_sdk.models.blocks import (
    ContextBlock,
    ExternalDataSelectElement,
    MarkdownTextObject,
    Option,
    SectionBlock,
)
from slack_sdk.models.views import View

from handlers.insights.blocks.ids import InsightIds
from handlers.kit.forms import labelled, modal, text_input
from handlers.kit.insights import insight_text
from handlers.kit.text import clip, esc, slack_date
from models import Insight, Outcome
from services.health.insights import EXAMPLE, MAX_QUOTE, MAX_SOURCE

LISTED = 10
QUOTE_HINT = "As they said or wrote them; shown in quotes beside the numbers."
SOURCE_HINT = "A name, and where: “Dana, Acme call” or “support tickets, week 48”."


def insight_view(
    *, metadata: str, quote: str = "", source: str = "", note: str | None = None, outcome: Option | None = None
) -> dict:
    """`note` says where it comes from (a message, whose link is kept)."""
    blocks: list = [SectionBlock(text=MarkdownTextObject(text=note))] if note else []
    blocks += [
        labelled(
            InsightIds.OUTCOME,
            "Outcome it speaks to",
            ExternalDataSelectElement(
                action_id=InsightIds.OUTCOME, placeholder="Pick an outcome", min_query_length=0, initial_option=outcome
            ),
        ),
        text_input(
            InsightIds.QUOTE,
            "Their words",
            initial=clip(quote, MAX_QUOTE),
            multiline=True,
            max_length=MAX_QUOTE,
            hint=QUOTE_HINT,
        ),
        text_input(
            InsightIds.SOURCE, "Who said it", initial=clip(source, MAX_SOURCE), max_length=MAX_SOURCE, hint=SOURCE_HINT
        ),
    ]
    return modal(InsightIds.CREATE_VIEW, "Add an insight", blocks, submit="Add", metadata=metadata)


def added_text(insight: Insight, outcome: Outcome) -> str:
    return (
        f"Added to *{outcome.ref}* {esc(clip(outcome.title, 120))}:\n{insight_text(insight)}\n"
        f"Its card shows the latest three beside the numbers; `/insight {outcome.ref}` lists more."
    )


def done_view(text: str) -> dict:
    blocks = [SectionBlock(text=MarkdownTextObject(text=text))]
    return View(type="modal", title="Insight added", close="Done", blocks=blocks).to_dict()


def listing_blocks(outcome: Outcome, found: list[Insight]) -> list[dict]:
    """An outcome's latest insights, newest first, each with when and by whom it was added (plain names)."""
    head = f"*What customers say about {outcome.ref}* {esc(clip(outcome.title, 120))}"
    if not found:
        empty = f"Nothing yet. Add the first: `{EXAMPLE.replace('O-12', outcome.ref)}`"
        return [SectionBlock(text=MarkdownTextObject(text=f"{head}\n{empty}")).to_dict()]
    blocks: list = [SectionBlock(text=MarkdownTextObject(text=head))]
    for insight in found[:LISTED]:
        added = f"added {slack_date(insight.created_at)} by {esc(insight.author.display_name or 'someone')}"
        blocks += [
            SectionBlock(text=MarkdownTextObject(text=insight_text(insight))),
            ContextBlock(elements=[MarkdownTextObject(text=added)]),
        ]
    return [b.to_dict() for b in blocks]
