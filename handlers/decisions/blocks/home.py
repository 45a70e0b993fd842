"""The decisions section of the Home tab."""

from __future__ import annotations

from datetime import datetime

from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    ContextBlock,
    HeaderBlock,
    MarkdownTextObject,
    SectionBlock,
)

from handlers.decisions.blocks.ids import DecisionIds
from handlers.decisions.blocks.words import button, decision_line
from services.decisions import HomeDecisions


def home_sections(summary: HomeDecisions, now: datetime) -> list[dict]:
    """ "Decisions awaiting me" and "Decisions I'm informed of", for the Home tab."""
    blocks: list = [HeaderBlock(text="Decisions awaiting me")]
    if summary.awaiting:
        for decision in summary.awaiting:
            blocks.append(
                SectionBlock(
                    text=MarkdownTextObject(text=decision_line(decision, now)),
                    accessory=button("Decide", DecisionIds.DECIDE, decision, "primary"),
                )
            )
        if summary.awaiting_total > len(summary.awaiting):
            more = summary.awaiting_total - len(summary.awaiting)
            blocks.append(ContextBlock(elements=[MarkdownTextObject(text=f"and {more} more: `/decision list mine`")]))
    else:
        blocks.append(SectionBlock(text=MarkdownTextObject(text="Nothing waits on your decision.")))
    if summary.informed:
        blocks.append(HeaderBlock(text="Decisions I'm informed of"))
        blocks += [SectionBlock(text=MarkdownTextObject(text=decision_line(d, now))) for d in summary.informed]
        if summary.informed_total > len(summary.informed):
            more = summary.informed_total - len(summary.informed)
            blocks.append(ContextBlock(elements=[MarkdownTextObject(text=f"and {more} more")]))
    blocks.append(ActionsBlock(elements=[ButtonElement(text="Ask for a decision", action_id=DecisionIds.CREATE)]))
    return [b.to_dict() for b in blocks]
