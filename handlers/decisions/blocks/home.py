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
from models import Decision, DecisionRole
from services.decisions import HomeDecisions

ROLE_WORDS = {
    DecisionRole.RESPONSIBLE: "you carry it out",
    DecisionRole.CONSULTED: "your input is wanted",
    DecisionRole.INFORMED: "for your information",
}


def named_line(summary: HomeDecisions, decision: Decision, now: datetime) -> str:
    """A decision naming the person, with what their role is in it."""
    role = summary.role_in(decision)
    if role is DecisionRole.CONSULTED and not decision.is_open:
        return f"{decision_line(decision, now)} · you were consulted"
    return decision_line(decision, now) + (f" · {ROLE_WORDS[role]}" if role else "")


def home_sections(summary: HomeDecisions, now: datetime) -> list[dict]:
    """ "Decisions awaiting me" and "Decisions I'm named in" (each with the person's role), for the Home tab."""
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
    if summary.named:
        blocks.append(HeaderBlock(text="Decisions I'm named in"))
        blocks += [SectionBlock(text=MarkdownTextObject(text=named_line(summary, d, now))) for d in summary.named]
        if summary.named_total > len(summary.named):
            more = summary.named_total - len(summary.named)
            blocks.append(ContextBlock(elements=[MarkdownTextObject(text=f"and {more} more")]))
    blocks.append(ActionsBlock(elements=[ButtonElement(text="Ask for a decision", action_id=DecisionIds.CREATE)]))
    return [b.to_dict() for b in blocks]
