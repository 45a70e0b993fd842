"""`/decision list` and `/decision log`."""

from __future__ import annotations

from datetime import datetime

from slack_sdk.models.blocks import ContextBlock, MarkdownTextObject, SectionBlock

from handlers.decisions.blocks.words import decision_line
from handlers.kit.text import clip, esc
from models import Decision
from services.decisions import ListScope, LogSearch

LIST_TITLES = {
    ListScope.MINE: "Decisions awaiting you",
    ListScope.CHANNEL: "Open decisions asked in this channel",
    ListScope.OVERDUE: "Overdue decisions",
    ListScope.DECIDED: "Recently decided",
}
LIST_EMPTY = {
    ListScope.MINE: "Nothing waits on your decision.",
    ListScope.CHANNEL: "No open decisions here. Ask for one with `/decision`.",
    ListScope.OVERDUE: "Nothing is overdue.",
    ListScope.DECIDED: "Nothing decided yet.",
}


def list_blocks(decisions: list[Decision], total: int, *, scope: ListScope, now: datetime) -> list[dict]:
    title = LIST_TITLES[scope]
    if not decisions:
        return [SectionBlock(text=MarkdownTextObject(text=f"*{title}*\n{LIST_EMPTY[scope]}")).to_dict()]
    blocks: list = [SectionBlock(text=MarkdownTextObject(text=f"*{title}* ({total})"))]
    blocks += [SectionBlock(text=MarkdownTextObject(text=decision_line(d, now))) for d in decisions]
    if total > len(decisions):
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=f"and {total - len(decisions)} more")]))
    blocks.append(ContextBlock(elements=[MarkdownTextObject(text="`/decision D-7` shows one with its history.")]))
    return [b.to_dict() for b in blocks]


def log_blocks(search: LogSearch, now: datetime) -> list[dict]:
    if not search.found:
        text = f"*Decision log: {esc(search.described)}*\nNothing decided matches."
        return [SectionBlock(text=MarkdownTextObject(text=text)).to_dict()]
    blocks: list = [
        SectionBlock(text=MarkdownTextObject(text=f"*Decision log: {esc(search.described)}* ({search.total})"))
    ]
    for decision in search.found:
        rationale = esc(clip(decision.rationale or "", 280))
        blocks.append(SectionBlock(text=MarkdownTextObject(text=f"{decision_line(decision, now)}\n>{rationale}")))
    if search.total > len(search.found):
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=f"and {search.total - len(search.found)} more")]))
    return [b.to_dict() for b in blocks]
