"""`/progress O-12 undo`: taking back one's own last update, for the slip noticed after it was stored (a number
meant for another metric, a fraction for a percentage). Only the outcome's latest update, only its author's, only
within a day, and only one that left the status alone: a later update may rest on it, history older than a day
has been read by others, and a status change has been announced and is set back with a status word."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Metric, MetricReading, Outcome, Person, ProgressUpdate
from services.outcomes.grammar import BadProgress, Part
from services.outcomes.progress import Move
from services.outcomes.queries import lock_outcome

UNDO_WINDOW = timedelta(hours=24)


@dataclass
class Undone:
    outcome: Outcome
    update: ProgressUpdate
    moves: list[Move]  # each metric's value as the update left it (before) and as it is again (after)


async def undo_last(session: AsyncSession, *, outcome: Outcome, author: Person, now: datetime) -> Undone:
    """Deletes `author`'s latest update on `outcome` and its readings, and puts each metric's current value and
    the outcome's last progress back as they were before it. Raises BadProgress, nothing changed, when it may not."""
    await lock_outcome(session, outcome)
    latest = await session.scalar(
        select(ProgressUpdate)
        .where(ProgressUpdate.workspace_id == outcome.workspace_id, ProgressUpdate.outcome_id == outcome.id)
        .order_by(ProgressUpdate.created_at.desc(), ProgressUpdate.id.desc())
        .limit(1)
    )
    if latest is None or latest.author_id != author.id or now - latest.created_at > UNDO_WINDOW:
        mine = latest is not None and latest.author_id == author.id
        raise BadProgress(
            f"Your last update on {outcome.ref} is more than a day old, so it stays in the history. Log a correction "
            f"instead, e.g. `/progress {outcome.ref} 25 correcting the last reading`."
            if mine
            else f"There is nothing of yours to take back on {outcome.ref}: only your own update, and only while it "
            f"is the latest one, can be undone. Log a correction instead, e.g. "
            f"`/progress {outcome.ref} 25 correcting the last reading`.",
            Part.OUTCOME,
        )
    if latest.status_after is not None:
        before = latest.status_before.label.lower() if latest.status_before else "its earlier status"
        raise BadProgress(
            f"That update changed {outcome.ref}'s status, which its channel may have heard. Set it back with a "
            f"status instead: `/progress {outcome.ref} {before.replace(' ', '-')}`.",
            Part.STATUS,
        )
    read = select(MetricReading.metric_id).where(MetricReading.update_id == latest.id)
    metric_ids = list(await session.scalars(read))
    await session.execute(delete(MetricReading).where(MetricReading.update_id == latest.id))
    await session.execute(delete(ProgressUpdate).where(ProgressUpdate.id == latest.id))
    moves = [await _restore(session, outcome, metric_id) for metric_id in metric_ids]
    outcome.last_progress_at = await session.scalar(
        select(func.max(ProgressUpdate.created_at)).where(ProgressUpdate.outcome_id == outcome.id)
    )
    await session.flush()
    return Undone(outcome, latest, [m for m in moves if m is not None])


async def _restore(session: AsyncSession, outcome: Outcome, metric_id: int) -> Move | None:
    """The metric's current value back to its latest remaining reading (or none, as at the start)."""
    metric: Metric | None = next((m for m in outcome.metrics if m.id == metric_id), None)
    if metric is None:  # a metric removed since: nothing to show
        return None
    previous = (
        await session.execute(
            select(MetricReading.value, MetricReading.recorded_at)
            .where(MetricReading.metric_id == metric.id)
            .order_by(MetricReading.recorded_at.desc(), MetricReading.id.desc())
            .limit(1)
        )
    ).first()
    was = metric.latest
    metric.current_value, metric.current_at = (previous.value, previous.recorded_at) if previous else (None, None)
    return Move(metric, was, metric.latest)
