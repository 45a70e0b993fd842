"""The forms: asking for a decision, and the forms behind the card's buttons; what a form turns into when done."""

from __future__ import annotations

from datetime import datetime, timedelta

from slack_sdk.models.blocks import (
    ContextBlock,
    DateTimePickerElement,
    ExternalDataSelectElement,
    MarkdownTextObject,
    Option,
    RadioButtonsElement,
    SectionBlock,
    StaticSelectElement,
    UrlInputElement,
    UserMultiSelectElement,
    UserSelectElement,
)
from slack_sdk.models.views import View

from handlers.decisions.blocks.ids import DecisionIds
from handlers.decisions.blocks.words import deadline_text
from handlers.kit.forms import labelled, modal, text_input
from handlers.kit.text import clip, duration, esc, mention
from models import Decision, EscalationPolicy
from services.decisions import MAX_CHOICE, MAX_CONTEXT, MAX_QUESTION, MAX_RATIONALE, MAX_REASON

SNOOZE_CHOICES = (60, 4 * 60, 24 * 60)  # minutes offered, within the policy's limit


def policy_option(policy: EscalationPolicy) -> Option:
    suffix = " (default)" if policy.is_default else ""
    return Option(value=str(policy.id), text=clip(policy.name + suffix, 75))


INTRO = (
    "A decision needs one person who makes the call and a time by which it is made. "
    "Name who does the work, whose view is sought, and who just needs to know."
)
RACI_INPUTS = (
    (DecisionIds.RESPONSIBLE, "Responsible", "Who carries it out"),
    (DecisionIds.CONSULTED, "Consulted", "Whose input is needed first"),
    (DecisionIds.INFORMED, "Informed", "Who needs to know the result"),
)


def decision_form_view(
    *,
    metadata: str,
    policies: list[EscalationPolicy],
    default_policy: EscalationPolicy,
    deadline: datetime,
    zone: str,
    question: str = "",
) -> dict:
    """The form to ask for a decision. The date picker shows the asker's own time (`zone`)."""
    blocks: list = [
        ContextBlock(elements=[MarkdownTextObject(text=INTRO)]),
        *question_inputs(question),
        labelled(
            DecisionIds.DECIDER,
            "Decider",
            UserSelectElement(action_id=DecisionIds.DECIDER, placeholder="The one person who decides"),
            hint="Exactly one person, accountable for making the call by the deadline.",
        ),
        labelled(
            DecisionIds.DEADLINE,
            "Deadline",
            DateTimePickerElement(action_id=DecisionIds.DEADLINE, initial_date_time=int(deadline.timestamp())),
            hint=f"In your time ({zone}). Everyone else, the decider included, sees it in their own.",
        ),
        *[
            labelled(block, label, UserMultiSelectElement(action_id=block, placeholder=placeholder), optional=True)
            for block, label, placeholder in RACI_INPUTS
        ],
        labelled(
            DecisionIds.POLICY,
            "Escalation path",
            StaticSelectElement(
                action_id=DecisionIds.POLICY,
                options=[policy_option(p) for p in policies[:100]],
                initial_option=policy_option(default_policy),
            ),
            hint="Who is pinged, level by level, if the deadline passes without a decision (/escalation list).",
        ),
        labelled(
            DecisionIds.OUTCOME,
            "Outcome it affects",
            ExternalDataSelectElement(action_id=DecisionIds.OUTCOME, placeholder="Search outcomes", min_query_length=0),
            optional=True,
        ),
    ]
    return modal(DecisionIds.CREATE_VIEW, "Ask for a decision", blocks, submit="Ask", metadata=metadata)


def question_inputs(question: str) -> list:
    """What is to be decided: the question, its context and a link, the options."""
    return [
        text_input(
            DecisionIds.QUESTION,
            "Question",
            initial=clip(question, MAX_QUESTION),
            max_length=MAX_QUESTION,
            placeholder="Which vendor do we sign the support contract with?",
        ),
        text_input(
            DecisionIds.CONTEXT,
            "Context",
            optional=True,
            multiline=True,
            max_length=MAX_CONTEXT,
            placeholder="What is at stake, what is known, what constrains the choice.",
        ),
        labelled(
            DecisionIds.LINK,
            "Link to more",
            UrlInputElement(action_id=DecisionIds.LINK, placeholder="https://docs.example.com/vendor-comparison"),
            optional=True,
        ),
        text_input(
            DecisionIds.OPTIONS,
            "Options",
            optional=True,
            multiline=True,
            max_length=1000,
            hint="One per line, up to 10. Leave empty to write the decision in your own words.",
        ),
    ]


def decide_view(decision: Decision, *, metadata: str) -> dict:
    blocks: list = [SectionBlock(text=MarkdownTextObject(text=f"*{decision.ref}* {esc(decision.question)}"))]
    if decision.options:
        choices = [Option(value=str(i), text=clip(o, 75)) for i, o in enumerate(decision.options)]
        blocks.append(
            labelled(DecisionIds.CHOICE, "Decision", RadioButtonsElement(action_id=DecisionIds.CHOICE, options=choices))
        )
    else:
        blocks.append(text_input(DecisionIds.CHOICE, "Decision", max_length=MAX_CHOICE, placeholder="What was decided"))
    blocks.append(
        text_input(
            DecisionIds.RATIONALE,
            "Rationale",
            multiline=True,
            max_length=MAX_RATIONALE,
            hint="Why this, and what was weighed. It stays with the decision for whoever looks later.",
        )
    )
    return modal(
        DecisionIds.DECIDE_VIEW, clip(f"Decide {decision.ref}", 24), blocks, submit="Decide", metadata=metadata
    )


def withdraw_view(decision: Decision, *, metadata: str) -> dict:
    blocks = [
        SectionBlock(text=MarkdownTextObject(text=f"*{decision.ref}* {esc(decision.question)}")),
        text_input(DecisionIds.REASON, "Why withdraw it?", multiline=True, max_length=MAX_REASON),
        ContextBlock(elements=[MarkdownTextObject(text="The reminders stop; the people involved are told why.")]),
    ]
    return modal(
        DecisionIds.WITHDRAW_VIEW, clip(f"Withdraw {decision.ref}", 24), blocks, submit="Withdraw", metadata=metadata
    )


def move_view(decision: Decision, *, metadata: str, zone: str) -> dict:
    blocks = [
        SectionBlock(text=MarkdownTextObject(text=f"*{decision.ref}* {esc(decision.question)}")),
        labelled(
            DecisionIds.DEADLINE,
            "New deadline",
            DateTimePickerElement(action_id=DecisionIds.DEADLINE, initial_date_time=int(decision.deadline.timestamp())),
            hint=f"In your time ({zone}). Reminders and escalation start over from the new deadline.",
        ),
    ]
    return modal(DecisionIds.MOVE_VIEW, "Move the deadline", blocks, submit="Move", metadata=metadata)


def reopen_view(decision: Decision, *, metadata: str, deadline: datetime, zone: str) -> dict:
    blocks = [
        SectionBlock(text=MarkdownTextObject(text=f"*{decision.ref}* {esc(decision.question)}")),
        text_input(DecisionIds.REASON, "What changed?", multiline=True, max_length=MAX_REASON),
        labelled(
            DecisionIds.DEADLINE,
            "New deadline",
            DateTimePickerElement(action_id=DecisionIds.DEADLINE, initial_date_time=int(deadline.timestamp())),
            hint=f"In your time ({zone}).",
        ),
    ]
    return modal(
        DecisionIds.REOPEN_VIEW, clip(f"Reopen {decision.ref}", 24), blocks, submit="Reopen", metadata=metadata
    )


def snooze_view(decision: Decision, *, metadata: str, limit: timedelta) -> dict:
    minutes = [m for m in SNOOZE_CHOICES if m <= limit.total_seconds() // 60] or [int(limit.total_seconds() // 60)]
    choices = [Option(value=str(m), text=duration(m)) for m in minutes]
    blocks = [
        SectionBlock(text=MarkdownTextObject(text=f"*{decision.ref}* {esc(decision.question)}")),
        labelled(
            DecisionIds.SNOOZE_FOR,
            "Pause the escalation for",
            StaticSelectElement(action_id=DecisionIds.SNOOZE_FOR, options=choices, initial_option=choices[0]),
        ),
        ContextBlock(elements=[MarkdownTextObject(text="If it is still open then, the path goes on where it stood.")]),
    ]
    return modal(DecisionIds.SNOOZE_VIEW, "Snooze escalation", blocks, submit="Snooze", metadata=metadata)


def done_view(title: str, text: str) -> dict:
    """What a form turns into once it has done its work."""
    blocks = [SectionBlock(text=MarkdownTextObject(text=text))]
    return View(type="modal", title=clip(title, 24), close="Done", blocks=blocks).to_dict()


def created_text(decision: Decision, now: datetime, *, card_note: str | None) -> str:
    lines = [
        f"*{decision.ref}* is asked: {esc(decision.question)}",
        f"{mention(decision.decider.slack_user_id)} decides by {deadline_text(decision, now)}.",
        "They get reminders before the deadline; after it, the escalation path is walked until someone acts.",
    ]
    if card_note:
        lines.append(card_note)
    return "\n".join(lines)
