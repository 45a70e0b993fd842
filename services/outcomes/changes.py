"""Changing outcomes: define one, edit its definition and metrics, hand it to a new owner, move its due date,
retire a metric nobody reads."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    Metric,
    MetricKind,
    MetricReading,
    Outcome,
    OutcomeStatus,
    Person,
    ProgressSource,
    ProgressUpdate,
    Workspace,
)
from services import people
from services.errors import Invalid, NotFound, NotNow
from services.outcomes.form import Draft, Field, MetricSpec, OutcomeForm, validate
from services.outcomes.queries import lock_outcome
from services.outcomes.rules import require_manager
from services.refs import next_number


async def create_outcome(
    session: AsyncSession,
    *,
    workspace: Workspace,
    author: Person,
    form: OutcomeForm,
    channel_id: str | None,
    today: date,
    now: datetime,
) -> Outcome:
    """`now` stamps the outcome on the app's clock: pace is measured from it, so a row stamped by the wall clock
    would judge a moved clock's readings against the wrong start."""
    draft = await validate(session, workspace=workspace, form=form, today=today)
    owner = draft.owner or author
    outcome = Outcome(
        workspace_id=workspace.id,
        number=await next_number(session, workspace_id=workspace.id, kind="outcome"),
        owner_id=owner.id,
        created_by_id=author.id,
        status=OutcomeStatus.ON_TRACK,
        channel_id=channel_id,
        created_at=now,
    )
    outcome.owner = owner
    _apply(outcome, draft)
    outcome.metrics = [_new_metric(workspace.id, spec, position) for position, spec in enumerate(draft.metrics)]
    session.add(outcome)
    await session.flush()
    return outcome


async def edit_outcome(
    session: AsyncSession, *, workspace: Workspace, actor: Person, outcome: Outcome, form: OutcomeForm, today: date
) -> Outcome:
    await lock_outcome(session, outcome)
    require_manager(actor, outcome, f"edit {outcome.ref}")
    draft = await validate(session, workspace=workspace, form=form, today=today, editing=outcome)
    await _reconcile_metrics(session, outcome, draft.metrics)
    _apply(outcome, draft)
    await session.flush()
    return outcome


async def change_owner(session: AsyncSession, *, actor: Person, outcome: Outcome, new_owner: Person) -> Person | None:
    """Hands the outcome to `new_owner`; returns the previous owner, or None when nothing changed."""
    await lock_outcome(session, outcome)
    require_manager(actor, outcome, f"change the owner of {outcome.ref}")
    if new_owner.workspace_id != outcome.workspace_id:
        raise Invalid({Field.OWNER: "Choose someone in this workspace."})
    if refused := people.unassignable(new_owner):
        raise Invalid({Field.OWNER: refused})
    if new_owner.id == outcome.owner_id:
        return None
    previous = outcome.owner
    outcome.owner_id = new_owner.id
    outcome.owner = new_owner
    await session.flush()
    return previous


async def move_due(session: AsyncSession, *, actor: Person, outcome: Outcome, due: str | date | None, today: date,
                   now: datetime) -> date:  # fmt: skip
    """Gives an open outcome a new due date (its owner or an admin); returns the old one. The move is kept on the
    outcome's updates (the card's history), without counting as progress."""
    await lock_outcome(session, outcome)
    require_manager(actor, outcome, f"move the due date of {outcome.ref}")
    if not outcome.status.is_open:
        raise NotNow(f"{outcome.ref} is {outcome.status.label.lower()}, so it has no due date to move.")
    try:
        moved_to = due if isinstance(due, date) else date.fromisoformat(due or "")
    except ValueError:
        raise Invalid({Field.DUE: "Pick the new due date."}) from None
    if moved_to < today:
        raise Invalid({Field.DUE: f"{moved_to:%-d %b %Y} has passed: pick today or a later date."})
    if moved_to == outcome.due_date:
        raise Invalid({Field.DUE: "That is its due date already: pick another."})
    was, outcome.due_date = outcome.due_date, moved_to
    note = f"Moved the due date from {was:%a %-d %b %Y} to {moved_to:%a %-d %b %Y}."
    session.add(ProgressUpdate(workspace_id=outcome.workspace_id, outcome_id=outcome.id, author_id=actor.id,
                               note=note, source=ProgressSource.CARD, created_at=now))  # fmt: skip
    await session.flush()
    return was


async def retire_metric(session: AsyncSession, *, actor: Person, outcome: Outcome, metric_id: int,
                        now: datetime) -> Metric:  # fmt: skip
    """Stops reading one of the outcome's metrics (its owner or an admin); its readings are kept."""
    await lock_outcome(session, outcome)
    metric = next((m for m in outcome.metrics if m.id == metric_id), None)
    if metric is None:
        raise NotFound(f"that metric of {outcome.ref}")
    require_manager(actor, outcome, f"retire a metric of {outcome.ref}")
    if metric.retired_at is not None:
        raise NotNow(f"{metric.name} is retired already.")
    metric.retired_at = now
    await session.flush()
    return metric


def _apply(outcome: Outcome, draft: Draft) -> None:
    outcome.title = draft.title
    outcome.definition_of_done = draft.definition_of_done
    outcome.due_date = draft.due_date
    outcome.parent_priority_id = draft.parent_priority.id if draft.parent_priority else None
    outcome.parent_outcome_id = draft.parent_outcome.id if draft.parent_outcome else None


def _new_metric(workspace_id: int, spec: MetricSpec, position: int) -> Metric:
    metric = Metric(workspace_id=workspace_id, kind=spec.kind, position=position)
    _set_metric(metric, spec)
    return metric


def _set_metric(metric: Metric, spec: MetricSpec) -> None:
    metric.name, metric.slug, metric.unit = spec.name, spec.slug, spec.unit
    metric.baseline, metric.target, metric.direction = spec.baseline, spec.target, spec.direction


async def _reconcile_metrics(session: AsyncSession, outcome: Outcome, specs: list[MetricSpec]) -> None:
    """Keeps metrics (and their readings) by name; a metric with readings cannot be removed."""
    by_slug = {m.slug: m for m in outcome.metrics if m.kind is MetricKind.LEADING}
    matched = [outcome.lagging if spec.kind is MetricKind.LAGGING else by_slug.get(spec.slug) for spec in specs]
    removed = [m for m in outcome.metrics if all(m is not k for k in matched)]
    if removed:
        read = set(
            await session.scalars(
                select(MetricReading.metric_id).where(MetricReading.metric_id.in_([m.id for m in removed])).distinct()
            )
        )
        stuck = [m.name for m in removed if m.id in read]
        if stuck:
            raise Invalid({Field.LEADING: f"{', '.join(stuck)} already has readings, so it stays: keep its line."})
        for metric in removed:
            await session.delete(metric)
        await session.flush()  # before renames, so a new name may reuse a removed one
    kept = []
    for position, (spec, metric) in enumerate(zip(specs, matched, strict=True)):
        metric = metric or _new_metric(outcome.workspace_id, spec, position)
        _set_metric(metric, spec)
        metric.position = position
        kept.append(metric)
    outcome.metrics = kept
