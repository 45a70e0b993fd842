"""Block Kit for outcomes: the definition form, the card, lists, and the owner/drop forms."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    ConfirmObject,
    ContextBlock,
    DatePickerElement,
    DividerBlock,
    ExternalDataSelectElement,
    HeaderBlock,
    InputBlock,
    MarkdownTextObject,
    Option,
    PlainTextInputElement,
    SectionBlock,
    UserSelectElement,
)
from slack_sdk.models.views import View

from models import Metric, MetricKind, Outcome, OutcomeStatus, Priority, ProgressUpdate
from services.numbers import format_number, format_value
from services.outcome_form import MAX_DEFINITION, MAX_TITLE, Field, leading_lines
from services.outcomes import Card, Forbidden
from services.sparkline import sparkline

MAX_NOTE_SHOWN = 300


class OutcomeIds(StrEnum):
    # views
    CREATE_VIEW = "outcome_create"
    EDIT_VIEW = "outcome_edit"
    OWNER_VIEW = "outcome_owner"
    DROP_VIEW = "outcome_drop"
    # inputs: each block id is also its element's action id
    TITLE = "outcome_title"
    DEFINITION = "outcome_definition"
    OWNER = "outcome_owner_user"
    DUE = "outcome_due"
    PARENT = "outcome_parent"
    LAGGING_NAME = "outcome_lagging_name"
    UNIT = "outcome_unit"
    BASELINE = "outcome_baseline"
    TARGET = "outcome_target"
    LEADING = "outcome_leading"
    NEW_OWNER = "outcome_new_owner"
    DROP_REASON = "outcome_drop_reason"
    # buttons
    CREATE = "outcome_create_button"
    EDIT = "outcome_edit_button"
    CHANGE_OWNER = "outcome_owner_button"
    MARK_DONE = "outcome_done_button"
    DROP = "outcome_drop_button"
    LOG_PROGRESS = "outcome_log_progress"  # opens the progress form for this outcome
    CARD_ACTIONS = "outcome_card_actions"


FIELD_BLOCKS: dict[Field, OutcomeIds] = {
    Field.TITLE: OutcomeIds.TITLE,
    Field.DEFINITION: OutcomeIds.DEFINITION,
    Field.OWNER: OutcomeIds.OWNER,
    Field.DUE: OutcomeIds.DUE,
    Field.PARENT: OutcomeIds.PARENT,
    Field.LAGGING_NAME: OutcomeIds.LAGGING_NAME,
    Field.UNIT: OutcomeIds.UNIT,
    Field.BASELINE: OutcomeIds.BASELINE,
    Field.TARGET: OutcomeIds.TARGET,
    Field.LEADING: OutcomeIds.LEADING,
}

STATUS_MARK = {
    OutcomeStatus.ON_TRACK: "🟢",
    OutcomeStatus.AT_RISK: "🟡",
    OutcomeStatus.OFF_TRACK: "🔴",
    OutcomeStatus.DONE: "✅",
    OutcomeStatus.DROPPED: "⚪",
}


# small shared pieces ------------------------------------------------------------------------------------


def status_text(status: OutcomeStatus) -> str:
    return f"{STATUS_MARK[status]} {status.label}"


def mention(slack_user_id: str) -> str:
    return f"<@{slack_user_id}>"


def esc(text: str) -> str:
    """Text people typed into a form, made safe for mrkdwn (Slack reads <, > and & as markup)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def encode_meta(**values: Any) -> str:
    """private_metadata: what a form's submission needs to know about where it came from."""
    return json.dumps({k: v for k, v in values.items() if v is not None}, separators=(",", ":"))


def decode_meta(text: str | None) -> dict[str, Any]:
    try:
        value = json.loads(text or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def due_phrase(due: date, today: date) -> str:
    days = (due - today).days
    when = f"{due:%a %-d %b %Y}"
    if days == 0:
        return f"{when} (today)"
    if days == 1:
        return f"{when} (tomorrow)"
    if days > 0:
        return f"{when} (in {days} days)"
    return f"{when} (overdue by {-days} day{'s' if days != -1 else ''})"


def short_due(due: date, today: date) -> str:
    days = (due - today).days
    if days < 0:
        return f"overdue {-days}d"
    return f"due {due:%-d %b}" + (" (today)" if days == 0 else "")


def slack_date(moment: datetime) -> str:
    """A date Slack shows in each reader's own zone; the fallback is UTC."""
    stamp = int(moment.timestamp())
    return f"<!date^{stamp}^{{date_short}}|{moment.astimezone(UTC):%-d %b %Y}>"


def metric_now(metric: Metric) -> str:
    """`31% / 40%`: where a metric stands against its target."""
    return f"{format_value(metric.latest, metric.unit)} / {format_value(metric.target, metric.unit)}"


def progress_share(metric: Metric) -> int:
    """How much of the way from baseline to target the metric has come, in percent (may pass 100 or go below 0)."""
    span = metric.target - metric.baseline
    return round((metric.latest - metric.baseline) / span * 100) if span else 0


def outcome_option(outcome: Outcome) -> Option:
    return Option(value=outcome.ref, text=clip(f"{outcome.ref} {outcome.title}", 75))


def priority_option(priority: Priority) -> Option:
    return Option(value=priority.ref, text=clip(f"{priority.ref} {priority.title}", 75))


def log_button(ref: str, *, primary: bool = False) -> ButtonElement:
    return ButtonElement(
        text="Log progress", action_id=OutcomeIds.LOG_PROGRESS, value=ref, style="primary" if primary else None
    )


def forbidden_text(exc: Forbidden, *, plain: bool = False) -> str:
    """Who may do it instead; `plain` for a form's field error, where Slack shows no mentions."""
    if exc.owner is None:
        return f"Only workspace admins can {exc.action}. Ask one of them; nothing was changed."
    owner = (exc.owner.display_name or "the owner") if plain else mention(exc.owner.slack_user_id)
    return (
        f"Only {owner} (the owner) or a workspace admin can {exc.action}. "
        "Nothing was changed; ask them, or log progress instead, which anyone can."
    )


# the definition form --------------------------------------------------------------------------------------


def _text_input(block: OutcomeIds, label: str, *, initial: str | None = None, optional: bool = False, **kw: Any):
    hint = kw.pop("hint", None)
    return InputBlock(
        block_id=block,
        label=label,
        optional=optional,
        hint=hint,
        element=PlainTextInputElement(action_id=block, initial_value=initial or None, **kw),
    )


def outcome_form_view(
    *,
    metadata: str,
    owner_user_id: str | None = None,
    title: str = "",
    outcome: Outcome | None = None,
    parent: Option | None = None,
) -> dict:
    """The form to define an outcome, or (given `outcome`) to edit one; the owner is changed separately."""
    lagging = outcome.lagging if outcome else None
    leading = [m for m in outcome.metrics if m.kind is MetricKind.LEADING] if outcome else []
    blocks: list = []
    if outcome is None:
        blocks.append(
            ContextBlock(
                elements=[
                    MarkdownTextObject(
                        text="An outcome is a result, not a task list: say what done looks like, give it one owner, "
                        "and choose a few numbers that show it moving."
                    )
                ]
            )
        )
    blocks.append(
        _text_input(
            OutcomeIds.TITLE,
            "Title",
            initial=outcome.title if outcome else clip(title, MAX_TITLE),
            max_length=MAX_TITLE,
            placeholder="Cut time to first value to under a day",
        )
    )
    blocks.append(
        _text_input(
            OutcomeIds.DEFINITION,
            "Definition of done",
            initial=outcome.definition_of_done if outcome else None,
            multiline=True,
            max_length=MAX_DEFINITION,
            placeholder="How will everyone know it is achieved? Be concrete.",
        )
    )
    if outcome is None:
        blocks.append(
            InputBlock(
                block_id=OutcomeIds.OWNER,
                label="Owner",
                hint="One person who answers for it end to end.",
                element=UserSelectElement(action_id=OutcomeIds.OWNER, initial_user=owner_user_id),
            )
        )
    blocks.append(
        InputBlock(
            block_id=OutcomeIds.DUE,
            label="Due",
            element=DatePickerElement(
                action_id=OutcomeIds.DUE, initial_date=outcome.due_date.isoformat() if outcome else None
            ),
        )
    )
    blocks.append(
        InputBlock(
            block_id=OutcomeIds.PARENT,
            label="Serves",
            optional=True,
            hint="The priority or larger outcome this one contributes to.",
            element=ExternalDataSelectElement(
                action_id=OutcomeIds.PARENT,
                placeholder="Pick a priority or an outcome",
                min_query_length=0,
                initial_option=parent,
            ),
        )
    )
    blocks.append(
        SectionBlock(text=MarkdownTextObject(text="*Lagging metric*: the result itself, the number that proves it."))
    )
    blocks.append(
        _text_input(
            OutcomeIds.LAGGING_NAME,
            "Name",
            initial=lagging.name if lagging else None,
            max_length=40,
            placeholder="Activation rate",
        )
    )
    blocks.append(
        _text_input(
            OutcomeIds.UNIT,
            "Unit",
            initial=lagging.unit if lagging else None,
            optional=True,
            max_length=16,
            placeholder="%, days, $",
        )
    )
    blocks.append(
        _text_input(
            OutcomeIds.BASELINE,
            "Baseline (where it is now)",
            initial=format_number(lagging.baseline) if lagging else None,
            max_length=30,
            placeholder="20",
        )
    )
    blocks.append(
        _text_input(
            OutcomeIds.TARGET,
            "Target",
            initial=format_number(lagging.target) if lagging else None,
            max_length=30,
            placeholder="40",
        )
    )
    blocks.append(
        _text_input(
            OutcomeIds.LEADING,
            "Leading indicators (1 to 3)",
            initial=leading_lines([(m.name, m.baseline, m.target, m.unit) for m in leading]) if leading else None,
            multiline=True,
            max_length=600,
            placeholder="Demos booked: 2 -> 10",
            hint="One per line, as  name: baseline -> target. Numbers you can move this week that predict the result.",
        )
    )
    return View(
        type="modal",
        callback_id=OutcomeIds.EDIT_VIEW if outcome else OutcomeIds.CREATE_VIEW,
        title=f"Edit {outcome.ref}" if outcome else "New outcome",
        submit="Save" if outcome else "Create",
        close="Cancel",
        private_metadata=metadata,
        blocks=blocks,
    ).to_dict()


def created_view(outcome: Outcome) -> dict:
    lines = [
        f"*{outcome.ref} · {esc(outcome.title)}* is defined, owned by {mention(outcome.owner.slack_user_id)}.",
        f"Log progress any time, e.g. `/progress {outcome.ref} 42 what moved`; "
        f"`/outcome {outcome.ref}` shows its card.",
    ]
    return View(
        type="modal",
        title="Outcome created",
        close="Close",
        blocks=[SectionBlock(text=MarkdownTextObject(text="\n".join(lines)))],
    ).to_dict()


def owner_view(outcome: Outcome, *, metadata: str) -> dict:
    return View(
        type="modal",
        callback_id=OutcomeIds.OWNER_VIEW,
        title=clip(f"Owner of {outcome.ref}", 24),
        submit="Change owner",
        close="Cancel",
        private_metadata=metadata,
        blocks=[
            SectionBlock(text=MarkdownTextObject(text=f"*{outcome.ref} · {esc(outcome.title)}*")),
            InputBlock(
                block_id=OutcomeIds.NEW_OWNER,
                label="New owner",
                hint="One person who answers for it end to end.",
                element=UserSelectElement(action_id=OutcomeIds.NEW_OWNER, initial_user=outcome.owner.slack_user_id),
            ),
        ],
    ).to_dict()


def drop_view(outcome: Outcome, *, metadata: str) -> dict:
    return View(
        type="modal",
        callback_id=OutcomeIds.DROP_VIEW,
        title=clip(f"Drop {outcome.ref}", 24),
        submit="Drop it",
        close="Keep it",
        private_metadata=metadata,
        blocks=[
            SectionBlock(
                text=MarkdownTextObject(
                    text=f"*{outcome.ref} · {esc(outcome.title)}* stops here. Saying no is part of focus; "
                    "the reason is what people will look for later."
                )
            ),
            _text_input(OutcomeIds.DROP_REASON, "Why is it dropped?", multiline=True, max_length=2000),
        ],
    ).to_dict()


# the card ---------------------------------------------------------------------------------------------------


def _parent_text(parent: Priority | Outcome | None) -> str | None:
    if parent is None:
        return None
    if isinstance(parent, Priority):
        archived = " (archived)" if parent.archived_at else ""
        return f"{parent.ref} {esc(parent.title)}{archived}"
    return f"{parent.ref} {esc(parent.title)}"


def _metric_block(metric: Metric, recent: list[float]) -> SectionBlock:
    kind = "lagging" if metric.kind is MetricKind.LAGGING else "leading"
    trend = f"  `{sparkline(recent)}`" if len(recent) > 1 else ""
    current = "no reading yet" if metric.current_value is None else f"*{format_value(metric.latest, metric.unit)}*"
    line = f"{format_value(metric.baseline, metric.unit)} → {current} → {format_value(metric.target, metric.unit)}" + (
        f"  ({progress_share(metric)}% of the way)" if metric.current_value is not None else ""
    )
    return SectionBlock(text=MarkdownTextObject(text=f"*{metric.name}* ({kind}){trend}\n{line}"))


def update_line(update: ProgressUpdate, metrics: dict[int, Metric]) -> str:
    parts = []
    if update.status_after is not None:
        parts.append(f"{update.status_before.label if update.status_before else '?'} → {update.status_after.label}")
    for reading in update.readings:
        metric = metrics.get(reading.metric_id)
        if metric is not None:
            parts.append(f"{metric.name} {format_value(reading.value, metric.unit)}")
    if update.note:
        parts.append(esc(clip(" ".join(update.note.split()), MAX_NOTE_SHOWN)))
    if update.blocker:
        parts.append("blocker: " + esc(clip(" ".join(update.blocker.split()), MAX_NOTE_SHOWN)))
    return f"{slack_date(update.created_at)} {mention(update.author.slack_user_id)}: " + " · ".join(parts)


def card_blocks(card: Card, *, today: date, can_manage: bool) -> list[dict]:
    outcome = card.outcome
    facts = [
        f"*Owner* {mention(outcome.owner.slack_user_id)}",
        f"*Due* {due_phrase(outcome.due_date, today)}",
        f"*Status* {status_text(outcome.status)}",
    ]
    parent = _parent_text(card.parent)
    if parent:
        facts.append(f"*Serves* {parent}")
    blocks: list = [
        HeaderBlock(text=clip(f"{outcome.ref} · {outcome.title}", 150)),
        SectionBlock(text=MarkdownTextObject(text="\n".join(facts))),
        SectionBlock(text=MarkdownTextObject(text="*Done when*\n" + esc(clip(outcome.definition_of_done, 1500)))),
        DividerBlock(),
    ]
    ordered = sorted(outcome.metrics, key=lambda m: (m.kind is not MetricKind.LAGGING, m.position))
    blocks += [_metric_block(m, card.recent.get(m.id, [])) for m in ordered]
    metrics = {m.id: m for m in outcome.metrics}
    if card.updates:
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text="*Latest updates*")]))
        blocks += [SectionBlock(text=MarkdownTextObject(text=update_line(u, metrics))) for u in card.updates]
    else:
        blocks.append(
            ContextBlock(
                elements=[
                    MarkdownTextObject(text=f"No updates yet: `/progress {outcome.ref} 42 what moved` logs the first.")
                ]
            )
        )
    buttons = [log_button(outcome.ref, primary=True)]
    if can_manage:
        buttons += [
            ButtonElement(text="Edit", action_id=OutcomeIds.EDIT, value=outcome.ref),
            ButtonElement(text="Change owner", action_id=OutcomeIds.CHANGE_OWNER, value=outcome.ref),
        ]
        if outcome.status is not OutcomeStatus.DONE:
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
        if outcome.status is not OutcomeStatus.DROPPED:
            buttons.append(ButtonElement(text="Drop", action_id=OutcomeIds.DROP, value=outcome.ref, style="danger"))
    blocks.append(ActionsBlock(block_id=OutcomeIds.CARD_ACTIONS, elements=buttons))
    return [b.to_dict() for b in blocks]


def card_text(outcome: Outcome) -> str:
    return f"{outcome.ref} · {esc(outcome.title)} ({outcome.status.label})"


# lists ------------------------------------------------------------------------------------------------------


def outcome_line(outcome: Outcome, today: date, *, show_owner: bool = True) -> str:
    parts = [f"{STATUS_MARK[outcome.status]} *{outcome.ref}* {esc(clip(outcome.title, 80))}"]
    if show_owner:
        parts.append(mention(outcome.owner.slack_user_id))
    parts.append(short_due(outcome.due_date, today))
    lagging = outcome.lagging
    if lagging is not None:
        parts.append(f"{lagging.name} {metric_now(lagging)}")
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
    if total > len(outcomes):
        more = total - len(outcomes)
        hint = "`/outcome list mine` or `/outcome list at-risk` narrow it down" if scope != "mine" else ""
        text = f"and {more} more" + (f": {hint}" if hint else ": `/outcome O-12` shows any one of them")
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=text)]))
    blocks.append(ContextBlock(elements=[MarkdownTextObject(text="`/outcome O-12` shows one as a card.")]))
    return [b.to_dict() for b in blocks]
