"""Block Kit for experiments, pure: the form, the card (`/experiment X-3`), the list, the result form and the
owner's DM when the end date comes. Hypotheses, effects, learnings and metric names are escaped here, once."""

from __future__ import annotations

from datetime import date

from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    ContextBlock,
    DatePickerElement,
    ExternalDataSelectElement,
    MarkdownTextObject,
    Option,
    RadioButtonsElement,
    SectionBlock,
)

from handlers.kit.forms import labelled, modal, text_input
from handlers.kit.text import clip, esc, mention
from handlers.playbooks.learning.ids import LearningIds
from models import Experiment, ExperimentResult
from services.playbooks import experiments
from services.playbooks.experiments import MetricOf

MARK = {
    ExperimentResult.RUNNING: "🧪",
    ExperimentResult.VALIDATED: "✅",
    ExperimentResult.INVALIDATED: "❌",
    ExperimentResult.INCONCLUSIVE: "➖",
}
RESULT_WORDS = {
    ExperimentResult.VALIDATED: "Validated: it moved as expected",
    ExperimentResult.INVALIDATED: "Invalidated: it did not (a result worth having)",
    ExperimentResult.INCONCLUSIVE: "Inconclusive: can't tell yet",
}


def _section(text: str) -> SectionBlock:
    return SectionBlock(text=MarkdownTextObject(text=clip(text, 3000)))


def experiment_view(*, metadata: str, ends_on: date) -> dict:
    picker = ExternalDataSelectElement(action_id=LearningIds.METRIC, placeholder="Pick an outcome's metric",
                                       min_query_length=0)  # fmt: skip
    blocks = [
        text_input(LearningIds.HYPOTHESIS, "Hypothesis", max_length=experiments.MAX_HYPOTHESIS, multiline=True,
                   hint="What you believe, so that it can turn out wrong: “A shorter sign-up form lifts activation”."),
        labelled(LearningIds.METRIC, "The metric it should move", picker, optional=True,
                 hint="An open outcome's metric (`/outcome` keeps them); leave it empty if none fits yet."),
        text_input(LearningIds.EFFECT, "Expected effect", max_length=experiments.MAX_EFFECT, optional=True,
                   hint="How much, by when: “+5 points within four weeks” (needed once a metric is picked)."),
        labelled(LearningIds.ENDS_ON, "Ends on",
                 DatePickerElement(action_id=LearningIds.ENDS_ON, initial_date=ends_on.isoformat()),
                 hint="That morning you are asked what happened: validated, invalidated or inconclusive."),
    ]  # fmt: skip
    return modal(LearningIds.EXPERIMENT_VIEW, "New experiment", blocks, submit="Start", metadata=metadata)


def metric_option(choice: str, outcome_ref: str, metric_name: str) -> Option:
    return Option(value=choice, text=clip(f"{outcome_ref} · {metric_name}", 75))


def summary(experiment: Experiment, metric: MetricOf | None, today: date | None = None) -> str:
    """`🧪 *X-3* hypothesis` and what it should move, by when, whose; a running one whose end date has come (by
    `today`) says it has ended and waits for its result."""
    moves = f"{metric.outcome_ref} · {esc(metric.name)}" if metric else "no metric named"
    effect = f", {esc(experiment.expected_effect)}" if experiment.expected_effect else ""
    ends = "_ends_"
    mark = MARK[experiment.result]
    if experiment.result is ExperimentResult.RUNNING and today is not None and experiments.has_ended(experiment, today):
        mark, ends = "⏳", "*ended, result awaited* ·"
    return (f"{mark} *{experiment.ref}* {esc(clip(experiment.hypothesis, 500))}\n"
            f"_Moves_ {moves}{effect} · {ends} {experiment.ends_on:%a %-d %b %Y} · "
            f"_owner_ {mention(experiment.owner.slack_user_id)}")  # fmt: skip


def learning_line(experiment: Experiment) -> str:
    result = experiment.result.value
    return f"*{result.capitalize()}* · {esc(clip(experiment.learning or '', 1500))}"


def card_blocks(experiment: Experiment, metric: MetricOf | None, *, can_record: bool) -> list[dict]:
    blocks: list = [_section(summary(experiment, metric))]
    if experiment.result is not ExperimentResult.RUNNING:
        blocks.append(_section("*What we learned* " + learning_line(experiment)))
    elif can_record:
        button = ButtonElement(text="Record the result", action_id=LearningIds.RESULT, value=experiment.token,
                               style="primary")  # fmt: skip
        blocks.append(ActionsBlock(block_id=LearningIds.EXPERIMENT_ACTIONS, elements=[button]))
    return [b.to_dict() for b in blocks]


def list_blocks(found: list[tuple[Experiment, MetricOf | None]], today: date | None = None) -> list[dict]:
    if not found:
        return [_section("No experiments yet. `/experiment new` records a bet worth testing.").to_dict()]
    lines = []
    for experiment, metric in found:
        line = summary(experiment, metric, today)
        if experiment.learning:
            line += "\n      " + learning_line(experiment)
        lines.append(line)
    blocks: list = [_section("*Experiments*")]
    blocks += [_section(line) for line in lines[:40]]
    return [b.to_dict() for b in blocks]


def result_view(experiment: Experiment, *, metadata: str) -> dict:
    options = [Option(value=r.value, text=words) for r, words in RESULT_WORDS.items()]
    blocks = [
        _section(f"*{experiment.ref}* {esc(clip(experiment.hypothesis, 2500))}"),
        labelled(LearningIds.RESULT, "Result", RadioButtonsElement(action_id=LearningIds.RESULT, options=options)),
        text_input(LearningIds.LEARNING, "What we learned", multiline=True, max_length=experiments.MAX_LEARNING,
                   hint="Listed in the weekly health post, whichever way it went."),
    ]  # fmt: skip
    return modal(LearningIds.RESULT_VIEW, f"Result of {experiment.ref}"[:24], blocks, submit="Record",
                 metadata=metadata)  # fmt: skip


def ask_blocks(experiment: Experiment) -> tuple[str, list[dict]]:
    text = f"{experiment.ref} has reached its end date: how did it go?"
    body = (f"*{experiment.ref}* has reached its end date. Did it hold? Record validated, invalidated or "
            f"inconclusive, and what you learned.\n> {esc(clip(experiment.hypothesis, 500))}")  # fmt: skip
    button = ButtonElement(text="Record the result", action_id=LearningIds.RESULT, value=experiment.token,
                           style="primary")  # fmt: skip
    blocks = [_section(body), ActionsBlock(block_id=LearningIds.EXPERIMENT_ACTIONS, elements=[button])]
    return text, [b.to_dict() for b in blocks]


def done_view(title: str, text: str) -> dict:
    blocks = [_section(text), ContextBlock(elements=[MarkdownTextObject(text="You can close this.")])]
    return modal(LearningIds.EXPERIMENT_VIEW, title[:24], blocks, submit=None, close="Close")
