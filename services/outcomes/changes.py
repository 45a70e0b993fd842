"""Changing outcomes: define one, edit its definition and metrics, hand it to a new owner."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Metric, MetricKind, MetricReading, Outcome, OutcomeStatus, Person, Workspace
from services import people
from services.errors import Invalid
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
) -> Outcome:
    draft = await validate(session, workspace=workspace, form=form, today=today)
    owner = draft.owner or author
    outcome = Outcome(
        workspace_id=workspace.id,
        number=await next_number(session, workspace_id=workspace.id, kind="outcome"),
        owner_id=owner.id,
        created_by_id=author.id,
        status=OutcomeStatus.ON_TRACK,
        channel_id=channel_id,
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
