"""The outcomes section of the Home tab: the person's outcomes, the ones they contribute to, or how to start."""

from __future__ import annotations

from datetime import date, datetime

from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    ContextBlock,
    HeaderBlock,
    MarkdownTextObject,
    SectionBlock,
)

from handlers.kit.outcome_status import STATUS_MARK, metric_now
from handlers.kit.text import clip, esc, mention, plural, short_due
from handlers.outcomes.blocks.ids import OutcomeIds
from handlers.outcomes.blocks.pieces import log_button
from models import Outcome
from services.outcomes.queries import HomeSummary

STALE_AFTER_DAYS = 7


def since_phrase(outcome: Outcome, now: datetime) -> str:
    last = outcome.last_progress_at
    days = (now - (last or outcome.created_at)).days
    if last is None:
        phrase = "no update yet" if days < 1 else f"no update in the {days} days since it was defined"
    else:
        phrase = "updated today" if days < 1 else f"updated {plural(days, 'day')} ago"
    return f"⚠️ {phrase}" if days > STALE_AFTER_DAYS else phrase


def outcome_section(outcome: Outcome, *, today: date, now: datetime, show_owner: bool) -> SectionBlock:
    first = f"{STATUS_MARK[outcome.status]} *{outcome.ref}* {esc(clip(outcome.title, 120))}"
    details = [outcome.status.label, short_due(outcome.due_date, today)]
    if show_owner:
        details.insert(0, f"owner {mention(outcome.owner.slack_user_id)}")
    lagging = outcome.lagging
    if lagging is not None:
        details.append(f"{esc(lagging.name)} {metric_now(lagging)}")
    details.append(since_phrase(outcome, now))
    return SectionBlock(
        text=MarkdownTextObject(text=first + "\n" + " · ".join(details)), accessory=log_button(outcome.ref)
    )


def _more(count: int, hint: str) -> ContextBlock:
    return ContextBlock(elements=[MarkdownTextObject(text=f"and {count} more — {hint}")])


def outcome_blocks(summary: HomeSummary, *, today: date, now: datetime) -> list:
    if not summary.owned and not summary.contributing and summary.closed_total:
        return [
            SectionBlock(
                text=MarkdownTextObject(
                    text="*Nothing open on you right now.* Your "
                    f"{plural(summary.closed_total, 'finished or dropped outcome')} "
                    f"{'keeps its card' if summary.closed_total == 1 else 'keep their cards'} (type `/outcome` and "
                    "the ref). Define the next one with `/outcome`."
                ),
                accessory=ButtonElement(text="Define an outcome", action_id=OutcomeIds.CREATE, style="primary"),
            )
        ]
    if not summary.owned and not summary.contributing:
        return [
            SectionBlock(
                text=MarkdownTextObject(
                    text="*You have no outcomes yet.* An outcome is a result with one owner, a due date and a few "
                    "numbers that show it moving. Type `/outcome` in any channel to define your first, then "
                    "`/progress O-1 42 what moved` to log progress in seconds."
                ),
                accessory=ButtonElement(text="Define an outcome", action_id=OutcomeIds.CREATE, style="primary"),
            )
        ]
    blocks: list = [HeaderBlock(text="Your outcomes")]
    if summary.owned:
        blocks += [outcome_section(o, today=today, now=now, show_owner=False) for o in summary.owned]
        if summary.owned_total > len(summary.owned):
            blocks.append(_more(summary.owned_total - len(summary.owned), "`/outcome list mine` shows them all"))
    else:
        blocks.append(SectionBlock(text=MarkdownTextObject(text="You own no open outcomes.")))
    blocks.append(ActionsBlock(elements=[ButtonElement(text="Define an outcome", action_id=OutcomeIds.CREATE)]))
    if summary.contributing:
        blocks.append(HeaderBlock(text="Outcomes I contribute to"))
        blocks += [outcome_section(o, today=today, now=now, show_owner=True) for o in summary.contributing]
        if summary.contributing_total > len(summary.contributing):
            more = summary.contributing_total - len(summary.contributing)
            blocks.append(_more(more, "`/outcome list all` shows every open outcome"))
    return blocks
