"""Block Kit for `/outcome list`: one line per outcome, soonest due first."""

from __future__ import annotations

from datetime import date

from slack_sdk.models.blocks import ContextBlock, MarkdownTextObject, SectionBlock

from handlers.kit.outcome_status import STATUS_MARK, metric_now
from handlers.kit.text import clip, esc, mention, short_due
from models import Outcome


def outcome_line(outcome: Outcome, today: date, *, show_owner: bool = True) -> str:
    parts = [f"{STATUS_MARK[outcome.status]} *{outcome.ref}* {esc(clip(outcome.title, 80))}"]
    if show_owner:
        parts.append(mention(outcome.owner.slack_user_id))
    parts.append(short_due(outcome.due_date, today))
    lagging = outcome.lagging
    if lagging is not None:
        parts.append(f"{esc(lagging.name)} {metric_now(lagging)}")
    return " · ".join(parts)


LIST_TITLES = {
    "mine": "Your open outcomes",
    "channel": "Open outcomes defined in this channel",
    "all": "Open outcomes in this workspace",
    "at-risk": "Outcomes at risk or off track",
}


def list_blocks(outcomes: list[Outcome], total: int, *, scope: str, today: date) -> list[dict]:
    title = LIST_TITLES[scope]
    if not outcomes:
        empty = {
            "mine": "You own no open outcomes. Define one with `/outcome`.",
            "at-risk": "Nothing is at risk or off track right now.",
        }.get(scope, "No open outcomes here yet. Define one with `/outcome`.")
        return [SectionBlock(text=MarkdownTextObject(text=f"*{title}*\n{empty}")).to_dict()]
    blocks: list = [SectionBlock(text=MarkdownTextObject(text=f"*{title}* ({total})"))]
    blocks += [SectionBlock(text=MarkdownTextObject(text=outcome_line(o, today))) for o in outcomes]
    example = outcomes[0].ref  # a ref from this very list, so the hint can be typed as it stands
    if total > len(outcomes):
        more = total - len(outcomes)
        hint = "`/outcome list mine` or `/outcome list at-risk` narrow it down" if scope != "mine" else ""
        text = f"and {more} more" + (f": {hint}" if hint else f": `/outcome {example}` shows any one of them")
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=text)]))
    blocks.append(ContextBlock(elements=[MarkdownTextObject(text=f"`/outcome {example}` shows one as a card.")]))
    return [b.to_dict() for b in blocks]
