"""Block Kit for an outcome's card: owner, due date, status, each metric's trend, what customers say beside the
numbers, the latest updates, its open action items, buttons."""

from __future__ import annotations

from datetime import date

from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    ConfirmObject,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    SectionBlock,
)

from handlers.kit.insights import insight_text
from handlers.kit.outcome_status import shown_value, status_text
from handlers.kit.text import clip, due_phrase, esc, mention, short_due, slack_date
from handlers.outcomes.blocks.ids import OutcomeIds
from handlers.outcomes.blocks.pieces import log_button, progress_share
from models import Action, Insight, Metric, MetricKind, Outcome, OutcomeStatus, Priority, ProgressUpdate
from services.outcomes.queries import Card
from services.outcomes.sparkline import sparkline

MAX_NOTE_SHOWN = 300
ACTIONS_SHOWN = 5  # the card points at the work; `/action list O-12` lists it all


def _parent_text(parent: Priority | Outcome | None) -> str | None:
    if parent is None:
        return None
    if isinstance(parent, Priority):
        archived = " (archived)" if parent.archived_at else ""
        return f"{parent.ref} {esc(parent.title)}{archived}"
    return f"{parent.ref} {esc(parent.title)}"


def _metric_block(metric: Metric, recent: list[float]) -> SectionBlock:
    kind = "lagging" if metric.kind is MetricKind.LAGGING else "leading"
    if metric.retired_at is not None:  # no longer read; its readings stay
        kind += f", retired {slack_date(metric.retired_at)}"
    trend = f"  `{sparkline(recent)}`" if len(recent) > 1 else ""
    current = "no reading yet" if metric.current_value is None else f"*{shown_value(metric.latest, metric.unit)}*"
    line = f"{shown_value(metric.baseline, metric.unit)} → {current} → {shown_value(metric.target, metric.unit)}" + (
        f"  ({progress_share(metric)}% of the way)" if metric.current_value is not None else ""
    )
    return SectionBlock(text=MarkdownTextObject(text=f"*{esc(metric.name)}* ({kind}){trend}\n{line}"))


def update_line(update: ProgressUpdate, metrics: dict[int, Metric]) -> str:
    parts = []
    if update.status_after is not None:
        parts.append(f"{update.status_before.label if update.status_before else '?'} → {update.status_after.label}")
    for reading in update.readings:
        metric = metrics.get(reading.metric_id)
        if metric is not None:
            parts.append(f"{esc(metric.name)} {shown_value(reading.value, metric.unit)}")
    if update.note:
        parts.append(esc(clip(" ".join(update.note.split()), MAX_NOTE_SHOWN)))
    if update.blocker:
        parts.append("blocker: " + esc(clip(" ".join(update.blocker.split()), MAX_NOTE_SHOWN)))
    return f"{slack_date(update.created_at)} {mention(update.author.slack_user_id)}: " + " · ".join(parts)


def closed_text(card: Card) -> str:
    """What a done or dropped outcome's card says instead of its due date: when it closed, and why it was dropped."""
    outcome = card.outcome
    when = f" since {slack_date(outcome.closed_at)}" if outcome.closed_at else ""
    line = f"*Status* {status_text(outcome.status)}{when} (it was due {outcome.due_date:%a %-d %b %Y})"
    if outcome.status is OutcomeStatus.DROPPED:
        closing = next((u for u in card.updates if u.status_after is OutcomeStatus.DROPPED), None)
        if closing is not None and closing.note:
            line += f"\n*Why* {esc(clip(' '.join(closing.note.split()), MAX_NOTE_SHOWN))}"
    return line


def _facts(card: Card, today: date) -> list[str]:
    outcome = card.outcome
    facts = [f"*Owner* {mention(outcome.owner.slack_user_id)}"]
    if outcome.status.is_open:
        facts += [f"*Due* {due_phrase(outcome.due_date, today)}", f"*Status* {status_text(outcome.status)}"]
    else:
        facts.append(closed_text(card))
    parent = _parent_text(card.parent)
    if parent:
        facts.append(f"*Serves* {parent}")
    return facts


def _buttons(outcome: Outcome, can_manage: bool) -> list[ButtonElement]:
    """An open outcome's card offers everything; a closed one only what still makes sense (no Mark done, no
    Drop; no Log progress once dropped, since a dropped outcome takes none)."""
    buttons = [] if outcome.status is OutcomeStatus.DROPPED else [log_button(outcome.ref, primary=True)]
    if not can_manage:
        return buttons
    buttons += [
        ButtonElement(text="Edit", action_id=OutcomeIds.EDIT, value=outcome.ref),
        ButtonElement(text="Change owner", action_id=OutcomeIds.CHANGE_OWNER, value=outcome.ref),
    ]
    if outcome.status.is_open:
        buttons.append(
            ButtonElement(
                text="Mark done",
                action_id=OutcomeIds.MARK_DONE,
                value=outcome.ref,
                confirm=ConfirmObject(
                    title="Mark it done?",
                    text=f"{outcome.ref} meets its definition of done.",
                    confirm="Mark done",
                    deny="Not yet",
                ),
            )
        )
        buttons.append(ButtonElement(text="Drop", action_id=OutcomeIds.DROP, value=outcome.ref, style="danger"))
    return buttons


def action_line(action: Action, today: date) -> str:
    """`• *A-7* send the pricing deck · @alex · overdue 2d`"""
    return f"• *{action.ref}* {esc(clip(action.what, 150))} · {mention(action.owner.slack_user_id)} · " + short_due(
        action.due_on, today
    )


def actions_block(outcome: Outcome, open_actions: list[Action], total: int, today: date) -> SectionBlock | None:
    """Its open action items, overdue first, at most ACTIONS_SHOWN and then how many more."""
    if not total:
        return None
    lines = [action_line(a, today) for a in open_actions[:ACTIONS_SHOWN]]
    if total > len(lines):
        lines.append(f"…and {total - len(lines)} more: `/action list {outcome.ref}`")
    return SectionBlock(text=MarkdownTextObject(text=f"*Open action items* ({total})\n" + "\n".join(lines)))


def insight_blocks(said: list[Insight]) -> list:
    """The latest few quotes (services.health.insights.SHOWN), one section each so none can push another past
    Slack's 3000 characters."""
    if not said:
        return []
    return [ContextBlock(elements=[MarkdownTextObject(text="*What customers say*")])] + [
        SectionBlock(text=MarkdownTextObject(text=insight_text(i))) for i in said
    ]


def card_blocks(card: Card, *, today: date, can_manage: bool, open_actions: list[Action] | None = None,
                actions_total: int = 0, insights: list[Insight] | None = None) -> list[dict]:  # fmt: skip
    outcome = card.outcome
    blocks: list = [
        HeaderBlock(text=clip(f"{outcome.ref} · {outcome.title}", 150)),
        SectionBlock(text=MarkdownTextObject(text="\n".join(_facts(card, today)))),
        SectionBlock(text=MarkdownTextObject(text="*Done when*\n" + esc(clip(outcome.definition_of_done, 1500)))),
        DividerBlock(),
    ]
    ordered = sorted(outcome.metrics, key=lambda m: (m.kind is not MetricKind.LAGGING, m.position))
    blocks += [_metric_block(m, card.recent.get(m.id, [])) for m in ordered]
    blocks += insight_blocks(insights or [])
    metrics = {m.id: m for m in outcome.metrics}
    if card.updates:
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text="*Latest updates*")]))
        blocks += [SectionBlock(text=MarkdownTextObject(text=update_line(u, metrics))) for u in card.updates]
    elif outcome.status.is_open:
        first = f"No updates yet: `/progress {outcome.ref} 42 what moved` logs the first."
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=first)]))
    if shown := actions_block(outcome, open_actions or [], actions_total, today):
        blocks.append(shown)
    if not outcome.status.is_open:
        reopen = f"The owner or an admin can reopen it with `/progress {outcome.ref} on-track`."
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=reopen)]))
    buttons = _buttons(outcome, can_manage)
    if buttons:
        blocks.append(ActionsBlock(block_id=OutcomeIds.CARD_ACTIONS, elements=buttons))
    return [b.to_dict() for b in blocks]


def card_text(outcome: Outcome) -> str:
    return f"{outcome.ref} · {esc(outcome.title)} ({outcome.status.label})"
