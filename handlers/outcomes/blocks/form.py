"""Block Kit for the outcome forms: define or edit an outcome, change its owner, drop it."""

from __future__ import annotations

from slack_sdk.models.blocks import (
    ContextBlock,
    DatePickerElement,
    ExternalDataSelectElement,
    MarkdownTextObject,
    Option,
    SectionBlock,
    UserSelectElement,
)
from slack_sdk.models.views import View

from handlers.kit.forms import labelled, modal, text_input
from handlers.kit.text import clip, esc, mention
from handlers.outcomes.blocks.ids import OutcomeIds
from models import MetricKind, Outcome
from services.numbers import format_number
from services.outcomes.form import MAX_DEFINITION, MAX_TITLE, Field, leading_lines

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


INTRO = (
    "An outcome is a result, not a task list: say what done looks like, give it one owner, "
    "and choose a few numbers that show it moving."
)
OWNER_HINT = "One person who answers for it end to end."


def outcome_form_view(
    *,
    metadata: str,
    owner_user_id: str | None = None,
    title: str = "",
    outcome: Outcome | None = None,
    parent: Option | None = None,
) -> dict:
    """The form to define an outcome, or (given `outcome`) to edit one; the owner is changed separately."""
    blocks: list = [] if outcome else [ContextBlock(elements=[MarkdownTextObject(text=INTRO)])]
    blocks += _definition_inputs(outcome, owner_user_id=owner_user_id, title=title, parent=parent)
    blocks += _metric_inputs(outcome)
    return modal(
        OutcomeIds.EDIT_VIEW if outcome else OutcomeIds.CREATE_VIEW,
        f"Edit {outcome.ref}" if outcome else "New outcome",
        blocks,
        submit="Save" if outcome else "Create",
        metadata=metadata,
    )


def _definition_inputs(
    outcome: Outcome | None, *, owner_user_id: str | None, title: str, parent: Option | None
) -> list:
    """Title, definition of done, owner (new outcomes only), due date and what it serves."""
    blocks: list = [
        text_input(
            OutcomeIds.TITLE,
            "Title",
            initial=outcome.title if outcome else clip(title, MAX_TITLE),
            max_length=MAX_TITLE,
            placeholder="Cut time to first value to under a day",
        ),
        text_input(
            OutcomeIds.DEFINITION,
            "Definition of done",
            initial=outcome.definition_of_done if outcome else None,
            multiline=True,
            max_length=MAX_DEFINITION,
            placeholder="How will everyone know it is achieved? Be concrete.",
        ),
    ]
    if outcome is None:
        owner = UserSelectElement(action_id=OutcomeIds.OWNER, initial_user=owner_user_id)
        blocks.append(labelled(OutcomeIds.OWNER, "Owner", owner, hint=OWNER_HINT))
    due = DatePickerElement(action_id=OutcomeIds.DUE, initial_date=outcome.due_date.isoformat() if outcome else None)
    blocks.append(labelled(OutcomeIds.DUE, "Due", due))
    serves = ExternalDataSelectElement(
        action_id=OutcomeIds.PARENT,
        placeholder="Pick a priority or an outcome",
        min_query_length=0,
        initial_option=parent,
    )
    blocks.append(
        labelled(
            OutcomeIds.PARENT,
            "Serves",
            serves,
            optional=True,
            hint="The priority or larger outcome this one contributes to.",
        )
    )
    return blocks


def _metric_inputs(outcome: Outcome | None) -> list:
    """The lagging metric (name, unit, baseline, target) and the leading indicators, one per line."""
    lagging = outcome.lagging if outcome else None
    leading = [m for m in outcome.metrics if m.kind is MetricKind.LEADING] if outcome else []
    return [
        SectionBlock(text=MarkdownTextObject(text="*Lagging metric*: the result itself, the number that proves it.")),
        text_input(
            OutcomeIds.LAGGING_NAME,
            "Name",
            initial=lagging.name if lagging else None,
            max_length=40,
            placeholder="Activation rate",
        ),
        text_input(
            OutcomeIds.UNIT,
            "Unit",
            initial=lagging.unit if lagging else None,
            optional=True,
            max_length=16,
            placeholder="%, days, $",
        ),
        text_input(
            OutcomeIds.BASELINE,
            "Baseline (where it is now)",
            initial=format_number(lagging.baseline) if lagging else None,
            max_length=30,
            placeholder="20",
        ),
        text_input(
            OutcomeIds.TARGET,
            "Target",
            initial=format_number(lagging.target) if lagging else None,
            max_length=30,
            placeholder="40",
        ),
        text_input(
            OutcomeIds.LEADING,
            "Leading indicators (1 to 3)",
            initial=leading_lines([(m.name, m.baseline, m.target, m.unit) for m in leading]) if leading else None,
            multiline=True,
            max_length=600,
            placeholder="Demos booked: 2 -> 10",
            hint="One per line, as  name: baseline -> target. Numbers you can move this week that predict the result.",
        ),
    ]


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
    new_owner = UserSelectElement(action_id=OutcomeIds.NEW_OWNER, initial_user=outcome.owner.slack_user_id)
    blocks = [
        SectionBlock(text=MarkdownTextObject(text=f"*{outcome.ref} · {esc(outcome.title)}*")),
        labelled(OutcomeIds.NEW_OWNER, "New owner", new_owner, hint=OWNER_HINT),
    ]
    title = clip(f"Owner of {outcome.ref}", 24)
    return modal(OutcomeIds.OWNER_VIEW, title, blocks, submit="Change owner", metadata=metadata)


def drop_view(outcome: Outcome, *, metadata: str) -> dict:
    why = (
        f"*{outcome.ref} · {esc(outcome.title)}* stops here. Saying no is part of focus; "
        "the reason is what people will look for later."
    )
    blocks = [
        SectionBlock(text=MarkdownTextObject(text=why)),
        text_input(OutcomeIds.DROP_REASON, "Why is it dropped?", multiline=True, max_length=2000),
    ]
    title = clip(f"Drop {outcome.ref}", 24)
    return modal(OutcomeIds.DROP_VIEW, title, blocks, submit="Drop it", metadata=metadata, close="Keep it")
