"""Block Kit for progress: the Log progress form, its confirmation and the reply (the channel's announcement of a
turn for the worse is handlers.kit.announce, which the health finding's buttons use too)."""

from __future__ import annotations

from enum import StrEnum

from slack_sdk.models.blocks import (
    ExternalDataSelectElement,
    MarkdownTextObject,
    Option,
    SectionBlock,
    StaticSelectElement,
)
from slack_sdk.models.views import View

from handlers.kit.forms import labelled, modal, text_input
from handlers.kit.outcome_status import shown_value, status_text
from handlers.kit.pickers import outcome_option
from handlers.kit.text import clip, esc
from models import MetricKind, Outcome, OutcomeStatus
from services.blockers import CLEARED
from services.numbers import format_value
from services.outcomes.grammar import Part
from services.outcomes.progress import MAX_NOTE, Logged
from services.outcomes.undo import Undone

SETTABLE_STATUSES = (OutcomeStatus.ON_TRACK, OutcomeStatus.AT_RISK, OutcomeStatus.OFF_TRACK, OutcomeStatus.DONE)


class ProgressIds(StrEnum):
    VIEW = "progress_log"
    # inputs: each block id is also its element's action id
    OUTCOME = "progress_outcome"
    VALUES = "progress_values"
    STATUS = "progress_status"
    NOTE = "progress_note"
    BLOCKER = "progress_blocker"


PART_BLOCKS: dict[Part, ProgressIds] = {
    Part.OUTCOME: ProgressIds.OUTCOME,
    Part.VALUES: ProgressIds.VALUES,
    Part.STATUS: ProgressIds.STATUS,
    Part.NOTE: ProgressIds.NOTE,
    Part.BLOCKER: ProgressIds.BLOCKER,
}


def status_option(status: OutcomeStatus) -> Option:
    return Option(value=status.value, text=status_text(status))


def metrics_hint(outcome: Outcome) -> str:
    names = [
        f"{m.slug}{' (lagging)' if m.kind is MetricKind.LAGGING else ''}, now {format_value(m.latest, m.unit)}"
        for m in sorted(outcome.metrics, key=lambda m: (m.kind is not MetricKind.LAGGING, m.position))
    ]
    return clip(f"{outcome.ref}'s metrics: " + "; ".join(names), 2000)


def progress_view(*, metadata: str, outcome: Outcome | None = None) -> dict:
    """The Log progress form. Values are typed as in /progress (`42`, `activation=31%`), which works for any
    outcome picked without reloading the form."""
    values_hint = "A number for the lagging metric (42), or name=value for any metric (activation=31%)."
    if outcome is not None:
        values_hint += " " + metrics_hint(outcome)
    picker = ExternalDataSelectElement(
        action_id=ProgressIds.OUTCOME,
        placeholder="Type a ref or words of the title",
        min_query_length=0,
        initial_option=outcome_option(outcome) if outcome else None,
    )
    statuses = StaticSelectElement(
        action_id=ProgressIds.STATUS, placeholder="Unchanged", options=[status_option(s) for s in SETTABLE_STATUSES]
    )
    blocks = [
        labelled(ProgressIds.OUTCOME, "Outcome", picker),
        text_input(
            ProgressIds.VALUES, "Values", optional=True, hint=clip(values_hint, 2000), max_length=300, placeholder="42"
        ),
        labelled(
            ProgressIds.STATUS, "Status", statuses, optional=True, hint="Leave empty to keep the status as it is."
        ),
        text_input(
            ProgressIds.NOTE,
            "Note",
            optional=True,
            multiline=True,
            max_length=MAX_NOTE,
            placeholder="What moved, and why",
        ),
        text_input(
            ProgressIds.BLOCKER,
            "Blocker",
            optional=True,
            multiline=True,
            max_length=MAX_NOTE,
            placeholder="What is in the way",
        ),
    ]
    return modal(ProgressIds.VIEW, "Log progress", blocks, submit="Log", metadata=metadata)


def logged_lines(logged: Logged) -> list[str]:
    """What was stored and how it moved, one line each."""
    lines = []
    for move in logged.moves:
        metric = move.metric
        lines.append(
            f"• {esc(metric.name)} {shown_value(move.before, metric.unit)} → {shown_value(move.after, metric.unit)}"
            f" (target {shown_value(metric.target, metric.unit)})"
        )
    if logged.status_changed:
        assert logged.status_before is not None and logged.status_after is not None
        lines.append(f"• {logged.status_before.label} → {logged.status_after.label}")
    elif logged.status_after is not None:
        lines.append(f"• Still {logged.status_after.label.lower()}")
    update = logged.update
    if update.note:
        lines.append("• Note: " + esc(clip(update.note, 500)))
    if update.blocker:
        lines.append("• Blocker: " + esc(clip(update.blocker, 500)))
    elif update.blocker == CLEARED:
        lines.append("• Nothing in the way any more: earlier blockers are cleared")
    return lines


def undone_text(undone: Undone, *, ago: str) -> str:
    """What taking back an update put back, one line each."""
    outcome, update = undone.outcome, undone.update
    lines = [f"Took back your update on *{outcome.ref} · {esc(outcome.title)}* from {ago}."]
    for move in undone.moves:
        unit = move.metric.unit
        lines.append(f"• {esc(move.metric.name)} back to {shown_value(move.after, unit)} "
                     f"(was {shown_value(move.before, unit)})")  # fmt: skip
    if update.note:
        lines.append("• Note removed: " + esc(clip(update.note, 500)))
    if update.blocker:
        lines.append("• Blocker removed: " + esc(clip(update.blocker, 500)))
    return "\n".join(lines)


def logged_text(logged: Logged, *, announcement: str | None = None) -> str:
    outcome = logged.outcome
    text = f"Logged on *{outcome.ref} · {esc(outcome.title)}*\n" + "\n".join(logged_lines(logged))
    return text + (f"\n{announcement}" if announcement else "")


def logged_view(logged: Logged, *, announcement: str | None = None) -> dict:
    return View(
        type="modal",
        title="Progress logged",
        close="Close",
        blocks=[SectionBlock(text=MarkdownTextObject(text=clip(logged_text(logged, announcement=announcement), 3000)))],
    ).to_dict()
